// base32: decoding ignores case, so an accepted text is the canonical encoding of its bytes up
// to case; any bytes survive encode then decode.
#include <algorithm>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "router/base/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto decoded = umbra::base32_decode(text)) {
        std::string lower(text);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
        if (umbra::base32_encode(*decoded) != lower) {
            std::abort();
        }
    }
    const std::span<const std::uint8_t> bytes(data, size);
    auto back = umbra::base32_decode(umbra::base32_encode(bytes));
    if (!back || !std::equal(back->begin(), back->end(), bytes.begin(), bytes.end())) {
        std::abort();
    }
    return 0;
}
