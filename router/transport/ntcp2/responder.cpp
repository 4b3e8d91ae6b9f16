// Bob's side of the NTCP2 handshake: "1) SessionRequest" in, "2) SessionCreated" out,
// "3) SessionConfirmed" in. Each state holds only what the next step needs.
//
// Clock skew ("Clock Skew Guidelines"): Bob "should reply with a Session Created even if the
// maximum skew is exceeded" so that Alice learns his time, and then judges the skew again,
// corrected by half the round trip, once message 3 arrives. Replies to skewed requests are
// bounded by half the replay cache's window: a request replayed after its key left the cache
// is then always further off than that bound and is dropped without a reply.
#include <variant>

#include "router/base/check.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_wire.h"

namespace umbra::ntcp2 {

using namespace detail;

namespace {

// Nothing read yet; 64 bytes next.
struct AwaitRequest {};
// SessionRequest authenticated; its padding next.
struct AwaitRequestPadding {
    crypto::SymmetricState ss;
    crypto::X25519Public x;
    crypto::AesIv iv; // CBC state after X, for Y
    RequestOptions options;
    WallTime received_at;
};
// SessionCreated sent; both parts of SessionConfirmed next.
struct AwaitConfirmed {
    crypto::SymmetricState ss;
    crypto::X25519Keypair y;
    std::size_t m3p2_length = 0;
    std::uint32_t ts_a = 0;
    WallTime received_at; // of message 1
};
struct Done {
    Established result;
};
struct Failed {
    HandshakeErrc reason;
};
using State = std::variant<AwaitRequest, AwaitRequestPadding, AwaitConfirmed, Done, Failed>;

} // namespace

struct Responder::Impl {
    IdentHash ident_hash;
    const crypto::X25519Keypair* static_key;
    crypto::AesIv iv;
    std::uint8_t net_id;
    ReplayCache* replay;
    VerifiedRouterInfos* verified; // may be null
    EphemeralKeys* ephemeral;      // may be null: Y is generated then
    State state = AwaitRequest{};
    std::optional<std::int64_t> skew;

    Result<std::vector<std::uint8_t>> on_request(Bytes data, WallTime now, SteadyTime steady,
                                                 crypto::Rng& rng);
    Result<void> check_request(const RequestOptions& options, WallTime now);
    std::vector<std::uint8_t> session_created(AwaitRequestPadding& st, Bytes padding,
                                              crypto::Rng& rng);
    Result<std::vector<std::uint8_t>> on_confirmed(AwaitConfirmed& st, Bytes data, WallTime now);

    ErrorCode fail(HandshakeErrc reason)
    {
        state = Failed{reason};
        return reason;
    }
};

// "1) SessionRequest": X (MSB check, DH), the options frame, then the replay cache, which only
// records keys that authenticated (so junk cannot push real entries out).
Result<std::vector<std::uint8_t>> Responder::Impl::on_request(Bytes data, WallTime now,
                                                              SteadyTime steady, crypto::Rng& rng)
{
    crypto::AesIv cbc = iv;
    const auto x = deobfuscate_key(ident_hash, cbc, data.first(key_size));
    if (!high_bit_clear(x)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    auto ss = initial_state(static_key->public_key);
    ss.mix_hash(x);
    if (!mix_dh(ss, static_key->private_key, x)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    const auto plaintext = ss.decrypt_and_hash(data.subspan(key_size));
    if (!plaintext) {
        return fail(HandshakeErrc::aead_failure);
    }
    if (!replay->check_and_insert(x, steady)) {
        return fail(HandshakeErrc::replayed);
    }
    const auto options = decode_request_options(*plaintext);
    if (auto ok = check_request(options, now); !ok) {
        return fail(handshake_errc(ok.error()));
    }
    AwaitRequestPadding next{std::move(ss), x, cbc, options, now};
    if (options.padding_length == 0) {
        return session_created(next, {}, rng);
    }
    state = std::move(next);
    return std::vector<std::uint8_t>{};
}

Result<void> Responder::Impl::check_request(const RequestOptions& options, WallTime now)
{
    // "If this field is nonzero, and does not match Bob's network ID, Bob should disconnect"
    // (proposal 147: routers before 0.9.42 send 0).
    if (options.net_id != 0 && options.net_id != net_id) {
        return HandshakeErrc::wrong_network;
    }
    if (options.version != protocol_version) {
        return HandshakeErrc::bad_version;
    }
    if (options.padding_length > max_padding || options.m3p2_length < min_m3p2_size ||
        options.m3p2_length > max_m3p2_size) {
        return HandshakeErrc::bad_options;
    }
    skew = clock_skew(options.timestamp, now.ms);
    const std::int64_t reply_bound = replay->window().count() / 2;
    if (*skew < -reply_bound || *skew > reply_bound) {
        return HandshakeErrc::clock_skew;
    }
    return {};
}

// "2) SessionCreated": padding 1 hashed, e (Y), ee, the options frame, padding 2 hashed for
// message 3; Y obfuscated with the CBC state left by X.
std::vector<std::uint8_t> Responder::Impl::session_created(AwaitRequestPadding& st, Bytes padding,
                                                           crypto::Rng& rng)
{
    auto ss = std::move(st.ss);
    if (!padding.empty()) {
        ss.mix_hash(padding);
    }
    auto y = ephemeral ? ephemeral->take(rng) : crypto::X25519Keypair::generate(rng);
    ss.mix_hash(y.public_key);
    // x passed the DH with our static key, so it is not of low order: ee cannot be zero.
    const bool ee_ok = mix_dh(ss, y.private_key, st.x);
    UMBRA_CHECK(ee_ok);
    const auto padding2 = random_bytes(rng.uniform(sent_padding_bound), rng);
    const CreatedOptions options{static_cast<std::uint16_t>(padding2.size()),
                                 to_timestamp(st.received_at)};
    const auto frame = ss.encrypt_and_hash(encode(options));
    if (!padding2.empty()) {
        ss.mix_hash(padding2);
    }
    const auto y_obfuscated = obfuscate_key(ident_hash, st.iv, y.public_key);

    ByteWriter out(y_obfuscated.size() + frame.size() + padding2.size());
    out.bytes(y_obfuscated);
    out.bytes(frame);
    out.bytes(padding2);
    state = AwaitConfirmed{std::move(ss), std::move(y), st.options.m3p2_length,
                           st.options.timestamp, st.received_at}; // built before st dies
    return out.take();
}

// "3) SessionConfirmed": part 1 (s), se, part 2 (blocks), skew corrected by half the round trip,
// then Alice's RouterInfo and its "s".
Result<std::vector<std::uint8_t>> Responder::Impl::on_confirmed(AwaitConfirmed& st, Bytes data,
                                                                WallTime now)
{
    const auto s_bytes = st.ss.decrypt_and_hash(data.first(message3_part1_size));
    if (!s_bytes) {
        return fail(HandshakeErrc::aead_failure);
    }
    crypto::X25519Public s;
    std::copy(s_bytes->begin(), s_bytes->end(), s.begin());
    if (!high_bit_clear(s) || !mix_dh(st.ss, st.y.private_key, s)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    const auto payload = st.ss.decrypt_and_hash(data.subspan(message3_part1_size));
    if (!payload) {
        return fail(HandshakeErrc::aead_failure);
    }
    const std::int64_t half_rtt = (now.ms - st.received_at.ms) / 2;
    skew = clock_skew(st.ts_a, st.received_at.ms - half_rtt);
    if (!skew_acceptable(*skew)) {
        return fail(HandshakeErrc::clock_skew);
    }
    auto router_info = parse_confirmed_payload(*payload);
    if (!router_info) {
        return fail(handshake_errc(router_info.error()));
    }
    auto ri = check_router_info(*router_info, s, net_id, now, verified);
    if (!ri) {
        return fail(handshake_errc(ri.error()));
    }
    Established result{derive_data_phase_keys(st.ss.ck(), st.ss.h(), false), ri->ident_hash(),
                       std::vector<std::uint8_t>(ri->bytes().begin(), ri->bytes().end()), *skew};
    state = Done{std::move(result)};
    return std::vector<std::uint8_t>{};
}

Responder::Responder(const LocalNtcp2& local, ReplayCache& replay, VerifiedRouterInfos* verified,
                     EphemeralKeys* ephemeral)
    : impl_(std::make_unique<Impl>(Impl{local.ident_hash,
                                        local.static_key,
                                        local.iv,
                                        local.net_id,
                                        &replay,
                                        verified,
                                        ephemeral,
                                        {},
                                        {}}))
{
    UMBRA_CHECK(local.static_key != nullptr);
}

Responder::~Responder() = default;
Responder::Responder(Responder&&) noexcept = default;
Responder& Responder::operator=(Responder&&) noexcept = default;

std::size_t Responder::wants() const
{
    return std::visit(
        [](const auto& st) -> std::size_t {
            using T = std::decay_t<decltype(st)>;
            if constexpr (std::is_same_v<T, AwaitRequest>) {
                return fixed_message_size;
            } else if constexpr (std::is_same_v<T, AwaitRequestPadding>) {
                return st.options.padding_length;
            } else if constexpr (std::is_same_v<T, AwaitConfirmed>) {
                return message3_part1_size + st.m3p2_length;
            } else {
                return 0;
            }
        },
        impl_->state);
}

Result<std::vector<std::uint8_t>> Responder::on_read(Bytes data, WallTime now, SteadyTime steady,
                                                     crypto::Rng& rng)
{
    const std::size_t expected = wants();
    if (expected == 0) {
        return make_error_code(HandshakeErrc::wrong_state); // state unchanged
    }
    if (data.size() != expected) {
        return impl_->fail(HandshakeErrc::wrong_state);
    }
    if (std::holds_alternative<AwaitRequest>(impl_->state)) {
        return impl_->on_request(data, now, steady, rng);
    }
    if (auto* st = std::get_if<AwaitRequestPadding>(&impl_->state)) {
        return impl_->session_created(*st, data, rng);
    }
    return impl_->on_confirmed(std::get<AwaitConfirmed>(impl_->state), data, now);
}

bool Responder::established() const
{
    return std::holds_alternative<Done>(impl_->state);
}

Established Responder::take_established()
{
    auto* done = std::get_if<Done>(&impl_->state);
    UMBRA_CHECK(done != nullptr); // a caller bug: only after established()
    auto result = std::move(done->result);
    impl_->state = Failed{HandshakeErrc::wrong_state};
    return result;
}

std::optional<std::int64_t> Responder::clock_skew_ms() const
{
    return impl_->skew;
}

} // namespace umbra::ntcp2
