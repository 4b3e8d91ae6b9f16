// I2NP message header (i2np.rst "I2NP message header"): the 16-byte standard header used inside
// other messages and structures, and the 9-byte short header of NTCP2/SSU2 "I2NP Message" blocks
// and ECIES garlic cloves. A Message carries its payload as bytes; payload.h turns those into
// typed messages.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/result.h"

namespace umbra::i2np {

// i2np.rst "Messages" table. 0 is reserved, 224-254 experimental, 255 future expansion.
enum class MessageType : std::uint8_t {
    database_store = 1,
    database_lookup = 2,
    database_search_reply = 3,
    delivery_status = 10,
    garlic = 11,
    tunnel_data = 18,
    tunnel_gateway = 19,
    data = 20,
    tunnel_build = 21,
    tunnel_build_reply = 22,
    variable_tunnel_build = 23,
    variable_tunnel_build_reply = 24,
    short_tunnel_build = 25,
    outbound_tunnel_build_reply = 26,
};

inline constexpr std::size_t kStandardHeaderSize = 16;
inline constexpr std::size_t kShortHeaderSize = 9;
// The standard header's 2-byte size field allows 65535, but a whole message (header included)
// must fit 64 KiB. The same cap applies to short-header messages, so any message received over
// NTCP2/SSU2 can be re-sent with a standard header (TunnelGateway, garlic cloves).
inline constexpr std::size_t kMaxMessageSize = 64 * 1024;
inline constexpr std::size_t kMaxPayloadSize = kMaxMessageSize - kStandardHeaderSize;

// Failures specific to I2NP; bounds and values use umbra::Errc.
enum class Error {
    bad_checksum = 1, // standard header "chks" differs from SHA-256(payload)[0]
};

const boost::system::error_category& i2np_category() noexcept;

inline ErrorCode make_error_code(Error e) noexcept
{
    return {static_cast<int>(e), i2np_category()};
}

struct Message {
    MessageType type{};
    MessageId id;
    // Standard header: Date in ms. Short header: seconds, so it is truncated to a whole second.
    WallTime expiration;
    std::vector<std::uint8_t> payload; // at most kMaxPayloadSize bytes

    // Standard format; aborts if payload exceeds kMaxPayloadSize (a caller bug, not input).
    std::vector<std::uint8_t> serialize_standard() const;
    void write_standard(ByteWriter& out) const;
    // Short format: the body of an NTCP2/SSU2 "I2NP Message" block (its size is the block's).
    std::vector<std::uint8_t> serialize_short() const;

    // One standard-format message that must span all of `in`; verifies the checksum.
    static Result<Message> parse_standard(Bytes in);
    // One standard-format message at the reader's position (e.g. inside an ElGamal garlic clove);
    // consumes exactly its header and payload.
    static Result<Message> read_standard(ByteReader& in);
    // One short-format message: 9-byte header, payload is the rest of `in`.
    static Result<Message> parse_short(Bytes in);

    bool operator==(const Message&) const = default;
};

// SHA-256(payload) truncated to its first byte ("chks").
std::uint8_t payload_checksum(Bytes payload);

} // namespace umbra::i2np

template <> struct boost::system::is_error_code_enum<umbra::i2np::Error> : std::true_type {
};
