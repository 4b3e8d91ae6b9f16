// The in-memory network database: RouterInfos (parsed, validated) and LeaseSets (bytes the
// caller validated, with their dates), keyed by hash (network-database.html). Sans-IO: every
// call takes the current time; one owner, no locks; both tables are capped.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "crypto/random.h"
#include "netdb/store/routing_key.h"
#include "router/base/result.h"
#include "router/data/router_info.h"

namespace umbra::netdb {

using namespace std::chrono_literals;

// Why a store was refused. Each has a counter (NetDbCounters::rejected).
enum class StoreErrc {
    malformed = 1,       // RouterInfo::parse failed
    too_large,           // over max_router_info_size / max_lease_set_size
    bad_signature,       //
    wrong_network,       // netId differs from ours
    published_in_future, // more than data::max_published_skew_ms ahead of now
    too_old,             // published before now - max_router_info_age (or an expired LeaseSet)
    bad_address,         // an address without a style, with a bad host or port
    not_newer,           // we hold an entry with this published date or a later one
    full,                // the table is at its cap
};
inline constexpr std::size_t store_errc_count = 10; // one past the last value

const boost::system::error_category& netdb_store_category() noexcept;
inline ErrorCode make_error_code(StoreErrc e) noexcept
{
    return {static_cast<int>(e), netdb_store_category()};
}

// The oldest RouterInfo any path accepts, and the longest the expiry policy keeps one
// (network-database.html, "RouterInfo Expiration": 72 hours with fewer than 120 routers).
inline constexpr std::chrono::milliseconds max_router_info_age = 72h;
// A LeaseSet2 expires at most 65535 s after it was published ("up to 18.2 hours").
inline constexpr std::chrono::milliseconds max_lease_set_lifetime = 65535s;
inline constexpr std::size_t max_lease_set_size = 65536;

struct NetDbConfig {
    std::uint8_t net_id = data::default_net_id;
    bool floodfill = false; // we are one: keep every RouterInfo 1 hour only
    std::size_t max_router_infos = 10'000;
    std::size_t max_lease_sets = 10'000;
};

struct NetDbCounters {
    std::array<std::uint64_t, store_errc_count> rejected{}; // indexed by StoreErrc
    std::uint64_t router_infos_added = 0;
    std::uint64_t router_infos_replaced = 0;
    std::uint64_t router_infos_expired = 0;
    std::uint64_t lease_sets_added = 0;
    std::uint64_t lease_sets_replaced = 0;
    std::uint64_t lease_sets_expired = 0;

    std::uint64_t rejections(StoreErrc e) const { return rejected[std::size_t(e)]; }
};

enum class StoreOutcome { added, replaced };

// A LeaseSet of any type as the caller validated it (signature, expiration of its leases).
struct LeaseSetRecord {
    std::uint8_t store_type = 0; // DatabaseStore type: 1, 3, 5 or 7
    std::vector<std::uint8_t> bytes;
    WallTime published;
    WallTime expires;
};

class NetDbStore {
public:
    // started: when the router started, for the first-hour rule of expire().
    NetDbStore(NetDbConfig config, WallTime started);

    // Parses, validates and keeps data unless we hold an entry published at the same time or
    // later. Full: refused (expire() makes room); an existing entry may always be replaced.
    Result<StoreOutcome> store_router_info(std::span<const std::uint8_t> data, WallTime now);
    // The same for a RouterInfo the caller parsed (e.g. to check its hash against a
    // DatabaseStore key first): validation, policy and counters as above.
    Result<StoreOutcome> store_router_info(data::RouterInfo ri, WallTime now);
    const data::RouterInfo* find_router_info(const IdentHash& hash) const;
    bool remove_router_info(const IdentHash& hash);

    // key: the Destination hash (or, for an EncryptedLeaseSet, the blinded key hash).
    // Refuses an expired record, one expiring more than max_lease_set_lifetime from now, an
    // oversized one, and one not published later than the record held.
    Result<StoreOutcome> store_lease_set(const IdentHash& key, LeaseSetRecord record, WallTime now);
    // Only while unexpired.
    const LeaseSetRecord* find_lease_set(const IdentHash& key, WallTime now) const;

    // The age beyond which expire() drops a RouterInfo now; nothing when it drops none.
    std::optional<std::chrono::milliseconds> router_info_max_age(WallTime now) const;
    // Drops expired LeaseSets and RouterInfos past the policy; returns the hashes of the
    // RouterInfos dropped (so persistence can delete their files).
    std::vector<IdentHash> expire(WallTime now);

    // The n floodfills closest to key (nearest first), skipping those in exclude.
    std::vector<IdentHash> closest_floodfills(const RoutingKey& key, std::size_t n,
                                              std::span<const IdentHash> exclude = {}) const;
    // The n routers closest to key (nearest first) among those accept(hash, is_floodfill) keeps.
    // One pass with a bounded heap: O(N log n), no copy of the table.
    using ClosestFilter = std::function<bool(const IdentHash&, bool floodfill)>;
    std::vector<IdentHash> closest_routers(const RoutingKey& key, std::size_t n,
                                           const ClosestFilter& accept) const;
    // Up to n distinct routers accepted by filter, uniformly at random (order random too).
    using RouterFilter = std::function<bool(const data::RouterInfo&)>;
    std::vector<const data::RouterInfo*> random_routers(std::size_t n, const RouterFilter& filter,
                                                        crypto::Rng& rng) const;
    // Visits every RouterInfo in hash order.
    void for_each_router_info(const std::function<void(const data::RouterInfo&)>& f) const;

    std::size_t size() const { return routers_.size(); } // RouterInfos
    std::size_t lease_set_count() const { return lease_sets_.size(); }
    const NetDbCounters& counters() const { return counters_; }
    const NetDbConfig& config() const { return config_; }

private:
    struct RouterEntry {
        data::RouterInfo info;
        bool floodfill;
        bool has_introducers;      // expires after an hour (the introducer list does)
        std::size_t index_pos = 0; // of its hash in index_
    };
    // The hashes and floodfill flags of routers_ packed in one array, so the closest-peer scans
    // of every lookup read 33 bytes per router instead of chasing map nodes of ~2 KB each.
    struct IndexEntry {
        IdentHash hash;
        bool floodfill;
    };
    void erase_router(std::map<IdentHash, RouterEntry>::iterator it);
    ErrorCode reject(StoreErrc e);
    std::optional<std::chrono::milliseconds> max_age_of(const RouterEntry& e, WallTime now) const;

    NetDbConfig config_;
    WallTime started_;
    // Ordered maps: iteration order (random_routers, persistence) is reproducible in simulations.
    std::map<IdentHash, RouterEntry> routers_;
    std::map<IdentHash, LeaseSetRecord> lease_sets_;
    std::vector<IndexEntry> index_; // unordered; RouterEntry::index_pos points back
    NetDbCounters counters_;
};

// Exposed for tests: the "at least sane addresses" rule of store_router_info.
bool addresses_are_sane(const data::RouterInfo& ri);

} // namespace umbra::netdb

template <> struct boost::system::is_error_code_enum<umbra::netdb::StoreErrc> : std::true_type {
};
