// Tunnel message delivery instructions (tunnel-message.rst "Tunnel Message Delivery
// Instructions"): first-fragment instructions (delivery type local / tunnel / router, optional
// message id when fragmented) and follow-on fragment instructions (fragment number, last flag).
// Not the garlic clove delivery instructions, which have another format.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/base/result.h"

namespace umbra::tunnels {

// flag bits 6-5; 3 is invalid.
enum class DeliveryType : std::uint8_t { local = 0, tunnel = 1, router = 2 };

// Where the endpoint sends a reassembled message. `to` is the router (router) or the gateway
// router of the target tunnel (tunnel); `tunnel` only for tunnel delivery, nonzero.
struct Delivery {
    DeliveryType type = DeliveryType::local;
    TunnelId tunnel;
    IdentHash to;
    bool operator==(const Delivery&) const = default;
};

// The largest fragment that fits one tunnel message: 1008 data bytes minus the 4-byte checksum
// and the zero byte, minus the smallest (3-byte LOCAL) instructions.
inline constexpr std::size_t kTunnelPayloadSize = 1008 - 4 - 1;
inline constexpr std::uint8_t kMaxFragmentNumber = 63;
inline constexpr std::size_t kFollowOnInstructionsSize = 7;

struct DeliveryInstructions {
    bool follow_on = false;
    // First fragment (follow_on == false).
    Delivery delivery;
    bool fragmented = false; // the message continues in follow-on fragments
    // Fragmented first fragment, or follow-on fragment.
    MessageId message_id;
    // Follow-on fragment: 1..63, and whether it is the last one.
    std::uint8_t fragment_number = 0;
    bool last = false;
    // Length of the fragment that follows the instructions, 1..kTunnelPayloadSize.
    std::uint16_t size = 0;

    // Reads one set of instructions (not the fragment). Rejects what the spec marks
    // unimplemented (delay, extended options), reserved bits, delivery type 3, tunnel id 0,
    // fragment number 0, size 0 or over kTunnelPayloadSize: what parses re-encodes identically.
    static Result<DeliveryInstructions> read(ByteReader& in);
    static Result<DeliveryInstructions> parse(Bytes in); // must span all of `in`

    std::size_t encoded_size() const;
    // Writes encoded_size() bytes at out (out.size() >= encoded_size(); aborts otherwise).
    void write(std::span<std::uint8_t> out) const;
    std::vector<std::uint8_t> serialize() const;

    bool operator==(const DeliveryInstructions&) const = default;
};

// Size of first-fragment instructions for `d`: 3 (local), 35 (router), 39 (tunnel), plus 4 when
// fragmented (message id).
std::size_t first_instructions_size(const Delivery& d, bool fragmented);

} // namespace umbra::tunnels
