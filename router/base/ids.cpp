#include "router/base/ids.h"

#include <algorithm>

#include "router/base/encoding.h"

namespace umbra {

bool IdentHash::is_zero() const
{
    return std::all_of(bytes_.begin(), bytes_.end(), [](std::uint8_t b) { return b == 0; });
}

std::string IdentHash::to_base64() const
{
    return base64_encode(bytes_);
}

std::string IdentHash::to_base32() const
{
    return base32_encode(bytes_);
}

} // namespace umbra
