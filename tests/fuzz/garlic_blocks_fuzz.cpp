// garlic_blocks: a decrypted ECIES payload (ecies.rst "5) Payload"). Whatever parses must
// re-serialize to the input bytes; the to-router payload check must not crash on it.
#include <algorithm>
#include <cstdlib>

#include "router/garlic/blocks.h"
#include "router/garlic/router_message.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::garlic;
    const umbra::Bytes input(data, size);
    auto blocks = parse_blocks(input);
    if (!blocks) {
        return 0;
    }
    const auto again = serialize_blocks(*blocks);
    if (!again || !std::equal(again->begin(), again->end(), input.begin(), input.end())) {
        std::abort();
    }
    (void)check_router_payload(*blocks);
    const auto cloves = take_cloves(*blocks);
    for (const auto& clove : cloves) {
        if (clove.message.payload.size() > umbra::i2np::kMaxPayloadSize) {
            std::abort();
        }
    }
    return 0;
}
