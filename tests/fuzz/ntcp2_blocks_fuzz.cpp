// ntcp2_blocks: a frame's plaintext through parse_blocks. Whatever parses re-serializes to bytes
// no longer than the input (unknown bodies are dropped, padding keeps its size) that parse to
// the same blocks.
#include <cstdlib>

#include "router/transport/ntcp2/blocks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::ntcp2;
    auto blocks = parse_blocks(umbra::Bytes(data, size));
    if (!blocks) {
        return 0;
    }
    umbra::ByteWriter out;
    for (const Block& block : *blocks) {
        write_block(out, block);
    }
    if (out.size() > size) {
        std::abort();
    }
    auto again = parse_blocks(out.view());
    if (!again || *again != *blocks) {
        std::abort();
    }
    return 0;
}
