// Handshake failure paths that need a peer the engines cannot play: a SessionCreated with an
// out-of-range padding length, and SessionConfirmed messages whose part 1 carries a bad static
// key or whose part 2 is not a RouterInfo block, built here from the spec's pseudo-code
// ("KDF for handshake message 2", "KDF for handshake message 3 (part 1)" and "(part 2)"); and
// RouterInfo address checks ("Published Addresses") beyond those of responder_test.cpp.
#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "crypto/aes.h"
#include "crypto/hash.h"
#include "crypto/noise.h"
#include "router/base/encoding.h"
#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_testing.h"

using namespace umbra;
using namespace umbra::ntcp2;
using namespace umbra::ntcp2::testing;

namespace {

constexpr std::string_view protocol_name = "Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256";
const SteadyTime steady0{};

const RouterPair& routers()
{
    static const RouterPair r{77};
    return r;
}

void mix_dh(crypto::SymmetricState& ss, const crypto::Key32& private_key,
            const crypto::X25519Public& peer)
{
    crypto::Key32 dh;
    BOOST_REQUIRE(crypto::x25519(private_key, peer, dh));
    ss.mix_key(dh.bytes());
}

// Alice's side written from the spec: message 1 without padding, then message 2 read.
struct CraftedAlice {
    crypto::SymmetricState ss{protocol_name};
    crypto::X25519Keypair e;
    crypto::AesIv iv{}; // CBC state after X
    std::vector<std::uint8_t> m1;
    crypto::X25519Public y{};

    CraftedAlice(const TestRouter& bob, std::uint16_t m3p2_len, crypto::Rng& rng)
        : e(crypto::X25519Keypair::generate(rng))
    {
        ss.mix_hash({});
        ss.mix_hash(bob.static_key.public_key);
        ss.mix_hash(e.public_key);
        mix_dh(ss, e.private_key, bob.static_key.public_key);
        std::array<std::uint8_t, 16> options{};
        options[0] = test_net_id;
        options[1] = 2;
        store_be16(&options[4], m3p2_len);
        store_be32(&options[8], static_cast<std::uint32_t>(test_now.seconds()));
        const auto frame = ss.encrypt_and_hash(options);
        auto x = e.public_key;
        crypto::aes256_cbc_encrypt(bob.ident_hash.span(), bob.iv, x);
        std::copy_n(x.begin() + 16, 16, iv.begin());
        m1.assign(x.begin(), x.end());
        m1.insert(m1.end(), frame.begin(), frame.end());
    }

    // "2) SessionCreated": Y, ee, the options frame, then the padding hashed.
    void read_created(const TestRouter& bob, Bytes m2)
    {
        BOOST_REQUIRE(m2.size() >= 64u);
        std::copy_n(m2.begin(), 32, y.begin());
        crypto::aes256_cbc_decrypt(bob.ident_hash.span(), iv, y);
        ss.mix_hash(y);
        mix_dh(ss, e.private_key, y);
        const auto options = ss.decrypt_and_hash(m2.subspan(32, 32));
        BOOST_REQUIRE(options.has_value());
        BOOST_REQUIRE(load_be16(&(*options)[2]) == m2.size() - 64);
        if (m2.size() > 64) {
            ss.mix_hash(m2.subspan(64));
        }
    }

    // "3) SessionConfirmed": part 1 carries `s`; part 2 is `payload` under the key of se (with
    // `static_private`), or zeros when Bob must fail before reading it.
    std::vector<std::uint8_t> confirmed(const crypto::X25519Public& s,
                                        const crypto::Key32* static_private, Bytes payload)
    {
        auto out = ss.encrypt_and_hash(s);
        if (static_private == nullptr) {
            out.resize(out.size() + payload.size() + 16);
            return out;
        }
        mix_dh(ss, *static_private, y);
        const auto part2 = ss.encrypt_and_hash(payload);
        out.insert(out.end(), part2.begin(), part2.end());
        return out;
    }
};

std::vector<std::uint8_t> router_info_block(Bytes router_info)
{
    ByteWriter w(block_header_size + 1 + router_info.size());
    write_block(w, RouterInfoBlock{false, {router_info.begin(), router_info.end()}});
    return w.take();
}

// Bob's verdict on a message 3 whose part 2 plaintext is `payload` (from Alice's static key).
Result<std::vector<std::uint8_t>> confirm_with_payload(Bytes payload)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(5);
    ReplayCache cache;
    Responder bob(r.bob.local(), cache);
    CraftedAlice alice(r.bob, static_cast<std::uint16_t>(payload.size() + 16), rng);
    const auto m2 = bob.on_read(alice.m1, test_now, steady0, rng);
    BOOST_REQUIRE(m2.has_value());
    alice.read_created(r.bob, *m2);
    const auto m3 =
        alice.confirmed(r.alice.static_key.public_key, &r.alice.static_key.private_key, payload);
    BOOST_REQUIRE(bob.wants() == m3.size());
    return bob.on_read(m3, test_now, steady0, rng);
}

// Message 2 for the Initiator's message 1, written from Bob's side of the spec, announcing
// `padding_length` bytes of padding (none follow).
std::vector<std::uint8_t> craft_created(const TestRouter& bob, Bytes m1,
                                        std::uint16_t padding_length, crypto::Rng& rng)
{
    crypto::X25519Public x;
    std::copy_n(m1.begin(), 32, x.begin());
    crypto::aes256_cbc_decrypt(bob.ident_hash.span(), bob.iv, x);
    crypto::SymmetricState ss(protocol_name);
    ss.mix_hash({});
    ss.mix_hash(bob.static_key.public_key);
    ss.mix_hash(x);
    mix_dh(ss, bob.static_key.private_key, x);
    const auto request = ss.decrypt_and_hash(m1.subspan(32, 32));
    BOOST_REQUIRE(request.has_value());
    const std::size_t padding1 = load_be16(&(*request)[2]);
    BOOST_REQUIRE(m1.size() == 64 + padding1);
    if (padding1 > 0) {
        ss.mix_hash(m1.subspan(64));
    }
    const auto y = crypto::X25519Keypair::generate(rng);
    ss.mix_hash(y.public_key);
    mix_dh(ss, y.private_key, x);
    std::array<std::uint8_t, 16> options{};
    store_be16(&options[2], padding_length);
    store_be32(&options[8], static_cast<std::uint32_t>(test_now.seconds()));
    const auto frame = ss.encrypt_and_hash(options);
    crypto::AesIv iv;
    std::copy_n(m1.begin() + 16, 16, iv.begin());
    auto y_obfuscated = y.public_key;
    crypto::aes256_cbc_encrypt(bob.ident_hash.span(), iv, y_obfuscated);
    std::vector<std::uint8_t> m2(y_obfuscated.begin(), y_obfuscated.end());
    m2.insert(m2.end(), frame.begin(), frame.end());
    return m2;
}

// The bytes of router_info_with_address(r, options) published at test_now.
std::vector<std::uint8_t> router_info_with_address(const TestRouter& r,
                                                   const AddressOptions& options, crypto::Rng& rng)
{
    const auto ri = testing::router_info_with_address(r, options, test_now, rng);
    return {ri.bytes().begin(), ri.bytes().end()};
}

// A full handshake (Initiator and Responder) where Alice sends `alice_ri`, both at `now`.
Result<std::vector<std::uint8_t>> handshake_with(const TestRouter& alice,
                                                 std::vector<std::uint8_t> alice_ri,
                                                 VerifiedRouterInfos* verified, WallTime now)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(31);
    ReplayCache cache;
    auto local = alice.local();
    local.router_info = std::move(alice_ri);
    Initiator a(local, r.bob.remote());
    Responder b(r.bob.local(), cache, verified);
    const auto m2 = feed(b, a.start(now, rng), rng, now, steady0);
    BOOST_REQUIRE(m2.has_value());
    const auto m3 = feed(a, *m2, rng, now);
    BOOST_REQUIRE(m3.has_value());
    return feed(b, *m3, rng, now, steady0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_handshake_failures)

BOOST_AUTO_TEST_CASE(crafted_session_confirmed_with_a_router_info_block_is_accepted)
{
    // The control for the tests below: the crafted messages are right when the content is.
    const auto& r = routers();
    const auto m3p2 = router_info_block(r.alice.router_info);
    BOOST_TEST(confirm_with_payload(m3p2).has_value());
}

BOOST_AUTO_TEST_CASE(responder_rejects_message_3_whose_s_is_high_bit_or_low_order)
{
    const auto& r = routers();
    auto high = r.alice.static_key.public_key;
    high[31] |= 0x80;
    crypto::X25519Public zero{}, one{};
    one[0] = 1;
    for (const auto& s : {high, zero, one}) {
        crypto::DeterministicRng rng(6);
        ReplayCache cache;
        Responder bob(r.bob.local(), cache);
        CraftedAlice alice(r.bob, 600, rng);
        const auto m2 = bob.on_read(alice.m1, test_now, steady0, rng);
        BOOST_REQUIRE(m2.has_value());
        alice.read_created(r.bob, *m2);
        const auto m3 = alice.confirmed(s, nullptr, std::vector<std::uint8_t>(600 - 16));
        BOOST_REQUIRE(bob.wants() == m3.size());
        BOOST_TEST(
            is(bob.on_read(m3, test_now, steady0, rng).error(), HandshakeErrc::bad_ephemeral_key));
        BOOST_TEST(!bob.established());
        BOOST_TEST(bob.wants() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(responder_rejects_message_3_without_a_router_info_block_first)
{
    // "3) SessionConfirmed": part 2 holds a RouterInfo block, then optional Options/Padding.
    ByteWriter padding_only(600);
    write_block(padding_only, Padding{597});
    BOOST_TEST(
        is(confirm_with_payload(padding_only.take()).error(), HandshakeErrc::bad_router_info));
    // A block whose length runs past the frame: not even blocks.
    std::vector<std::uint8_t> overrun(600, 0);
    overrun[0] = std::uint8_t(BlockType::router_info);
    store_be16(&overrun[1], 0xffff);
    BOOST_TEST(is(confirm_with_payload(overrun).error(), HandshakeErrc::bad_options));
}

BOOST_AUTO_TEST_CASE(initiator_rejects_session_created_padding_beyond_the_message_size)
{
    // "2) SessionCreated": the message is at most 65535 bytes, so padLen <= 65535 - 64.
    const auto& r = routers();
    for (const std::uint16_t padding :
         {std::uint16_t(65535 - 64), std::uint16_t(65535 - 63), std::uint16_t(65535)}) {
        crypto::DeterministicRng rng(8);
        Initiator a(r.alice.local(), r.bob.remote());
        const auto m1 = a.start(test_now, rng);
        const auto m2 = craft_created(r.bob, m1, padding, rng);
        const auto out = a.on_read(m2, test_now, rng);
        if (padding <= 65535 - 64) {
            BOOST_TEST_REQUIRE(out.has_value()); // the control: the padding is asked for next
            BOOST_TEST(a.wants() == padding);
        } else {
            BOOST_TEST(is(out.error(), HandshakeErrc::bad_options), padding);
            BOOST_TEST(a.wants() == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_router_info_whose_ntcp2_address_lacks_a_usable_s_or_v)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(9);
    const std::string s = base64_encode(r.alice.static_key.public_key);
    const std::string iv = base64_encode(r.alice.iv);
    using Options = AddressOptions;
    const Options control{{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"s", s}, {"v", "2"}};
    BOOST_TEST(
        handshake_with(r.alice, router_info_with_address(r.alice, control, rng), nullptr, test_now)
            .has_value());
    const Options cases[] = {
        {{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"v", "2"}},              // no s
        {{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"s", s}},                // no v
        {{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"s", "!!"}, {"v", "2"}}, // s not Base64
        {{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"s", s}, {"v", "3,"}},   // no 2 in v
        {{"host", "127.0.0.1"}, {"i", iv}, {"port", "1"}, {"s", s}, {"v", ""}},     // empty v
    };
    for (const auto& options : cases) {
        const auto ri = router_info_with_address(r.alice, options, rng);
        BOOST_TEST(is(handshake_with(r.alice, ri, nullptr, test_now).error(),
                      HandshakeErrc::static_key_mismatch));
    }
}

BOOST_AUTO_TEST_CASE(recorded_router_info_published_too_far_ahead_is_still_rejected)
{
    // A RouterInfo verified before skips only its signature check: its date is checked against
    // the clock of each handshake (published at most 2 min ahead, RouterInfo::validate).
    const auto& r = routers();
    VerifiedRouterInfos verified;
    verified.insert(crypto::sha256(r.alice.router_info));
    const WallTime early{test_now.ms - 10 * 60 * 1000};
    BOOST_TEST(handshake_with(r.alice, r.alice.router_info, &verified, test_now).has_value());
    BOOST_TEST(is(handshake_with(r.alice, r.alice.router_info, &verified, early).error(),
                  HandshakeErrc::bad_router_info));
    BOOST_TEST(is(handshake_with(r.alice, r.alice.router_info, nullptr, early).error(),
                  HandshakeErrc::bad_router_info)); // as without the record
}

BOOST_AUTO_TEST_CASE(a_router_info_vouched_for_by_its_exact_bytes_is_not_verified_again)
{
    // The owner (the daemon's netdb store) holds Alice's RouterInfo, verified when stored: the
    // same bytes in message 3 skip the signature check; anything else is verified as usual.
    const auto& r = routers();
    const std::vector<std::uint8_t> stored = r.alice.router_info;
    std::size_t asked = 0;
    VerifiedRouterInfos verified;
    verified.set_vouch([&](const IdentHash& router, Bytes bytes) {
        ++asked;
        return router == r.alice.ident_hash && std::ranges::equal(bytes, stored);
    });
    BOOST_TEST(handshake_with(r.alice, stored, &verified, test_now).has_value());
    BOOST_TEST(asked == 1u);
    BOOST_TEST(verified.vouched() == 1u);
    BOOST_TEST(verified.size() == 1u); // remembered: the next handshake does not ask
    BOOST_TEST(handshake_with(r.alice, stored, &verified, test_now).has_value());
    BOOST_TEST(asked == 1u);

    // A signature byte changed: not the stored bytes, so verified, and it fails.
    auto forged = stored;
    forged.back() ^= 0x01;
    BOOST_TEST(is(handshake_with(r.alice, forged, &verified, test_now).error(),
                  HandshakeErrc::bad_router_info));
    BOOST_TEST(asked == 2u);
    BOOST_TEST(verified.vouched() == 1u);

    // Vouched bytes still meet the date check of each handshake.
    VerifiedRouterInfos fresh;
    fresh.set_vouch(
        [&](const IdentHash&, Bytes bytes) { return std::ranges::equal(bytes, stored); });
    const WallTime early{test_now.ms - 10 * 60 * 1000};
    BOOST_TEST(
        is(handshake_with(r.alice, stored, &fresh, early).error(), HandshakeErrc::bad_router_info));
    BOOST_TEST(fresh.vouched() == 1u);

    // The contract: a vouch is believed (its owner must only vouch for what it verified). One
    // that vouches for the forged bytes lets them through: the signature check was skipped.
    VerifiedRouterInfos lying;
    lying.set_vouch([](const IdentHash&, Bytes) { return true; });
    BOOST_TEST(handshake_with(r.alice, forged, &lying, test_now).has_value());

    // Without a vouch nothing is vouched for.
    VerifiedRouterInfos none;
    BOOST_TEST(!none.vouched_for(r.alice.ident_hash, stored));
}

BOOST_AUTO_TEST_CASE(an_unknown_error_value_still_has_a_message)
{
    BOOST_TEST(handshake_category().message(0) == "unknown NTCP2 handshake error");
    BOOST_TEST(handshake_category().message(99) == "unknown NTCP2 handshake error");
}

BOOST_AUTO_TEST_SUITE_END()
