// Bad input soak over real sockets on 127.0.0.1 (issue 3, "Bad input"): hundreds of connections
// send random, truncated, oversized and replayed SessionRequests, and authenticated peers send
// bad frames (garbage, a tampered tag, a replayed frame), at a listening TransportManager while
// one good session keeps exchanging messages. Every bad connection must be closed, nothing
// must be sent to an unauthenticated peer, the counters must show it, the good session must
// keep working both ways, and the resident set must stay bounded. Bounded in count and time.
#include <fstream>

#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/raw_peer_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;

namespace {

enum class Kind { random, truncated, oversized, replayed, bad_frame, bad_tag, replayed_frame };
constexpr Kind kinds[] = {Kind::random,    Kind::truncated, Kind::oversized,     Kind::replayed,
                          Kind::bad_frame, Kind::bad_tag,   Kind::replayed_frame};

bool authenticated(Kind k)
{
    return k == Kind::bad_frame || k == Kind::bad_tag || k == Kind::replayed_frame;
}

struct Outcome {
    bool done = false;
    bool closed = false;       // the server ended the connection
    std::size_t received = 0;  // bytes the server sent (pre-auth: must stay 0)
    bool handshake_ok = false; // authenticated kinds: the handshake completed
};

// The resident set may grow by this much over the soak. Under AddressSanitizer freed memory
// sits in its quarantine (256 MiB by default) instead of being reused, so the bound is that
// quarantine plus the same 32 MiB.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t rss_growth_bound = (256 + 32) * std::size_t{1024 * 1024};
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr std::size_t rss_growth_bound = (256 + 32) * std::size_t{1024 * 1024};
#else
constexpr std::size_t rss_growth_bound = 32 * std::size_t{1024 * 1024};
#endif
#else
constexpr std::size_t rss_growth_bound = 32 * std::size_t{1024 * 1024};
#endif

std::size_t resident_pages()
{
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident;
}

// Reads until the server closes, at most 5 s (the listener's probe delay is 200 ms).
asio::awaitable<void> drain(tcp::socket& s, Outcome& out)
{
    asio::steady_timer deadline(s.get_executor(), std::chrono::seconds(5));
    deadline.async_wait([&](auto ec) {
        if (!ec) {
            s.close();
        }
    });
    std::array<std::uint8_t, 4096> buf{};
    for (;;) {
        auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), nothrow);
        out.received += n;
        if (ec) {
            out.closed = ec != asio::error::operation_aborted;
            break;
        }
    }
    deadline.cancel();
}

// Alice's side of a real handshake with `bob` over `s`; the data-phase keys when it completed.
asio::awaitable<std::optional<ntcp2::DataPhase>> handshake(tcp::socket& s,
                                                           const ntcp2::testing::TestRouter& alice,
                                                           const ntcp2::testing::TestRouter& bob,
                                                           crypto::Rng& rng)
{
    ntcp2::Initiator init(alice.local(), bob.remote());
    const auto m3 = co_await handshake_to_message_3(s, init, rng);
    if (!m3) {
        co_return std::nullopt;
    }
    co_await asio::async_write(s, asio::buffer(*m3), nothrow);
    co_return ntcp2::DataPhase(init.take_established().keys);
}

std::vector<std::uint8_t> bad_frames(Kind kind, ntcp2::DataPhase& dp, crypto::Rng& rng)
{
    if (kind == Kind::bad_frame) {
        return random_bytes(rng, 2 + rng.uniform(600));
    }
    auto frame = dp.seal_frame(random_bytes(rng, 3 + rng.uniform(200)));
    if (kind == Kind::bad_tag) {
        frame.back() ^= 0x01;
        return frame;
    }
    frame.insert(frame.end(), frame.begin(), frame.end()); // the same frame twice
    return frame;
}

asio::awaitable<void> bad_client(std::uint16_t port, Kind kind, Bytes replay,
                                 const ntcp2::testing::TestRouter& bob, crypto::Rng& rng,
                                 Outcome& out)
{
    tcp::socket s(co_await asio::this_coro::executor);
    auto [ec] = co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, nothrow);
    if (!ec) {
        std::vector<std::uint8_t> bytes;
        if (authenticated(kind)) {
            const auto alice = ntcp2::testing::make_router(rng);
            auto dp = co_await handshake(s, alice, bob, rng);
            out.handshake_ok = dp.has_value();
            if (dp) {
                bytes = bad_frames(kind, *dp, rng);
            }
        } else if (kind == Kind::random) {
            bytes = random_bytes(rng, rng.uniform(2000));
        } else if (kind == Kind::truncated) {
            bytes.assign(replay.begin(), replay.begin() + rng.uniform(replay.size()));
        } else if (kind == Kind::oversized) {
            bytes = random_bytes(rng, 70'000);
        } else {
            bytes.assign(replay.begin(), replay.end());
        }
        co_await asio::async_write(s, asio::buffer(bytes), nothrow);
        if (!authenticated(kind)) {
            s.shutdown(tcp::socket::shutdown_send, ec); // nothing more: a truncated handshake
        }
        const std::size_t before = out.received;
        co_await drain(s, out);
        if (authenticated(kind)) {
            out.received = before; // Bob's data phase frames are expected here
        }
    }
    out.done = true;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(soak, Fixture)

BOOST_AUTO_TEST_CASE(bad_connections_end_while_a_good_session_keeps_working)
{
    constexpr std::size_t waves = 8;
    constexpr std::size_t per_wave = 28; // 4 of each kind, under the 64 handshakes cap
    auto o = test_options();
    o.ban.max_failures = 1'000'000;      // every bad connection reaches the engines (all 127.0.0.1)
    o.frame_timeout = Milliseconds(500); // a garbage length announces a frame that never comes
    Node a(io, rng, log), b(io, rng, log, o);
    a.learn(b, rng);
    a.manager.send(b.hash(), data_message(1));
    BOOST_REQUIRE(run_until(io, [&] { return b.recorder.messages.size() == 1; }));

    // A real SessionRequest to replay: an Initiator's message 1 toward b.
    const auto alice = ntcp2::testing::make_router(rng);
    ntcp2::Initiator init(alice.local(), b.router.remote());
    const auto m1 = init.start(SystemClock().wall(), rng);
    Outcome first; // its first use is not a replay yet (b answers it); later ones are
    asio::co_spawn(io, bad_client(b.manager.local_port(), Kind::replayed, m1, b.router, rng, first),
                   [](std::exception_ptr e) {
                       if (e) {
                           std::rethrow_exception(e);
                       }
                   });
    BOOST_REQUIRE(run_until(io, [&] { return first.done; }));

    const std::size_t rss0 = resident_pages();
    std::vector<Outcome> outcomes(waves * per_wave);
    std::uint32_t next_id = 2;
    for (std::size_t w = 0; w < waves; ++w) {
        for (std::size_t i = 0; i < per_wave; ++i) {
            asio::co_spawn(io,
                           bad_client(b.manager.local_port(), kinds[i % std::size(kinds)], m1,
                                      b.router, rng, outcomes[w * per_wave + i]),
                           [](std::exception_ptr e) {
                               if (e) {
                                   std::rethrow_exception(e);
                               }
                           });
        }
        // The good session keeps working both ways while the wave runs.
        a.manager.send(b.hash(), data_message(next_id));
        b.manager.send(a.hash(), data_message(next_id + 1));
        const std::uint32_t id = next_id;
        BOOST_REQUIRE(run_until(
            io, [&] { return b.recorder.count_id(id) == 1 && a.recorder.count_id(id + 1) == 1; }));
        next_id += 2;
        BOOST_REQUIRE(run_until(io, [&] {
            for (std::size_t k = w * per_wave; k < (w + 1) * per_wave; ++k) {
                if (!outcomes[k].done) {
                    return false;
                }
            }
            return true;
        }));
    }
    const std::size_t rss1 = resident_pages();

    std::size_t pre_auth = 0;
    for (std::size_t k = 0; k < outcomes.size(); ++k) {
        const Kind kind = kinds[(k % per_wave) % std::size(kinds)];
        BOOST_TEST(outcomes[k].closed, "connection " << k << " was not closed by the server");
        BOOST_TEST(outcomes[k].received == 0u, "connection " << k << " got an answer");
        if (authenticated(kind)) {
            BOOST_TEST(outcomes[k].handshake_ok, "connection " << k);
        } else {
            ++pre_auth;
        }
    }
    const Counters& c = b.manager.stats();
    // Every pre-authentication connection failed its handshake (a truncated request may be
    // cut before anything was read; the listener still counts it).
    BOOST_TEST(c.handshake_failures_total() >= pre_auth);
    // The good session (inbound at b) and 3 authenticated kinds x 4 x waves, all of them ended.
    BOOST_TEST(c.handshakes_ok_inbound == 1 + waves * 12);
    BOOST_TEST(c.sessions_closed == waves * 12);
    BOOST_TEST(b.manager.session_count() == 1u); // only the good session is left
    BOOST_TEST(a.manager.stats().terminations_received == 0u);
    // Resident set growth over 224 connections stays bounded (pages of 4 KiB).
    BOOST_TEST((rss1 - std::min(rss1, rss0)) * 4096 < rss_growth_bound,
               "RSS grew by " << (rss1 - std::min(rss1, rss0)) * 4 << " KiB");
    BOOST_TEST_MESSAGE("soak: " << outcomes.size() << " bad connections, RSS " << rss0 * 4 << " -> "
                                << rss1 * 4 << " KiB");
    finish(io, a, b);
}

BOOST_AUTO_TEST_SUITE_END()
