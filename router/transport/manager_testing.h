// Helpers for the loopback tests of router/transport/ (two managers in one io_context on
// 127.0.0.1): nodes, a run-until loop, raw probing clients. Test code only.
#pragma once
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

namespace umbra::transport::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// A RouterInfo of `r` that publishes host:port (127.0.0.1 unless given), signed now.
inline data::RouterInfo router_info(const ntcp2::testing::TestRouter& r, std::uint16_t port,
                                    crypto::Rng& rng, const std::string& host = "127.0.0.1")
{
    return ntcp2::testing::router_info_with_address(r,
                                                    {{"host", host},
                                                     {"i", base64_encode(r.iv)},
                                                     {"port", std::to_string(port)},
                                                     {"s", base64_encode(r.static_key.public_key)},
                                                     {"v", "2"}},
                                                    SystemClock().wall(), rng);
}

struct Recorder final : I2npHandler {
    std::vector<std::pair<IdentHash, i2np::Message>> messages;
    std::vector<IdentHash> router_infos;
    std::vector<WallTime> published;
    int up = 0;
    int down = 0;
    void on_i2np(const IdentHash& from, i2np::Message m) override
    {
        messages.emplace_back(from, std::move(m));
    }
    void on_router_info(const IdentHash& from, const data::RouterInfo& ri) override
    {
        router_infos.push_back(from);
        published.push_back(ri.published());
    }
    void on_session(const IdentHash&, Direction, bool is_up) override { ++(is_up ? up : down); }
    std::size_t count_id(std::uint32_t id) const
    {
        return std::count_if(messages.begin(), messages.end(),
                             [&](auto& m) { return m.second.id.value() == id; });
    }
};

inline i2np::Message data_message(std::uint32_t id, std::size_t size = 100)
{
    return i2np::Message{i2np::MessageType::data, MessageId(id),
                         WallTime{SystemClock().wall().ms + 60'000},
                         std::vector<std::uint8_t>(size, std::uint8_t(id))};
}

inline Ntcp2Options test_options()
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
    void learn(const Node& other, crypto::Rng& rng, const std::string& host = "127.0.0.1")
    {
        known.insert_or_assign(other.router.ident_hash,
                               router_info(other.router, other.manager.local_port(), rng, host));
    }
    const IdentHash& hash() const { return router.ident_hash; }

    SystemClock clock;
    Recorder recorder;
    ntcp2::testing::TestRouter router;
    std::unordered_map<IdentHash, data::RouterInfo> known;
    TransportManager manager;
};

// Runs io until pred() holds or `limit` passes; the test fails on timeout.
inline bool run_until(asio::io_context& io, const std::function<bool()>& pred,
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

inline asio::awaitable<void> probe(std::uint16_t port, std::vector<std::uint8_t> bytes,
                                   bool half_close, std::size_t stop_after, Probe& out)
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

inline Probe run_probe(asio::io_context& io, std::uint16_t port, std::vector<std::uint8_t> bytes,
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

inline std::vector<std::uint8_t> random_bytes(crypto::Rng& rng, std::size_t n)
{
    std::vector<std::uint8_t> b(n);
    rng.fill(b);
    return b;
}

inline void finish(asio::io_context& io, Node& a, Node& b)
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

} // namespace umbra::transport::testing
