// Cleartext ECIES build request and reply records (tunnel-creation-ecies.rst, "Request Record
// Unencrypted" and "Reply Record Unencrypted", long 464/512 bytes, short 154/202 bytes). Parsers
// are bounded by the fixed record size; the options Mapping cannot run past it.
#pragma once
#include <cstddef>
#include <cstdint>

#include "crypto/aes.h"
#include "crypto/random.h"
#include "crypto/secret.h"
#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/data/mapping.h"
#include "tunnels/build/hop_keys.h"

namespace umbra::tunnels {

// Long records travel in VariableTunnelBuild (23) / VariableTunnelBuildReply (24), short ones in
// ShortTunnelBuild (25) / OutboundTunnelBuildReply (26).
enum class RecordFormat : std::uint8_t { long_ecies, short_ecies };

inline constexpr std::size_t kLongRecordSize = 528;
inline constexpr std::size_t kShortRecordSize = 218;
inline constexpr std::size_t kLongRequestSize = 464;  // cleartext
inline constexpr std::size_t kShortRequestSize = 154; // cleartext
inline constexpr std::size_t kLongReplySize = 512;    // cleartext
inline constexpr std::size_t kShortReplySize = 202;   // cleartext
inline constexpr std::size_t kTruncatedHashSize = 16;
inline constexpr std::size_t kRecordHeaderSize = 48; // truncated hash + ephemeral key

constexpr std::size_t record_size(RecordFormat f)
{
    return f == RecordFormat::long_ecies ? kLongRecordSize : kShortRecordSize;
}
constexpr std::size_t request_size(RecordFormat f)
{
    return f == RecordFormat::long_ecies ? kLongRequestSize : kShortRequestSize;
}
constexpr std::size_t reply_size(RecordFormat f)
{
    return f == RecordFormat::long_ecies ? kLongReplySize : kShortReplySize;
}

// Reply bytes (tunnel-creation.rst "Reply Record"). tunnel-creation-ecies.rst: ECIES hops
// should only send 0 or 30 "to avoid fingerprinting"; the others parse and are reported.
inline constexpr std::uint8_t kReplyAccept = 0;
inline constexpr std::uint8_t kRejectProbabilistic = 10;
inline constexpr std::uint8_t kRejectTransientOverload = 20;
inline constexpr std::uint8_t kRejectBandwidth = 30;
inline constexpr std::uint8_t kRejectCritical = 50;

struct BuildRequestRecord {
    TunnelId receive_tunnel; // nonzero
    TunnelId next_tunnel;    // nonzero
    IdentHash next_ident;
    std::uint8_t flags = 0;       // kFlagInboundGateway / kFlagOutboundEndpoint
    std::uint32_t more_flags = 0; // long: 3 bytes, short: 2 bytes; written back as read
    std::uint8_t layer_encryption = kLayerEncryptionAes; // short only (byte 43)
    // Long only: carried in the record. Short records derive them (short_record_keys()).
    crypto::Key32 layer_key;
    crypto::Key32 iv_key;
    crypto::Key32 reply_key;
    crypto::AesIv reply_iv{};
    std::uint32_t request_time_minutes = 0; // minutes since the epoch, rounded down
    std::uint32_t expiration_seconds = kTunnelLifetimeSeconds;
    MessageId next_message_id;
    data::Mapping options; // at most 296 (long) / 98 (short) bytes with its size field

    HopRole role() const;

    // Errc::truncated if `in` is not exactly request_size(format) or the Mapping overruns it;
    // Errc::invalid_value for a zero tunnel id, both role flags, or a bad Mapping.
    static Result<BuildRequestRecord> parse(RecordFormat format, Bytes in);
    // Writes exactly request_size(format) bytes, padding from `rng`. Errc::too_large if the
    // options do not fit.
    Result<void> write(RecordFormat format, MutableBytes out, crypto::Rng& rng) const;
};

struct BuildReplyRecord {
    data::Mapping options; // e.g. "b" (available bandwidth, tunnel-creation-ecies.rst)
    std::uint8_t reply = kReplyAccept;

    static Result<BuildReplyRecord> parse(RecordFormat format, Bytes in);
    Result<void> write(RecordFormat format, MutableBytes out, crypto::Rng& rng) const;
};

} // namespace umbra::tunnels
