// Tunables of the netdb client role. The spec fixes few numbers (network-database.html,
// "RouterInfo and LeaseSet Lookup", "Storage Verification", "Exploration"); where it is silent
// the values are those the deployed routers use, and each says where it comes from.
#pragma once
#include <chrono>
#include <cstddef>

namespace umbra::netdb {

using namespace std::chrono_literals;

struct LookupConfig {
    // Requests in flight per lookup. The spec says lookups go to the two closest floodfills "in
    // parallel"; i2pd and Java keep up to 3 outstanding in an iterative search.
    std::size_t parallelism = 3;
    // One floodfill's answer ("Lookups continue until a total lookup timeout is reached, or the
    // maximum number of peers is queried"): Java waits a few seconds per peer, i2pd 5 s.
    std::chrono::milliseconds request_timeout = 5s;
    std::chrono::milliseconds lookup_timeout = 15s;
    std::size_t max_floodfills_asked = 8;
    // Candidates a lookup keeps (nearest first); farther ones are dropped when it is full.
    std::size_t max_candidates = 32;
    // Peers read from one DatabaseSearchReply: i2np.rst recommends at most 16 hashes.
    std::size_t max_peers_per_reply = 16;
    // RouterInfo fetches one lookup may start for peers a reply named but we do not know.
    std::size_t max_fetches_per_lookup = 6;
    // Every lookup in the table, fetches, explorations and verifications included.
    std::size_t max_lookups = 64;
    // I2NP expiration of the DatabaseLookup / DatabaseStore messages we send.
    std::chrono::milliseconds message_lifetime = 10s;
};

struct ExploreConfig {
    bool enabled = true;
    // Few routers known (below i2pd's NETDB_MIN_ROUTERS, 90): explore often and in parallel.
    std::size_t few_routers = 90;
    std::chrono::milliseconds interval_few = 15s;
    std::size_t lookups_per_round_few = 3;
    // Enough routers: explore rarely ("exploration is a low-frequency task").
    std::size_t enough_routers = 1000;
    std::chrono::milliseconds interval_some = 60s;
    std::chrono::milliseconds interval_enough = 5min;
    // Explorations in flight at once; fetches they start count as lookups in the table.
    std::size_t max_in_flight = 3;
    // Routers we know closest to the random key, sent as excludedPeers.
    std::size_t max_excluded = 16;
    // Exploration replies name non-floodfills only, so while we know fewer floodfills than
    // this, every other exploration is a RouterInfo lookup of the random key instead: its
    // DatabaseSearchReply names the floodfills closest to the key (Java I2P also explores for
    // floodfills with ordinary lookups while it knows few).
    std::size_t few_floodfills = 10;
};

struct PublishConfig {
    // Neither the spec nor Java fix the republish interval; i2pd republishes every 40 minutes.
    std::chrono::milliseconds interval = 40min;
    // DeliveryStatus for our DatabaseStore ("The floodfill router replies with a
    // DeliveryStatusMessage"); none within this is a failure.
    std::chrono::milliseconds confirm_timeout = 10s;
    // "a router simply waits about 10 seconds, then sends a lookup to another floodfill".
    std::chrono::milliseconds verify_delay = 10s;
    std::chrono::milliseconds verify_timeout = 10s;
    bool verify = true;
    // Floodfills tried in one round before it gives up until the next interval.
    std::size_t max_attempts = 5;
    // After a round failed entirely: try again after this (instead of the full interval).
    std::chrono::milliseconds retry_after_failure = 60s;
};

struct ClientConfig {
    LookupConfig lookup;
    ExploreConfig explore;
    PublishConfig publish;
};

} // namespace umbra::netdb
