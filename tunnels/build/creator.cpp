#include "tunnels/build/creator.h"

#include <algorithm>
#include <numeric>

#include "router/data/i2np/tunnel_build.h"

namespace umbra::tunnels {

namespace {

inline constexpr std::size_t kMinRecords = 4; // "The recommended minimum number of build records"

std::vector<std::size_t> shuffled_slots(std::size_t count, crypto::Rng& rng)
{
    std::vector<std::size_t> slots(count);
    std::iota(slots.begin(), slots.end(), 0);
    for (std::size_t i = count; i > 1; --i) { // Fisher-Yates
        std::swap(slots[i - 1], slots[rng.uniform(i)]);
    }
    return slots;
}

std::uint32_t random_nonzero(crypto::Rng& rng)
{
    std::uint32_t v = 0;
    while (v == 0) {
        v = rng.u32();
    }
    return v;
}

BuildRequestRecord request_for(const BuildPlan& plan, std::size_t i, WallTime now, crypto::Rng& rng)
{
    const std::size_t n = plan.hops.size();
    const bool last = i + 1 == n;
    BuildRequestRecord r;
    r.receive_tunnel = plan.hops[i].receive_tunnel;
    r.next_tunnel = last ? plan.reply_tunnel : plan.hops[i + 1].receive_tunnel;
    r.next_ident = last ? plan.reply_ident : plan.hops[i + 1].ident;
    if (plan.inbound && i == 0) {
        r.flags = kFlagInboundGateway;
    } else if (!plan.inbound && last) {
        r.flags = kFlagOutboundEndpoint;
    }
    r.request_time_minutes = static_cast<std::uint32_t>(now.ms / 60'000);
    r.next_message_id = last ? plan.reply_message_id : MessageId(random_nonzero(rng));
    r.options = plan.hops[i].options;
    if (plan.format == RecordFormat::long_ecies) {
        rng.fill(r.layer_key.mutable_bytes());
        rng.fill(r.iv_key.mutable_bytes());
        rng.fill(r.reply_key.mutable_bytes());
        rng.fill(r.reply_iv);
    }
    return r;
}

std::size_t type_count(RecordFormat format, bool inbound, i2np::MessageType type, Bytes payload)
{
    using T = i2np::MessageType;
    const bool long_format = format == RecordFormat::long_ecies;
    const T expected =
        inbound ? (long_format ? T::variable_tunnel_build : T::short_tunnel_build)
                : (long_format ? T::variable_tunnel_build_reply : T::outbound_tunnel_build_reply);
    if (type != expected) {
        return 0;
    }
    if (long_format) {
        auto m = i2np::VariableTunnelBuildReply::parse(payload);
        return m ? m->records.size() : 0;
    }
    auto m = i2np::OutboundTunnelBuildReply::parse(payload);
    return m ? m->records.size() : 0;
}

} // namespace

MutableBytes PendingBuild::record_at(std::vector<std::uint8_t>& buf, std::size_t slot) const
{
    return MutableBytes(buf).subspan(1 + slot * record_size(format_), record_size(format_));
}

Result<void> PendingBuild::add_hop(const BuildPlan& plan, std::size_t i, std::size_t slot,
                                   WallTime now, crypto::Rng& rng, std::vector<std::uint8_t>& buf)
{
    BuildRequestRecord request = request_for(plan, i, now, rng);
    std::array<std::uint8_t, kLongRequestSize> clear_buf{};
    const MutableBytes cleartext = MutableBytes(clear_buf).first(request_size(format_));
    UMBRA_TRY_VOID(request.write(format_, cleartext, rng));
    const auto ephemeral = crypto::X25519Keypair::generate(rng);
    const MutableBytes record = record_at(buf, slot);
    auto noise = encrypt_request(format_, plan.hops[i].ident.span().first(kTruncatedHashSize),
                                 plan.hops[i].encryption_key, ephemeral, cleartext, record);
    crypto::secure_wipe(clear_buf.data(), clear_buf.size());
    if (!noise) {
        return Errc::invalid_value;
    }
    HopState hop;
    hop.slot = slot;
    hop.h = noise->h;
    // Our copy of the hop's keys, derived exactly as the hop derives them.
    hop.keys = derive_hop_keys(format_, request, *noise, hop.reply_aead_key, garlic_);
    hop.keys.accepted_ms = now.ms;
    hop.cipher = ReplyCipher{format_, hop.keys.reply_key.clone(), hop.keys.reply_iv};
    // Undo hops i-1..1's passes, last first, so hop i sees the record as encrypted.
    for (std::size_t j = hops_.size(); j-- > 0;) {
        hops_[j].cipher.creator_undo(slot, record);
    }
    hops_.push_back(std::move(hop));
    return {};
}

void PendingBuild::add_fake(const BuildPlan& plan, std::size_t slot, bool for_us, crypto::Rng& rng,
                            std::vector<std::uint8_t>& buf)
{
    const MutableBytes record = record_at(buf, slot);
    rng.fill(record);
    if (for_us) {
        // "one fake record for the originating router, with the correct 16-byte hash prefix
        // and a real X25519 ephemeral key"
        const auto ephemeral = crypto::X25519Keypair::generate(rng);
        std::copy_n(plan.reply_ident.bytes().begin(), kTruncatedHashSize, record.begin());
        std::copy(ephemeral.public_key.begin(), ephemeral.public_key.end(),
                  record.begin() + kTruncatedHashSize);
    }
    fakes_.push_back({slot, std::vector<std::uint8_t>(record.begin(), record.end())});
}

Result<std::pair<PendingBuild, BuildRequest>> PendingBuild::create(BuildPlan plan, WallTime now,
                                                                   crypto::Rng& rng)
{
    const std::size_t n = plan.hops.size();
    const std::size_t needed = n + (plan.inbound ? 1 : 0);
    const std::size_t count = plan.record_count ? plan.record_count : std::max(kMinRecords, needed);
    if (n == 0 || count < needed || count > i2np::kMaxBuildRecords) {
        return Errc::invalid_value;
    }
    PendingBuild b;
    b.format_ = plan.format;
    b.inbound_ = plan.inbound;
    b.record_count_ = count;
    b.reply_message_id_ = plan.reply_message_id;
    b.deadline_ = WallTime{now.ms + plan.timeout.count()};
    std::vector<std::uint8_t> buf(1 + count * record_size(plan.format));
    buf[0] = static_cast<std::uint8_t>(count);
    const std::vector<std::size_t> slots = shuffled_slots(count, rng);
    for (std::size_t i = 0; i < n; ++i) {
        UMBRA_TRY_VOID(b.add_hop(plan, i, slots[i], now, rng, buf));
    }
    for (std::size_t s = n; s < count; ++s) {
        b.add_fake(plan, slots[s], plan.inbound && s == n, rng, buf);
    }
    // Fakes come back after all n passes: pre-process them through the inverse of every pass.
    for (const FakeRecord& fake : b.fakes_) {
        for (std::size_t j = n; j-- > 0;) {
            b.hops_[j].cipher.creator_undo(fake.slot, b.record_at(buf, fake.slot));
        }
    }
    BuildRequest req;
    req.type = plan.format == RecordFormat::long_ecies ? i2np::MessageType::variable_tunnel_build
                                                       : i2np::MessageType::short_tunnel_build;
    req.message_id = MessageId(random_nonzero(rng));
    req.payload = std::move(buf);
    req.first_hop = plan.hops.front().ident;
    return std::pair<PendingBuild, BuildRequest>{std::move(b), std::move(req)};
}

Result<BuildOutcome> PendingBuild::handle_reply(i2np::MessageType type, Bytes payload)
{
    if (hops_.empty() || type_count(format_, inbound_, type, payload) != record_count_) {
        return BuildErrc::unexpected;
    }
    std::vector<std::uint8_t> buf(payload.begin(), payload.end());
    for (const FakeRecord& fake : fakes_) {
        const MutableBytes got = record_at(buf, fake.slot);
        if (!std::equal(got.begin(), got.end(), fake.expected.begin(), fake.expected.end())) {
            return BuildErrc::bad_reply; // "the router must discard the tunnel"
        }
    }
    BuildOutcome out;
    std::array<std::uint8_t, kLongReplySize> clear_buf{};
    const MutableBytes cleartext = MutableBytes(clear_buf).first(reply_size(format_));
    for (std::size_t i = 0; i < hops_.size(); ++i) {
        const MutableBytes record = record_at(buf, hops_[i].slot);
        // Hop i's reply then went through the passes of hops i+1..n: undo them, last first.
        for (std::size_t j = hops_.size(); j-- > i + 1;) {
            hops_[j].cipher.creator_undo(hops_[i].slot, record);
        }
        if (!open_reply(format_, hops_[i].reply_aead_key.bytes(), hops_[i].slot, hops_[i].h, record,
                        cleartext)) {
            return BuildErrc::bad_reply;
        }
        auto reply = BuildReplyRecord::parse(format_, cleartext);
        if (!reply) {
            return BuildErrc::bad_reply;
        }
        out.replies.push_back(reply->reply);
        out.reply_options.push_back(std::move(reply->options));
    }
    out.accepted = std::all_of(out.replies.begin(), out.replies.end(),
                               [](std::uint8_t r) { return r == kReplyAccept; });
    for (HopState& hop : hops_) {
        out.hops.push_back(std::move(hop.keys));
    }
    hops_.clear(); // the keys are the caller's now; a second reply finds no build
    return out;
}

} // namespace umbra::tunnels
