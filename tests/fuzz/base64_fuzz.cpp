// I2P base64: any accepted text is the canonical encoding of what it decodes to, and any bytes
// survive encode then decode.
#include <algorithm>
#include <cstdlib>
#include <span>
#include <string_view>

#include "router/base/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto decoded = umbra::base64_decode(text)) {
        if (umbra::base64_encode(*decoded) != text) {
            std::abort();
        }
    }
    const std::span<const std::uint8_t> bytes(data, size);
    auto back = umbra::base64_decode(umbra::base64_encode(bytes));
    if (!back || !std::equal(back->begin(), back->end(), bytes.begin(), bytes.end())) {
        std::abort();
    }
    return 0;
}
