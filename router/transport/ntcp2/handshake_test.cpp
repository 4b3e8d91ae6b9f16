// The Initiator and Responder against each other, in memory: the full handshake, its keys, and
// every way a tampered, replayed, mis-sized or mis-timed message must end it.
#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_testing.h"

using namespace umbra;
using namespace umbra::ntcp2;
using namespace umbra::ntcp2::testing;

namespace {

constexpr std::size_t fixed_size = 64; // messages 1 and 2 without padding
const SteadyTime steady0{};

// Built once: key generation and signing dominate the cost of a handshake.
const RouterPair& routers()
{
    static const RouterPair r{1};
    return r;
}

bool same_keys(const DirectionKeys& a, const DirectionKeys& b)
{
    return crypto::constant_time_equal(a.cipher_key.bytes(), b.cipher_key.bytes()) &&
           crypto::constant_time_equal(a.sip_key.bytes(), b.sip_key.bytes()) &&
           a.sip_iv == b.sip_iv;
}

struct Transcript {
    std::vector<std::uint8_t> m1, m2, m3;
};

// A whole handshake; each side reads its own clock.
Transcript run(Initiator& a, Responder& b, crypto::Rng& rng, WallTime alice_now = test_now,
               WallTime bob_now = test_now)
{
    Transcript t;
    t.m1 = a.start(alice_now, rng);
    auto m2 = feed(b, t.m1, rng, bob_now, steady0);
    BOOST_REQUIRE_MESSAGE(m2, m2.error().message());
    t.m2 = std::move(*m2);
    auto m3 = feed(a, t.m2, rng, alice_now);
    BOOST_REQUIRE_MESSAGE(m3, m3.error().message());
    t.m3 = std::move(*m3);
    auto end = feed(b, t.m3, rng, bob_now, steady0);
    BOOST_REQUIRE_MESSAGE(end, end.error().message());
    BOOST_TEST(end->empty());
    return t;
}

// Which side failed, and why.
struct Outcome {
    char side = '-'; // 'A' Alice, 'B' Bob, '-' nobody
    ErrorCode error;
};

// One handshake with one bit of message `which` (1, 2 or 3) flipped at `offset`.
Outcome tampered(int which, std::size_t offset, std::uint64_t seed = 5)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(seed);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    auto m1 = a.start(test_now, rng);
    if (which == 1) {
        m1.at(offset) ^= 0x01;
    }
    auto m2 = feed(b, m1, rng, test_now, steady0);
    if (!m2) {
        return {'B', m2.error()};
    }
    if (which == 2) {
        m2->at(offset) ^= 0x01;
    }
    auto m3 = feed(a, *m2, rng, test_now);
    if (!m3) {
        return {'A', m3.error()};
    }
    if (which == 3) {
        m3->at(offset) ^= 0x01;
    }
    auto end = feed(b, *m3, rng, test_now, steady0);
    if (!end) {
        return {'B', end.error()};
    }
    return {};
}

// The sizes of the seed-5 transcript, to walk every byte of it.
Transcript seed5_transcript()
{
    const auto& r = routers();
    crypto::DeterministicRng rng(5);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    return run(a, b, rng);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_handshake)

BOOST_AUTO_TEST_CASE(completes_in_memory_with_mirrored_data_phase_keys)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(2);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    BOOST_TEST(b.wants() == fixed_size);
    BOOST_TEST(a.wants() == 0u);
    const auto t = run(a, b, rng);
    BOOST_TEST_REQUIRE(a.established());
    BOOST_TEST_REQUIRE(b.established());
    BOOST_TEST(a.wants() == 0u);
    BOOST_TEST(b.wants() == 0u);
    BOOST_TEST(t.m1.size() >= fixed_size);
    BOOST_TEST(t.m2.size() >= fixed_size);
    BOOST_TEST(t.m3.size() > 48 + r.alice.router_info.size());

    const auto alice = a.take_established();
    const auto bob = b.take_established();
    BOOST_TEST(same_keys(alice.keys.send, bob.keys.receive));
    BOOST_TEST(same_keys(alice.keys.receive, bob.keys.send));
    BOOST_TEST(!same_keys(alice.keys.send, alice.keys.receive));
    BOOST_TEST((alice.peer == r.bob.ident_hash));
    BOOST_TEST((bob.peer == r.alice.ident_hash));
    BOOST_TEST(bob.peer_router_info == r.alice.router_info);
    BOOST_TEST(alice.peer_router_info.empty());
    BOOST_TEST(alice.clock_skew_ms == 0);
    BOOST_TEST(bob.clock_skew_ms == 0);
    BOOST_TEST(!a.established()); // taken once
}

BOOST_AUTO_TEST_CASE(established_keys_carry_data_phase_frames_both_ways)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(20);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    run(a, b, rng);
    DataPhase alice(a.take_established().keys);
    DataPhase bob(b.take_established().keys);
    const std::vector<std::uint8_t> hello = {254, 0, 3, 1, 2, 3}; // a padding block
    for (int i = 0; i < 3; ++i) {
        for (auto [from, to] : {std::pair{&alice, &bob}, std::pair{&bob, &alice}}) {
            const auto frame = from->seal_frame(hello);
            const auto length = to->frame_length(Bytes(frame).first(2));
            BOOST_TEST_REQUIRE(length.has_value());
            BOOST_TEST(*length == frame.size() - 2);
            const auto plaintext = to->open_frame(Bytes(frame).subspan(2));
            BOOST_TEST_REQUIRE(plaintext.has_value());
            BOOST_TEST(*plaintext == hello);
        }
    }
}

BOOST_AUTO_TEST_CASE(reports_clock_skew_as_peer_minus_ours_on_both_sides)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(3);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const WallTime bob_now{test_now.ms + 10'000}; // Bob's clock 10 s ahead
    run(a, b, rng, test_now, bob_now);
    BOOST_TEST(a.take_established().clock_skew_ms == 10'000);
    BOOST_TEST(b.take_established().clock_skew_ms == -10'000);
    BOOST_TEST(*a.clock_skew_ms() == 10'000);
    BOOST_TEST(*b.clock_skew_ms() == -10'000);
}

BOOST_AUTO_TEST_CASE(completes_with_and_without_padding_in_messages_1_and_2)
{
    const auto& r = routers();
    bool unpadded1 = false, unpadded2 = false, padded1 = false, padded2 = false;
    for (std::uint64_t seed = 100; seed < 260; ++seed) {
        crypto::DeterministicRng rng(seed);
        ReplayCache cache;
        Initiator a(r.alice.local(), r.bob.remote());
        Responder b(r.bob.local(), cache);
        const auto t = run(a, b, rng);
        BOOST_TEST_REQUIRE(b.established());
        const auto alice = a.take_established();
        BOOST_TEST(same_keys(alice.keys.send, b.take_established().keys.receive));
        (t.m1.size() == fixed_size ? unpadded1 : padded1) = true;
        (t.m2.size() == fixed_size ? unpadded2 : padded2) = true;
    }
    BOOST_TEST(unpadded1);
    BOOST_TEST(unpadded2);
    BOOST_TEST(padded1);
    BOOST_TEST(padded2);
}

BOOST_AUTO_TEST_CASE(completes_with_a_router_info_of_60_kilobytes)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(4);
    RouterSpec spec;
    spec.option_filler = 60'000;
    const auto alice = make_router(rng, spec);
    BOOST_TEST_REQUIRE(alice.router_info.size() > 60'000u);
    ReplayCache cache;
    Initiator a(alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto t = run(a, b, rng);
    BOOST_TEST(t.m3.size() > 60'000u);
    BOOST_TEST(b.take_established().peer_router_info == alice.router_info);
}

BOOST_AUTO_TEST_CASE(asks_for_exact_sizes_at_every_step)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(5);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST_REQUIRE(m1.size() > fixed_size);
    BOOST_TEST(a.wants() == fixed_size);
    BOOST_TEST(b.on_read(Bytes(m1).first(64), test_now, steady0, rng)->empty());
    BOOST_TEST(b.wants() == m1.size() - fixed_size);
    const auto m2 = b.on_read(Bytes(m1).subspan(64), test_now, steady0, rng);
    BOOST_TEST_REQUIRE(m2.has_value());
    BOOST_TEST_REQUIRE(m2->size() > fixed_size);
    BOOST_TEST(b.wants() > 48u);
    BOOST_TEST(a.on_read(Bytes(*m2).first(64), test_now, rng)->empty());
    BOOST_TEST(a.wants() == m2->size() - fixed_size);
    const auto m3 = a.on_read(Bytes(*m2).subspan(64), test_now, rng);
    BOOST_TEST_REQUIRE(m3.has_value());
    BOOST_TEST(b.wants() == m3->size()); // m3p2len from message 1 is the frame's exact size
    BOOST_TEST(b.on_read(*m3, test_now, steady0, rng)->empty());
    BOOST_TEST(b.established());
}

BOOST_AUTO_TEST_CASE(wrong_bob_static_key_fails_message_1_aead)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(6);
    ReplayCache cache;
    auto remote = r.bob.remote();
    remote.static_key = r.alice.static_key.public_key;
    Initiator a(r.alice.local(), remote);
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST(is(feed(b, m1, rng, test_now, steady0).error(), HandshakeErrc::aead_failure));
    BOOST_TEST(b.wants() == 0u);
}

BOOST_AUTO_TEST_CASE(wrong_bob_iv_fails_message_1_aead)
{
    // CBC: a wrong IV garbles only X's first block, so the MSB check passes and AEAD fails.
    const auto& r = routers();
    crypto::DeterministicRng rng(7);
    ReplayCache cache;
    auto remote = r.bob.remote();
    remote.iv[3] ^= 0x40;
    Initiator a(r.alice.local(), remote);
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST(is(feed(b, m1, rng, test_now, steady0).error(), HandshakeErrc::aead_failure));
}

BOOST_AUTO_TEST_CASE(wrong_bob_router_hash_fails_message_1)
{
    const auto& r = routers();
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        crypto::DeterministicRng rng(seed);
        ReplayCache cache;
        auto remote = r.bob.remote();
        remote.ident_hash = r.alice.ident_hash;
        Initiator a(r.alice.local(), remote);
        Responder b(r.bob.local(), cache);
        const auto m1 = a.start(test_now, rng);
        const auto error = feed(b, m1, rng, test_now, steady0).error();
        // X decrypts to noise: its MSB is set half the time, otherwise the frame fails.
        BOOST_TEST((is(error, HandshakeErrc::aead_failure) ||
                    is(error, HandshakeErrc::bad_ephemeral_key)));
    }
}

BOOST_AUTO_TEST_CASE(any_flipped_bit_in_message_1_ends_the_handshake)
{
    const auto t = seed5_transcript();
    BOOST_TEST_REQUIRE(t.m1.size() > fixed_size);
    for (std::size_t i = 0; i < t.m1.size(); ++i) {
        const auto o = tampered(1, i);
        if (i < 32) { // X
            BOOST_TEST(o.side == 'B', i);
            BOOST_TEST((is(o.error, HandshakeErrc::aead_failure) ||
                        is(o.error, HandshakeErrc::bad_ephemeral_key)),
                       i);
        } else if (i < fixed_size) { // the options frame
            BOOST_TEST(o.side == 'B', i);
            BOOST_TEST(is(o.error, HandshakeErrc::aead_failure), i);
        } else { // padding: hashed into h, so message 2 no longer authenticates for Alice
            BOOST_TEST(o.side == 'A', i);
            BOOST_TEST(is(o.error, HandshakeErrc::aead_failure), i);
        }
    }
}

BOOST_AUTO_TEST_CASE(any_flipped_bit_in_message_2_ends_the_handshake)
{
    const auto t = seed5_transcript();
    BOOST_TEST_REQUIRE(t.m2.size() > fixed_size);
    for (std::size_t i = 0; i < t.m2.size(); ++i) {
        const auto o = tampered(2, i);
        if (i < 32) { // Y
            BOOST_TEST(o.side == 'A', i);
            BOOST_TEST((is(o.error, HandshakeErrc::aead_failure) ||
                        is(o.error, HandshakeErrc::bad_ephemeral_key)),
                       i);
        } else if (i < fixed_size) {
            BOOST_TEST(o.side == 'A', i);
            BOOST_TEST(is(o.error, HandshakeErrc::aead_failure), i);
        } else { // padding: message 3 part 1 no longer authenticates for Bob
            BOOST_TEST(o.side == 'B', i);
            BOOST_TEST(is(o.error, HandshakeErrc::aead_failure), i);
        }
    }
}

BOOST_AUTO_TEST_CASE(any_flipped_bit_in_message_3_parts_1_and_2_ends_the_handshake)
{
    const auto t = seed5_transcript();
    for (std::size_t i = 0; i < t.m3.size(); ++i) {
        const auto o = tampered(3, i);
        BOOST_TEST(o.side == 'B', i);
        BOOST_TEST(is(o.error, HandshakeErrc::aead_failure), i);
    }
}

BOOST_AUTO_TEST_CASE(untampered_transcript_of_the_tamper_tests_succeeds)
{
    BOOST_TEST(tampered(0, 0).side == '-');
}

BOOST_AUTO_TEST_CASE(replayed_session_request_is_rejected)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(8);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder first(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST_REQUIRE(feed(first, m1, rng, test_now, steady0).has_value());
    Responder second(r.bob.local(), cache);
    const auto replay = feed(second, m1, rng, test_now, steady0 + std::chrono::seconds(5));
    BOOST_TEST(is(replay.error(), HandshakeErrc::replayed));
    BOOST_TEST(cache.size() == 1u);
}

BOOST_AUTO_TEST_CASE(request_replayed_after_the_cache_window_fails_on_its_timestamp)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(9);
    ReplayCache cache(16, Milliseconds(600'000));
    Initiator a(r.alice.local(), r.bob.remote());
    Responder first(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST_REQUIRE(feed(first, m1, rng, test_now, steady0).has_value());
    Responder later(r.bob.local(), cache);
    const WallTime now{test_now.ms + 600'000};
    const auto replay = feed(later, m1, rng, now, steady0 + std::chrono::milliseconds(600'000));
    BOOST_TEST(is(replay.error(), HandshakeErrc::clock_skew));
}

BOOST_AUTO_TEST_CASE(initiator_rejects_bob_clock_beyond_60_seconds_either_way)
{
    const auto& r = routers();
    for (const std::int64_t offset : {61'000, -61'000}) {
        crypto::DeterministicRng rng(10);
        ReplayCache cache;
        Initiator a(r.alice.local(), r.bob.remote());
        Responder b(r.bob.local(), cache);
        const auto m1 = a.start(test_now, rng);
        const WallTime bob_now{test_now.ms + offset};
        const auto m2 = feed(b, m1, rng, bob_now, steady0); // Bob still answers
        BOOST_TEST_REQUIRE(m2.has_value());
        BOOST_TEST(is(feed(a, *m2, rng, test_now).error(), HandshakeErrc::clock_skew));
        BOOST_TEST(*a.clock_skew_ms() == offset); // kept for the shell's clock check
        BOOST_TEST(*b.clock_skew_ms() == -offset);
        BOOST_TEST(a.wants() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(initiator_accepts_60_seconds_and_corrects_by_half_the_round_trip)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(11);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    // Bob's clock 62 s ahead, stamped 4 s after Alice sent; she reads it 8 s after sending.
    const WallTime bob_now{test_now.ms + 62'000 + 4'000};
    const auto m2 = feed(b, m1, rng, bob_now, steady0);
    BOOST_TEST_REQUIRE(m2.has_value());
    BOOST_TEST(
        is(feed(a, *m2, rng, WallTime{test_now.ms + 8'000}).error(), HandshakeErrc::clock_skew));
    BOOST_TEST(*a.clock_skew_ms() == 62'000);

    crypto::DeterministicRng rng2(12);
    ReplayCache cache2;
    Initiator a2(r.alice.local(), r.bob.remote());
    Responder b2(r.bob.local(), cache2);
    run(a2, b2, rng2, test_now, WallTime{test_now.ms + 60'000});
    BOOST_TEST(a2.established());
}

BOOST_AUTO_TEST_CASE(responder_answers_a_skewed_request_then_rejects_message_3)
{
    // Alice stamped message 1 70 s before Bob's clock (a slow Alice would, her message 2 check
    // passes with the round trip correction): Bob still sends SessionCreated ("Clock Skew
    // Guidelines") and ends the handshake once message 3 authenticated.
    const auto& r = routers();
    crypto::DeterministicRng rng(13);
    ReplayCache cache;
    Initiator a(r.alice.local(), r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(WallTime{test_now.ms - 70'000}, rng);
    const auto m2 = feed(b, m1, rng, test_now, steady0);
    BOOST_TEST_REQUIRE(m2.has_value());
    BOOST_TEST(*b.clock_skew_ms() == -70'000);
    const auto m3 = feed(a, *m2, rng, test_now);
    BOOST_TEST_REQUIRE(m3.has_value());
    BOOST_TEST(is(feed(b, *m3, rng, test_now, steady0).error(), HandshakeErrc::clock_skew));
    BOOST_TEST(!b.established());
}

BOOST_AUTO_TEST_CASE(responder_drops_requests_skewed_beyond_half_the_replay_window)
{
    const auto& r = routers();
    for (const std::int64_t offset : {301'000, -301'000}) {
        crypto::DeterministicRng rng(14);
        ReplayCache cache(16, Milliseconds(600'000));
        Initiator a(r.alice.local(), r.bob.remote());
        Responder b(r.bob.local(), cache);
        const auto m1 = a.start(WallTime{test_now.ms + offset}, rng);
        BOOST_TEST(is(feed(b, m1, rng, test_now, steady0).error(), HandshakeErrc::clock_skew));
        BOOST_TEST(*b.clock_skew_ms() == offset);
    }
}

BOOST_AUTO_TEST_CASE(responder_rejects_another_network_id)
{
    const auto& r = routers();
    crypto::DeterministicRng rng(15);
    ReplayCache cache;
    auto local = r.alice.local();
    local.net_id = 2;
    Initiator a(local, r.bob.remote());
    Responder b(r.bob.local(), cache);
    const auto m1 = a.start(test_now, rng);
    BOOST_TEST(is(feed(b, m1, rng, test_now, steady0).error(), HandshakeErrc::wrong_network));
}

BOOST_AUTO_TEST_CASE(responder_accepts_network_id_zero_of_old_routers)
{
    // ntcp2.rst "1) SessionRequest" notes: Bob disconnects "if this field is nonzero" and differs.
    const auto& r = routers();
    crypto::DeterministicRng rng(16);
    ReplayCache cache;
    auto local = r.alice.local();
    local.net_id = 0;
    Initiator a(local, r.bob.remote());
    Responder b(r.bob.local(), cache);
    run(a, b, rng);
    BOOST_TEST(b.established());
}

BOOST_AUTO_TEST_SUITE_END()
