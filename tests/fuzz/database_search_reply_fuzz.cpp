// database_search_reply: the DatabaseSearchReply payload parser (i2np.rst "DatabaseSearchReply").
// Whatever parses must serialize back to the input bytes.
#include <algorithm>
#include <cstdlib>

#include "router/data/i2np/payload.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes input(data, size);
    auto parsed = umbra::i2np::DatabaseSearchReply::parse(input);
    if (!parsed) {
        return 0;
    }
    const auto again = parsed->serialize();
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) {
        std::abort();
    }
    return 0;
}
