// The floodfill (server) side of the netdb (network-database.html, "Floodfill", "Flooding",
// "RouterInfo and LeaseSet Lookup", "Exploration"; i2np.rst "DatabaseStore", "DatabaseLookup",
// "DatabaseSearchReply"). Sans-IO: the router hands in each parsed message with the peer it came
// from, the time and an Rng; the engine stores, and returns the messages to send (DeliveryStatus,
// floods, lookup replies) as an Outbox. One owner, no locks.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>

#include "crypto/random.h"
#include "netdb/floodfill/lease_set_check.h"
#include "netdb/floodfill/rate_limit.h"
#include "netdb/store/outbox.h"
#include "netdb/store/store.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/database_store.h"

namespace umbra::netdb {

struct FloodfillConfig {
    bool floodfill = false;
    // "looks up several (currently 3) floodfill routers closest to the routing key" (Flooding).
    std::size_t flood_fanout = 3;
    // DatabaseSearchReply: "Typical number of hashes returned: 3"; at most 16 are sent.
    std::size_t search_reply_peers = 3;
    // Expiration of the messages we send, from now.
    std::chrono::milliseconds message_lifetime = std::chrono::seconds(60);
    RateLimit store_limit{.per_second = 10, .burst = 40};
    RateLimit lookup_limit{.per_second = 20, .burst = 60};
    std::size_t max_rate_limited_peers = 4096; // per table (stores, lookups)
};

// What happened to each message; rejections by store validation are detailed further in
// NetDbStore::counters(), leaseset rejections by reason here.
struct FloodfillCounters {
    std::uint64_t stores_received = 0;
    std::uint64_t stores_accepted = 0;        // new or newer entry stored
    std::uint64_t stores_already_known = 0;   // we hold the same or a newer one
    std::uint64_t stores_rate_limited = 0;    // dropped unread
    std::uint64_t stores_bad_router_info = 0; // gzip or parse failed, or key is not its hash
    std::uint64_t stores_rejected = 0;        // refused by NetDbStore (see its counters)
    std::uint64_t lease_set_stores_not_floodfill = 0;
    std::array<std::uint64_t, lease_set_errc_count> bad_lease_sets{}; // by LeaseSetErrc
    std::uint64_t delivery_statuses_sent = 0;
    std::uint64_t floods_sent = 0; // one per DatabaseStore sent to a floodfill

    std::uint64_t lookups_received = 0;
    std::uint64_t lookups_rate_limited = 0;
    std::uint64_t lease_set_lookups_not_floodfill = 0;
    std::uint64_t lookups_answered_with_entry = 0;
    std::uint64_t lookups_answered_with_peers = 0; // DatabaseSearchReply (exploration included)
    std::uint64_t exploration_lookups = 0;
};

// Which path a DatabaseStore took to reach us. Down one of our inbound tunnels it is a reply to
// our own lookup or an unsolicited push: "the reply fields are ignored if the message is received
// down a tunnel" (i2np.rst, DatabaseStore notes), and nothing is flooded.
enum class StoreArrival { direct, tunnel };

class FloodfillEngine {
public:
    FloodfillEngine(NetDbStore& store, const IdentHash& self, FloodfillConfig config);

    // from: the peer the message came from (the rate-limit key; never flooded back to).
    Outbox on_database_store(const IdentHash& from, const i2np::DatabaseStore& msg, WallTime now,
                             crypto::Rng& rng, StoreArrival arrival = StoreArrival::direct);
    // Replies go to msg.from (directly, or into msg.reply_tunnel at that gateway), encrypted
    // with msg.reply_encryption by the garlic layer.
    Outbox on_database_lookup(const IdentHash& from, const i2np::DatabaseLookup& msg, WallTime now,
                              crypto::Rng& rng);

    // A RouterInfo its router gave us in a transport handshake (ntcp2.rst "RouterInfo" block,
    // flag 0: "local store only") is stored without a flood. When that router then publishes it
    // to us with a reply token (network-database.html, "RouterInfo Storage to Floodfills"), it is
    // flooded once as if it were new: otherwise every router that connects before publishing
    // would never be flooded. Bounded: the oldest marks are forgotten first.
    void note_unflooded(const IdentHash& router);

    void set_floodfill(bool on) { config_.floodfill = on; }
    bool floodfill() const { return config_.floodfill; }
    const FloodfillConfig& config() const { return config_; }
    const FloodfillCounters& counters() const { return counters_; }
    std::uint64_t bad_lease_sets(LeaseSetErrc e) const
    {
        return counters_.bad_lease_sets[std::size_t(e)];
    }

private:
    struct Accepted {
        bool fresh = false; // newer than what we held: flood it
        bool floodable = false;
    };
    Result<Accepted> store_router_info(const i2np::DatabaseStore& msg, WallTime now);
    Result<Accepted> store_lease_set(const i2np::DatabaseStore& msg, WallTime now);
    void flood(const IdentHash& from, const i2np::DatabaseStore& msg, WallTime now,
               crypto::Rng& rng, Outbox& out);
    OutMessage reply_to(const i2np::DatabaseLookup& lookup, i2np::Message m) const;
    i2np::Message search_reply(const i2np::DatabaseLookup& lookup, bool exploration, WallTime now,
                               crypto::Rng& rng);
    std::optional<i2np::Message> entry_reply(const i2np::DatabaseLookup& lookup, bool want_ri,
                                             bool want_ls, WallTime now, crypto::Rng& rng);
    WallTime expiration(WallTime now) const { return {now.ms + config_.message_lifetime.count()}; }

    NetDbStore& store_;
    IdentHash self_;
    FloodfillConfig config_;
    PeerRateLimiter store_limiter_;
    PeerRateLimiter lookup_limiter_;
    FloodfillCounters counters_;
    static constexpr std::size_t max_unflooded = 1024;
    std::set<IdentHash> unflooded_;
    std::deque<IdentHash> unflooded_order_;
};

} // namespace umbra::netdb
