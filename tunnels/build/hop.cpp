#include "tunnels/build/hop.h"

#include <algorithm>

#include "router/data/i2np/tunnel_build.h"
#include "tunnels/build/record_crypto.h"

namespace umbra::tunnels {

namespace {

std::optional<RecordFormat> format_of(i2np::MessageType type)
{
    switch (type) {
    case i2np::MessageType::variable_tunnel_build:
        return RecordFormat::long_ecies;
    case i2np::MessageType::short_tunnel_build:
        return RecordFormat::short_ecies;
    default:
        return std::nullopt;
    }
}

// The count byte and records, checked by the i2np parser (1-8 records, exact length).
Result<std::size_t> record_count(RecordFormat format, Bytes payload)
{
    if (format == RecordFormat::long_ecies) {
        UMBRA_TRY(auto m, i2np::VariableTunnelBuild::parse(payload));
        return m.records.size();
    }
    UMBRA_TRY(auto m, i2np::ShortTunnelBuild::parse(payload));
    return m.records.size();
}

MutableBytes record_at(std::vector<std::uint8_t>& buf, RecordFormat format, std::size_t i)
{
    return MutableBytes(buf).subspan(1 + i * record_size(format), record_size(format));
}

// The first record that starts with our truncated identity hash; `count` if none.
std::size_t find_ours(std::vector<std::uint8_t>& buf, RecordFormat format, std::size_t count,
                      const IdentHash& ident)
{
    for (std::size_t i = 0; i < count; ++i) {
        if (std::equal(ident.bytes().begin(), ident.bytes().begin() + kTruncatedHashSize,
                       record_at(buf, format, i).begin())) {
            return i;
        }
    }
    return count;
}

// Participants and the IBGW forward the build message; the OBEP sends the reply message down
// the reply tunnel ("Message Flow").
void route(HopOutput& out, RecordFormat format, i2np::MessageType type)
{
    out.message_id = out.keys.next_message_id;
    out.to = out.keys.next_ident;
    if (!out.keys.is_endpoint()) {
        out.type = type;
        return;
    }
    out.type = format == RecordFormat::long_ecies ? i2np::MessageType::variable_tunnel_build_reply
                                                  : i2np::MessageType::outbound_tunnel_build_reply;
    out.via_gateway_tunnel = out.keys.next_tunnel;
}

} // namespace

struct BuildHop::Opened {
    BuildRequestRecord request;
    RecordNoise noise;
    bool cache_full = false;
};

BuildHop::BuildHop(crypto::X25519Keypair static_keys, const IdentHash& our_ident, HopConfig config)
    : keys_(std::move(static_keys)), ident_(our_ident),
      hash_for_us_(noise_n_hash_for(keys_.public_key)), config_(config),
      replay_(config.replay_capacity,
              config.max_request_age + config.max_request_future + std::chrono::minutes(1))
{
}

Result<BuildHop::Opened> BuildHop::open(RecordFormat format, Bytes record, WallTime now)
{
    ReplayCache::Key ephemeral;
    std::copy_n(record.begin() + kTruncatedHashSize, ephemeral.size(), ephemeral.begin());
    // Before the DH: a replay costs us no X25519 operation.
    if (replay_.contains(ephemeral, now)) {
        return BuildErrc::replayed;
    }
    // "detect and reject these [malformed or ElGamal] records prior to the DH operation if
    // possible" (Implementation Notes): a public key from any X25519 implementation is below
    // 2^255, so its last byte's top bit is clear; half of all random bytes fail this.
    if (ephemeral[31] & 0x80) {
        return BuildErrc::bad_record;
    }
    std::array<std::uint8_t, kLongRequestSize> clear_buf{};
    const MutableBytes cleartext = MutableBytes(clear_buf).first(request_size(format));
    auto noise = decrypt_request(format, keys_.private_key, hash_for_us_, record, cleartext);
    if (!noise) {
        return BuildErrc::bad_record;
    }
    auto request = BuildRequestRecord::parse(format, cleartext);
    crypto::secure_wipe(clear_buf.data(), clear_buf.size());
    if (!request || request->layer_encryption != kLayerEncryptionAes) {
        return BuildErrc::bad_record;
    }
    const std::int64_t requested_ms = std::int64_t{request->request_time_minutes} * 60'000;
    if (requested_ms < now.ms - config_.max_request_age.count() ||
        requested_ms > now.ms + config_.max_request_future.count()) {
        return BuildErrc::stale;
    }
    // Only a record that decrypted enters the cache, so forged records cannot fill it.
    const auto inserted = replay_.insert(ephemeral, now);
    if (inserted == ReplayCache::Insert::duplicate) {
        return BuildErrc::replayed;
    }
    return Opened{std::move(*request), std::move(*noise), inserted == ReplayCache::Insert::full};
}

HopDecision BuildHop::decide(const BuildRequestRecord& request, bool cache_full,
                             const HopPolicy& policy) const
{
    // A full replay cache cannot vouch for the next record; "600 is the only supported
    // expiration". Both are refusals, sent as the bandwidth code the spec asks for.
    if (cache_full || request.expiration_seconds != kTunnelLifetimeSeconds) {
        return kRejectBandwidth;
    }
    return policy(request);
}

Result<HopOutput> BuildHop::handle(i2np::MessageType type, Bytes payload, WallTime now,
                                   crypto::Rng& rng, const HopPolicy& policy)
{
    const auto format = format_of(type);
    if (!format) {
        return Errc::unsupported;
    }
    UMBRA_TRY(std::size_t count, record_count(*format, payload));
    std::vector<std::uint8_t> buf(payload.begin(), payload.end());
    const std::size_t ours = find_ours(buf, *format, count, ident_);
    if (ours == count) {
        return BuildErrc::not_for_us;
    }
    UMBRA_TRY(Opened opened, open(*format, record_at(buf, *format, ours), now));
    BuildRequestRecord& request = opened.request;
    // A non-OBEP hop whose next hop is itself is a loop (or a probe): drop it.
    if (request.role() != HopRole::outbound_endpoint && request.next_ident == ident_) {
        return BuildErrc::bad_record;
    }
    HopOutput out;
    HopDecision decision = decide(request, opened.cache_full, policy);
    out.reply = decision.reply;
    crypto::Key32 reply_aead_key;
    out.keys = derive_hop_keys(*format, request, opened.noise, reply_aead_key, out.garlic);
    out.keys.accepted_ms = now.ms;

    // Our reply record replaces our request record; the others get our symmetric pass.
    std::array<std::uint8_t, kLongReplySize> reply_clear{};
    const MutableBytes reply_span = MutableBytes(reply_clear).first(reply_size(*format));
    BuildReplyRecord reply{std::move(decision.reply_options), out.reply};
    if (!reply.write(*format, reply_span, rng)) {
        reply.options = {}; // options too long for the record: reply without them
        UMBRA_TRY_VOID(reply.write(*format, reply_span, rng));
    }
    seal_reply(*format, reply_aead_key.bytes(), ours, opened.noise.h, reply_span,
               record_at(buf, *format, ours));
    ReplyCipher cipher{*format, out.keys.reply_key.clone(), out.keys.reply_iv};
    for (std::size_t i = 0; i < count; ++i) {
        if (i != ours) {
            cipher.hop_pass(i, record_at(buf, *format, i));
        }
    }

    out.payload = std::move(buf);
    route(out, *format, type);
    return out;
}

} // namespace umbra::tunnels
