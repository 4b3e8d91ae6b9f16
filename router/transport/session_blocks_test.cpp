// Over real sockets on 127.0.0.1: the data-phase blocks beyond I2NP (ntcp2.rst "Options",
// "DateTime", "RouterInfo"): padding within the peer's Options, a DateTime too far off ends
// the session with reason 7 and bans the address, a new RouterInfo reaches every session; and
// the manager's retries of failed on-demand dials.
#include "router/transport/manager_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;
using asio::ip::tcp;

namespace {

// The bytes `a` puts on the wire for one 1000-byte message to `b` once both first frames
// (with the Options blocks) went through.
std::uint64_t wire_bytes_of_one_message(asio::io_context& io, Node& a, Node& b, crypto::Rng& rng)
{
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] {
        return b.recorder.messages.size() == 1 && a.manager.stats().options_received == 1;
    }));
    const std::uint64_t before = a.manager.stats().bytes_sent;
    a.manager.send(b.hash(), data_message(2, 1000));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 2; }));
    return a.manager.stats().bytes_sent - before;
}

// Length field + I2NP block (3 + 9 + 1000) + padding block header + padding + tag.
constexpr std::uint64_t frame_bytes(std::uint64_t padding)
{
    return 2 + 1012 + 3 + padding + 16;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(session_blocks, Fixture)

BOOST_AUTO_TEST_CASE(pads_as_the_peers_options_block_asks)
{
    auto sender = test_options();
    sender.padding_options.tmax = 0x10; // we would send up to 100 % padding
    auto wants_full = test_options();
    wants_full.padding_options.rmin = 0x10; // the peer asks for exactly 100 %
    wants_full.padding_options.rmax = 0x10;
    auto wants_none = test_options();
    wants_none.padding_options.rmax = 0; // the peer asks for none
    {
        Node a(io, rng, log, sender), b(io, rng, log, wants_full);
        BOOST_TEST(wire_bytes_of_one_message(io, a, b, rng) == frame_bytes(1012));
        BOOST_TEST(b.manager.stats().options_received == 1u);
        finish(io, a, b);
    }
    {
        Node a(io, rng, log, sender), b(io, rng, log, wants_none);
        BOOST_TEST(wire_bytes_of_one_message(io, a, b, rng) == frame_bytes(0));
        finish(io, a, b);
    }
}

BOOST_AUTO_TEST_CASE(date_time_far_off_ends_the_session_with_reason_7_and_bans_the_address)
{
    auto o = test_options();
    o.date_time_interval = Milliseconds(0); // a DateTime block in every frame
    Node a(io, rng, log, o), b(io, rng, log);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    BOOST_TEST(b.manager.stats().date_times_received == 1u);

    b.clock.set_skew(5 * 60 * 1000); // b's clock jumps 5 minutes ahead
    a.manager.send(b.hash(), data_message(2));
    BOOST_REQUIRE(run_until(io, [&] { return a.recorder.down == 1 && b.recorder.down == 1; }));
    BOOST_TEST(b.recorder.count_id(2) == 0u); // the frame's later blocks are not acted on
    BOOST_TEST(b.manager.stats().clock_skew_terminations == 1u);
    BOOST_TEST(b.manager.stats().clock_skew_bans == 1u);
    BOOST_TEST(a.manager.stats().terminations_received == 1u);

    // The address is banned: a's next connection is refused at accept.
    a.manager.send(b.hash(), data_message(3));
    BOOST_REQUIRE(run_until(io, [&] { return b.manager.stats().refused_banned >= 1; }));
    BOOST_TEST(b.recorder.count_id(3) == 0u);
    finish(io, a, b);
}

// The ban keeps the skewed peer's connections out; it does not stop us from dialling a router
// at that address (our outbound sessions check the peer's clock in their own handshakes).
BOOST_AUTO_TEST_CASE(clock_skew_ban_refuses_inbound_connections_but_not_our_own_dials)
{
    auto o = test_options();
    o.date_time_interval = Milliseconds(0); // a DateTime block in every frame
    Node a(io, rng, log, o), b(io, rng, log);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    b.clock.set_skew(5 * 60 * 1000);
    a.manager.send(b.hash(), data_message(2));
    BOOST_REQUIRE(run_until(io, [&] { return a.recorder.down == 1 && b.recorder.down == 1; }));
    BOOST_TEST(b.manager.stats().clock_skew_bans == 1u);
    b.clock.set_skew(0); // b's clock is right again; 127.0.0.1 stays banned

    // Inbound from the banned address: closed at accept, nothing sent.
    BOOST_TEST(run_probe(io, b.manager.local_port(), random_bytes(rng, 64)).received == 0u);
    BOOST_TEST(b.manager.stats().refused_banned == 1u);
    // b's own dial to a (at the banned address) goes out and delivers.
    b.learn(a, rng);
    b.manager.send(a.hash(), data_message(4));
    BOOST_REQUIRE(run_until(io, [&] { return a.recorder.count_id(4) == 1; }));
    BOOST_TEST(b.manager.stats().handshakes_ok_outbound == 1u);
    BOOST_TEST(b.manager.stats().refused_banned == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(a_new_router_info_reaches_every_session)
{
    Node a(io, rng, log), b(io, rng, log), c(io, rng, log);
    a.learn(b, rng);
    a.learn(c, rng);
    a.manager.send(b.hash(), data_message(1)); // a dials b
    c.learn(a, rng);
    c.manager.send(a.hash(), data_message(2)); // c dials a
    BOOST_REQUIRE(run_until(
        io, [&] { return b.recorder.messages.size() == 1 && a.recorder.messages.size() == 1; }));
    const std::size_t b_before = b.recorder.published.size();
    const std::size_t c_before = c.recorder.published.size();
    const auto updated = router_info(a.router, a.manager.local_port(), rng);
    a.manager.update_router_info({updated.bytes().begin(), updated.bytes().end()});
    BOOST_REQUIRE(run_until(io, [&] {
        return b.recorder.published.size() == b_before + 1 &&
               c.recorder.published.size() == c_before + 1;
    }));
    BOOST_TEST(b.recorder.published.back().ms == updated.published().ms);
    BOOST_TEST(c.recorder.published.back().ms == updated.published().ms);
    BOOST_TEST((b.recorder.router_infos.back() == a.hash()));
    BOOST_TEST(a.manager.stats().router_infos_sent == 2u);
    a.manager.stop();
    finish(io, b, c);
}

// A 127.0.0.1 port where nothing listens (bound, then closed): dials are refused at once.
std::uint16_t closed_port(asio::io_context& io)
{
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const std::uint16_t port = acceptor.local_endpoint().port();
    acceptor.close();
    return port;
}

BOOST_AUTO_TEST_CASE(failed_dials_are_retried_then_the_queue_is_dropped_and_counted)
{
    auto o = test_options();
    o.dial_retry = DialRetryPolicy{3, Milliseconds(20), Milliseconds(1000)};
    Node a(io, rng, log, o), b(io, rng, log);
    a.known.insert_or_assign(b.hash(), router_info(b.router, closed_port(io), rng));
    a.manager.send(b.hash(), data_message(1));
    a.manager.send(b.hash(), data_message(2));
    BOOST_REQUIRE(run_until(io, [&] { return a.manager.stats().dials_given_up == 1; }));
    BOOST_TEST(a.manager.stats().dial_retries == 2u); // 3 dials in all
    BOOST_TEST(a.manager.stats().dropped_no_session == 2u);
    BOOST_TEST(a.manager.stats().handshake_failures_total() == 3u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(a_retried_dial_that_succeeds_delivers_the_queue)
{
    auto o = test_options();
    o.dial_retry = DialRetryPolicy{3, Milliseconds(200), Milliseconds(1000)};
    Node a(io, rng, log, o), b(io, rng, log);
    a.known.insert_or_assign(b.hash(), router_info(b.router, closed_port(io), rng));
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return a.manager.stats().dial_retries == 1; }));
    a.learn(b, rng); // the peer's real address, before the retry
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.count_id(1) == 1; }));
    BOOST_TEST(a.manager.stats().dials_given_up == 0u);
    BOOST_TEST(a.manager.stats().dropped_no_session == 0u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(stop_ends_a_pending_retry_and_drops_its_queue)
{
    auto o = test_options();
    o.dial_retry = DialRetryPolicy{3, Milliseconds(60'000), Milliseconds(60'000)};
    Node a(io, rng, log, o), b(io, rng, log);
    a.known.insert_or_assign(b.hash(), router_info(b.router, closed_port(io), rng));
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return a.manager.stats().dial_retries == 1; }));
    finish(io, a, b); // io.run() returns: the 60 s timer did not keep it busy
    BOOST_TEST(a.manager.stats().dropped_no_session == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
