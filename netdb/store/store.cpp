#include "netdb/store/store.h"

#include <algorithm>
#include <charconv>
#include <string>

#include <arpa/inet.h>

namespace umbra::netdb {

namespace {

class StoreCategory final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "umbra.netdb.store"; }
    std::string message(int ev) const override
    {
        switch (static_cast<StoreErrc>(ev)) {
        case StoreErrc::malformed:
            return "malformed entry";
        case StoreErrc::too_large:
            return "entry too large";
        case StoreErrc::bad_signature:
            return "bad signature";
        case StoreErrc::wrong_network:
            return "wrong network id";
        case StoreErrc::published_in_future:
            return "published in the future";
        case StoreErrc::too_old:
            return "entry too old or expired";
        case StoreErrc::bad_address:
            return "bad router address";
        case StoreErrc::not_newer:
            return "not newer than the stored entry";
        case StoreErrc::full:
            return "store full";
        }
        return "unknown netdb store error";
    }
};

bool is_ip_literal(std::string_view host)
{
    const std::string h(host);
    unsigned char buf[16];
    return ::inet_pton(AF_INET, h.c_str(), buf) == 1 || ::inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

bool is_port(std::string_view s)
{
    unsigned v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc{} && p == s.data() + s.size() && v >= 1 && v <= 65535;
}

// Introducer keys: SSU2 "ih0".."ih2" (ssu2.rst, "Introducers"), SSU1 "ihost0"...
bool has_introducers(const data::RouterInfo& ri)
{
    for (const auto& a : ri.addresses()) {
        for (const auto& [k, v] : a.options.entries()) {
            if (k.starts_with("ihost") ||
                (k.size() >= 3 && k.starts_with("ih") && k[2] >= '0' && k[2] <= '9')) {
                return true;
            }
        }
    }
    return false;
}

StoreErrc store_errc_of(const ErrorCode& ec)
{
    if (ec == make_error_code(Errc::bad_signature)) {
        return StoreErrc::bad_signature;
    }
    if (ec == make_error_code(Errc::wrong_network)) {
        return StoreErrc::wrong_network;
    }
    if (ec == make_error_code(Errc::expired)) {
        return StoreErrc::published_in_future;
    }
    return StoreErrc::malformed;
}

} // namespace

const boost::system::error_category& netdb_store_category() noexcept
{
    static const StoreCategory c;
    return c;
}

// Zero addresses are sane (hidden and some firewalled routers publish none). Each address needs
// a style; "host", when present, must be an IP literal (a host name would make us resolve names
// chosen by strangers); "port", when present, 1-65535.
bool addresses_are_sane(const data::RouterInfo& ri)
{
    for (const auto& a : ri.addresses()) {
        if (a.transport_style.empty()) {
            return false;
        }
        if (const auto host = a.option("host"); host && !is_ip_literal(*host)) {
            return false;
        }
        if (const auto port = a.option("port"); port && !is_port(*port)) {
            return false;
        }
    }
    return true;
}

NetDbStore::NetDbStore(NetDbConfig config, WallTime started) : config_(config), started_(started) {}

ErrorCode NetDbStore::reject(StoreErrc e)
{
    ++counters_.rejected[std::size_t(e)];
    return make_error_code(e);
}

Result<StoreOutcome> NetDbStore::store_router_info(std::span<const std::uint8_t> data, WallTime now)
{
    if (data.size() > data::max_router_info_size) {
        return reject(StoreErrc::too_large);
    }
    auto ri = data::RouterInfo::parse(data);
    if (!ri) {
        return reject(ri.error() == make_error_code(Errc::too_large) ? StoreErrc::too_large
                                                                     : StoreErrc::malformed);
    }
    return store_router_info(std::move(*ri), now);
}

Result<StoreOutcome> NetDbStore::store_router_info(data::RouterInfo ri, WallTime now)
{
    if (auto v = ri.validate(config_.net_id, now); !v) {
        return reject(store_errc_of(v.error()));
    }
    if (ri.published().ms < now.ms - max_router_info_age.count()) {
        return reject(StoreErrc::too_old);
    }
    if (!addresses_are_sane(ri)) {
        return reject(StoreErrc::bad_address);
    }
    const IdentHash hash = ri.ident_hash();
    const auto it = routers_.find(hash);
    if (it != routers_.end() && it->second.info.published() >= ri.published()) {
        return reject(StoreErrc::not_newer);
    }
    if (it == routers_.end() && routers_.size() >= config_.max_router_infos) {
        return reject(StoreErrc::full);
    }
    const bool ff = ri.caps().floodfill;
    const bool intro = has_introducers(ri);
    RouterEntry entry{std::move(ri), ff, intro};
    if (it != routers_.end()) {
        entry.index_pos = it->second.index_pos;
        index_[entry.index_pos].floodfill = ff;
        it->second = std::move(entry);
        ++counters_.router_infos_replaced;
        return StoreOutcome::replaced;
    }
    entry.index_pos = index_.size();
    index_.push_back({hash, ff});
    routers_.emplace(hash, std::move(entry));
    ++counters_.router_infos_added;
    return StoreOutcome::added;
}

const data::RouterInfo* NetDbStore::find_router_info(const IdentHash& hash) const
{
    const auto it = routers_.find(hash);
    return it == routers_.end() ? nullptr : &it->second.info;
}

bool NetDbStore::remove_router_info(const IdentHash& hash)
{
    const auto it = routers_.find(hash);
    if (it == routers_.end()) {
        return false;
    }
    erase_router(it);
    return true;
}

void NetDbStore::erase_router(std::map<IdentHash, RouterEntry>::iterator it)
{
    // Swap-remove from the index: the last entry takes the freed slot.
    const std::size_t pos = it->second.index_pos;
    if (pos + 1 != index_.size()) {
        index_[pos] = index_.back();
        routers_.find(index_[pos].hash)->second.index_pos = pos;
    }
    index_.pop_back();
    routers_.erase(it);
}

Result<StoreOutcome> NetDbStore::store_lease_set(const IdentHash& key, LeaseSetRecord record,
                                                 WallTime now)
{
    if (record.bytes.size() > max_lease_set_size) {
        return reject(StoreErrc::too_large);
    }
    if (record.expires <= now) {
        return reject(StoreErrc::too_old);
    }
    if (record.expires.ms > now.ms + max_lease_set_lifetime.count() ||
        record.published.ms > now.ms + data::max_published_skew_ms) {
        return reject(StoreErrc::published_in_future);
    }
    const auto it = lease_sets_.find(key);
    if (it != lease_sets_.end() && it->second.expires > now &&
        it->second.published >= record.published) {
        return reject(StoreErrc::not_newer);
    }
    if (it == lease_sets_.end() && lease_sets_.size() >= config_.max_lease_sets) {
        return reject(StoreErrc::full);
    }
    if (it != lease_sets_.end()) {
        it->second = std::move(record);
        ++counters_.lease_sets_replaced;
        return StoreOutcome::replaced;
    }
    lease_sets_.emplace(key, std::move(record));
    ++counters_.lease_sets_added;
    return StoreOutcome::added;
}

const LeaseSetRecord* NetDbStore::find_lease_set(const IdentHash& key, WallTime now) const
{
    const auto it = lease_sets_.find(key);
    if (it == lease_sets_.end() || it->second.expires <= now) {
        return nullptr;
    }
    return &it->second;
}

// network-database.html, "RouterInfo Expiration": none in the first hour of uptime (stored data
// may be old), none with 25 or fewer RouterInfos, 1 hour on a floodfill, 72 hours below 120
// RouterInfos, "around 30 hours" at 300. umbra interpolates linearly between 120 and 300 and
// beyond 300 keeps 30 h * 300 / count (the count times the age stays constant), at least 1 hour.
std::optional<std::chrono::milliseconds> NetDbStore::router_info_max_age(WallTime now) const
{
    using std::chrono::milliseconds;
    if (now.ms - started_.ms < milliseconds(1h).count() || routers_.size() <= 25) {
        return std::nullopt;
    }
    if (config_.floodfill) {
        return 1h;
    }
    const auto count = std::int64_t(routers_.size());
    if (count < 120) {
        return 72h;
    }
    if (count <= 300) {
        return milliseconds(72h) - milliseconds(42h) * (count - 120) / 180;
    }
    return std::max<milliseconds>(1h, milliseconds(30h) * 300 / count);
}

std::optional<std::chrono::milliseconds> NetDbStore::max_age_of(const RouterEntry& e,
                                                                WallTime now) const
{
    auto age = router_info_max_age(now);
    if (age && e.has_introducers) {
        age = std::min<std::chrono::milliseconds>(*age, 1h);
    }
    return age;
}

std::vector<IdentHash> NetDbStore::expire(WallTime now)
{
    std::erase_if(lease_sets_, [&](const auto& kv) {
        const bool dead = kv.second.expires <= now;
        counters_.lease_sets_expired += dead ? 1 : 0;
        return dead;
    });
    // The policy is evaluated once, against the count before this pass, so the order in which
    // entries are visited does not change the outcome.
    std::vector<IdentHash> dropped;
    for (const auto& [hash, entry] : routers_) {
        const auto age = max_age_of(entry, now);
        if (age && entry.info.published().ms < now.ms - age->count()) {
            dropped.push_back(hash);
        }
    }
    for (const auto& h : dropped) {
        erase_router(routers_.find(h));
    }
    counters_.router_infos_expired += dropped.size();
    return dropped;
}

std::vector<IdentHash> NetDbStore::closest_floodfills(const RoutingKey& key, std::size_t n,
                                                      std::span<const IdentHash> exclude) const
{
    std::vector<IdentHash> candidates;
    for (const auto& [hash, floodfill] : index_) {
        if (floodfill && std::find(exclude.begin(), exclude.end(), hash) == exclude.end()) {
            candidates.push_back(hash);
        }
    }
    return closest(key, candidates, n);
}

std::vector<IdentHash> NetDbStore::closest_routers(const RoutingKey& key, std::size_t n,
                                                   const ClosestFilter& accept) const
{
    if (n == 0) {
        return {};
    }
    // A max-heap of the n best so far: its top is the farthest, replaced by anything nearer.
    // The first 8 bytes of each distance, as a number, reject most routers before the filter
    // and the full 32-byte distance are computed.
    const auto prefix = [](const std::array<std::uint8_t, 32>& b) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) {
            v = (v << 8) | b[std::size_t(i)];
        }
        return v;
    };
    const std::uint64_t key_prefix = prefix(key.hash.bytes());
    std::uint64_t worst_prefix = UINT64_MAX;
    std::vector<std::pair<XorDistance, IdentHash>> heap;
    heap.reserve(n);
    for (const auto& [hash, floodfill] : index_) {
        if ((prefix(hash.bytes()) ^ key_prefix) > worst_prefix ||
            (accept && !accept(hash, floodfill))) {
            continue;
        }
        XorDistance d = distance(key, hash);
        if (heap.size() < n) {
            heap.emplace_back(d, hash);
            std::push_heap(heap.begin(), heap.end());
        } else if (d < heap.front().first) {
            std::pop_heap(heap.begin(), heap.end());
            heap.back() = {d, hash};
            std::push_heap(heap.begin(), heap.end());
        }
        if (heap.size() == n) {
            worst_prefix = prefix(heap.front().first.bytes());
        }
    }
    std::sort_heap(heap.begin(), heap.end());
    std::vector<IdentHash> out;
    out.reserve(heap.size());
    for (const auto& [d, h] : heap) {
        out.push_back(h);
    }
    return out;
}

std::vector<const data::RouterInfo*>
NetDbStore::random_routers(std::size_t n, const RouterFilter& filter, crypto::Rng& rng) const
{
    std::vector<const data::RouterInfo*> pool;
    for (const auto& [hash, entry] : routers_) {
        if (!filter || filter(entry.info)) {
            pool.push_back(&entry.info);
        }
    }
    // Partial Fisher-Yates: the first k slots become a uniform random sample in random order.
    const std::size_t k = std::min(n, pool.size());
    for (std::size_t i = 0; i < k; ++i) {
        const std::size_t j = i + std::size_t(rng.uniform(pool.size() - i));
        std::swap(pool[i], pool[j]);
    }
    pool.resize(k);
    return pool;
}

void NetDbStore::for_each_router_info(const std::function<void(const data::RouterInfo&)>& f) const
{
    for (const auto& [hash, entry] : routers_) {
        f(entry.info);
    }
}

} // namespace umbra::netdb
