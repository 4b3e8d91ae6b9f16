#include "tunnels/build/errors.h"

#include <string>

namespace umbra::tunnels {

namespace {
class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "tunnel_build"; }
    std::string message(int ev) const override
    {
        switch (static_cast<BuildErrc>(ev)) {
        case BuildErrc::not_for_us:
            return "no build record for us";
        case BuildErrc::bad_record:
            return "build record did not decrypt or parse";
        case BuildErrc::replayed:
            return "build record replayed";
        case BuildErrc::stale:
            return "build request time out of window";
        case BuildErrc::bad_reply:
            return "build reply did not decrypt or was modified";
        case BuildErrc::unexpected:
            return "unexpected build message";
        }
        return "unknown error";
    }
};
} // namespace

const boost::system::error_category& build_category() noexcept
{
    static const Category category;
    return category;
}

} // namespace umbra::tunnels
