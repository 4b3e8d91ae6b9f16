// The payload blocks of ECIES-X25519 garlic messages (ecies.rst "5) Payload"): a sequence of
// [type, 2-byte size, data] blocks inside the ChaCha20-Poly1305 frame. Parsing is bounded (each
// block is a sub-reader), canonical (serialize(parse(x)) == x) and keeps unknown blocks as bytes,
// which receivers must ignore like padding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"
#include "router/garlic/delivery.h"

namespace umbra::garlic {

// ecies.rst "Unencrypted data": the frame is at most 65535 bytes with its 16-byte MAC.
inline constexpr std::size_t kMaxPayloadSize = 65519;
inline constexpr std::size_t kMaxBlockDataSize = 65516;
inline constexpr std::size_t kBlockHeaderSize = 3;
inline constexpr std::size_t kMacSize = 16; // Poly1305
// An I2NP Garlic message body holds at most i2np::kMaxPayloadSize - 4 bytes (after its length).
inline constexpr std::size_t kMaxGarlicBodySize = i2np::kMaxPayloadSize - 4;

enum class BlockType : std::uint8_t {
    date_time = 0,
    termination = 4,
    options = 5,
    message_number = 6,
    next_key = 7,
    ack = 8,
    ack_request = 9,
    garlic_clove = 11,
    padding = 254,
};

struct DateTimeBlock {
    std::uint32_t seconds = 0; // unsigned seconds since the epoch, wraps in 2106
    bool operator==(const DateTimeBlock&) const = default;
};

struct TerminationBlock {
    std::uint8_t reason = 0; // 0 normal close, 1 termination received
    std::vector<std::uint8_t> additional;
    bool operator==(const TerminationBlock&) const = default;
};

// "UNIMPLEMENTED, for further study": at least 21 bytes, kept as bytes.
struct OptionsBlock {
    static constexpr std::size_t kMinSize = 21;
    std::vector<std::uint8_t> data;
    bool operator==(const OptionsBlock&) const = default;
};

// ecies.rst "Garlic Clove": delivery instructions, then the I2NP message with the 9-byte short
// header (expiration in seconds).
struct GarlicClove {
    CloveDelivery delivery;
    i2np::Message message;
    bool operator==(const GarlicClove&) const = default;
};

struct PaddingBlock {
    std::vector<std::uint8_t> data;
    bool operator==(const PaddingBlock&) const = default;
};

// Any other type, including the ratchet-session blocks (6-9) this module does not interpret.
struct UnknownBlock {
    std::uint8_t type = 0;
    std::vector<std::uint8_t> data;
    bool operator==(const UnknownBlock&) const = default;
};

using Block = std::variant<DateTimeBlock, TerminationBlock, OptionsBlock, GarlicClove, PaddingBlock,
                           UnknownBlock>;

std::uint8_t type_of(const Block& block);

// Parses a decrypted payload. Enforces the rules that hold in every message kind (ecies.rst
// "Block Ordering Rules"): at most one Padding block and it is last; Termination is last except
// for Padding. Errc::too_large if the payload exceeds kMaxPayloadSize.
Result<std::vector<Block>> parse_blocks(Bytes payload);

// Errc::too_large if a block's data exceeds kMaxBlockDataSize or the whole exceeds
// kMaxPayloadSize.
Result<void> write_block(ByteWriter& out, const Block& block);
Result<std::vector<std::uint8_t>> serialize_blocks(std::span<const Block> blocks);

// The cloves of a parsed payload, moved out in order.
std::vector<GarlicClove> take_cloves(std::vector<Block>& blocks);

} // namespace umbra::garlic
