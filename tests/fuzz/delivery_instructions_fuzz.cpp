// delivery_instructions: a run of tunnel message delivery instructions (tunnel-message.rst),
// each followed by nothing (the fragment is not read here). Whatever parses must re-encode to
// exactly the bytes it was read from, and its declared size must match encoded_size().
#include <algorithm>
#include <cstdlib>

#include "tunnels/transit/delivery_instructions.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra;
    using namespace umbra::tunnels;
    ByteReader in(Bytes(data, size));
    while (!in.empty()) {
        const std::size_t start = in.offset();
        auto di = DeliveryInstructions::read(in);
        if (!di) {
            return 0;
        }
        const Bytes consumed(data + start, in.offset() - start);
        const auto again = di->serialize();
        if (again.size() != di->encoded_size() ||
            !std::equal(again.begin(), again.end(), consumed.begin(), consumed.end())) {
            std::abort();
        }
        auto back = DeliveryInstructions::parse(again);
        if (!back || !(*back == *di)) {
            std::abort();
        }
    }
    return 0;
}
