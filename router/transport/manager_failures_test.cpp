// The transport manager's and the shell's failure paths over real sockets on 127.0.0.1:
// connections refused or ended at the caps ("DoS Mitigation"), handshake deadlines, dials that
// fail against a fake Bob, RouterInfos without a usable NTCP2 address ("Published Addresses"),
// listeners that cannot bind, messages too large for a frame, and standbys ended after grace.
#include "router/transport/raw_peer_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;

namespace {

using ntcp2::testing::AddressOptions;

// A RouterInfo of `r` with one NTCP2 address made of exactly `options`, signed now.
data::RouterInfo router_info_with(const ntcp2::testing::TestRouter& r,
                                  const AddressOptions& options, crypto::Rng& rng)
{
    return ntcp2::testing::router_info_with_address(r, options, SystemClock().wall(), rng);
}

// A manager that is not started (Node requires a listener).
struct Unstarted {
    Unstarted(asio::io_context& io, crypto::Rng& rng, Logger& log, Ntcp2Options o)
        : router(ntcp2::testing::make_router(rng)),
          manager(
              io, o, router.local(),
              [this](const IdentHash& h) {
                  const auto it = known.find(h);
                  return it == known.end() ? nullptr : &it->second;
              },
              recorder, clock, rng, log)
    {
    }
    SystemClock clock;
    Recorder recorder;
    ntcp2::testing::TestRouter router;
    std::unordered_map<IdentHash, data::RouterInfo> known;
    TransportManager manager;
};

std::uint64_t failures(const Counters& c, const std::string& reason)
{
    const auto it = c.handshake_failures.find(reason);
    return it == c.handshake_failures.end() ? 0 : it->second;
}

// a dials a fake Bob that acts as `act`; returns once a's handshake failed.
void dial_fake_bob(Fixture& f, Node& a, FakeBob act, bool& accepted)
{
    auto acceptor = std::make_shared<tcp::acceptor>(
        f.io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto bob = ntcp2::testing::make_router(f.rng);
    a.known.insert_or_assign(bob.ident_hash,
                             router_info(bob, acceptor->local_endpoint().port(), f.rng));
    asio::co_spawn(f.io, fake_bob(*acceptor, act, f.rng, accepted, bob.ident_hash),
                   [acceptor](std::exception_ptr e) {
                       if (e) {
                           std::rethrow_exception(e);
                       }
                   });
    a.manager.send(bob.ident_hash, data_message(1));
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(manager_failures, Fixture)

BOOST_AUTO_TEST_CASE(connections_beyond_the_session_cap_are_refused_at_accept)
{
    auto o = test_options();
    o.max_sessions = 1;
    Node a(io, rng, log), b(io, rng, log, o);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    BOOST_TEST(run_probe(io, b.manager.local_port(), random_bytes(rng, 64)).received == 0u);
    BOOST_TEST(b.manager.stats().refused_capacity == 1u);
    BOOST_TEST(b.manager.stats().handshake_failures_total() == 0u); // never reached a handshake
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(a_handshake_completing_beyond_the_session_cap_gets_a_termination)
{
    // Both handshakes were admitted while no session existed; the second to complete finds the
    // cap reached: Bob ends it with a Termination (reason normal) and keeps the first.
    auto o = test_options();
    o.max_sessions = 1;
    Node b(io, rng, log, o);
    const auto alice1 = ntcp2::testing::make_router(rng);
    const auto alice2 = ntcp2::testing::make_router(rng);
    tcp::socket s1(io), s2(io);
    ntcp2::Initiator i1(alice1.local(), b.router.remote()), i2(alice2.local(), b.router.remote());
    std::optional<std::vector<std::uint8_t>> m3a, m3b;
    const auto port = b.manager.local_port();
    const auto to_m3 = [&](tcp::socket& s, ntcp2::Initiator& i,
                           std::optional<std::vector<std::uint8_t>>& m3) -> asio::awaitable<void> {
        if (co_await connect_local(s, port)) {
            m3 = co_await handshake_to_message_3(s, i, rng);
        }
    };
    run_task(io, to_m3(s1, i1, m3a));
    run_task(io, to_m3(s2, i2, m3b));
    BOOST_REQUIRE(m3a && m3b);
    BOOST_TEST(b.manager.handshakes_in_progress() == 2u);
    asio::write(s1, asio::buffer(*m3a));
    BOOST_REQUIRE(run_until(io, [&] { return b.manager.session_count() == 1; }));
    asio::write(s2, asio::buffer(*m3b));
    ntcp2::DataPhase dp(i2.take_established().keys);
    PeerView view;
    run_task(io, read_frames(s2, dp, view));
    BOOST_TEST(view.closed);
    BOOST_TEST((view.termination == ntcp2::TerminationReason::normal));
    BOOST_TEST(b.manager.stats().refused_capacity == 1u);
    BOOST_TEST(b.manager.session_count() == 1u);
    BOOST_TEST(b.recorder.up == 1);
    BOOST_TEST(b.recorder.down == 0); // the refused one was never announced
    b.manager.stop();
    io.restart();
    io.run_for(std::chrono::seconds(2));
}

BOOST_AUTO_TEST_CASE(an_inbound_handshake_that_stalls_times_out_and_gets_no_answer)
{
    auto o = test_options();
    o.handshake_timeout = Milliseconds(300);
    Node a(io, rng, log), b(io, rng, log, o);
    // 10 bytes of message 1, then nothing (the connection stays open): slowloris.
    BOOST_TEST(run_probe(io, b.manager.local_port(), random_bytes(rng, 10)).received == 0u);
    BOOST_TEST(failures(b.manager.stats(), "timeout") == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(probing_resistance_may_read_nothing_and_still_sends_nothing)
{
    auto o = test_options();
    o.probe_read_max = 0; // the random read is always empty: only the random delay
    Node a(io, rng, log), b(io, rng, log, o);
    BOOST_TEST(run_probe(io, b.manager.local_port(), random_bytes(rng, 64 + 40)).received == 0u);
    BOOST_TEST(b.manager.stats().handshake_failures_total() == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(outbound_handshake_failures_are_counted_by_reason_and_retried)
{
    auto o = test_options();
    o.connect_timeout = Milliseconds(100);
    o.handshake_timeout = Milliseconds(300);
    o.dial_retry = DialRetryPolicy{1, Milliseconds(10), Milliseconds(10)}; // no retry
    Node a(io, rng, log, o), unused(io, rng, log);
    bool closed = false, garbage = false, high_key = false, silent = false;
    dial_fake_bob(*this, a, FakeBob::close, closed);
    dial_fake_bob(*this, a, FakeBob::garbage, garbage);
    dial_fake_bob(*this, a, FakeBob::high_key, high_key);
    dial_fake_bob(*this, a, FakeBob::silent, silent);
    BOOST_REQUIRE(run_until(io, [&] { return a.manager.stats().dials_given_up == 4; }));
    const Counters& c = a.manager.stats();
    BOOST_TEST(closed);
    BOOST_TEST(garbage);
    BOOST_TEST(high_key);
    BOOST_TEST(silent);
    BOOST_TEST(failures(c, "closed by peer") == 1u);
    BOOST_TEST(failures(c, make_error_code(ntcp2::HandshakeErrc::aead_failure).message()) == 1u);
    BOOST_TEST(failures(c, make_error_code(ntcp2::HandshakeErrc::bad_ephemeral_key).message()) ==
               1u);
    BOOST_TEST(failures(c, "timeout") == 1u);
    BOOST_TEST(c.dropped_no_session == 4u);
    BOOST_TEST(a.manager.handshakes_in_progress() == 0u);
    finish(io, a, unused);
}

BOOST_AUTO_TEST_CASE(stop_during_an_outbound_handshake_ends_it_as_router_shutdown)
{
    Node a(io, rng, log), unused(io, rng, log);
    bool accepted = false;
    dial_fake_bob(*this, a, FakeBob::silent, accepted);
    BOOST_REQUIRE(run_until(io, [&] { return accepted; }));
    finish(io, a, unused);
    BOOST_TEST(failures(a.manager.stats(), "router shutdown") == 1u);
    BOOST_TEST(a.manager.stats().dropped_no_session == 1u);
    BOOST_TEST(a.manager.stats().dial_retries == 0u);
}

BOOST_AUTO_TEST_CASE(router_infos_without_a_usable_ntcp2_address_are_not_dialled)
{
    Node a(io, rng, log), unused(io, rng, log);
    const auto peer = ntcp2::testing::make_router(rng);
    const std::string s = base64_encode(peer.static_key.public_key);
    const std::string iv = base64_encode(peer.iv);
    const std::string h = "127.0.0.1";
    const AddressOptions cases[] = {
        {{"i", iv}, {"port", "1"}, {"s", s}, {"v", "2"}},                       // no host
        {{"host", h}, {"i", iv}, {"s", s}, {"v", "2"}},                         // no port
        {{"host", h}, {"port", "1"}, {"s", s}, {"v", "2"}},                     // no i
        {{"host", h}, {"i", iv}, {"port", "1"}, {"v", "2"}},                    // no s
        {{"host", "router.invalid"}, {"i", iv}, {"port", "1"}, {"s", s}},       // not an IP
        {{"host", h}, {"i", iv}, {"port", "0"}, {"s", s}},                      // port 0
        {{"host", h}, {"i", iv}, {"port", "65536"}, {"s", s}},                  // too large
        {{"host", h}, {"i", iv}, {"port", "12x"}, {"s", s}},                    // not a number
        {{"host", h}, {"i", iv}, {"port", "1"}, {"s", "!!"}},                   // s not Base64
        {{"host", h}, {"i", iv}, {"port", "1"}, {"s", base64_encode(peer.iv)}}, // s of 16 bytes
        {{"host", h}, {"i", s}, {"port", "1"}, {"s", s}},                       // i of 32 bytes
        {{"host", "::1"}, {"i", iv}, {"port", "1"}, {"s", s}},                  // no IPv6 bound
    };
    std::uint64_t expected = 0;
    for (const auto& options : cases) {
        a.known.insert_or_assign(peer.ident_hash, router_info_with(peer, options, rng));
        a.manager.send(peer.ident_hash, data_message(1));
        BOOST_TEST(a.manager.stats().dropped_no_route == ++expected);
        BOOST_TEST(a.manager.handshakes_in_progress() == 0u);
    }
    // The control: the same peer with every field right is dialled.
    a.known.insert_or_assign(
        peer.ident_hash,
        router_info_with(peer, {{"host", h}, {"i", iv}, {"port", "1"}, {"s", s}}, rng));
    a.manager.send(peer.ident_hash, data_message(1));
    BOOST_TEST(a.manager.handshakes_in_progress() == 1u);
    finish(io, a, unused);
}

BOOST_AUTO_TEST_CASE(messages_to_ourselves_after_stop_or_without_lookup_are_dropped)
{
    Node a(io, rng, log), b(io, rng, log);
    a.manager.send(a.hash(), data_message(1));
    BOOST_TEST(a.manager.stats().dropped_no_route == 1u);
    {
        Recorder recorder;
        SystemClock clock;
        TransportManager no_lookup(io, test_options(), b.router.local(), {}, recorder, clock, rng,
                                   log);
        no_lookup.send(a.hash(), data_message(2));
        BOOST_TEST(no_lookup.stats().dropped_no_route == 1u);
    }
    a.learn(b, rng);
    finish(io, a, b);
    a.manager.send(b.hash(), data_message(3)); // stopped
    BOOST_TEST(a.manager.stats().dropped_no_route == 2u);
    BOOST_TEST(b.recorder.messages.empty());
}

BOOST_AUTO_TEST_CASE(listeners_that_cannot_bind_leave_start_false)
{
    Node a(io, rng, log), unused(io, rng, log);
    auto taken = test_options();
    taken.port = a.manager.local_port(); // in use by a's listener
    Unstarted busy(io, rng, log, taken);
    BOOST_TEST(!busy.manager.start());
    BOOST_TEST(busy.manager.local_port() == 0u);
    auto off = test_options();
    off.listen = false;
    Unstarted quiet(io, rng, log, off);
    BOOST_TEST(!quiet.manager.start());

    // An unparsable bind address: no listener, and outbound sockets cannot be bound either.
    auto bogus = test_options();
    bogus.bind_v4 = "not-an-address";
    bogus.dial_retry.max_attempts = 1;
    Unstarted broken(io, rng, log, bogus);
    BOOST_TEST(!broken.manager.start());
    broken.known.insert_or_assign(a.hash(), router_info(a.router, a.manager.local_port(), rng));
    broken.manager.send(a.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return broken.manager.stats().dials_given_up == 1; }));
    const auto& f = broken.manager.stats().handshake_failures;
    BOOST_TEST(f.size() == 1u);
    BOOST_TEST(f.begin()->first.rfind("bind: ", 0) == 0u);
    BOOST_TEST(a.manager.stats().handshakes_ok_inbound == 0u);
    broken.manager.stop();
    busy.manager.stop();
    quiet.manager.stop();
    finish(io, a, unused);
}

BOOST_AUTO_TEST_CASE(dials_beyond_the_session_cap_are_retried_then_given_up)
{
    auto o = test_options();
    o.max_sessions = 1;
    o.dial_retry = DialRetryPolicy{2, Milliseconds(20), Milliseconds(20)};
    Node a(io, rng, log, o), b(io, rng, log), c(io, rng, log);
    a.learn(b, rng);
    a.learn(c, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    a.manager.send(c.hash(), data_message(2)); // the cap is reached: no dial
    BOOST_REQUIRE(run_until(io, [&] { return a.manager.stats().dials_given_up == 1; }));
    BOOST_TEST(a.manager.stats().dial_retries == 1u);
    BOOST_TEST(a.manager.stats().dropped_no_session == 1u);
    BOOST_TEST(c.manager.stats().refused_capacity + c.manager.stats().handshakes_ok_inbound == 0u);
    c.manager.stop();
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(messages_too_large_for_a_frame_are_dropped_and_counted)
{
    // The largest I2NP payload in one frame beside a padding block header is
    // 65519 - 3 - 9 - 3 = 65504 bytes. It must go out even when a DateTime block is due.
    auto o = test_options();
    o.date_time_interval = Milliseconds(0); // a DateTime block would ride in every frame
    Node a(io, rng, log, o), b(io, rng, log);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));
    a.manager.send(b.hash(), data_message(2, 65'504));
    a.manager.send(b.hash(), data_message(3, 65'505));
    a.manager.send(b.hash(), data_message(4));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.count_id(4) == 1; }));
    BOOST_TEST(b.recorder.count_id(2) == 1u);
    BOOST_TEST(b.recorder.count_id(3) == 0u);
    BOOST_TEST(a.manager.stats().dropped_too_large == 1u);
    BOOST_TEST(a.manager.session_count() == 1u);
    finish(io, a, b);
}

BOOST_AUTO_TEST_CASE(the_standby_of_a_simultaneous_connect_is_ended_after_the_grace_period)
{
    auto o = test_options();
    o.duplicates.grace = Milliseconds(200);
    Node a(io, rng, log, o), b(io, rng, log, o);
    a.learn(b, rng);
    b.learn(a, rng);
    a.manager.send(b.hash(), data_message(10));
    b.manager.send(a.hash(), data_message(20));
    const auto closed = [&] {
        return a.manager.stats().duplicate_sessions_closed +
               b.manager.stats().duplicate_sessions_closed;
    };
    BOOST_REQUIRE(run_until(io, [&] {
        return a.recorder.count_id(20) == 1 && b.recorder.count_id(10) == 1 && closed() >= 1 &&
               a.manager.stats().terminations_received + b.manager.stats().terminations_received >=
                   1;
    }));
    BOOST_TEST(a.manager.session_count() == 1u);
    BOOST_TEST(b.manager.session_count() == 1u);
    a.manager.send(b.hash(), data_message(11)); // the survivor carries on
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.count_id(11) == 1; }));
    BOOST_TEST(a.manager.stats().handshakes_ok_outbound +
                   b.manager.stats().handshakes_ok_outbound ==
               2u); // no new dial
    finish(io, a, b);
}

BOOST_AUTO_TEST_SUITE_END()
