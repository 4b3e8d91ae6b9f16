#include "router/base/result.h"

#include <string>

namespace umbra {

namespace {
class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "umbra"; }
    std::string message(int ev) const override
    {
        switch (static_cast<Errc>(ev)) {
        case Errc::truncated:
            return "input truncated";
        case Errc::trailing_data:
            return "unexpected trailing data";
        case Errc::too_large:
            return "length or count over limit";
        case Errc::invalid_value:
            return "invalid field value";
        case Errc::unsupported:
            return "unsupported type";
        case Errc::bad_signature:
            return "signature did not verify";
        case Errc::wrong_network:
            return "wrong network id";
        case Errc::expired:
            return "timestamp out of range";
        case Errc::bad_encoding:
            return "malformed encoding";
        case Errc::io_error:
            return "i/o error";
        case Errc::unavailable:
            return "unavailable";
        }
        return "unknown error";
    }
};
} // namespace

const boost::system::error_category& umbra_category() noexcept
{
    static const Category category;
    return category;
}

} // namespace umbra
