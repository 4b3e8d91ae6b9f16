// What one hop of a tunnel learns from its build record (tunnel-creation-ecies.rst): its role,
// its tunnel ids and next hop, the AES layer keys for the tunnel-message layer
// (tunnel-message.rst), and when the tunnel expires. Produced by the hop side of tunnels/build/
// for a transit tunnel, and by the creator for each hop of its own tunnels; consumed by
// tunnels/transit/ (layer encryption) and tunnels/pool/.
#pragma once
#include <cstdint>

#include "crypto/aes.h"
#include "crypto/secret.h"
#include "router/base/ids.h"

namespace umbra::tunnels {

// Request record flags byte (tunnel-creation-ecies.rst "Request Record Unencrypted"): bit 7
// IBGW ("allow messages from anyone"), bit 6 OBEP ("allow messages to anyone"), neither set:
// an intermediate participant. Both set is invalid and rejected by the record parser.
enum class HopRole : std::uint8_t { participant, inbound_gateway, outbound_endpoint };

inline constexpr std::uint8_t kFlagInboundGateway = 0x80;
inline constexpr std::uint8_t kFlagOutboundEndpoint = 0x40;

// The only defined "request expiration" value (seconds after the request time).
inline constexpr std::uint32_t kTunnelLifetimeSeconds = 600;

// Layer encryption type of short records (byte 43); long records imply AES.
inline constexpr std::uint8_t kLayerEncryptionAes = 0;

struct HopKeys {
    HopRole role = HopRole::participant;
    TunnelId receive_tunnel;   // "tunnel ID to receive messages as", nonzero
    TunnelId next_tunnel;      // "next tunnel ID"; for the OBEP the reply tunnel
    IdentHash next_ident;      // next router; for the OBEP the reply gateway
    MessageId next_message_id; // I2NP id of the build message (or reply) we send on

    crypto::Key32 layer_key; // AES-256 tunnel layer key (data, CBC)
    crypto::Key32 iv_key;    // AES-256 tunnel IV key (IV, ECB twice)
    std::uint8_t layer_encryption = kLayerEncryptionAes;

    // Reply encryption of the build message's other records: long records, AES-256-CBC with the
    // record's reply key and IV; short records, ChaCha20 with the KDF's reply key (IV unused).
    crypto::Key32 reply_key;
    crypto::AesIv reply_iv{};

    // Request time in minutes since the epoch (rounded down) and the expiration in seconds
    // ("request expiration (in seconds since creation)").
    std::uint32_t request_time_minutes = 0;
    std::uint32_t expiration_seconds = kTunnelLifetimeSeconds;
    // Our wall time (ms since the epoch) when the hop accepted the record, or the creator built
    // it; 0 if unknown. The request time is rounded down to the minute, so a tunnel timed from
    // it could end up to a minute before its creator expects.
    std::int64_t accepted_ms = 0;

    // The tunnel's end in seconds since the epoch: expiration_seconds after accepted_ms, or
    // after the request time when accepted_ms is unknown.
    std::uint64_t expires_at_seconds() const
    {
        const std::uint64_t start = accepted_ms > 0 ? std::uint64_t(accepted_ms / 1000)
                                                    : std::uint64_t{request_time_minutes} * 60;
        return start + expiration_seconds;
    }
    bool is_gateway() const { return role == HopRole::inbound_gateway; }
    bool is_endpoint() const { return role == HopRole::outbound_endpoint; }
};

} // namespace umbra::tunnels
