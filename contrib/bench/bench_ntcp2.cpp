// NTCP2 benchmark: handshakes per second and data-phase throughput, at the engine level (no
// sockets, one thread) and over loopback (two umbra endpoints in one process on 127.0.0.1, real
// sockets and the real transport/session code, one io_context on one thread). Prints figures;
// nothing here asserts. run_bench_ntcp2.sh prints `openssl speed` beside them.
//   umbra_bench_ntcp2 [--json] [--seconds S] [--megabytes M] [--handshakes N]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "contrib/bench/bench.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "router/base/encoding.h"
#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/handshake_testing.h"
#include "router/transport/transport_manager.h"

#include <sys/resource.h>

using namespace umbra;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

double cpu_seconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec) + double(u.ru_utime.tv_usec) / 1e6 +
           double(u.ru_stime.tv_sec) + double(u.ru_stime.tv_usec) / 1e6;
}

[[noreturn]] void die(const char* what)
{
    std::fprintf(stderr, "umbra_bench_ntcp2: %s\n", what);
    std::exit(1);
}

bench::Figure rate_figure(std::string name, double seconds, std::size_t ops, std::size_t bytes)
{
    bench::Figure f{std::move(name), seconds * 1e9 / double(ops), 0, bytes};
    if (bytes) {
        f.mb_per_s = double(bytes) * double(ops) / seconds / 1e6;
    }
    return f;
}

// ---- Handshakes, engine level -------------------------------------------------------------

// Full Initiator <-> Responder handshakes in memory, one thread, OsRng (as the router). The time
// of each side's calls is summed apart, so each side's cost per handshake shows.
// `cached`: Bob keeps a VerifiedRouterInfos (as the transport does), so from the second
// handshake on Alice's RouterInfo is not verified again (a reconnecting peer); otherwise every
// handshake verifies it (a peer never seen before).
void engine_handshakes(std::vector<bench::Figure>& out, double seconds, std::size_t max_count,
                       bool cached)
{
    crypto::OsRng rng;
    const auto alice = ntcp2::testing::make_router(rng);
    const auto bob = ntcp2::testing::make_router(rng);
    const auto alice_local = alice.local();
    const auto bob_local = bob.local();
    const auto bob_remote = bob.remote();
    const WallTime now = ntcp2::testing::test_now; // the RouterInfos' date: no skew
    const SystemClock clock;
    ntcp2::ReplayCache replay(max_count + 64); // sized for the run: nothing is evicted
    ntcp2::VerifiedRouterInfos verified;

    double t_init = 0;
    double t_resp = 0;
    std::size_t done = 0;
    const auto one = [&] {
        auto t0 = clock_type::now();
        ntcp2::Initiator init(alice_local, bob_remote);
        const auto m1 = init.start(now, rng);
        auto t1 = clock_type::now();
        ntcp2::Responder resp(bob_local, replay, cached ? &verified : nullptr);
        auto m2 = ntcp2::testing::feed(resp, m1, rng, now, clock.steady());
        auto t2 = clock_type::now();
        if (!m2) {
            die("responder rejected SessionRequest");
        }
        auto m3 = ntcp2::testing::feed(init, *m2, rng, now);
        auto t3 = clock_type::now();
        if (!m3) {
            die("initiator rejected SessionCreated");
        }
        auto m4 = ntcp2::testing::feed(resp, *m3, rng, now, clock.steady());
        if (!m4 || !init.established() || !resp.established()) {
            die("handshake did not complete");
        }
        auto a = init.take_established();
        auto b = resp.take_established();
        auto t4 = clock_type::now();
        if (a.keys.send.cipher_key.bytes()[0] != b.keys.receive.cipher_key.bytes()[0]) {
            die("keys differ");
        }
        t_init += std::chrono::duration<double>((t1 - t0) + (t3 - t2)).count();
        t_resp += std::chrono::duration<double>((t2 - t1) + (t4 - t3)).count();
        ++done;
    };
    for (int i = 0; i < 8; ++i) {
        one(); // warm up
    }
    t_init = t_resp = 0;
    done = 0;
    const auto start = clock_type::now();
    while (done + 8 < max_count && seconds_since(start) < seconds) {
        one();
    }
    const double total = seconds_since(start);
    const std::string suffix = cached ? ", RI cached" : "";
    out.push_back(rate_figure("hs engine pair (both sides)" + suffix, total, done, 0));
    out.push_back(rate_figure("hs engine initiator side" + suffix, t_init, done, 0));
    out.push_back(rate_figure("hs engine responder side" + suffix, t_resp, done, 0));
}

// ---- Data phase, engine level -------------------------------------------------------------

// A short-header I2NP message body (9-byte header + payload) of `size` bytes.
std::vector<std::uint8_t> i2np_body(std::size_t size, crypto::Rng& rng)
{
    std::vector<std::uint8_t> b(size);
    rng.fill(b);
    b[0] = 20; // DataMessage
    return b;
}

struct FrameShape {
    const char* name;
    std::size_t messages;     // I2NP blocks per frame
    std::size_t message_size; // each block's body (short header included)
};

// The session's paths, one thread. Seal: the frame's plaintext is copied into a reused buffer
// (the session writes each I2NP block straight into its frame buffer), then seal_in_place.
// Open: the frame is copied into a reused receive buffer (what the socket read does), then
// frame_length + open_in_place + split_blocks + i2np::Message::parse_short per I2NP block (the
// message's one copy). MB/s counts I2NP payload (bodies minus the 9-byte short header), not
// framing.
void engine_data_phase(std::vector<bench::Figure>& out, double seconds)
{
    crypto::OsRng rng;
    crypto::Key32 ck;
    crypto::Hash32 h;
    rng.fill(ck.mutable_bytes());
    rng.fill(h);
    ntcp2::DataPhase alice(ntcp2::derive_data_phase_keys(ck, h, true));
    ntcp2::DataPhase bob(ntcp2::derive_data_phase_keys(ck, h, false));
    const FrameShape shapes[] = {
        {"1KiB", 1, 1024 - ntcp2::block_header_size},
        {"16KiB", 4, 4096 - ntcp2::block_header_size},
        {"64KiB", 1, ntcp2::max_block_data},
    };
    // Sized once for the largest frame, as the session's buffers end up. (Growing them per
    // shape put the 64 KiB send buffer right after the 64 KiB plaintext in the heap, 65552
    // bytes apart: 4 KiB aliasing made the copy and seal twice as slow, a layout artefact.)
    // The receive side works 2 KiB into its buffer for the same reason: it copies from the send
    // buffer, allocated just before it.
    std::vector<std::uint8_t> send_buffer(2 + ntcp2::max_frame_size);
    std::vector<std::uint8_t> receive_storage(2048 + ntcp2::max_frame_size);
    const MutableBytes receive_buffer = MutableBytes(receive_storage).subspan(2048);
    std::vector<ntcp2::BlockView> views;
    for (const auto& shape : shapes) {
        std::vector<ntcp2::Block> blocks;
        for (std::size_t i = 0; i < shape.messages; ++i) {
            blocks.emplace_back(ntcp2::I2npBlock{i2np_body(shape.message_size, rng)});
        }
        const std::size_t payload = shape.messages * (shape.message_size - 9);
        ByteWriter w;
        for (const auto& b : blocks) {
            ntcp2::write_block(w, b);
        }
        const std::vector<std::uint8_t> plaintext = w.take();
        const std::size_t frame_size = 2 + plaintext.size() + crypto::aead_tag_size;
        std::vector<std::uint8_t> frame;
        std::size_t opened = 0;
        const auto seal = [&] {
            std::copy(plaintext.begin(), plaintext.end(), send_buffer.begin() + 2);
            alice.seal_in_place(MutableBytes(send_buffer).first(frame_size));
        };
        const auto open_bytes = [&](Bytes wire) {
            auto length = bob.frame_length(wire.first(2));
            if (!length) {
                die("bad frame length");
            }
            std::copy(wire.begin() + 2, wire.end(), receive_buffer.begin());
            auto text = bob.open_in_place(receive_buffer.first(*length));
            if (!text) {
                die("frame did not open");
            }
            if (!ntcp2::split_blocks(*text, views) || views.size() != shape.messages) {
                die("frame did not parse");
            }
            for (const auto& v : views) {
                if (!i2np::Message::parse_short(v.body)) {
                    die("bad I2NP block");
                }
            }
            ++opened;
        };
        const auto open = [&] {
            open_bytes(frame);
        };
        const std::string name = shape.name;
        // Seal alone (frames are discarded, so bob is re-keyed after), then the pair.
        out.push_back(bench::measure("dp seal " + name + " frame", payload, seal, seconds / 3));
        alice = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, true));
        bob = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, false));
        // Open alone: a batch of sealed frames replayed in order into fresh receivers.
        std::vector<std::vector<std::uint8_t>> frames(64);
        for (auto& f : frames) {
            seal();
            f.assign(send_buffer.begin(), send_buffer.begin() + frame_size);
        }
        std::size_t next = 0;
        const auto open_only = [&] {
            if (next == frames.size()) {
                bob = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, false));
                next = 0;
            }
            frame.swap(frames[next]);
            open();
            frame.swap(frames[next]);
            ++next;
        };
        out.push_back(
            bench::measure("dp open " + name + " frame", payload, open_only, seconds / 3));
        alice = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, true));
        bob = ntcp2::DataPhase(ntcp2::derive_data_phase_keys(ck, h, false));
        out.push_back(bench::measure(
            "dp seal+open " + name + " frame", payload,
            [&] {
                seal();
                open_bytes(Bytes(send_buffer).first(frame_size));
            },
            seconds / 3));
    }
}

// ---- Loopback -----------------------------------------------------------------------------

// A RouterInfo of `r` that publishes 127.0.0.1:port, signed now (what a peer dials).
data::RouterInfo published(const ntcp2::testing::TestRouter& r, std::uint16_t port,
                           crypto::Rng& rng)
{
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = "NTCP2";
    bool ok = a.options.set("host", "127.0.0.1").has_value() &&
              a.options.set("i", base64_encode(r.iv)).has_value() &&
              a.options.set("port", std::to_string(port)).has_value() &&
              a.options.set("s", base64_encode(r.static_key.public_key)).has_value() &&
              a.options.set("v", "2").has_value();
    auto identity = data::RouterIdentity::from(r.keys.identity());
    auto signer = r.keys.signing_key();
    if (!ok || !identity || !signer) {
        die("cannot build a RouterInfo");
    }
    auto ri = data::RouterInfo::create(*identity, SystemClock().wall(), {a},
                                       ntcp2::testing::router_options({}), *signer, rng);
    if (!ri) {
        die("cannot sign a RouterInfo");
    }
    return std::move(*ri);
}

transport::Ntcp2Options loopback_options()
{
    transport::Ntcp2Options o;
    o.bind_v4 = "127.0.0.1"; // only loopback, never another interface
    o.port = 0;
    o.handshake_timeout = Milliseconds(5000);
    o.termination_timeout = Milliseconds(300);
    o.ban.max_failures = 1'000'000; // a benchmark failure must show as a failure, not a ban
    return o;
}

struct Counting final : transport::I2npHandler {
    std::uint64_t messages = 0;
    std::uint64_t payload_bytes = 0;
    void on_i2np(const IdentHash&, i2np::Message m) override
    {
        ++messages;
        payload_bytes += m.payload.size();
    }
    void on_router_info(const IdentHash&, const data::RouterInfo&) override {}
};

struct Endpoint {
    Endpoint(asio::io_context& io, crypto::Rng& rng, Logger& log)
        : router(ntcp2::testing::make_router(rng)),
          manager(
              io, loopback_options(), router.local(),
              [this](const IdentHash& h) { return h == peer_hash ? &*peer_ri : nullptr; }, handler,
              clock, rng, log)
    {
        if (!manager.start()) {
            die("cannot listen on 127.0.0.1");
        }
    }
    SystemClock clock;
    Counting handler;
    ntcp2::testing::TestRouter router;
    IdentHash peer_hash;
    std::optional<data::RouterInfo> peer_ri;
    transport::TransportManager manager;
};

// Sender queues DataMessages of 1-4 KiB for the receiver while its per-peer queue has room
// (queued = handed to send() minus taken by the session writer), the receiver counts payload.
// Both managers share one io_context on this thread: MB/s is one core doing both ends plus
// the kernel's loopback; CPU s/MB is the whole process (getrusage) over the transfer.
void loopback_transfer(std::vector<bench::Figure>& out, double max_seconds, double megabytes)
{
    asio::io_context io{1};
    crypto::OsRng rng;
    Logger log;
    log.set_level(LogLevel::none);
    Endpoint a(io, rng, log), b(io, rng, log);
    a.peer_hash = b.router.ident_hash;
    a.peer_ri = published(b.router, b.manager.local_port(), rng);

    const transport::QueueLimits limits = loopback_options().queue;
    const std::uint64_t target = std::uint64_t(megabytes * 1e6);
    std::uint64_t queued_msgs = 0;
    std::uint64_t queued_bytes = 0;
    std::uint32_t next_id = 1;
    // The writer takes messages in order, one i2np_sent each: sizes of those still queued.
    std::deque<std::size_t> in_queue;
    std::size_t in_queue_bytes = 0;
    std::uint64_t taken_base = 0;
    std::uint64_t sizes = 0x9E3779B97F4A7C15; // xorshift64 state
    const auto top_up = [&] {
        const std::uint64_t taken = a.manager.stats().i2np_sent - taken_base;
        while (queued_msgs - in_queue.size() < taken) {
            in_queue_bytes -= in_queue.front();
            in_queue.pop_front();
        }
        while (queued_bytes < target) {
            // Workload sizes from a cheap local generator: OsRng (RAND_bytes) per message
            // would add the bench's own cost to the figures.
            sizes ^= sizes << 13;
            sizes ^= sizes >> 7;
            sizes ^= sizes << 17;
            const std::size_t size = 1024 + std::size_t(sizes % (3 * 1024 + 1));
            if (in_queue.size() + 1 > limits.max_messages ||
                in_queue_bytes + size > limits.max_bytes) {
                break; // the queue is full: as fast as it allows
            }
            i2np::Message m{i2np::MessageType::data, MessageId(next_id++),
                            WallTime{SystemClock().wall().ms + 60'000},
                            std::vector<std::uint8_t>(size, std::uint8_t(next_id))};
            a.manager.send(b.router.ident_hash, std::move(m));
            ++queued_msgs;
            queued_bytes += size;
            in_queue.push_back(size);
            in_queue_bytes += size;
        }
    };

    // Handshake first (one message), so the transfer times only the data phase.
    a.manager.send(b.router.ident_hash, i2np::Message{i2np::MessageType::data,
                                                      MessageId(0),
                                                      WallTime{SystemClock().wall().ms + 60'000},
                                                      {}});
    const auto hs_start = clock_type::now();
    while (b.handler.messages == 0 && seconds_since(hs_start) < 10) {
        io.run_one_for(std::chrono::milliseconds(10));
    }
    if (b.handler.messages == 0) {
        die("loopback handshake did not complete");
    }
    b.handler.payload_bytes = 0;
    b.handler.messages = 0;
    taken_base = a.manager.stats().i2np_sent;

    const double cpu0 = cpu_seconds();
    const auto start = clock_type::now();
    while (b.handler.payload_bytes < queued_bytes || queued_bytes < target) {
        if (seconds_since(start) > max_seconds) {
            break; // bounded in time: report what arrived
        }
        top_up();
        io.run_one_for(std::chrono::milliseconds(10));
    }
    const double wall = seconds_since(start);
    const double cpu = cpu_seconds() - cpu0;
    const double mb = double(b.handler.payload_bytes) / 1e6;
    if (a.manager.stats().dropped_queue_full || a.manager.stats().dropped_no_session) {
        std::fprintf(stderr, "umbra_bench_ntcp2: loopback dropped messages\n");
    }
    if (std::getenv("UMBRA_BENCH_DEBUG")) {
        const auto& s = a.manager.stats();
        std::fprintf(stderr,
                     "debug: queued %llu msgs %llu B; sent %llu msgs in %llu frames, %llu B; "
                     "dropped full %llu no_session %llu no_route %llu; received %llu msgs; "
                     "wall %.3f s cpu %.3f s\n",
                     (unsigned long long)queued_msgs, (unsigned long long)queued_bytes,
                     (unsigned long long)s.i2np_sent, (unsigned long long)s.frames_sent,
                     (unsigned long long)s.bytes_sent, (unsigned long long)s.dropped_queue_full,
                     (unsigned long long)s.dropped_no_session,
                     (unsigned long long)s.dropped_no_route, (unsigned long long)b.handler.messages,
                     wall, cpu);
    }
    bench::Figure f{"loopback i2np 1-4KiB msgs", wall * 1e9 / double(b.handler.messages), mb / wall,
                    b.handler.payload_bytes};
    out.push_back(f);
    // CPU per MB as "ns/op" of a 1 MB op, MB/s column: MB per CPU second.
    out.push_back(
        bench::Figure{"loopback cpu per MB", cpu / mb * 1e9, mb / std::max(cpu, 1e-9), 1'000'000});

    a.manager.stop();
    b.manager.stop();
    io.restart();
    io.run_for(std::chrono::seconds(5));
}

// Handshakes over loopback with the real transport (no manager: a bench Ntcp2Events): Alice
// dials Bob, both handshakes run on real sockets, Alice closes as soon as she is established
// (Termination), and the next dial starts once both sides saw the session close.
struct HandshakeEvents final : transport::Ntcp2Events {
    transport::Counters c;
    std::size_t established_count = 0;
    std::size_t closed_count = 0;
    std::size_t failed = 0;
    bool close_on_establish = false;
    bool admit(const std::string&, transport::Direction) override { return true; }
    void handshake_failed(const std::string&, transport::Direction, const IdentHash&,
                          std::string_view) override
    {
        ++failed;
    }
    bool established(const std::shared_ptr<transport::SessionHandle>& s) override
    {
        ++established_count;
        if (close_on_establish) {
            s->close(ntcp2::TerminationReason::normal);
        }
        return true;
    }
    void closed(const transport::SessionHandle&, std::string_view) override { ++closed_count; }
    void received(const transport::SessionHandle&, i2np::Message) override {}
    void received_router_info(const transport::SessionHandle&, data::RouterInfo) override {}
    std::vector<i2np::Message> outgoing(const transport::SessionHandle&, std::size_t) override
    {
        return {};
    }
    transport::Counters& counters() override { return c; }
};

void loopback_handshakes(std::vector<bench::Figure>& out, double max_seconds, std::size_t max_count)
{
    asio::io_context io{1};
    crypto::OsRng rng;
    Logger log;
    log.set_level(LogLevel::none);
    SystemClock clock;
    const auto alice = ntcp2::testing::make_router(rng);
    const auto bob = ntcp2::testing::make_router(rng);
    HandshakeEvents alice_events, bob_events;
    alice_events.close_on_establish = true;
    auto o = loopback_options();
    o.listen = false;
    transport::Ntcp2Transport a(io, o, alice.local(), alice_events, clock, rng, log);
    transport::Ntcp2Transport b(io, loopback_options(), bob.local(), bob_events, clock, rng, log);
    if (!b.listen()) {
        die("cannot listen on 127.0.0.1");
    }
    const auto bob_ri = published(bob, b.local_port(), rng);

    std::size_t started = 0;
    const double cpu0 = cpu_seconds();
    const auto start = clock_type::now();
    while (started < max_count && seconds_since(start) < max_seconds) {
        if (!a.dial(bob_ri)) {
            die("cannot dial");
        }
        ++started;
        // One at a time: wait until both ends have closed the session (or failed).
        while (alice_events.closed_count + alice_events.failed < started ||
               bob_events.closed_count + bob_events.failed < started) {
            if (seconds_since(start) > max_seconds + 10) {
                die("loopback handshake stalled");
            }
            io.run_one_for(std::chrono::milliseconds(10));
        }
    }
    const double wall = seconds_since(start);
    const double cpu = cpu_seconds() - cpu0;
    const std::size_t ok = bob_events.established_count;
    if (alice_events.failed || bob_events.failed || ok != started) {
        std::fprintf(stderr, "umbra_bench_ntcp2: %zu of %zu loopback handshakes failed\n",
                     started - ok, started);
    }
    out.push_back(
        rate_figure("hs loopback connect+hs+close", wall, std::max<std::size_t>(ok, 1), 0));
    out.push_back(
        rate_figure("hs loopback cpu per handshake", cpu, std::max<std::size_t>(ok, 1), 0));
    a.stop();
    b.stop();
    io.restart();
    io.run_for(std::chrono::seconds(3));
}

} // namespace

int main(int argc, char** argv)
{
    bool json = false;
    double seconds = 1;
    double megabytes = 200;
    std::size_t handshakes = 2000;
    std::string only; // one part: hs, dp, loopback, loopback-hs (for perf)
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--json")) {
            json = true;
        } else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        } else if (!std::strcmp(argv[i], "--megabytes") && i + 1 < argc) {
            megabytes = std::stod(argv[++i]);
        } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
            only = argv[++i];
        } else if (!std::strcmp(argv[i], "--handshakes") && i + 1 < argc) {
            handshakes = std::stoul(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: umbra_bench_ntcp2 [--json] [--seconds S] "
                                 "[--megabytes M] [--handshakes N] "
                                 "[--only hs|dp|loopback|loopback-hs]\n");
            return 2;
        }
    }
    if (seconds <= 0 || megabytes <= 0 || handshakes == 0) {
        std::fprintf(stderr, "umbra_bench_ntcp2: --seconds, --megabytes, --handshakes > 0\n");
        return 2;
    }
    std::vector<bench::Figure> figures;
    const auto part = [&](const char* name) {
        return only.empty() || only == name;
    };
    if (part("hs")) {
        engine_handshakes(figures, seconds, 100'000, false);
        engine_handshakes(figures, seconds, 100'000, true);
    }
    if (part("dp")) {
        engine_data_phase(figures, seconds);
    }
    // Loopback runs are bounded in count and in time (10 x --seconds at most, then figures of
    // what was done).
    if (part("loopback")) {
        loopback_transfer(figures, 10 * seconds, megabytes);
    }
    if (part("loopback-hs")) {
        loopback_handshakes(figures, 2 * seconds, handshakes);
    }
    bench::print(figures, json);
    return 0;
}
