// Gateway preprocessing (tunnel-message.rst "Message preprocessing", "Tunnel Message
// (Decrypted)"): I2NP messages with their delivery are fragmented and packed into fixed-size
// plaintext tunnel messages: random IV, 4-byte checksum, nonzero random padding, a zero byte,
// then {instructions, fragment} pairs. The caller encrypts each block (hop layer for an inbound
// gateway, CreatorLayers for an outbound gateway) and sends it.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "crypto/random.h"
#include "crypto/tunnel_layer.h"
#include "router/base/bytes.h"
#include "router/base/result.h"
#include "tunnels/transit/delivery_instructions.h"

namespace umbra::tunnels {

// Receives finished plaintext blocks: IV (16) + data (1008), i.e. TunnelData bytes 4..1028.
class BlockSink {
public:
    virtual ~BlockSink() = default;
    virtual void on_block(crypto::TunnelBlock block) = 0;
};

// Largest message one gateway can send: a fragmented first fragment of TUNNEL delivery in a
// fresh tunnel message plus 63 full follow-on fragments (tunnel-message.rst "I2NP Message
// Maximum Size": about 62708 bytes).
std::size_t max_gateway_message_size(const Delivery& d);

// Packs messages into the current tunnel message until it is full; a message that does not fit
// what is left but fits a fresh tunnel message starts a new one instead of being fragmented.
// Owned by one executor; holds at most one partly filled tunnel message.
class Gateway {
public:
    explicit Gateway(crypto::Rng& rng) : rng_(&rng) {}

    // `message` is a whole standard-format I2NP message. Full tunnel messages go to `sink` as
    // they fill; the last, partly filled one stays until flush(). Errc::too_large (nothing
    // emitted) when it cannot fit 64 fragments, Errc::invalid_value when empty.
    Result<void> add(const Delivery& delivery, Bytes message, BlockSink& sink);
    // Pads and emits the partly filled tunnel message, if any.
    void flush(BlockSink& sink);

    std::size_t pending_bytes() const { return used_; }

private:
    std::size_t room() const { return kTunnelPayloadSize - used_; }
    void append(const DeliveryInstructions& di, Bytes fragment);
    void finish(BlockSink& sink);

    crypto::Rng* rng_;
    std::size_t used_ = 0;
    std::array<std::uint8_t, kTunnelPayloadSize> payload_{};
    std::array<std::uint8_t, crypto::tunnel_block_size> block_{};
};

} // namespace umbra::tunnels
