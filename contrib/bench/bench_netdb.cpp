// netdb floodfill benchmark (issue 4): RouterInfo stores per second (gunzip + parse + verify +
// store, through FloodfillEngine::on_database_store), lookup answers per second (hit: a
// DatabaseStore reply; miss: a DatabaseSearchReply of the closest floodfills; exploration), and
// heap bytes per stored RouterInfo (mallinfo2 delta), at several store sizes, on one thread.
// RouterInfos are generated and signed here (Ed25519, one NTCP2 address, 10% floodfills).
// Usage: umbra_bench_netdb [--sizes 1000,10000,50000] [--lookups N] [--json]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "netdb/floodfill/floodfill_engine.h"
#include "router/base/gzip.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"

#include <malloc.h>

namespace {

using namespace umbra;
using namespace umbra::netdb;
using clock_type = std::chrono::steady_clock;

const WallTime t0{1'700'000'000'000};
const WallTime now{t0.ms + 60'000};

struct Entry {
    IdentHash key;
    std::vector<std::uint8_t> raw;     // the RouterInfo
    std::vector<std::uint8_t> gzipped; // as carried in a DatabaseStore
};

Entry make_entry(crypto::Rng& rng, bool floodfill)
{
    auto keys = data::PrivateKeys::generate_router(rng);
    auto id = data::RouterIdentity::from(keys.identity());
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = "NTCP2";
    (void)a.options.set("host", "127.0.0.1");
    (void)a.options.set("port", "9000");
    (void)a.options.set("v", "2");
    data::Mapping m;
    (void)m.set("caps", floodfill ? "XfR" : "XR");
    (void)m.set("netId", "99");
    (void)m.set("router.version", "0.9.67");
    auto ri = data::RouterInfo::create(*id, t0, {a}, std::move(m), *keys.signing_key(), rng);
    if (!id || !ri) {
        std::fprintf(stderr, "cannot build a RouterInfo\n");
        std::exit(1);
    }
    std::vector<std::uint8_t> raw(ri->bytes().begin(), ri->bytes().end());
    return {ri->ident_hash(), raw, gzip_compress(raw)};
}

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct Row {
    std::size_t size;
    double stores_per_s, hit_per_s, miss_per_s, explore_per_s, bytes_per_ri;
};

FloodfillConfig bench_config()
{
    FloodfillConfig c;
    c.floodfill = true;
    c.store_limit = {1e12, 1e12}; // one sender here: the per-peer limits would measure nothing
    c.lookup_limit = {1e12, 1e12};
    return c;
}

template <class F> double rate(std::size_t n, F&& f)
{
    const auto start = clock_type::now();
    for (std::size_t i = 0; i < n; ++i)
        f(i);
    return double(n) / seconds_since(start);
}

Row run(const std::vector<Entry>& entries, std::size_t n, std::size_t lookups, crypto::Rng& rng)
{
    NetDbStore store({.net_id = 99, .floodfill = true, .max_router_infos = n}, t0);
    const IdentHash self({0xee}), peer({0x11});
    FloodfillEngine engine(store, self, bench_config());
    const std::size_t heap_before = mallinfo2().uordblks;
    Row row{n, 0, 0, 0, 0, 0};
    row.stores_per_s = rate(n, [&](std::size_t i) {
        i2np::DatabaseStore s{entries[i].key, i2np::DatabaseEntryType::router_info, 0, std::nullopt,
                              entries[i].gzipped};
        (void)engine.on_database_store(peer, s, now, rng);
    });
    row.bytes_per_ri = double(mallinfo2().uordblks - heap_before) / double(n);
    if (store.size() != n) {
        std::fprintf(stderr, "stored %zu of %zu\n", store.size(), n);
        std::exit(1);
    }
    const auto lookup = [&](const IdentHash& key, i2np::LookupType type) {
        i2np::DatabaseLookup l;
        l.key = key;
        l.from = peer;
        l.lookup_type = type;
        if (engine.on_database_lookup(peer, l, now, rng).size() != 1)
            std::exit(1);
    };
    row.hit_per_s = rate(lookups, [&](std::size_t i) {
        lookup(entries[(i * 7919) % n].key, i2np::LookupType::router_info);
    });
    std::vector<IdentHash> random_keys(lookups);
    for (auto& k : random_keys) {
        std::array<std::uint8_t, 32> b;
        rng.fill(b);
        k = IdentHash(b);
    }
    row.miss_per_s = rate(
        lookups, [&](std::size_t i) { lookup(random_keys[i], i2np::LookupType::router_info); });
    row.explore_per_s = rate(
        lookups, [&](std::size_t i) { lookup(random_keys[i], i2np::LookupType::exploration); });
    return row;
}

std::vector<std::size_t> parse_sizes(const char* s)
{
    std::vector<std::size_t> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');)
        out.push_back(std::stoul(item));
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::size_t> sizes = {1000, 10000, 50000};
    std::size_t lookups = 2000;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
            sizes = parse_sizes(argv[++i]);
        } else if (!std::strcmp(argv[i], "--lookups") && i + 1 < argc) {
            lookups = std::stoul(argv[++i]);
        } else if (!std::strcmp(argv[i], "--json")) {
            json = true;
        } else {
            std::fprintf(stderr,
                         "usage: umbra_bench_netdb [--sizes a,b,c] [--lookups N] [--json]\n");
            return 2;
        }
    }
    std::size_t max_size = 0;
    for (auto s : sizes)
        max_size = std::max(max_size, s);
    crypto::DeterministicRng rng(4);
    const auto gen_start = clock_type::now();
    std::vector<Entry> entries;
    entries.reserve(max_size);
    for (std::size_t i = 0; i < max_size; ++i)
        entries.push_back(make_entry(rng, i % 10 == 0));
    std::fprintf(stderr, "generated %zu signed RouterInfos in %.1f s (mean %zu bytes, gzip %zu)\n",
                 max_size, seconds_since(gen_start), entries[0].raw.size(),
                 entries[0].gzipped.size());
    std::vector<Row> rows;
    for (auto n : sizes)
        rows.push_back(run(entries, n, lookups, rng));
    if (json) {
        std::printf("[\n");
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& r = rows[i];
            std::printf("  {\"routers\": %zu, \"stores_per_s\": %.0f, \"lookup_hit_per_s\": %.0f, "
                        "\"lookup_miss_per_s\": %.0f, \"exploration_per_s\": %.0f, "
                        "\"heap_bytes_per_ri\": %.0f}%s\n",
                        r.size, r.stores_per_s, r.hit_per_s, r.miss_per_s, r.explore_per_s,
                        r.bytes_per_ri, i + 1 < rows.size() ? "," : "");
        }
        std::printf("]\n");
        return 0;
    }
    std::printf("%9s %12s %14s %14s %14s %14s\n", "routers", "stores/s", "lookup hit/s",
                "lookup miss/s", "explore/s", "heap B/RI");
    for (const auto& r : rows)
        std::printf("%9zu %12.0f %14.0f %14.0f %14.0f %14.0f\n", r.size, r.stores_per_s,
                    r.hit_per_s, r.miss_per_s, r.explore_per_s, r.bytes_per_ri);
    return 0;
}
