#include "router/garlic/error.h"

#include <string>

namespace umbra::garlic {

namespace {
class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "garlic"; }
    std::string message(int ev) const override
    {
        switch (static_cast<Error>(ev)) {
        case Error::replayed:
            return "garlic message replayed";
        case Error::missing_date_time:
            return "garlic message without DateTime block";
        case Error::block_not_allowed:
            return "garlic block not allowed in this message";
        }
        return "unknown garlic error";
    }
};
} // namespace

const boost::system::error_category& garlic_category() noexcept
{
    static const Category category;
    return category;
}

} // namespace umbra::garlic
