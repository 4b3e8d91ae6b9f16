#include "tunnels/build/records.h"

#include <algorithm>

#include "router/base/check.h"

namespace umbra::tunnels {

namespace {

// Long records carry layer key, IV key, reply key and reply IV after the next ident.
constexpr std::size_t kLongKeysSize = 32 * 3 + 16;
// Bytes before the options Mapping ("bytes 168-x" long, "bytes 56-x" short).
constexpr std::size_t fixed_size(RecordFormat f)
{
    return f == RecordFormat::long_ecies ? 168 : 56;
}

Result<void> check_ids(const BuildRequestRecord& r)
{
    // "tunnel ID to receive messages as, nonzero", "next tunnel ID, nonzero"; "Both [flags]
    // cannot be set at once".
    if (r.receive_tunnel.value() == 0 || r.next_tunnel.value() == 0) {
        return Errc::invalid_value;
    }
    if ((r.flags & kFlagInboundGateway) && (r.flags & kFlagOutboundEndpoint)) {
        return Errc::invalid_value;
    }
    return {};
}

// Fills out[from..] with random padding after the written prefix.
void pad(MutableBytes out, std::size_t from, crypto::Rng& rng)
{
    rng.fill(out.subspan(from));
}

} // namespace

HopRole BuildRequestRecord::role() const
{
    if (flags & kFlagInboundGateway) {
        return HopRole::inbound_gateway;
    }
    if (flags & kFlagOutboundEndpoint) {
        return HopRole::outbound_endpoint;
    }
    return HopRole::participant;
}

Result<BuildRequestRecord> BuildRequestRecord::parse(RecordFormat format, Bytes in)
{
    if (in.size() != request_size(format)) {
        return Errc::truncated;
    }
    ByteReader r(in);
    BuildRequestRecord rec;
    UMBRA_TRY(std::uint32_t receive, r.u32());
    UMBRA_TRY(std::uint32_t next, r.u32());
    UMBRA_TRY(auto next_ident, r.array<32>());
    rec.receive_tunnel = TunnelId(receive);
    rec.next_tunnel = TunnelId(next);
    rec.next_ident = IdentHash(next_ident);
    if (format == RecordFormat::long_ecies) {
        UMBRA_TRY(Bytes keys, r.bytes(kLongKeysSize));
        rec.layer_key.set(keys.subspan(0, 32));
        rec.iv_key.set(keys.subspan(32, 32));
        rec.reply_key.set(keys.subspan(64, 32));
        std::copy_n(keys.begin() + 96, 16, rec.reply_iv.begin());
        UMBRA_TRY(rec.flags, r.u8());
        UMBRA_TRY(std::uint64_t more, r.uint_n(3));
        rec.more_flags = static_cast<std::uint32_t>(more);
    } else {
        UMBRA_TRY(rec.flags, r.u8());
        UMBRA_TRY(std::uint16_t more, r.u16());
        rec.more_flags = more;
        UMBRA_TRY(rec.layer_encryption, r.u8());
    }
    UMBRA_TRY(rec.request_time_minutes, r.u32());
    UMBRA_TRY(rec.expiration_seconds, r.u32());
    UMBRA_TRY(std::uint32_t msg_id, r.u32());
    rec.next_message_id = MessageId(msg_id);
    // Rest of the record: Mapping, "other data as implied by flags or options", padding. Key
    // order is not enforced: the record is not signed.
    UMBRA_TRY(rec.options, data::Mapping::parse(r, data::KeyOrder::any));
    UMBRA_TRY_VOID(check_ids(rec));
    return rec;
}

Result<void> BuildRequestRecord::write(RecordFormat format, MutableBytes out,
                                       crypto::Rng& rng) const
{
    UMBRA_CHECK(out.size() == request_size(format));
    if (fixed_size(format) + options.wire_size() > out.size()) {
        return Errc::too_large;
    }
    ByteWriter w(out.size());
    w.u32(receive_tunnel.value());
    w.u32(next_tunnel.value());
    w.bytes(next_ident.span());
    if (format == RecordFormat::long_ecies) {
        w.bytes(layer_key.bytes());
        w.bytes(iv_key.bytes());
        w.bytes(reply_key.bytes());
        w.bytes(reply_iv);
        w.u8(flags);
        w.uint_n(more_flags, 3);
    } else {
        w.u8(flags);
        w.u16(static_cast<std::uint16_t>(more_flags));
        w.u8(layer_encryption);
    }
    w.u32(request_time_minutes);
    w.u32(expiration_seconds);
    w.u32(next_message_id.value());
    options.write(w);
    std::copy(w.view().begin(), w.view().end(), out.begin());
    pad(out, w.size(), rng);
    return {};
}

Result<BuildReplyRecord> BuildReplyRecord::parse(RecordFormat format, Bytes in)
{
    if (in.size() != reply_size(format)) {
        return Errc::truncated;
    }
    // "bytes 0-x: options (Mapping) ... x-(n-2): random padding, byte n-1: reply byte".
    ByteReader r(in.first(in.size() - 1));
    BuildReplyRecord rec;
    UMBRA_TRY(rec.options, data::Mapping::parse(r, data::KeyOrder::any));
    rec.reply = in.back();
    return rec;
}

Result<void> BuildReplyRecord::write(RecordFormat format, MutableBytes out, crypto::Rng& rng) const
{
    UMBRA_CHECK(out.size() == reply_size(format));
    if (options.wire_size() > out.size() - 1) {
        return Errc::too_large;
    }
    ByteWriter w(options.wire_size());
    options.write(w);
    std::copy(w.view().begin(), w.view().end(), out.begin());
    pad(out.first(out.size() - 1), w.size(), rng);
    out.back() = reply;
    return {};
}

} // namespace umbra::tunnels
