// Tunnel build benchmark (issue 5 item 8): ECIES build requests handled per second on one core,
// hop side, accept path (find record, X25519, Noise N decrypt, short KDF, policy, reply seal,
// ChaCha20/AES pass over the other records), for short (ShortTunnelBuild, 4 records) and long
// (VariableTunnelBuild, 4 records) records, beside X25519 key agreements per second measured in
// the same run (compare with `openssl speed x25519`). Usage: umbra_bench_tunnel_build [--json]
// [--seconds S]. Requests are pre-built by the creator code (each has a fresh ephemeral key, so
// the replay cache accepts it); only BuildHop::handle is timed. Rates are per second of this
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so a loaded machine does not lower them; `openssl
// speed` also counts CPU (user) time.
#include <cstdio>
#include <cstring>
#include <string>

#include "crypto/x25519.h"
#include "tunnels/build/testing.h"

#include <time.h>

using namespace umbra;
using namespace umbra::tunnels;

namespace {

double cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

constexpr std::size_t kPool = 2048;
const WallTime kNow{1'764'000'000'000};

std::vector<BuildRequest> make_pool(RecordFormat format, testing::TestRouter& hop,
                                    testing::TestRouter& next, crypto::Rng& rng)
{
    std::vector<BuildRequest> pool;
    pool.reserve(kPool);
    for (std::size_t i = 0; i < kPool; ++i) {
        auto plan = testing::make_plan({&hop, &next}, format, false, next.ident);
        auto created = PendingBuild::create(std::move(plan), kNow, rng);
        if (!created) {
            std::abort();
        }
        pool.push_back(std::move(created->second));
    }
    return pool;
}

// Requests per second through one BuildHop, on this thread.
double hop_rate(RecordFormat format, double seconds)
{
    crypto::DeterministicRng rng(1);
    testing::TestRouter hop = testing::make_router(1);
    testing::TestRouter next = testing::make_router(2);
    const auto pool = make_pool(format, hop, next, rng);
    double busy = 0;
    std::size_t handled = 0;
    while (busy < seconds) {
        testing::TestRouter fresh = testing::make_router(1); // empty replay cache, same key
        const double start = cpu_seconds();
        for (const BuildRequest& req : pool) {
            auto out = fresh.hop->handle(req.type, req.payload, kNow, rng, testing::accept_all);
            if (!out || out->reply != kReplyAccept) {
                std::abort();
            }
        }
        busy += cpu_seconds() - start;
        handled += pool.size();
    }
    return double(handled) / busy;
}

double x25519_rate(double seconds)
{
    crypto::DeterministicRng rng(3);
    const auto a = crypto::X25519Keypair::generate(rng);
    const auto b = crypto::X25519Keypair::generate(rng);
    crypto::Key32 out;
    std::size_t ops = 0;
    const double start = cpu_seconds();
    double elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 256; ++i) {
            if (!crypto::x25519(a.private_key, b.public_key, out)) {
                std::abort();
            }
        }
        ops += 256;
        elapsed = cpu_seconds() - start;
    }
    return double(ops) / elapsed;
}

} // namespace

int main(int argc, char** argv)
{
    bool json = false;
    double seconds = 2.0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        }
    }
    const double dh = x25519_rate(seconds);
    const double short_rate = hop_rate(RecordFormat::short_ecies, seconds);
    const double long_rate = hop_rate(RecordFormat::long_ecies, seconds);
    if (json) {
        std::printf("{\"x25519_per_s\": %.0f, \"short_build_per_s\": %.0f, "
                    "\"long_build_per_s\": %.0f}\n",
                    dh, short_rate, long_rate);
    } else {
        std::printf("x25519 key agreements/s (one core)         %10.0f\n", dh);
        std::printf("short build requests accepted/s (one core) %10.0f\n", short_rate);
        std::printf("long build requests accepted/s (one core)  %10.0f\n", long_rate);
    }
    return 0;
}
