// NTCP2 data-phase blocks (ntcp2.rst, "Unencrypted data", "Block Ordering Rules" and the section
// of each block type). Every block body is read through a sub-reader of exactly its declared
// size, so a malformed block can never overrun into the next one (ntcp2.rst, "RouterInfo" and
// "I2NP Message" notes).
#include "router/transport/ntcp2/blocks.h"

#include <cstdlib>

namespace umbra::ntcp2 {

namespace {

// ntcp2.rst "DateTime": size = 4. "Termination": size 9 or more (frame count 8 + reason 1).
// "I2NP Message": type 1 + msg id 4 + short exp 4 before the message body.
constexpr std::size_t date_time_size = 4;
constexpr std::size_t min_termination_size = 9;
constexpr std::size_t min_i2np_size = 9;
// "RouterInfo": the flag byte, then a RouterInfo, which cannot be empty.
constexpr std::size_t min_router_info_size = 2;
constexpr std::uint8_t flood_flag = 0x01; // flg bit 0; bits 7-1 unused and ignored

std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

// The size rule of each known block type; unknown types have none.
bool body_size_ok(std::uint8_t type, std::size_t size)
{
    switch (BlockType(type)) {
    case BlockType::date_time:
        return size == date_time_size;
    case BlockType::router_info:
        return size >= min_router_info_size;
    case BlockType::i2np:
        // Kept opaque: the dispatcher parses the 9-byte short header (i2np::Message::
        // parse_short), so the message is not parsed twice on the data path.
        return size >= min_i2np_size;
    case BlockType::termination:
        return size >= min_termination_size;
    case BlockType::options:
    case BlockType::padding:
        return true;
    }
    return true; // ntcp2.rst "Other block types": ignored for forward compatibility
}

// ntcp2.rst "Block Ordering Rules": Padding, if present, is the last block and appears once;
// Termination is the last block except for Padding. Unknown types follow the same rules.
class OrderingRules {
public:
    bool admit(std::uint8_t type)
    {
        const bool is_padding = type == std::uint8_t(BlockType::padding);
        if (seen_padding_ || (seen_termination_ && !is_padding)) {
            return false;
        }
        seen_padding_ = is_padding;
        seen_termination_ = seen_termination_ || type == std::uint8_t(BlockType::termination);
        return true;
    }

private:
    bool seen_padding_ = false;
    bool seen_termination_ = false;
};

Result<void> append_blocks(Bytes plaintext, std::vector<BlockView>& out)
{
    ByteReader reader(plaintext);
    OrderingRules order;
    while (!reader.empty()) {
        UMBRA_TRY(const std::uint8_t type, reader.u8());
        UMBRA_TRY(ByteReader body, reader.u16_prefixed());
        if (!order.admit(type) || !body_size_ok(type, body.remaining())) {
            return Errc::invalid_value;
        }
        out.push_back(BlockView{type, body.rest()});
    }
    return {};
}

struct TypeOf {
    std::uint8_t operator()(const DateTime&) const { return std::uint8_t(BlockType::date_time); }
    std::uint8_t operator()(const OptionsBlock&) const { return std::uint8_t(BlockType::options); }
    std::uint8_t operator()(const RouterInfoBlock&) const
    {
        return std::uint8_t(BlockType::router_info);
    }
    std::uint8_t operator()(const I2npBlock&) const { return std::uint8_t(BlockType::i2np); }
    std::uint8_t operator()(const Termination&) const
    {
        return std::uint8_t(BlockType::termination);
    }
    std::uint8_t operator()(const Padding&) const { return std::uint8_t(BlockType::padding); }
    std::uint8_t operator()(const UnknownBlock& b) const { return b.type; }
};

struct BodySize {
    std::size_t operator()(const DateTime&) const { return date_time_size; }
    std::size_t operator()(const OptionsBlock& b) const { return b.raw.size(); }
    std::size_t operator()(const RouterInfoBlock& b) const { return 1 + b.router_info.size(); }
    std::size_t operator()(const I2npBlock& b) const { return b.message.size(); }
    std::size_t operator()(const Termination& b) const
    {
        return min_termination_size + b.additional.size();
    }
    std::size_t operator()(const Padding& b) const { return b.size; }
    std::size_t operator()(const UnknownBlock&) const { return 0; }
};

struct BodyWriter {
    ByteWriter& out;

    void operator()(const DateTime& b) const { out.u32(b.seconds); }
    void operator()(const OptionsBlock& b) const { out.bytes(b.raw); }
    void operator()(const RouterInfoBlock& b) const
    {
        out.u8(b.flood ? flood_flag : 0);
        out.bytes(b.router_info);
    }
    void operator()(const I2npBlock& b) const { out.bytes(b.message); }
    void operator()(const Termination& b) const
    {
        out.u64(b.valid_frames_received);
        out.u8(std::uint8_t(b.reason));
        out.bytes(b.additional);
    }
    void operator()(const Padding& b) const { out.zeros(b.size); }
    void operator()(const UnknownBlock&) const {}
};

} // namespace

Result<void> split_blocks(Bytes plaintext, std::vector<BlockView>& out)
{
    out.clear();
    auto ok = append_blocks(plaintext, out);
    if (!ok) {
        out.clear(); // nothing of a bad frame is acted on
    }
    return ok;
}

Block decode_block(const BlockView& view)
{
    ByteReader body(view.body); // split_blocks checked every size read below
    switch (BlockType(view.type)) {
    case BlockType::date_time:
        return DateTime{*body.u32()};
    case BlockType::options:
        return OptionsBlock{to_vector(body.rest())};
    case BlockType::router_info: {
        const std::uint8_t flags = *body.u8();
        return RouterInfoBlock{(flags & flood_flag) != 0, to_vector(body.rest())};
    }
    case BlockType::i2np:
        return I2npBlock{to_vector(body.rest())};
    case BlockType::termination: {
        Termination t;
        t.valid_frames_received = *body.u64();
        t.reason = TerminationReason(*body.u8()); // unknown reasons are kept as their number
        t.additional = to_vector(body.rest());
        return t;
    }
    case BlockType::padding:
        return Padding{body.remaining()};
    }
    return UnknownBlock{view.type};
}

Result<std::vector<Block>> parse_blocks(Bytes plaintext)
{
    std::vector<BlockView> views;
    UMBRA_TRY_VOID(split_blocks(plaintext, views));
    std::vector<Block> blocks;
    blocks.reserve(views.size());
    for (const BlockView& view : views) {
        blocks.push_back(decode_block(view));
    }
    return blocks;
}

void write_block(ByteWriter& out, const Block& block)
{
    const std::size_t size = std::visit(BodySize{}, block);
    if (size > max_block_data) {
        std::abort(); // a caller bug: senders split messages and padding first
    }
    out.u8(std::visit(TypeOf{}, block));
    out.u16(std::uint16_t(size));
    std::visit(BodyWriter{out}, block);
}

std::size_t block_wire_size(const Block& block)
{
    return block_header_size + std::visit(BodySize{}, block);
}

} // namespace umbra::ntcp2
