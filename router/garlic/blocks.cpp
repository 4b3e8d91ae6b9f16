#include "router/garlic/blocks.h"

#include <type_traits>

namespace umbra::garlic {

namespace {

std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

// ecies.rst "DateTime": size must be 4.
Result<Block> read_date_time(ByteReader& in)
{
    UMBRA_TRY(const std::uint32_t seconds, in.u32());
    UMBRA_TRY_VOID(in.expect_end());
    return DateTimeBlock{seconds};
}

// ecies.rst "Termination": size 1 or more.
Result<Block> read_termination(ByteReader& in)
{
    UMBRA_TRY(const std::uint8_t reason, in.u8());
    return TerminationBlock{reason, to_vector(in.rest())};
}

Result<Block> read_options(ByteReader& in)
{
    if (in.remaining() < OptionsBlock::kMinSize) {
        return Errc::truncated;
    }
    return OptionsBlock{to_vector(in.rest())};
}

Result<Block> read_clove(ByteReader& in)
{
    UMBRA_TRY(auto delivery, CloveDelivery::read(in));
    UMBRA_TRY(auto message, i2np::Message::parse_short(in.rest()));
    return GarlicClove{delivery, std::move(message)};
}

Result<Block> read_block(std::uint8_t type, ByteReader& in)
{
    switch (static_cast<BlockType>(type)) {
    case BlockType::date_time:
        return read_date_time(in);
    case BlockType::termination:
        return read_termination(in);
    case BlockType::options:
        return read_options(in);
    case BlockType::garlic_clove:
        return read_clove(in);
    case BlockType::padding:
        return PaddingBlock{to_vector(in.rest())};
    default:
        return UnknownBlock{type, to_vector(in.rest())};
    }
}

void write_data(ByteWriter& out, const Block& block)
{
    std::visit(
        [&out](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, DateTimeBlock>) {
                out.u32(b.seconds);
            } else if constexpr (std::is_same_v<T, TerminationBlock>) {
                out.u8(b.reason);
                out.bytes(b.additional);
            } else if constexpr (std::is_same_v<T, GarlicClove>) {
                b.delivery.write(out);
                out.bytes(b.message.serialize_short());
            } else {
                out.bytes(b.data);
            }
        },
        block);
}

} // namespace

std::uint8_t type_of(const Block& block)
{
    return std::visit(
        [](const auto& b) -> std::uint8_t {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, DateTimeBlock>) {
                return std::uint8_t(BlockType::date_time);
            } else if constexpr (std::is_same_v<T, TerminationBlock>) {
                return std::uint8_t(BlockType::termination);
            } else if constexpr (std::is_same_v<T, OptionsBlock>) {
                return std::uint8_t(BlockType::options);
            } else if constexpr (std::is_same_v<T, GarlicClove>) {
                return std::uint8_t(BlockType::garlic_clove);
            } else if constexpr (std::is_same_v<T, PaddingBlock>) {
                return std::uint8_t(BlockType::padding);
            } else {
                return b.type;
            }
        },
        block);
}

Result<std::vector<Block>> parse_blocks(Bytes payload)
{
    if (payload.size() > kMaxPayloadSize) {
        return Errc::too_large;
    }
    ByteReader in(payload);
    std::vector<Block> blocks;
    bool terminated = false;
    while (!in.empty()) {
        UMBRA_TRY(const std::uint8_t type, in.u8());
        UMBRA_TRY(auto body, in.u16_prefixed());
        // Padding must be the last block; Termination may only be followed by Padding.
        const bool is_padding = type == std::uint8_t(BlockType::padding);
        if (is_padding && !in.empty()) {
            return Errc::invalid_value;
        }
        if (terminated && !is_padding) {
            return Errc::invalid_value;
        }
        terminated = type == std::uint8_t(BlockType::termination);
        UMBRA_TRY(auto block, read_block(type, body));
        blocks.push_back(std::move(block));
    }
    return blocks;
}

Result<void> write_block(ByteWriter& out, const Block& block)
{
    const std::size_t start = out.size();
    out.u8(type_of(block));
    const std::size_t mark = out.mark_u16_length();
    write_data(out, block);
    if (out.size() - mark - 2 > kMaxBlockDataSize) {
        out.buffer().resize(start);
        return Errc::too_large;
    }
    out.patch_u16_length(mark);
    return {};
}

Result<std::vector<std::uint8_t>> serialize_blocks(std::span<const Block> blocks)
{
    ByteWriter out;
    for (const auto& block : blocks) {
        UMBRA_TRY_VOID(write_block(out, block));
        if (out.size() > kMaxPayloadSize) {
            return Errc::too_large;
        }
    }
    return out.take();
}

std::vector<GarlicClove> take_cloves(std::vector<Block>& blocks)
{
    std::vector<GarlicClove> cloves;
    for (auto& block : blocks) {
        if (auto* clove = std::get_if<GarlicClove>(&block)) {
            cloves.push_back(std::move(*clove));
        }
    }
    return cloves;
}

} // namespace umbra::garlic
