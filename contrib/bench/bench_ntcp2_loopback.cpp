// umbra_bench_ntcp2, loopback parts: two umbra endpoints in one process on 127.0.0.1 with real
// sockets and the real transport/session code. Data: one io_context on one thread for both
// ends, and one io_context per end each on its own thread. Handshakes: one thread.
#include <atomic>
#include <deque>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "contrib/bench/bench_ntcp2.h"
#include "router/base/encoding.h"
#include "router/transport/ntcp2/handshake_testing.h"
#include "router/transport/transport_manager.h"

namespace umbra::bench_ntcp2 {

namespace asio = boost::asio;

namespace {

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

// Counts what arrives; atomics because in the two-thread run another thread reads them (one
// writer, the receiver's thread).
struct Counting final : transport::I2npHandler {
    std::atomic<std::uint64_t> messages{0};
    std::atomic<std::uint64_t> payload_bytes{0};
    void on_i2np(const IdentHash&, i2np::Message m) override
    {
        messages.store(messages.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        payload_bytes.store(payload_bytes.load(std::memory_order_relaxed) + m.payload.size(),
                            std::memory_order_relaxed);
    }
    void on_router_info(const IdentHash&, const data::RouterInfo&) override {}
};

struct Endpoint {
    Endpoint(asio::io_context& io, crypto::Rng& rng_, Logger& log)
        : rng(rng_), router(ntcp2::testing::make_router(rng)),
          manager(
              io, loopback_options(), router.local(),
              [this](const IdentHash& h) { return h == peer_hash ? &*peer_ri : nullptr; }, handler,
              clock, rng, log)
    {
        if (!manager.start()) {
            die("cannot listen on 127.0.0.1");
        }
    }
    void dial_to(Endpoint& other)
    {
        peer_hash = other.router.ident_hash;
        peer_ri = published(other.router, other.manager.local_port(), rng);
    }
    std::uint64_t received() const { return handler.payload_bytes.load(); }

    crypto::Rng& rng;
    SystemClock clock;
    Counting handler;
    ntcp2::testing::TestRouter router;
    IdentHash peer_hash;
    std::optional<data::RouterInfo> peer_ri;
    transport::TransportManager manager;
};

// The sender's side of a transfer: queues DataMessages of 1-4 KiB for the peer while its
// per-peer queue has room (queued = handed to send() minus taken by the session writer), until
// `megabytes` were queued. On the sender's thread only.
class Feeder {
public:
    Feeder(Endpoint& from, double megabytes)
        : from_(from), target_(std::uint64_t(megabytes * 1e6)), limits_(loopback_options().queue),
          taken_base_(from.manager.stats().i2np_sent)
    {
    }
    bool all_queued() const { return queued_bytes_ >= target_; }
    std::uint64_t queued_bytes() const { return queued_bytes_; }

    void top_up()
    {
        const std::uint64_t taken = from_.manager.stats().i2np_sent - taken_base_;
        while (queued_msgs_ - in_queue_.size() < taken) {
            in_queue_bytes_ -= in_queue_.front();
            in_queue_.pop_front();
        }
        while (queued_bytes_ < target_) {
            // Workload sizes from a cheap local generator: OsRng (RAND_bytes) per message
            // would add the bench's own cost to the figures.
            sizes_ ^= sizes_ << 13;
            sizes_ ^= sizes_ >> 7;
            sizes_ ^= sizes_ << 17;
            const std::size_t size = 1024 + std::size_t(sizes_ % (3 * 1024 + 1));
            if (in_queue_.size() + 1 > limits_.max_messages ||
                in_queue_bytes_ + size > limits_.max_bytes) {
                break; // the queue is full: as fast as it allows
            }
            from_.manager.send(from_.peer_hash, message(size));
            ++queued_msgs_;
            queued_bytes_ += size;
            in_queue_.push_back(size);
            in_queue_bytes_ += size;
        }
    }

    i2np::Message message(std::size_t size)
    {
        ++next_id_;
        return i2np::Message{i2np::MessageType::data, MessageId(next_id_),
                             WallTime{SystemClock().wall().ms + 60'000},
                             std::vector<std::uint8_t>(size, std::uint8_t(next_id_))};
    }

private:
    Endpoint& from_;
    std::uint64_t target_;
    transport::QueueLimits limits_;
    std::uint64_t taken_base_;
    std::uint64_t queued_msgs_ = 0;
    std::uint64_t queued_bytes_ = 0;
    std::uint32_t next_id_ = 0;
    // The writer takes messages in order, one i2np_sent each: sizes of those still queued.
    std::deque<std::size_t> in_queue_;
    std::size_t in_queue_bytes_ = 0;
    std::uint64_t sizes_ = 0x9E3779B97F4A7C15; // xorshift64 state
};

// What the bench itself spends per MB making the messages it sends (allocate and fill each
// payload, then free it on the receiving side's copy): part of every loopback CPU figure, not
// of the transport. Same size mix as Feeder.
double message_making_seconds_per_mb()
{
    std::uint64_t sizes = 0x9E3779B97F4A7C15;
    std::uint64_t bytes = 0;
    const auto start = clock_type::now(); // one thread, never blocks: wall = CPU
    while (bytes < 200'000'000) {
        sizes ^= sizes << 13;
        sizes ^= sizes >> 7;
        sizes ^= sizes << 17;
        const std::size_t size = 1024 + std::size_t(sizes % (3 * 1024 + 1));
        i2np::Message m{i2np::MessageType::data, MessageId(std::uint32_t(bytes)),
                        WallTime{SystemClock().wall().ms + 60'000},
                        std::vector<std::uint8_t>(size, std::uint8_t(bytes))};
        bytes += m.payload.size();
        asm volatile("" : : "r"(m.payload.data()) : "memory"); // keep the fill
    }
    return seconds_since(start) / (double(bytes) / 1e6);
}

// One empty message from a to b, run until it arrived (or 10 s): the handshake, so the
// transfer times only the data phase. `run` runs a's side (and b's too on one thread).
template <class Run> void handshake_first(Endpoint& a, Endpoint& b, Run&& run)
{
    a.manager.send(b.router.ident_hash, i2np::Message{i2np::MessageType::data,
                                                      MessageId(0),
                                                      WallTime{SystemClock().wall().ms + 60'000},
                                                      {}});
    const auto start = clock_type::now();
    while (b.handler.messages.load() == 0 && seconds_since(start) < 10) {
        run();
    }
    if (b.handler.messages.load() == 0) {
        die("loopback handshake did not complete");
    }
}

void report_drops(const Endpoint& a)
{
    const auto& s = a.manager.stats();
    if (s.dropped_queue_full || s.dropped_no_session) {
        std::fprintf(stderr, "umbra_bench_ntcp2: loopback dropped messages\n");
    }
    if (std::getenv("UMBRA_BENCH_DEBUG")) {
        std::fprintf(stderr, "debug: sent %llu msgs in %llu frames, %llu B\n",
                     (unsigned long long)s.i2np_sent, (unsigned long long)s.frames_sent,
                     (unsigned long long)s.bytes_sent);
    }
}

// MB/s of I2NP payload, and CPU per MB as "ns/op" of a 1 MB op (MB/s column: MB per CPU s).
void transfer_figures(std::vector<bench::Figure>& out, const std::string& name, double wall,
                      double cpu, std::uint64_t bytes, std::uint64_t messages)
{
    const double mb = double(bytes) / 1e6;
    out.push_back(bench::Figure{name + " i2np 1-4KiB msgs", wall * 1e9 / double(messages),
                                mb / wall, std::size_t(bytes)});
    out.push_back(
        bench::Figure{name + " cpu per MB", cpu / mb * 1e9, mb / std::max(cpu, 1e-9), 1'000'000});
}

// The user and system parts of a transfer's CPU per MB (names "<name> user cpu/MB" and
// "<name> system cpu/MB").
void split_figures(std::vector<bench::Figure>& out, const std::string& name, CpuSplit cpu,
                   std::uint64_t bytes)
{
    const double mb = double(bytes) / 1e6;
    out.push_back(bench::Figure{name + " user cpu/MB", cpu.user / mb * 1e9,
                                mb / std::max(cpu.user, 1e-9), 1'000'000});
    out.push_back(bench::Figure{name + " system cpu/MB", cpu.system / mb * 1e9,
                                mb / std::max(cpu.system, 1e-9), 1'000'000});
}

// Runs both io_contexts on this thread until they have no work (sessions closed) or 5 s.
void drain(asio::io_context& a, asio::io_context& b)
{
    a.restart();
    b.restart();
    const auto start = clock_type::now();
    while (!(a.stopped() && b.stopped()) && seconds_since(start) < 5) {
        a.run_for(std::chrono::milliseconds(5));
        b.run_for(std::chrono::milliseconds(5));
    }
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

} // namespace

// Both managers share one io_context on this thread: MB/s is one core doing both ends plus
// the kernel's loopback; CPU s/MB is the whole process (getrusage) over the transfer.
void loopback_transfer(std::vector<bench::Figure>& out, double max_seconds, double megabytes)
{
    asio::io_context io{1};
    crypto::OsRng rng;
    Logger log;
    log.set_level(LogLevel::none);
    Endpoint a(io, rng, log), b(io, rng, log);
    a.dial_to(b);
    handshake_first(a, b, [&] { io.run_one_for(std::chrono::milliseconds(10)); });
    const std::uint64_t base = b.received();
    const std::uint64_t base_msgs = b.handler.messages.load();
    Feeder feeder(a, megabytes);

    const CpuSplit cpu0 = cpu_split();
    const auto start = clock_type::now();
    while (b.received() - base < feeder.queued_bytes() || !feeder.all_queued()) {
        if (seconds_since(start) > max_seconds) {
            break; // bounded in time: report what arrived
        }
        feeder.top_up();
        io.run_one_for(std::chrono::milliseconds(10));
    }
    const double wall = seconds_since(start);
    const CpuSplit cpu = cpu_split() - cpu0;
    report_drops(a);
    transfer_figures(out, "loopback", wall, cpu.user + cpu.system, b.received() - base,
                     b.handler.messages.load() - base_msgs);
    split_figures(out, "loopback", cpu, b.received() - base);
    const double making = message_making_seconds_per_mb();
    out.push_back(bench::Figure{"loopback: bench msg making cpu/MB", making * 1e9,
                                1 / std::max(making, 1e-12), 1'000'000});
    a.manager.stop();
    b.manager.stop();
    drain(io, io);
}

// Each manager on its own io_context and thread (the sender on this one): MB/s with both ends
// running in parallel; CPU per MB of the process (both threads and their kernel time), and of
// each end's thread.
void loopback_transfer_threads(std::vector<bench::Figure>& out, double max_seconds,
                               double megabytes)
{
    asio::io_context io_a{1}, io_b{1};
    crypto::OsRng rng_a, rng_b;
    Logger log_a, log_b;
    log_a.set_level(LogLevel::none);
    log_b.set_level(LogLevel::none);
    Endpoint a(io_a, rng_a, log_a), b(io_b, rng_b, log_b);
    a.dial_to(b);

    std::atomic<bool> measuring{false}, stop_b{false};
    CpuSplit cpu_b;
    std::thread receiver([&] {
        CpuSplit cpu0;
        bool sampled = false;
        while (!stop_b.load()) {
            if (!sampled && measuring.load()) {
                cpu0 = cpu_split(RUSAGE_THREAD);
                sampled = true;
            }
            io_b.run_one_for(std::chrono::milliseconds(10));
        }
        cpu_b = cpu_split(RUSAGE_THREAD) - cpu0;
    });
    handshake_first(a, b, [&] { io_a.run_one_for(std::chrono::milliseconds(10)); });
    const std::uint64_t base = b.received();
    const std::uint64_t base_msgs = b.handler.messages.load();
    Feeder feeder(a, megabytes);

    const double cpu0 = cpu_seconds();
    const CpuSplit cpu_a0 = cpu_split(RUSAGE_THREAD);
    measuring = true;
    const auto start = clock_type::now();
    while (b.received() - base < feeder.queued_bytes() || !feeder.all_queued()) {
        if (seconds_since(start) > max_seconds) {
            break;
        }
        feeder.top_up();
        io_a.run_one_for(std::chrono::milliseconds(10));
    }
    const double wall = seconds_since(start);
    const double cpu = cpu_seconds() - cpu0;
    const CpuSplit cpu_a = cpu_split(RUSAGE_THREAD) - cpu_a0;
    stop_b = true;
    receiver.join();
    const std::uint64_t bytes = b.received() - base;
    report_drops(a);
    transfer_figures(out, "loopback 2 threads", wall, cpu, bytes,
                     b.handler.messages.load() - base_msgs);
    const double mb = double(bytes) / 1e6;
    const double a_total = cpu_a.user + cpu_a.system;
    const double b_total = cpu_b.user + cpu_b.system;
    out.push_back(bench::Figure{"loopback 2 threads sender cpu/MB", a_total / mb * 1e9,
                                mb / std::max(a_total, 1e-9), 1'000'000});
    out.push_back(bench::Figure{"loopback 2 threads receiver cpu/MB", b_total / mb * 1e9,
                                mb / std::max(b_total, 1e-9), 1'000'000});
    split_figures(out, "loopback 2 threads sender", cpu_a, bytes);
    split_figures(out, "loopback 2 threads receiver", cpu_b, bytes);
    a.manager.stop(); // both threads are done: this one may run both sides now
    b.manager.stop();
    drain(io_a, io_b);
}

// The kernel's part, for reference: `megabytes` of plain bytes over one loopback TCP connection
// (no NTCP2, no I2NP), written in 64 KiB writes (the session's largest write) by this thread and
// read into a 64 KiB buffer (the session's reader) by another. Its wall MB/s bounds what any
// transport over one TCP connection reaches on this machine; its CPU per MB is the kernel's TCP
// work a transfer of that size costs each end.
void loopback_plain_tcp(std::vector<bench::Figure>& out, double max_seconds, double megabytes)
{
    using asio::ip::tcp;
    asio::io_context io{1};
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
    tcp::socket writer(io);
    writer.connect(acceptor.local_endpoint());
    tcp::socket reader = acceptor.accept();
    const auto total = std::uint64_t(megabytes * 1e6);
    CpuSplit cpu_b;
    std::uint64_t got = 0;
    std::thread receiver([&] {
        std::vector<std::uint8_t> buffer(64 * 1024);
        const CpuSplit cpu0 = cpu_split(RUSAGE_THREAD);
        boost::system::error_code ec;
        while (got < total && !ec) {
            got += reader.read_some(asio::buffer(buffer), ec);
        }
        cpu_b = cpu_split(RUSAGE_THREAD) - cpu0;
    });
    std::vector<std::uint8_t> chunk(64 * 1024, 0x5a);
    const CpuSplit cpu_a0 = cpu_split(RUSAGE_THREAD);
    const auto start = clock_type::now();
    std::uint64_t sent = 0;
    boost::system::error_code ec;
    while (sent < total && !ec && seconds_since(start) < max_seconds) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(chunk.size(), total - sent));
        sent += asio::write(writer, asio::buffer(chunk.data(), n), ec);
    }
    const CpuSplit cpu_a = cpu_split(RUSAGE_THREAD) - cpu_a0;
    writer.shutdown(tcp::socket::shutdown_send, ec); // the reader sees the end if time ran out
    receiver.join();
    const double wall = seconds_since(start);
    const double mb = double(got) / 1e6;
    out.push_back(bench::Figure{"plain tcp 2 threads 64KiB writes", wall * 1e9 / (mb / 0.065536),
                                mb / wall, 65'536});
    // Only the kernel's part: the user CPU of a bare read/write loop is below the clock's grain.
    out.push_back(bench::Figure{"plain tcp sender system cpu/MB", cpu_a.system / mb * 1e9,
                                mb / std::max(cpu_a.system, 1e-9), 1'000'000});
    out.push_back(bench::Figure{"plain tcp receiver system cpu/MB", cpu_b.system / mb * 1e9,
                                mb / std::max(cpu_b.system, 1e-9), 1'000'000});
}

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

} // namespace umbra::bench_ntcp2
