// Two transport managers in one io_context over real sockets on 127.0.0.1: handshakes both
// ways, I2NP both ways, simultaneous connects, Termination, and a listener that meets garbage,
// truncated and replayed handshakes while an established session keeps working.
#include "router/transport/manager_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;
using asio::ip::tcp;

BOOST_FIXTURE_TEST_SUITE(loopback, Fixture)

BOOST_AUTO_TEST_CASE(handshake_then_i2np_both_ways_then_termination)
{
    Node a(io, rng, log), b(io, rng, log);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    a.manager.send(b.hash(), data_message(2, 20'000)); // coalescing stops at the frame budget
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 2; }));
    BOOST_TEST((b.recorder.messages[0].first == a.hash()));
    BOOST_TEST(b.recorder.messages[1].second.payload.size() == 20'000u);
    b.manager.send(a.hash(), data_message(3)); // over the inbound session: no dial back
    BOOST_REQUIRE(run_until(io, [&] { return a.recorder.messages.size() == 1; }));
    BOOST_TEST(a.manager.stats().handshakes_ok_outbound == 1u);
    BOOST_TEST(b.manager.stats().handshakes_ok_inbound == 1u);
    BOOST_TEST(b.manager.stats().handshakes_ok_outbound == 0u);
    // Alice's RouterInfo came in message 3, Bob's in his first frame.
    BOOST_TEST(b.recorder.router_infos.size() == 1u);
    BOOST_TEST(a.recorder.router_infos.size() == 1u);

    a.manager.stop();
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.down == 1; }));
    BOOST_TEST(b.manager.stats().terminations_received == 1u);
    BOOST_TEST(b.manager.session_count() == 0u);
    // Alice's Termination counts every frame Bob sent: nothing is sent again (or dropped).
    BOOST_TEST(b.manager.stats().requeued_messages == 0u);
    BOOST_TEST(b.manager.stats().dropped_no_session == 0u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(sessions_over_ipv6_loopback)
{
    // "Published Addresses": host may be an IPv6 address. b listens on ::1 only; a dual-stack a
    // and a v6-only c dial it there, and b answers each over the session it accepted.
    auto v6_only = test_options();
    v6_only.bind_v4.clear();
    v6_only.bind_v6 = "::1";
    auto dual = test_options();
    dual.bind_v6 = "::1";
    Node a(io, rng, log, dual), b(io, rng, log, v6_only), c(io, rng, log, v6_only);
    BOOST_REQUIRE(b.manager.local_port() != 0);
    a.learn(b, rng, "::1");
    c.learn(b, rng, "::1");
    a.manager.send(b.hash(), data_message(1));
    c.manager.send(b.hash(), data_message(2));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 2; }));
    b.manager.send(a.hash(), data_message(3));
    b.manager.send(c.hash(), data_message(4));
    BOOST_REQUIRE(
        run_until(io, [&] { return a.recorder.count_id(3) == 1 && c.recorder.count_id(4) == 1; }));
    BOOST_TEST(b.manager.stats().handshakes_ok_inbound == 2u);
    BOOST_TEST(b.manager.stats().handshakes_ok_outbound == 0u); // no dial back
    // A v4-only dialler has no route to b's IPv6-only address.
    Node d(io, rng, log);
    d.learn(b, rng, "::1");
    d.manager.send(b.hash(), data_message(5));
    BOOST_TEST(d.manager.stats().dropped_no_route == 1u);
    c.manager.stop();
    d.manager.stop();
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(a_router_info_the_lookup_holds_is_not_verified_again)
{
    // b's lookup (the daemon's netdb) holds the RouterInfo a sends in message 3, byte for byte:
    // b takes it as verified. c's RouterInfo b does not hold: verified as usual.
    Node a(io, rng, log), b(io, rng, log), c(io, rng, log);
    auto a_ri = data::RouterInfo::parse(a.router.router_info);
    BOOST_REQUIRE(a_ri.has_value());
    b.known.insert_or_assign(a.hash(), std::move(*a_ri));
    a.learn(b, rng);
    c.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.count_id(1) == 1; }));
    BOOST_TEST(b.manager.router_infos_vouched() == 1u);
    c.manager.send(b.hash(), data_message(2));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.count_id(2) == 1; }));
    BOOST_TEST(b.manager.router_infos_vouched() == 1u);
    BOOST_TEST(b.manager.stats().handshakes_ok_inbound == 2u);
    c.manager.stop();
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(simultaneous_connects_leave_one_session_and_lose_no_message)
{
    Node a(io, rng, log), b(io, rng, log);
    a.learn(b, rng);
    b.learn(a, rng);
    a.manager.send(b.hash(), data_message(10));
    b.manager.send(a.hash(), data_message(20));
    BOOST_REQUIRE(run_until(io, [&] {
        return a.recorder.messages.size() == 1 && b.recorder.messages.size() == 1 &&
               a.manager.handshakes_in_progress() == 0 && b.manager.handshakes_in_progress() == 0 &&
               a.manager.session_count() == 1 && b.manager.session_count() == 1;
    }));
    run_until(
        io, [] { return false; }, Milliseconds(500)); // let a losing session finish
    BOOST_TEST(a.manager.session_count() == 1u);
    BOOST_TEST(b.manager.session_count() == 1u);
    // Then both directions use the one surviving session.
    a.manager.send(b.hash(), data_message(11));
    b.manager.send(a.hash(), data_message(21));
    BOOST_REQUIRE(run_until(
        io, [&] { return a.recorder.count_id(21) == 1 && b.recorder.count_id(11) == 1; }));
    BOOST_TEST(a.recorder.count_id(20) == 1u);
    BOOST_TEST(b.recorder.count_id(10) == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(unknown_peer_and_full_queue_are_dropped_and_counted)
{
    Ntcp2Options o = test_options();
    o.queue.max_messages = 2;
    Node a(io, rng, log, o), b(io, rng, log);
    a.manager.send(b.hash(), data_message(1)); // no RouterInfo: dropped
    BOOST_TEST(a.manager.stats().dropped_no_route == 1u);
    a.learn(b, rng);
    for (std::uint32_t i = 0; i < 5; ++i) {
        a.manager.send(b.hash(), data_message(100 + i)); // the dial is pending: queue of 2
    }
    BOOST_TEST(a.manager.stats().dropped_queue_full == 3u);
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 2; }));
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(bad_handshakes_end_quietly_and_the_session_keeps_working)
{
    Ntcp2Options o = test_options();
    o.ban.max_failures = 4;
    Node a(io, rng, log), b(io, rng, log, o);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    const std::uint16_t port = b.manager.local_port();
    const auto failures = [&] {
        return b.manager.stats().handshake_failures_total();
    };

    // A genuine SessionRequest: Bob answers with SessionCreated; we hang up before message 3.
    ntcp2::Initiator initiator(a.router.local(), b.router.remote());
    const auto request = initiator.start(SystemClock().wall(), rng);
    BOOST_TEST(run_probe(io, port, request, false, 64).received >= 64u);
    BOOST_REQUIRE(run_until(io, [&] { return failures() == 1; }));
    // The same bytes again: a replay. Nothing comes back, the connection just ends.
    BOOST_TEST(run_probe(io, port, request).received == 0u);
    BOOST_REQUIRE(run_until(io, [&] { return failures() == 2; }));
    // Garbage (fails AEAD) and a truncated SessionRequest: nothing sent back either.
    BOOST_TEST(run_probe(io, port, random_bytes(rng, 64 + 100)).received == 0u);
    BOOST_TEST(run_probe(io, port, random_bytes(rng, 30), true).received == 0u);
    BOOST_REQUIRE(run_until(io, [&] { return failures() == 4; }));
    BOOST_TEST(b.manager.stats().bans == 1u);
    // Banned now: the next connection from 127.0.0.1 is closed at once.
    BOOST_TEST(run_probe(io, port, random_bytes(rng, 64)).received == 0u);
    BOOST_TEST(b.manager.stats().refused_banned == 1u);

    // The established session is untouched, both ways.
    a.manager.send(b.hash(), data_message(2));
    b.manager.send(a.hash(), data_message(3));
    BOOST_REQUIRE(
        run_until(io, [&] { return b.recorder.count_id(2) == 1 && a.recorder.count_id(3) == 1; }));
    BOOST_TEST(b.manager.session_count() == 1u);
    BOOST_TEST(a.manager.stats().handshakes_ok_outbound == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_SUITE_END()
