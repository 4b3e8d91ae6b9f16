// ntcp2_blocks: a frame's plaintext through parse_blocks and through split_blocks (the receive
// path's zero-copy parser). Both must agree: same verdict, and each view decodes to the same
// block. Whatever parses re-serializes to bytes no longer than the input (unknown bodies are
// dropped, padding keeps its size) that parse to the same blocks. Options bodies that parse
// (options_block.h) write back to their first 12 bytes.
#include <algorithm>
#include <cstdlib>

#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/options_block.h"

namespace {

void check_options(const umbra::ntcp2::OptionsBlock& b)
{
    using namespace umbra::ntcp2;
    auto o = parse_options(b.raw);
    if (o.has_value() != (b.raw.size() >= options_body_size)) {
        std::abort();
    }
    if (o &&
        !std::equal(b.raw.begin(), b.raw.begin() + options_body_size, write_options(*o).begin())) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::ntcp2;
    const umbra::Bytes input(data, size);
    auto blocks = parse_blocks(input);
    std::vector<BlockView> views;
    auto split = split_blocks(input, views);
    if (split.has_value() != blocks.has_value() || (!split && split.error() != blocks.error())) {
        std::abort();
    }
    if (!blocks) {
        return views.empty() ? 0 : (std::abort(), 0);
    }
    if (views.size() != blocks->size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < views.size(); ++i) {
        if (views[i].body.data() < data ||
            views[i].body.data() + views[i].body.size() > data + size ||
            decode_block(views[i]) != (*blocks)[i]) {
            std::abort();
        }
        if (const auto* o = std::get_if<OptionsBlock>(&(*blocks)[i])) {
            check_options(*o);
        }
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
