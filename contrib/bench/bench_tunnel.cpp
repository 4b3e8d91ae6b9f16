// Tunnel transit benchmark (issue 5 "Benchmark"): transit forwarding as a participant
// (TunnelData bytes in, parsed, one layer of tunnel crypto, TunnelData serialized out) with 1
// and 2 threads, each thread owning one shard (TransitTable) the way ShardedTransit does; CPU
// time per MB; the layer crypto alone; memory per transit tunnel. Prints figures; nothing here
// asserts. run_bench_tunnel.sh prints `openssl speed -evp aes-256-cbc` (1 KiB) beside them.
// MB/s counts 1024 bytes per message: the IV and data the layer encrypts (as openssl's 1 KiB).
//   umbra_bench_tunnel [--json] [--seconds S] [--tunnels N per thread]
// Figures come in pairs: wall-clock rate, and rate per CPU-second of the threads (the fair
// comparison with `openssl speed`, which counts user CPU time, on a shared machine).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "contrib/bench/bench.h"
#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/testing.h"
#include "tunnels/transit/transit_table.h"

#include <malloc.h>
#include <time.h>

using namespace umbra;
using namespace umbra::tunnels;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBytesPerMessage = crypto::tunnel_block_size;

TransitLimits limits(std::size_t tunnels, std::size_t cache)
{
    TransitLimits l;
    l.max_tunnels = tunnels;
    l.layer_cache = cache;
    return l;
}

double thread_cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// The transport side of a shard: serializes what the shard sends (a transport would frame it).
struct SerializingOut final : TransitOut {
    std::size_t bytes = 0;
    void send_tunnel_data(const IdentHash&, const i2np::TunnelData& m) override
    {
        bytes += m.serialize().size();
    }
    void send_tunnel_gateway(const IdentHash&, i2np::TunnelGateway&&) override {}
    void send_message(const IdentHash&, i2np::Message&&) override {}
};

// One shard: its own tunnels and serialized incoming TunnelData payloads for them, taken round
// robin (the worst order for the layer cache when there are more tunnels than slots), each with
// a new IV so the duplicate filter (on, as in the router) passes them.
struct ShardRun {
    crypto::DeterministicRng rng;
    TransitTable table;
    std::vector<std::vector<std::uint8_t>> inputs;
    SerializingOut out;
    std::size_t messages = 0;
    double cpu = 0;

    ShardRun(std::uint64_t seed, std::size_t tunnels, std::size_t cache)
        : rng(seed), table(limits(tunnels, cache), rng)
    {
        for (std::size_t i = 0; i < tunnels; ++i) {
            const auto id = std::uint32_t(seed << 24 | (i + 1));
            (void)table.add(testing::make_hop(rng, HopRole::participant, id), SteadyTime{});
            i2np::TunnelData m;
            m.tunnel = TunnelId(id);
            rng.fill(m.data);
            inputs.push_back(m.serialize());
        }
    }
    void run(const std::atomic<bool>& stop)
    {
        const double cpu0 = thread_cpu_seconds();
        std::size_t i = 0;
        while (!stop.load(std::memory_order_relaxed)) {
            for (int k = 0; k < 64; ++k, ++i) {
                auto& in = inputs[i % inputs.size()];
                store_be64(in.data() + 4, i); // a fresh IV: not a duplicate
                auto m = i2np::TunnelData::parse(in);
                table.on_tunnel_data(*m, SteadyTime{}, out);
            }
            messages += 64;
        }
        cpu = thread_cpu_seconds() - cpu0;
    }
};

struct Run {
    double wall = 0;
    double cpu = 0; // summed over the threads
    std::size_t messages = 0;
};

Run forward(std::size_t threads, std::size_t tunnels_per_thread, std::size_t cache, double seconds)
{
    std::vector<std::unique_ptr<ShardRun>> shards;
    for (std::size_t t = 0; t < threads; ++t) {
        shards.push_back(std::make_unique<ShardRun>(t + 1, tunnels_per_thread, cache));
    }
    std::atomic<bool> stop{false};
    const auto start = clock_type::now();
    std::vector<std::thread> pool;
    for (auto& s : shards) {
        pool.emplace_back([&s, &stop] { s->run(stop); });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : pool) {
        t.join();
    }
    Run r;
    r.wall = std::chrono::duration<double>(clock_type::now() - start).count();
    for (auto& s : shards) {
        r.messages += s->messages;
        r.cpu += s->cpu;
        const auto& c = s->table.counters();
        if (c.forwarded != s->messages) {
            // Every input has a fresh IV: what the duplicate filter drops are its false positives.
            std::fprintf(stderr,
                         "umbra_bench_tunnel: %zu of %zu messages not forwarded (%llu duplicate "
                         "filter false positives)\n",
                         s->messages - std::size_t(c.forwarded), s->messages,
                         static_cast<unsigned long long>(c.duplicates));
        }
    }
    return r;
}

bench::Figure figure(const std::string& name, double seconds, std::size_t ops, std::size_t bytes)
{
    bench::Figure f{name, seconds * 1e9 / double(ops), 0, bytes};
    f.mb_per_s = double(bytes) * double(ops) / seconds / 1e6;
    return f;
}

void add_run(std::vector<bench::Figure>& figures, const std::string& name, const Run& r)
{
    figures.push_back(figure(name + " (wall)", r.wall, r.messages, kBytesPerMessage));
    figures.push_back(figure(name + " (cpu)", r.cpu, r.messages, kBytesPerMessage));
}

// The layer alone, in thread CPU time (like `openssl speed`, which counts user time).
Run layer_only(double seconds)
{
    crypto::DeterministicRng rng(1);
    auto layer = hop_layer(testing::make_hop(rng, HopRole::participant, 1));
    std::array<std::uint8_t, kBytesPerMessage> block{};
    Run r;
    const auto start = clock_type::now();
    const double cpu0 = thread_cpu_seconds();
    while (std::chrono::duration<double>(clock_type::now() - start).count() < seconds) {
        for (int i = 0; i < 256; ++i) {
            layer.apply(block);
        }
        r.messages += 256;
    }
    r.cpu = thread_cpu_seconds() - cpu0;
    r.wall = std::chrono::duration<double>(clock_type::now() - start).count();
    return r;
}

// Heap bytes per transit tunnel (struct, map node and bucket share, endpoint none) measured with
// mallinfo2 around adding `n` tunnels; and per keyed context pair in the layer cache.
double heap_per_tunnel(std::size_t n, bool keyed_contexts)
{
    crypto::DeterministicRng rng(99);
    std::vector<HopKeys> keys;
    for (std::size_t i = 0; i < n; ++i) {
        keys.push_back(testing::make_hop(rng, HopRole::participant, std::uint32_t(i + 1)));
    }
    std::vector<crypto::TunnelLayerCipher> ciphers;
    ciphers.reserve(n);
    TransitTable table(limits(n, TransitLimits{}.layer_cache), rng);
    const auto before = mallinfo2().uordblks;
    for (const auto& k : keys) {
        if (keyed_contexts) {
            ciphers.push_back(hop_layer(k));
        } else {
            (void)table.add(k, SteadyTime{});
        }
    }
    return double(mallinfo2().uordblks - before) / double(n);
}

} // namespace

int main(int argc, char** argv)
{
    bool json = false;
    double seconds = 1.0;
    std::size_t tunnels = 1000; // per thread: within the layer cache
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--seconds" && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        } else if (a == "--tunnels" && i + 1 < argc) {
            tunnels = std::stoul(argv[++i]);
        } else {
            std::fprintf(stderr,
                         "usage: umbra_bench_tunnel [--json] [--seconds S] [--tunnels N]\n");
            return 2;
        }
    }
    std::vector<bench::Figure> figures;
    add_run(figures, "layer crypto only, 1 thread", layer_only(seconds / 2));
    const std::size_t cache = TransitLimits{}.layer_cache;
    add_run(figures, "transit forward, 1 thread", forward(1, tunnels, cache, seconds));
    add_run(figures, "transit forward, 2 threads", forward(2, tunnels, cache, seconds));
    add_run(figures, "transit forward, 1 thread, all cache misses",
            forward(1, 4 * cache, cache, seconds / 2));
    figures.push_back({"memory per transit tunnel (heap B)", heap_per_tunnel(20000, false), 0, 0});
    figures.push_back(
        {"keyed context pair in the cache (heap B)", heap_per_tunnel(2000, true), 0, 0});
    figures.push_back({"sizeof(TransitTunnel) (B)", double(sizeof(TransitTunnel)), 0, 0});
    figures.push_back({"layer cache slots per shard", double(cache), 0, 0});
    bench::print(figures, json);
    return 0;
}
