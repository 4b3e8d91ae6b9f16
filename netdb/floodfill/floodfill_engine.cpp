#include "netdb/floodfill/floodfill_engine.h"

#include <algorithm>

#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"
#include "router/data/router_info.h"

namespace umbra::netdb {

namespace {

using namespace std::chrono_literals;

// "Floodfills must never flood ... a RouterInfo published more than one hour ago" (Flooding).
constexpr std::chrono::milliseconds max_flood_age = 1h;
// DatabaseSearchReply: "Recommended maximum number of hashes to return: 16".
constexpr std::size_t max_search_reply_peers = 16;

template <class Body> i2np::Message message_of(const Body& body, WallTime expires, crypto::Rng& rng)
{
    return i2np::make_message(body, MessageId(rng.u32()), expires);
}

} // namespace

FloodfillEngine::FloodfillEngine(NetDbStore& store, const IdentHash& self, FloodfillConfig config)
    : store_(store), self_(self), config_(config),
      store_limiter_(config.store_limit, config.max_rate_limited_peers),
      lookup_limiter_(config.lookup_limit, config.max_rate_limited_peers)
{
}

Outbox FloodfillEngine::on_database_store(const IdentHash& from, const i2np::DatabaseStore& msg,
                                          WallTime now, crypto::Rng& rng, StoreArrival arrival)
{
    ++counters_.stores_received;
    if (!store_limiter_.allow(from, now)) {
        ++counters_.stores_rate_limited;
        return {};
    }
    const bool router_info = msg.entry_type == i2np::DatabaseEntryType::router_info;
    if (!router_info && !config_.floodfill) {
        // Only floodfills keep LeaseSets pushed to them; a non-floodfill storing them would let
        // anyone probe which router hosts a destination.
        ++counters_.lease_set_stores_not_floodfill;
        return {};
    }
    const auto accepted = router_info ? store_router_info(msg, now) : store_lease_set(msg, now);
    if (!accepted) {
        return {};
    }
    Outbox out;
    // "If greater than zero, a DeliveryStatusMessage is requested with the Message ID set to
    // the value of the Reply Token" (i2np.rst, DatabaseStore); tunnel 0: straight to the gateway.
    if (arrival == StoreArrival::direct && msg.reply) {
        const auto& r = *msg.reply;
        const i2np::DeliveryStatus status{r.token, now};
        std::optional<TunnelId> tunnel;
        if (r.tunnel.value() != 0) {
            tunnel = r.tunnel;
        }
        out.push_back({r.gateway, tunnel, {}, message_of(status, expiration(now), rng)});
        ++counters_.delivery_statuses_sent;
        // "A floodfill router is also expected to flood the data ... if the token is greater
        // than zero": a zero token marks a flood we must not repeat.
        if (config_.floodfill && accepted->fresh && accepted->floodable) {
            flood(from, msg, now, rng, out);
        }
    }
    return out;
}

Result<FloodfillEngine::Accepted> FloodfillEngine::store_router_info(const i2np::DatabaseStore& msg,
                                                                     WallTime now)
{
    auto raw = gzip_decompress(msg.data, data::max_router_info_size);
    if (!raw) {
        ++counters_.stores_bad_router_info;
        return raw.error();
    }
    auto ri = data::RouterInfo::parse(*raw);
    if (!ri || ri->ident_hash() != msg.key) {
        ++counters_.stores_bad_router_info;
        return make_error_code(Errc::invalid_value);
    }
    const bool recent = ri->published().ms >= now.ms - max_flood_age.count();
    const std::int64_t published = ri->published().ms;
    auto stored = store_.store_router_info(std::move(*ri), now);
    if (!stored) {
        if (stored.error() == make_error_code(StoreErrc::not_newer)) {
            ++counters_.stores_already_known;
            const auto* held = store_.find_router_info(msg.key);
            if (held != nullptr && held->published().ms == published && unflooded_.erase(msg.key)) {
                return Accepted{true, recent}; // the very RouterInfo of a handshake: flood it now
            }
            return Accepted{};
        }
        ++counters_.stores_rejected;
        return stored.error();
    }
    ++counters_.stores_accepted;
    unflooded_.erase(msg.key);
    return Accepted{true, recent};
}

void FloodfillEngine::note_unflooded(const IdentHash& router)
{
    if (!unflooded_.insert(router).second) {
        return;
    }
    unflooded_order_.push_back(router);
    while (unflooded_order_.size() > max_unflooded) {
        unflooded_.erase(unflooded_order_.front());
        unflooded_order_.pop_front();
    }
}

Result<FloodfillEngine::Accepted> FloodfillEngine::store_lease_set(const i2np::DatabaseStore& msg,
                                                                   WallTime now)
{
    auto record = check_lease_set(msg.key, msg.entry_type, msg.data, now);
    if (!record) {
        const auto i = std::size_t(record.error().value());
        ++counters_.bad_lease_sets[i < lease_set_errc_count ? i : 0];
        return record.error();
    }
    auto stored = store_.store_lease_set(msg.key, std::move(*record), now);
    if (!stored) {
        if (stored.error() == make_error_code(StoreErrc::not_newer)) {
            ++counters_.stores_already_known;
            return Accepted{};
        }
        ++counters_.stores_rejected;
        return stored.error();
    }
    ++counters_.stores_accepted;
    return Accepted{true, true}; // the store refuses expired LeaseSets
}

// "looks up several (currently 3) floodfill routers closest to the routing key of the NetDb
// entry ... and sends it a DatabaseStoreMessage with a zero Reply Token", over a direct
// connection (never a tunnel). Neither we, the sender nor the entry's own router get it.
void FloodfillEngine::flood(const IdentHash& from, const i2np::DatabaseStore& msg, WallTime now,
                            crypto::Rng& rng, Outbox& out)
{
    const IdentHash exclude[] = {self_, from, msg.key};
    const auto targets =
        store_.closest_floodfills(routing_key(msg.key, now), config_.flood_fanout, exclude);
    if (targets.empty()) {
        return;
    }
    const i2np::DatabaseStore copy{msg.key, msg.entry_type, 0, std::nullopt, msg.data};
    const i2np::Message m = message_of(copy, expiration(now), rng);
    for (const auto& t : targets) {
        out.push_back({t, std::nullopt, {}, m});
        out.back().message.id = MessageId(rng.u32());
        ++counters_.floods_sent;
    }
}

Outbox FloodfillEngine::on_database_lookup(const IdentHash& from, const i2np::DatabaseLookup& msg,
                                           WallTime now, crypto::Rng& rng)
{
    ++counters_.lookups_received;
    if (!lookup_limiter_.allow(from, now)) {
        ++counters_.lookups_rate_limited;
        return {};
    }
    using T = i2np::LookupType;
    // Exploration: flag value 3, or (before 0.9.16) an excluded peer of all zeroes (i2np.rst,
    // DatabaseLookup). Like i2pd we do not look the random key up (ibid., "Exploratory lookup
    // notes").
    const bool zero_excluded = std::any_of(msg.excluded_peers.begin(), msg.excluded_peers.end(),
                                           [](const IdentHash& h) { return h.is_zero(); });
    if (msg.lookup_type == T::exploration || (msg.lookup_type == T::any && zero_excluded)) {
        ++counters_.exploration_lookups;
        ++counters_.lookups_answered_with_peers;
        return {reply_to(msg, search_reply(msg, true, now, rng))};
    }
    if (msg.lookup_type == T::lease_set && !config_.floodfill) {
        ++counters_.lease_set_lookups_not_floodfill;
        return {};
    }
    const bool want_ri = msg.lookup_type == T::router_info || msg.lookup_type == T::any;
    const bool want_ls = msg.lookup_type != T::router_info && config_.floodfill;
    if (auto entry = entry_reply(msg, want_ri, want_ls, now, rng)) {
        ++counters_.lookups_answered_with_entry;
        return {reply_to(msg, std::move(*entry))};
    }
    ++counters_.lookups_answered_with_peers;
    return {reply_to(msg, search_reply(msg, false, now, rng))};
}

OutMessage FloodfillEngine::reply_to(const i2np::DatabaseLookup& lookup, i2np::Message m) const
{
    return {lookup.from, lookup.reply_tunnel, lookup.reply_encryption, std::move(m)};
}

std::optional<i2np::Message> FloodfillEngine::entry_reply(const i2np::DatabaseLookup& lookup,
                                                          bool want_ri, bool want_ls, WallTime now,
                                                          crypto::Rng& rng)
{
    if (want_ri) {
        if (const auto* ri = store_.find_router_info(lookup.key)) {
            const i2np::DatabaseStore s{lookup.key, i2np::DatabaseEntryType::router_info, 0,
                                        std::nullopt, gzip_compress(ri->bytes())};
            return message_of(s, expiration(now), rng);
        }
    }
    if (want_ls) {
        if (const auto* ls = store_.find_lease_set(lookup.key, now)) {
            const i2np::DatabaseStore s{lookup.key, i2np::DatabaseEntryType(ls->store_type), 0,
                                        std::nullopt, ls->bytes};
            return message_of(s, expiration(now), rng);
        }
    }
    return std::nullopt;
}

// The closest floodfills for a RouterInfo or LeaseSet lookup, the closest non-floodfills for an
// exploration (network-database.html, "Exploration"); never the excluded peers, ourselves or
// the requester.
i2np::Message FloodfillEngine::search_reply(const i2np::DatabaseLookup& lookup, bool exploration,
                                            WallTime now, crypto::Rng& rng)
{
    std::vector<IdentHash> exclude(lookup.excluded_peers);
    exclude.push_back(self_);
    exclude.push_back(lookup.from);
    std::sort(exclude.begin(), exclude.end());
    const auto accept = [&](const IdentHash& h, bool floodfill) {
        return floodfill != exploration && !std::binary_search(exclude.begin(), exclude.end(), h);
    };
    const std::size_t n = std::min(config_.search_reply_peers, max_search_reply_peers);
    i2np::DatabaseSearchReply reply{
        lookup.key, store_.closest_routers(routing_key(lookup.key, now), n, accept), self_};
    return message_of(reply, expiration(now), rng);
}

} // namespace umbra::netdb
