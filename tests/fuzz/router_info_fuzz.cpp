// RouterInfo::parse, then the fields written anew must equal the input.
#include <algorithm>
#include <cstdlib>

#include "router/data/router_info.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes in(data, size);
    const auto ri = umbra::data::RouterInfo::parse(in);
    if (!ri) {
        return 0;
    }
    const auto out = ri->serialize();
    if (!std::equal(out.begin(), out.end(), in.begin(), in.end())) {
        std::abort();
    }
    (void)ri->caps();
    (void)ri->net_id();
    return 0;
}
