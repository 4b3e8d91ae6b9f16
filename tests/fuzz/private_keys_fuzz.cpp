// PrivateKeys::parse, then serialize must equal the input.
#include <algorithm>
#include <cstdlib>

#include "router/data/private_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes in(data, size);
    const auto keys = umbra::data::PrivateKeys::parse(in);
    if (!keys) {
        return 0;
    }
    const auto out = keys->serialize();
    if (!std::equal(out.begin(), out.end(), in.begin(), in.end())) {
        std::abort();
    }
    return 0;
}
