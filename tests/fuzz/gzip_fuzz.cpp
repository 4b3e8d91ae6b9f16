// gzip: decompression stays within its cap, succeeds with a cap of exactly the output size and
// fails one byte below it, and its output survives compress then decompress.
#include <cstdlib>

#include "router/base/gzip.h"

namespace {
constexpr std::size_t cap = 1024 * 1024;

void require(bool ok)
{
    if (!ok) {
        std::abort();
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> input(data, size);
    auto out = umbra::gzip_decompress(input, cap);
    if (!out) {
        return 0;
    }
    require(out->size() <= cap);
    auto exact = umbra::gzip_decompress(input, out->size());
    require(exact && *exact == *out);
    if (!out->empty()) {
        auto below = umbra::gzip_decompress(input, out->size() - 1);
        require(!below && below.error() == umbra::make_error_code(umbra::Errc::too_large));
    }
    auto again = umbra::gzip_decompress(umbra::gzip_compress(*out, 1), cap);
    require(again && *again == *out);
    return 0;
}
