// NTCP2 data-phase blocks (ntcp2.rst, "Unencrypted data", "Block Ordering Rules"): DateTime,
// Options, RouterInfo, I2NP (9-byte short header form), Termination, Padding. Parsing is pure
// and bounded: each block's length is checked against the frame before its body is read.
#pragma once
#include <cstdint>
#include <variant>
#include <vector>

#include "router/base/bytes.h"

namespace umbra::ntcp2 {

enum class BlockType : std::uint8_t {
    date_time = 0,
    options = 1,
    router_info = 2,
    i2np = 3,
    termination = 4,
    padding = 254,
};

// Termination reason codes (ntcp2.rst, "Termination").
enum class TerminationReason : std::uint8_t {
    normal = 0,
    termination_received = 1,
    idle_timeout = 2,
    router_shutdown = 3,
    data_phase_aead_failure = 4,
    incompatible_options = 5,
    incompatible_sig_type = 6,
    clock_skew = 7,
    padding_violation = 8,
    aead_framing_error = 9,
    payload_format_error = 10,
    message_1_error = 11,
    message_2_error = 12,
    message_3_error = 13,
    intra_frame_read_timeout = 14,
    ri_signature_verification_fail = 15,
    s_parameter_missing = 16,
    banned = 17,
};

struct DateTime {
    std::uint32_t seconds = 0;
    bool operator==(const DateTime&) const = default;
};
struct OptionsBlock {
    std::vector<std::uint8_t> raw; // kept opaque: the padding/dummy parameters are advisory
    bool operator==(const OptionsBlock&) const = default;
};
struct RouterInfoBlock {
    bool flood = false;                    // flag bit 0: flood request
    std::vector<std::uint8_t> router_info; // the RouterInfo bytes (not gzipped)
    bool operator==(const RouterInfoBlock&) const = default;
};
struct I2npBlock {
    std::vector<std::uint8_t> message; // type(1) msg_id(4) expiration(4 s) payload: 9-byte form
    bool operator==(const I2npBlock&) const = default;
};
struct Termination {
    std::uint64_t valid_frames_received = 0;
    TerminationReason reason = TerminationReason::normal;
    std::vector<std::uint8_t> additional;
    bool operator==(const Termination&) const = default;
};
struct Padding {
    std::size_t size = 0;
    bool operator==(const Padding&) const = default;
};
struct UnknownBlock {
    std::uint8_t type = 0; // skipped per spec ("should be ignored")
    bool operator==(const UnknownBlock&) const = default;
};

using Block = std::variant<DateTime, OptionsBlock, RouterInfoBlock, I2npBlock, Termination, Padding,
                           UnknownBlock>;

// Block header: type (1) + size (2). A block's data is at most 65516 bytes ("Unencrypted data").
inline constexpr std::size_t block_header_size = 3;
inline constexpr std::size_t max_block_data = 65516;

// One block as it sits in a frame's plaintext: its type and a view of its body (nothing copied).
struct BlockView {
    std::uint8_t type = 0;
    Bytes body;
};

// The receive path's parser: checks a frame's plaintext against the same ordering and size
// rules as parse_blocks and fills `out` (cleared first, so a reused vector costs no allocation)
// with a view of each block, in order. The views point into `plaintext`. Same errors as
// parse_blocks; on error `out` is left empty, so nothing of a bad frame is acted on.
Result<void> split_blocks(Bytes plaintext, std::vector<BlockView>& out);
// The owned form of a block that split_blocks admitted (bodies copied).
Block decode_block(const BlockView& view);

// Parses a frame's plaintext into blocks. Errc::truncated for a block longer than the frame,
// Errc::invalid_value when the ordering rules are broken (padding not last, termination not
// last but for padding, two paddings) or a block's body has the wrong size (DateTime not 4,
// Termination or I2NP under 9, RouterInfo without flag byte or RouterInfo). Unknown types are
// skipped (UnknownBlock) but obey the ordering rules like any other block. An empty plaintext
// yields no blocks. Bodies are kept opaque: I2NP messages go to i2np::Message::parse_short.
Result<std::vector<Block>> parse_blocks(Bytes plaintext);
// Appends one block (padding: `size` random-free zero bytes unless the caller fills them;
// UnknownBlock: its type with an empty body). Aborts if the body exceeds max_block_data.
void write_block(ByteWriter& out, const Block& block);
// Bytes write_block appends for `block` (header included).
std::size_t block_wire_size(const Block& block);

} // namespace umbra::ntcp2
