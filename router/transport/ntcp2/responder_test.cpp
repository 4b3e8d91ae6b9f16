// The Responder against SessionRequests built here from the spec ("KDF for handshake message 1",
// "1) SessionRequest"), so that each option field can be set to a bad value; the checks on
// Alice's RouterInfo; low-order keys on both sides; calls in the wrong state.
#include <boost/test/unit_test.hpp>

#include "crypto/aes.h"
#include "crypto/hash.h"
#include "crypto/noise.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_testing.h"

using namespace umbra;
using namespace umbra::ntcp2;
using namespace umbra::ntcp2::testing;

namespace {

const SteadyTime steady0{};

const RouterPair& routers()
{
    static const RouterPair r{21};
    return r;
}

// Options block of "1) SessionRequest", big-endian fields.
struct Options {
    std::uint8_t id = test_net_id;
    std::uint8_t ver = 2;
    std::uint16_t pad_len = 0;
    std::uint16_t m3p2_len = 600;
    std::uint32_t ts_a = static_cast<std::uint32_t>(test_now.seconds());

    std::array<std::uint8_t, 16> bytes() const
    {
        std::array<std::uint8_t, 16> b{};
        b[0] = id;
        b[1] = ver;
        b[2] = std::uint8_t(pad_len >> 8);
        b[3] = std::uint8_t(pad_len);
        b[4] = std::uint8_t(m3p2_len >> 8);
        b[5] = std::uint8_t(m3p2_len);
        for (int i = 0; i < 4; ++i) {
            b[8 + i] = std::uint8_t(ts_a >> (24 - 8 * i));
        }
        return b;
    }
};

// A SessionRequest from the spec's pseudo-code, independent of the Initiator.
std::vector<std::uint8_t> craft_request(const TestRouter& bob, const crypto::X25519Keypair& e,
                                        const Options& options)
{
    crypto::SymmetricState ss("Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256");
    ss.mix_hash({});
    ss.mix_hash(bob.static_key.public_key);
    ss.mix_hash(e.public_key);
    crypto::Key32 dh;
    BOOST_REQUIRE(crypto::x25519(e.private_key, bob.static_key.public_key, dh));
    ss.mix_key(dh.bytes());
    const auto frame = ss.encrypt_and_hash(options.bytes());
    auto x = e.public_key;
    crypto::aes256_cbc_encrypt(bob.ident_hash.span(), bob.iv, x);
    std::vector<std::uint8_t> out(x.begin(), x.end());
    out.insert(out.end(), frame.begin(), frame.end());
    return out;
}

Result<std::vector<std::uint8_t>> send_request(const Options& options, std::uint64_t seed = 1)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(seed);
    ReplayCache cache;
    Responder b(r.bob.local(), cache);
    const auto e = crypto::X25519Keypair::generate(rng);
    const auto m1 = craft_request(r.bob, e, options);
    return b.on_read(m1, test_now, steady0, rng);
}

// An X value, obfuscated as Alice would, followed by a frame of zeros.
std::vector<std::uint8_t> request_with_raw_x(const TestRouter& bob, crypto::X25519Public x)
{
    crypto::aes256_cbc_encrypt(bob.ident_hash.span(), bob.iv, x);
    std::vector<std::uint8_t> out(x.begin(), x.end());
    out.resize(64);
    return out;
}

// Low-order points of Curve25519 (RFC 7748 §6.1 "check for the all-zero value"): 0, 1, and a
// point of order 8.
const std::vector<crypto::X25519Public>& low_order_points()
{
    static const std::vector<crypto::X25519Public> points = [] {
        crypto::X25519Public zero{}, one{}, order8{};
        one[0] = 1;
        const std::uint8_t p8[32] = {0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae,
                                     0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
                                     0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd,
                                     0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00};
        std::copy(std::begin(p8), std::end(p8), order8.begin());
        return std::vector<crypto::X25519Public>{zero, one, order8};
    }();
    return points;
}

// A full handshake from an Alice whose RouterInfo is `alice_ri`; Bob's verdict on message 3.
Result<std::vector<std::uint8_t>>
handshake_with_router_info(const TestRouter& alice, std::vector<std::uint8_t> alice_ri,
                           VerifiedRouterInfos* verified = nullptr)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(31);
    ReplayCache cache;
    auto local = alice.local();
    local.router_info = std::move(alice_ri);
    Initiator a(local, r.bob.remote());
    Responder b(r.bob.local(), cache, verified);
    const auto m2 = feed(b, a.start(test_now, rng), rng, test_now, steady0);
    if (!m2) {
        return m2.error(); // Bob refused the announced message 3 size
    }
    const auto m3 = feed(a, *m2, rng, test_now);
    BOOST_REQUIRE(m3);
    return feed(b, *m3, rng, test_now, steady0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_responder)

BOOST_AUTO_TEST_CASE(answers_a_session_request_built_from_the_spec)
{
    const auto m2 = send_request(Options{});
    BOOST_TEST_REQUIRE(m2.has_value());
    BOOST_TEST(m2->size() >= 64u);
}

BOOST_AUTO_TEST_CASE(rejects_a_version_other_than_2)
{
    for (const std::uint8_t ver : {0, 1, 3, 255}) {
        Options o;
        o.ver = ver;
        BOOST_TEST(is(send_request(o).error(), HandshakeErrc::bad_version), int(ver));
    }
}

BOOST_AUTO_TEST_CASE(rejects_a_network_id_that_is_neither_ours_nor_zero)
{
    Options o;
    o.id = 2;
    BOOST_TEST(is(send_request(o).error(), HandshakeErrc::wrong_network));
    o.id = 0;
    BOOST_TEST(send_request(o).has_value());
}

BOOST_AUTO_TEST_CASE(bounds_padding_and_message_3_part_2_length)
{
    Options o;
    o.pad_len = 65535 - 64; // the largest message 1 allowed
    BOOST_TEST(send_request(o).has_value());
    o.pad_len = 65535 - 63;
    BOOST_TEST(is(send_request(o).error(), HandshakeErrc::bad_options));
    o = Options{};
    o.m3p2_len = 65487; // "part 2 max frame length is 65487"
    BOOST_TEST(send_request(o).has_value());
    o.m3p2_len = 65488;
    BOOST_TEST(is(send_request(o).error(), HandshakeErrc::bad_options));
    o.m3p2_len = 16 + 3 + 1 + 386; // cannot hold the smallest RouterInfo block
    BOOST_TEST(is(send_request(o).error(), HandshakeErrc::bad_options));
    o.m3p2_len = 16 + 3 + 1 + 387;
    BOOST_TEST(send_request(o).has_value());
}

BOOST_AUTO_TEST_CASE(asks_for_the_announced_padding_then_message_3_size)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(3);
    ReplayCache cache;
    Responder b(r.bob.local(), cache);
    Options o;
    o.pad_len = 1000;
    o.m3p2_len = 2000;
    const auto e = crypto::X25519Keypair::generate(rng);
    BOOST_TEST(b.on_read(craft_request(r.bob, e, o), test_now, steady0, rng)->empty());
    BOOST_TEST(b.wants() == 1000u);
    const std::vector<std::uint8_t> padding(1000, 0x55);
    BOOST_TEST(b.on_read(padding, test_now, steady0, rng)->size() >= 64u);
    BOOST_TEST(b.wants() == 48u + 2000u);
}

BOOST_AUTO_TEST_CASE(rejects_low_order_and_high_bit_ephemeral_keys)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(4);
    auto candidates = low_order_points();
    auto high = crypto::X25519Keypair::generate(rng).public_key;
    high[31] |= 0x80;
    candidates.push_back(high);
    for (const auto& x : candidates) {
        ReplayCache cache;
        Responder b(r.bob.local(), cache);
        const auto m1 = request_with_raw_x(r.bob, x);
        BOOST_TEST(
            is(b.on_read(m1, test_now, steady0, rng).error(), HandshakeErrc::bad_ephemeral_key));
        BOOST_TEST(cache.size() == 0u); // nothing recorded before authentication
    }
}

BOOST_AUTO_TEST_CASE(initiator_rejects_low_order_and_high_bit_y)
{
    const auto& r = routers();
    auto candidates = low_order_points();
    crypto::DeterministicRng keys(5);
    auto high = crypto::X25519Keypair::generate(keys).public_key;
    high[31] |= 0x80;
    candidates.push_back(high);
    for (const auto& y : candidates) {
        crypto::DeterministicRng rng(6);
        Initiator a(r.alice.local(), r.bob.remote());
        const auto m1 = a.start(test_now, rng);
        // Y continues the CBC chain of X ("2) SessionCreated").
        crypto::AesIv iv;
        std::copy_n(m1.begin() + 16, 16, iv.begin());
        auto obfuscated = y;
        crypto::aes256_cbc_encrypt(r.bob.ident_hash.span(), iv, obfuscated);
        std::vector<std::uint8_t> m2(obfuscated.begin(), obfuscated.end());
        m2.resize(64);
        BOOST_TEST(is(a.on_read(m2, test_now, rng).error(), HandshakeErrc::bad_ephemeral_key));
    }
}

BOOST_AUTO_TEST_CASE(initiator_refuses_an_invalid_bob_static_key)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(7);
    auto high = r.bob.static_key.public_key;
    high[31] |= 0x80;
    for (const auto& key : {low_order_points()[0], low_order_points()[2], high}) {
        auto remote = r.bob.remote();
        remote.static_key = key;
        Initiator a(r.alice.local(), remote);
        BOOST_TEST(a.start(test_now, rng).empty());
        BOOST_TEST(a.wants() == 0u);
        BOOST_TEST(!a.established());
    }
}

BOOST_AUTO_TEST_CASE(learns_a_valid_router_info)
{
    const auto& r = routers();
    BOOST_TEST(handshake_with_router_info(r.alice, r.alice.router_info).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_router_info_whose_s_is_another_key)
{
    crypto::DeterministicRng rng(40);
    RouterSpec spec;
    spec.published_s = crypto::X25519Keypair::generate(rng).public_key;
    const auto alice = make_router(rng, spec);
    BOOST_TEST(is(handshake_with_router_info(alice, alice.router_info).error(),
                  HandshakeErrc::static_key_mismatch));
}

BOOST_AUTO_TEST_CASE(rejects_router_info_without_an_ntcp2_address_of_version_2)
{
    crypto::DeterministicRng rng(41);
    RouterSpec none;
    none.with_address = false;
    RouterSpec v1;
    v1.version = "1";
    RouterSpec ssu2;
    ssu2.style = "SSU2";
    for (const auto& spec : {none, v1, ssu2}) {
        const auto alice = make_router(rng, spec);
        BOOST_TEST(is(handshake_with_router_info(alice, alice.router_info).error(),
                      HandshakeErrc::static_key_mismatch));
    }
}

BOOST_AUTO_TEST_CASE(accepts_s_in_an_ntcp_address_or_among_several_versions)
{
    crypto::DeterministicRng rng(42);
    RouterSpec ntcp;
    ntcp.style = "NTCP";
    RouterSpec versions;
    versions.version = "1,2";
    for (const auto& spec : {ntcp, versions}) {
        const auto alice = make_router(rng, spec);
        BOOST_TEST(handshake_with_router_info(alice, alice.router_info).has_value());
    }
}

BOOST_AUTO_TEST_CASE(rejects_router_info_with_a_bad_signature)
{
    const auto& r = routers();
    auto ri = r.alice.router_info;
    ri.back() ^= 0x01;
    BOOST_TEST(is(handshake_with_router_info(r.alice, ri).error(), HandshakeErrc::bad_router_info));
}

BOOST_AUTO_TEST_CASE(rejects_router_info_of_another_network)
{
    crypto::DeterministicRng rng(43);
    RouterSpec spec;
    spec.net_id = 2;
    const auto alice = make_router(rng, spec);
    BOOST_TEST(is(handshake_with_router_info(alice, alice.router_info).error(),
                  HandshakeErrc::bad_router_info));
}

BOOST_AUTO_TEST_CASE(records_a_verified_router_info_and_accepts_it_again)
{
    const auto& r = routers();
    VerifiedRouterInfos verified;
    BOOST_TEST(handshake_with_router_info(r.alice, r.alice.router_info, &verified).has_value());
    BOOST_TEST(verified.size() == 1u);
    BOOST_TEST(verified.contains(crypto::sha256(r.alice.router_info)));
    BOOST_TEST(handshake_with_router_info(r.alice, r.alice.router_info, &verified).has_value());
    BOOST_TEST(verified.size() == 1u);
}

BOOST_AUTO_TEST_CASE(records_nothing_for_a_router_info_that_fails_to_verify)
{
    const auto& r = routers();
    auto ri = r.alice.router_info;
    ri.back() ^= 0x01;
    VerifiedRouterInfos verified;
    BOOST_TEST(is(handshake_with_router_info(r.alice, ri, &verified).error(),
                  HandshakeErrc::bad_router_info));
    BOOST_TEST(verified.size() == 0u);
}

BOOST_AUTO_TEST_CASE(skips_only_the_signature_check_of_recorded_bytes)
{
    // A digest recorded as verified skips the signature check (seen here with a signature that
    // does not verify); the network id, date and static key are still checked.
    const auto& r = routers();
    auto bad_signature = r.alice.router_info;
    bad_signature.back() ^= 0x01;
    crypto::DeterministicRng rng(44);
    RouterSpec other_net;
    other_net.net_id = 2;
    const auto alice2 = make_router(rng, other_net);
    RouterSpec other_s;
    other_s.published_s = crypto::X25519Keypair::generate(rng).public_key;
    const auto alice3 = make_router(rng, other_s);

    VerifiedRouterInfos verified;
    const std::vector<const std::vector<std::uint8_t>*> recorded{
        &bad_signature, &alice2.router_info, &alice3.router_info};
    for (const auto* ri : recorded) {
        verified.insert(crypto::sha256(*ri));
    }
    BOOST_TEST(handshake_with_router_info(r.alice, bad_signature, &verified).has_value());
    BOOST_TEST(is(handshake_with_router_info(alice2, alice2.router_info, &verified).error(),
                  HandshakeErrc::bad_router_info));
    BOOST_TEST(is(handshake_with_router_info(alice3, alice3.router_info, &verified).error(),
                  HandshakeErrc::static_key_mismatch));
}

BOOST_AUTO_TEST_CASE(rejects_unparsable_or_empty_router_info)
{
    const auto& r = routers();
    auto truncated = r.alice.router_info;
    truncated.pop_back();
    BOOST_TEST(
        is(handshake_with_router_info(r.alice, truncated).error(), HandshakeErrc::bad_router_info));
    // Too short to be a RouterInfo: the m3p2len of message 1 already gives it away.
    BOOST_TEST(is(handshake_with_router_info(r.alice, {}).error(), HandshakeErrc::bad_options));
    const std::vector<std::uint8_t> junk(500, 0x01);
    BOOST_TEST(
        is(handshake_with_router_info(r.alice, junk).error(), HandshakeErrc::bad_router_info));
}

BOOST_AUTO_TEST_CASE(initiator_with_a_router_info_too_large_for_message_3_sends_nothing)
{
    crypto::DeterministicRng rng(44);
    const auto& r = routers();
    auto local = r.alice.local();
    local.router_info.assign(65'500, 0);
    Initiator a(local, r.bob.remote());
    BOOST_TEST(a.start(test_now, rng).empty());
    BOOST_TEST(a.wants() == 0u);
}

BOOST_AUTO_TEST_CASE(wrong_sizes_end_the_handshake)
{
    const auto& r = routers();
    for (const std::size_t size : {0, 1, 63, 65, 200}) {
        crypto::DeterministicRng rng(8);
        ReplayCache cache;
        Responder b(r.bob.local(), cache);
        const std::vector<std::uint8_t> data(size, 0);
        BOOST_TEST(is(b.on_read(data, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
        BOOST_TEST(b.wants() == 0u);
        Initiator a(r.alice.local(), r.bob.remote());
        (void)a.start(test_now, rng);
        BOOST_TEST(is(a.on_read(data, test_now, rng).error(), HandshakeErrc::wrong_state));
        BOOST_TEST(a.wants() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(truncated_message_3_ends_the_handshake)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(9);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto m2 = feed(b, a.start(test_now, rng), rng, test_now, steady0);
    BOOST_REQUIRE(m2);
    auto m3 = feed(a, *m2, rng, test_now);
    BOOST_REQUIRE(m3);
    m3->pop_back();
    BOOST_TEST(is(b.on_read(*m3, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
    BOOST_TEST(!b.established());
    m3->push_back(0);
    BOOST_TEST(is(b.on_read(*m3, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
}

BOOST_AUTO_TEST_CASE(calls_in_the_wrong_state_return_errors)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(10);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    const std::vector<std::uint8_t> data(64, 0);
    BOOST_TEST(is(a.on_read(data, test_now, rng).error(), HandshakeErrc::wrong_state)); // unstarted
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST(a.start(test_now, rng).empty()); // a second start sends nothing
    const auto m2 = feed(b, m1, rng, test_now, steady0);
    const auto m3 = feed(a, *m2, rng, test_now);
    BOOST_TEST_REQUIRE(feed(b, *m3, rng, test_now, steady0).has_value());
    // Established: more input is refused and the result stays available.
    BOOST_TEST(is(a.on_read(data, test_now, rng).error(), HandshakeErrc::wrong_state));
    BOOST_TEST(is(b.on_read(data, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
    BOOST_TEST(a.established());
    BOOST_TEST(b.established());
    (void)a.take_established();
    (void)b.take_established();
    BOOST_TEST(is(b.on_read(data, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
    BOOST_TEST(a.start(test_now, rng).empty());
}

BOOST_AUTO_TEST_CASE(failed_handshake_refuses_further_input)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(11);
    ReplayCache cache;
    Responder b(r.bob.local(), cache);
    const std::vector<std::uint8_t> junk(64, 0x42);
    BOOST_TEST(!b.on_read(junk, test_now, steady0, rng).has_value());
    BOOST_TEST(b.wants() == 0u);
    BOOST_TEST(is(b.on_read(junk, test_now, steady0, rng).error(), HandshakeErrc::wrong_state));
    BOOST_TEST(!b.established());
}

BOOST_AUTO_TEST_CASE(error_codes_have_a_category_and_messages)
{
    const ErrorCode ec = HandshakeErrc::replayed;
    BOOST_TEST(std::string(ec.category().name()) == "ntcp2.handshake");
    for (int e = 1; e <= static_cast<int>(HandshakeErrc::identity_mismatch); ++e) {
        BOOST_TEST(!make_error_code(static_cast<HandshakeErrc>(e)).message().empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
