// Test helpers: raw NTCP2 peers written with the sans-IO engines directly (no manager), to
// drive a TransportManager's shell into its failure paths: an Alice that completes the
// handshake and then sends chosen bytes and records every block the server sends back, and a
// fake Bob listener that misbehaves in the handshake. Loopback only, bounded in time.
#pragma once
#include <optional>

#include "router/transport/manager_testing.h"
#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/handshake_wire.h"

namespace umbra::transport::testing {

// Runs `task` on io until it finished (the test fails after `limit`).
inline asio::awaitable<void> flag_when_done(asio::awaitable<void> task, bool& done)
{
    co_await std::move(task);
    done = true;
}

inline void run_task(asio::io_context& io, asio::awaitable<void> task,
                     Milliseconds limit = Milliseconds(10'000))
{
    bool done = false;
    asio::co_spawn(io, flag_when_done(std::move(task), done), [](std::exception_ptr e) {
        if (e) {
            std::rethrow_exception(e);
        }
    });
    BOOST_TEST(run_until(
        io, [&] { return done; }, limit));
}

// Message 1 out, message 2 (and its padding) in; message 3 is returned, not sent.
inline asio::awaitable<std::optional<std::vector<std::uint8_t>>>
handshake_to_message_3(tcp::socket& s, ntcp2::Initiator& init, crypto::Rng& rng)
{
    auto out = init.start(SystemClock().wall(), rng);
    while (!init.established()) {
        if (!out.empty()) {
            auto [wec, wn] = co_await asio::async_write(s, asio::buffer(out), nothrow);
            if (wec) {
                co_return std::nullopt;
            }
        }
        std::vector<std::uint8_t> in(init.wants());
        if (in.empty()) {
            co_return std::nullopt;
        }
        auto [rec, rn] = co_await asio::async_read(s, asio::buffer(in), nothrow);
        if (rec) {
            co_return std::nullopt;
        }
        auto next = init.on_read(in, SystemClock().wall(), rng);
        if (!next) {
            co_return std::nullopt;
        }
        out = std::move(*next);
    }
    co_return out;
}

inline asio::awaitable<bool> connect_local(tcp::socket& s, std::uint16_t port)
{
    auto [ec] = co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, nothrow);
    co_return !ec;
}

// What a raw Alice saw of the server after her handshake.
struct PeerView {
    bool handshake_ok = false;
    bool closed = false; // the server ended the connection (not our deadline)
    std::vector<ntcp2::Block> blocks;
    std::optional<ntcp2::TerminationReason> termination;
    bool bad_frame = false; // a frame from the server did not open
};

// Reads and opens the server's frames until it closes the connection (at most `limit`).
inline asio::awaitable<void> read_frames(tcp::socket& s, ntcp2::DataPhase& dp, PeerView& out,
                                         Milliseconds limit = Milliseconds(5'000))
{
    asio::steady_timer deadline(s.get_executor(), limit);
    bool expired = false;
    deadline.async_wait([&](auto ec) {
        if (!ec) {
            expired = true;
            s.close();
        }
    });
    for (;;) {
        std::array<std::uint8_t, 2> length{};
        auto [ec, n] = co_await asio::async_read(s, asio::buffer(length), nothrow);
        if (ec) {
            break;
        }
        auto size = dp.frame_length(length);
        std::vector<std::uint8_t> frame(size ? *size : 0);
        auto [fec, fn] = co_await asio::async_read(s, asio::buffer(frame), nothrow);
        auto plaintext = size && !fec ? dp.open_frame(frame)
                                      : Result<std::vector<std::uint8_t>>(Errc::truncated);
        auto blocks = plaintext ? ntcp2::parse_blocks(*plaintext)
                                : Result<std::vector<ntcp2::Block>>(Errc::truncated);
        if (!blocks) {
            out.bad_frame = !fec;
            break;
        }
        for (auto& b : *blocks) {
            if (const auto* t = std::get_if<ntcp2::Termination>(&b)) {
                out.termination = t->reason;
            }
            out.blocks.push_back(std::move(b));
        }
    }
    out.closed = !expired;
    deadline.cancel();
}

// Alice's bytes after the handshake, made with her data phase (sealed frames, or raw bytes).
using Script = std::function<std::vector<std::uint8_t>(ntcp2::DataPhase&)>;

// A raw Alice: handshake with `bob` at `port`, then `script`'s bytes, then every frame the
// server sends until it closes. `reset`: instead, end the connection with a TCP reset.
inline asio::awaitable<void> raw_alice(std::uint16_t port, const ntcp2::testing::TestRouter& alice,
                                       const ntcp2::testing::TestRouter& bob, crypto::Rng& rng,
                                       Script script, PeerView& out, bool reset = false)
{
    tcp::socket s(co_await asio::this_coro::executor);
    if (!co_await connect_local(s, port)) {
        co_return;
    }
    ntcp2::Initiator init(alice.local(), bob.remote());
    const auto m3 = co_await handshake_to_message_3(s, init, rng);
    if (!m3) {
        co_return;
    }
    ntcp2::DataPhase dp(init.take_established().keys);
    auto bytes = *m3;
    const auto after = script(dp);
    bytes.insert(bytes.end(), after.begin(), after.end());
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), nothrow);
    out.handshake_ok = !ec;
    if (reset) {
        s.set_option(asio::socket_base::linger(true, 0));
        s.close();
        co_return;
    }
    co_await read_frames(s, dp, out);
}

inline std::vector<std::uint8_t> seal(ntcp2::DataPhase& dp, const std::vector<ntcp2::Block>& b)
{
    return dp.seal_blocks(b);
}

// A fake Bob: accepts one connection, reads SessionRequest's fixed part, then acts.
enum class FakeBob {
    close,    // closes the connection
    garbage,  // a real Y, obfuscated as "2) SessionCreated" says, then 32 random bytes where the
              // options frame belongs: the dialler gets as far as the AEAD and fails there
    high_key, // an obfuscated Y with bit 255 set: the dialler fails at the key check
    silent,   // says nothing until the dialler gives up
};

inline asio::awaitable<void> fake_bob(tcp::acceptor& acceptor, FakeBob act, crypto::Rng& rng,
                                      bool& accepted, IdentHash bob_hash = {})
{
    auto [accept_ec, accepted_socket] = co_await acceptor.async_accept(nothrow);
    if (accept_ec) {
        co_return;
    }
    // A plain variable: clang 14 does not let the deadline's lambda capture a structured binding.
    tcp::socket s = std::move(accepted_socket);
    ErrorCode ec;
    accepted = true;
    std::vector<std::uint8_t> m1(64);
    auto [rec, rn] = co_await asio::async_read(s, asio::buffer(m1), nothrow);
    if (rec) {
        co_return;
    }
    if (act == FakeBob::close) { // a FIN, not a reset: the rest of message 1 is read below
        s.shutdown(tcp::socket::shutdown_send, ec);
    } else if (act == FakeBob::garbage || act == FakeBob::high_key) {
        // The AES-CBC state continues from the last block of Alice's obfuscated X.
        crypto::AesIv iv;
        std::copy_n(m1.begin() + 16, 16, iv.begin());
        auto y = crypto::X25519Keypair::generate(rng).public_key;
        if (act == FakeBob::high_key) {
            y[31] |= 0x80;
        }
        const auto y_obfuscated = ntcp2::detail::obfuscate_key(bob_hash, iv, y);
        std::vector<std::uint8_t> m2(y_obfuscated.begin(), y_obfuscated.end());
        const auto frame = random_bytes(rng, 32);
        m2.insert(m2.end(), frame.begin(), frame.end());
        co_await asio::async_write(s, asio::buffer(m2), nothrow);
    }
    asio::steady_timer deadline(s.get_executor(), std::chrono::seconds(5));
    deadline.async_wait([&](auto wec) {
        if (!wec) {
            s.close();
        }
    });
    std::array<std::uint8_t, 256> sink{};
    for (;;) { // until the dialler closes (or the deadline)
        auto [sec, n] = co_await s.async_read_some(asio::buffer(sink), nothrow);
        if (sec) {
            break;
        }
    }
    deadline.cancel();
}

} // namespace umbra::transport::testing
