// Two transport managers in one io_context over real sockets on 127.0.0.1: handshakes both
// ways, I2NP both ways, simultaneous connects, Termination, and a listener that meets garbage,
// truncated and replayed handshakes while an established session keeps working.
#include <chrono>
#include <functional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/handshake_testing.h"
#include "router/transport/transport_manager.h"

using namespace umbra;
using namespace umbra::transport;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// A RouterInfo of `r` that publishes 127.0.0.1:port, signed now.
data::RouterInfo router_info(const ntcp2::testing::TestRouter& r, std::uint16_t port,
                             crypto::Rng& rng)
{
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = "NTCP2";
    BOOST_REQUIRE(a.options.set("host", "127.0.0.1"));
    BOOST_REQUIRE(a.options.set("i", base64_encode(r.iv)));
    BOOST_REQUIRE(a.options.set("port", std::to_string(port)));
    BOOST_REQUIRE(a.options.set("s", base64_encode(r.static_key.public_key)));
    BOOST_REQUIRE(a.options.set("v", "2"));
    auto identity = data::RouterIdentity::from(r.keys.identity());
    auto ri =
        data::RouterInfo::create(*identity, SystemClock().wall(), {a},
                                 ntcp2::testing::router_options({}), *r.keys.signing_key(), rng);
    BOOST_REQUIRE(ri);
    return std::move(*ri);
}

struct Recorder final : I2npHandler {
    std::vector<std::pair<IdentHash, i2np::Message>> messages;
    std::vector<IdentHash> router_infos;
    int up = 0;
    int down = 0;
    void on_i2np(const IdentHash& from, i2np::Message m) override
    {
        messages.emplace_back(from, std::move(m));
    }
    void on_router_info(const IdentHash& from, const data::RouterInfo&) override
    {
        router_infos.push_back(from);
    }
    void on_session(const IdentHash&, Direction, bool is_up) override { ++(is_up ? up : down); }
    std::size_t count_id(std::uint32_t id) const
    {
        return std::count_if(messages.begin(), messages.end(),
                             [&](auto& m) { return m.second.id.value() == id; });
    }
};

i2np::Message data_message(std::uint32_t id, std::size_t size = 100)
{
    return i2np::Message{i2np::MessageType::data, MessageId(id),
                         WallTime{SystemClock().wall().ms + 60'000},
                         std::vector<std::uint8_t>(size, std::uint8_t(id))};
}

Ntcp2Options test_options()
{
    Ntcp2Options o;
    o.bind_v4 = "127.0.0.1";
    o.port = 0;
    o.handshake_timeout = Milliseconds(3000);
    o.probe_delay_max = Milliseconds(200);
    o.probe_read_max = 64;
    o.termination_timeout = Milliseconds(300);
    return o;
}

struct Node {
    Node(asio::io_context& io, crypto::Rng& rng, Logger& log, Ntcp2Options o = test_options())
        : router(ntcp2::testing::make_router(rng)),
          manager(
              io, o, router.local(), [this](const IdentHash& h) { return lookup(h); }, recorder,
              clock, rng, log)
    {
        BOOST_REQUIRE(manager.start());
    }
    const data::RouterInfo* lookup(const IdentHash& h) const
    {
        const auto it = known.find(h);
        return it == known.end() ? nullptr : &it->second;
    }
    void learn(const Node& other, crypto::Rng& rng)
    {
        known.insert_or_assign(other.router.ident_hash,
                               router_info(other.router, other.manager.local_port(), rng));
    }
    const IdentHash& hash() const { return router.ident_hash; }

    SystemClock clock;
    Recorder recorder;
    ntcp2::testing::TestRouter router;
    std::unordered_map<IdentHash, data::RouterInfo> known;
    TransportManager manager;
};

// Runs io until pred() holds or `limit` passes; the test fails on timeout.
bool run_until(asio::io_context& io, const std::function<bool()>& pred,
               Milliseconds limit = Milliseconds(10'000))
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

// A raw client: connects, sends `bytes` (then half-closes when asked), reads until the peer
// closes or `stop_after` bytes came, and records what it saw.
struct Probe {
    std::size_t received = 0;
    bool done = false;
};

asio::awaitable<void> probe(std::uint16_t port, std::vector<std::uint8_t> bytes, bool half_close,
                            std::size_t stop_after, Probe& out)
{
    tcp::socket s(co_await asio::this_coro::executor);
    auto [ec] = co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, nothrow);
    if (!ec) {
        co_await asio::async_write(s, asio::buffer(bytes), nothrow);
        if (half_close) {
            s.shutdown(tcp::socket::shutdown_send, ec);
        }
        std::array<std::uint8_t, 256> buf{};
        while (out.received < stop_after) {
            auto [rec, n] = co_await s.async_read_some(asio::buffer(buf), nothrow);
            out.received += n;
            if (rec) {
                break;
            }
        }
    }
    out.done = true;
}

Probe run_probe(asio::io_context& io, std::uint16_t port, std::vector<std::uint8_t> bytes,
                bool half_close = false, std::size_t stop_after = SIZE_MAX)
{
    Probe p;
    asio::co_spawn(io, probe(port, std::move(bytes), half_close, stop_after, p),
                   [](std::exception_ptr e) {
                       if (e) {
                           std::rethrow_exception(e);
                       }
                   });
    BOOST_TEST(run_until(
        io, [&] { return p.done; }, Milliseconds(5000)));
    return p;
}

std::vector<std::uint8_t> random_bytes(crypto::Rng& rng, std::size_t n)
{
    std::vector<std::uint8_t> b(n);
    rng.fill(b);
    return b;
}

void finish(asio::io_context& io, Node& a, Node& b)
{
    a.manager.stop();
    b.manager.stop();
    io.restart();
    io.run_for(std::chrono::seconds(5));
    BOOST_TEST(io.stopped()); // every coroutine ended
}

struct Fixture {
    Fixture() { log.set_level(LogLevel::none); }
    asio::io_context io{1};
    crypto::OsRng rng;
    Logger log;
};

} // namespace

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
