// Alice's side of the NTCP2 handshake: "1) SessionRequest" out, "2) SessionCreated" in,
// "3) SessionConfirmed" out. Each state holds only what the next step needs.
#include <variant>

#include "router/base/check.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_wire.h"

namespace umbra::ntcp2 {

using namespace detail;

namespace {

struct Idle {};
// SessionRequest sent; SessionCreated's 64 fixed bytes next.
struct AwaitCreated {
    crypto::SymmetricState ss;
    crypto::X25519Keypair e;
    crypto::AesIv iv;                  // CBC state after X
    std::vector<std::uint8_t> payload; // message 3 part 2 plaintext, sized in message 1
    WallTime sent_at;
};
// SessionCreated authenticated; its padding next.
struct AwaitCreatedPadding {
    crypto::SymmetricState ss;
    crypto::X25519Public y;
    std::vector<std::uint8_t> payload;
    std::size_t padding = 0;
};
struct Done {
    Established result;
};
struct Failed {
    HandshakeErrc reason;
};
using State = std::variant<Idle, AwaitCreated, AwaitCreatedPadding, Done, Failed>;

} // namespace

struct Initiator::Impl {
    RemoteNtcp2 remote;
    const crypto::X25519Keypair* static_key;
    std::vector<std::uint8_t> router_info;
    std::uint8_t net_id;
    State state = Idle{};
    std::optional<std::int64_t> skew;
    EphemeralKeys* ephemeral = nullptr; // may be null: X is generated then

    std::vector<std::uint8_t> session_request(WallTime now, crypto::Rng& rng);
    Result<std::vector<std::uint8_t>> on_created(AwaitCreated& st, Bytes data, WallTime now);
    Result<std::vector<std::uint8_t>> session_confirmed(crypto::SymmetricState& ss,
                                                        const crypto::X25519Public& y,
                                                        Bytes padding, Bytes payload);

    ErrorCode fail(HandshakeErrc reason)
    {
        state = Failed{reason};
        return reason;
    }
};

// "1) SessionRequest" and its KDF: e, es, the options frame, padding hashed for message 2.
std::vector<std::uint8_t> Initiator::Impl::session_request(WallTime now, crypto::Rng& rng)
{
    auto payload = write_confirmed_payload(router_info, rng.uniform(sent_padding_bound), rng);
    if (!payload) {
        (void)fail(HandshakeErrc::bad_router_info); // our RouterInfo is too large to send
        return {};
    }
    auto e = ephemeral ? ephemeral->take(rng) : crypto::X25519Keypair::generate(rng);
    auto ss = initial_state(remote.static_key);
    ss.mix_hash(e.public_key);
    if (!high_bit_clear(remote.static_key) || !mix_dh(ss, e.private_key, remote.static_key)) {
        (void)fail(HandshakeErrc::bad_ephemeral_key); // Bob's published "s" is not usable
        return {};
    }
    const auto padding = random_bytes(rng.uniform(sent_padding_bound), rng);
    const RequestOptions options{
        net_id, protocol_version, static_cast<std::uint16_t>(padding.size()),
        static_cast<std::uint16_t>(payload->size() + tag_size), to_timestamp(now)};
    const auto frame = ss.encrypt_and_hash(encode(options));
    if (!padding.empty()) {
        ss.mix_hash(padding); // "KDF for handshake message 2": MixHash(padding)
    }
    crypto::AesIv iv = remote.iv;
    const auto x = obfuscate_key(remote.ident_hash, iv, e.public_key);

    ByteWriter out(x.size() + frame.size() + padding.size());
    out.bytes(x);
    out.bytes(frame);
    out.bytes(padding);
    state = AwaitCreated{std::move(ss), std::move(e), iv, std::move(*payload), now};
    return out.take();
}

// "2) SessionCreated": Y, ee, the options frame; tsB checked ("Clock Skew Guidelines").
Result<std::vector<std::uint8_t>> Initiator::Impl::on_created(AwaitCreated& st, Bytes data,
                                                              WallTime now)
{
    const auto y = deobfuscate_key(remote.ident_hash, st.iv, data.first(key_size));
    if (!high_bit_clear(y)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    st.ss.mix_hash(y);
    if (!mix_dh(st.ss, st.e.private_key, y)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    const auto options = st.ss.decrypt_and_hash(data.subspan(key_size));
    if (!options) {
        return fail(HandshakeErrc::aead_failure);
    }
    const auto created = decode_created_options(*options);
    if (created.padding_length > max_padding) {
        return fail(HandshakeErrc::bad_options);
    }
    // Bob stamped tsB about half a round trip after we sent message 1.
    skew = clock_skew(created.timestamp, st.sent_at.ms + (now.ms - st.sent_at.ms) / 2);
    if (!skew_acceptable(*skew)) {
        return fail(HandshakeErrc::clock_skew);
    }
    if (created.padding_length == 0) {
        const auto payload = std::move(st.payload); // st dies with the state
        return session_confirmed(st.ss, y, {}, payload);
    }
    state = AwaitCreatedPadding{std::move(st.ss), y, std::move(st.payload), created.padding_length};
    return std::vector<std::uint8_t>{};
}

// "3) SessionConfirmed": s (part 1, k from message 2, n = 1), se, then part 2.
Result<std::vector<std::uint8_t>> Initiator::Impl::session_confirmed(crypto::SymmetricState& ss,
                                                                     const crypto::X25519Public& y,
                                                                     Bytes padding, Bytes payload)
{
    if (!padding.empty()) {
        ss.mix_hash(padding); // "KDF for message 3 part 1": MixHash(padding)
    }
    const auto part1 = ss.encrypt_and_hash(static_key->public_key);
    // y passed the DH with e, so a zero result here is impossible; still fail closed.
    if (!mix_dh(ss, static_key->private_key, y)) {
        return fail(HandshakeErrc::bad_ephemeral_key);
    }
    const auto part2 = ss.encrypt_and_hash(payload);
    Established result{
        derive_data_phase_keys(ss.ck(), ss.h(), true), remote.ident_hash, {}, skew.value_or(0)};
    ByteWriter out(part1.size() + part2.size());
    out.bytes(part1);
    out.bytes(part2);
    state = Done{std::move(result)}; // ss belonged to the previous state: not used below
    return out.take();
}

Initiator::Initiator(const LocalNtcp2& local, RemoteNtcp2 remote, EphemeralKeys* ephemeral)
    : impl_(std::make_unique<Impl>(Impl{
          std::move(remote), local.static_key, local.router_info, local.net_id, {}, {}, ephemeral}))
{
    UMBRA_CHECK(local.static_key != nullptr);
}

Initiator::~Initiator() = default;
Initiator::Initiator(Initiator&&) noexcept = default;
Initiator& Initiator::operator=(Initiator&&) noexcept = default;

std::vector<std::uint8_t> Initiator::start(WallTime now, crypto::Rng& rng)
{
    if (!std::holds_alternative<Idle>(impl_->state)) {
        return {}; // started already: nothing more to send
    }
    return impl_->session_request(now, rng);
}

std::size_t Initiator::wants() const
{
    if (std::holds_alternative<AwaitCreated>(impl_->state)) {
        return fixed_message_size;
    }
    if (const auto* st = std::get_if<AwaitCreatedPadding>(&impl_->state)) {
        return st->padding;
    }
    return 0;
}

Result<std::vector<std::uint8_t>> Initiator::on_read(Bytes data, WallTime now, crypto::Rng& rng)
{
    (void)rng; // message 3 was prepared in start(), as its size goes in message 1
    const std::size_t expected = wants();
    if (expected == 0) {
        return make_error_code(HandshakeErrc::wrong_state); // state unchanged
    }
    if (data.size() != expected) {
        return impl_->fail(HandshakeErrc::wrong_state);
    }
    if (auto* st = std::get_if<AwaitCreated>(&impl_->state)) {
        return impl_->on_created(*st, data, now);
    }
    auto& st = std::get<AwaitCreatedPadding>(impl_->state);
    const auto payload = std::move(st.payload);
    const auto y = st.y;
    auto ss = std::move(st.ss);
    return impl_->session_confirmed(ss, y, data, payload);
}

bool Initiator::established() const
{
    return std::holds_alternative<Done>(impl_->state);
}

Established Initiator::take_established()
{
    auto* done = std::get_if<Done>(&impl_->state);
    UMBRA_CHECK(done != nullptr); // a caller bug: only after established()
    auto result = std::move(done->result);
    impl_->state = Failed{HandshakeErrc::wrong_state};
    return result;
}

std::optional<std::int64_t> Initiator::clock_skew_ms() const
{
    return impl_->skew;
}

} // namespace umbra::ntcp2
