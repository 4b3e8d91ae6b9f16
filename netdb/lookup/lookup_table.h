// Iterative lookups (network-database.html, "RouterInfo and LeaseSet Lookup"; "Kademlia
// Closeness Metric"): ask the floodfills closest to the key's routing key, a few in parallel;
// a DatabaseSearchReply adds the peers it names (nearest first), a DatabaseStore of the key ends
// the lookup, and it ends as well when every candidate was asked or the lookup timed out.
// Peers named in a reply whose RouterInfo we lack are fetched first (a RouterInfo lookup to the
// floodfill that named them), since lookups go directly to the floodfill.
//
// Sans-IO: every call takes the time (and an Rng where it sends) and appends what to send to an
// Outbox. One owner, no locks; every table and list is capped.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "netdb/lookup/config.h"
#include "netdb/store/outbox.h"
#include "netdb/store/routing_key.h"
#include "netdb/store/store.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/database_store.h"

namespace umbra::netdb {

class PeerProfiles;

using LookupId = StrongId<struct LookupIdTag, std::uint64_t>;

enum class LookupPurpose : std::uint8_t {
    client,  // asked by the owner: its result goes to take_results()
    fetch,   // a RouterInfo named in a search reply
    explore, // exploration (lookup type 3)
    verify,  // our RouterInfo at another floodfill after publishing
};

enum class LookupOutcome : std::uint8_t {
    found,     // a valid DatabaseStore of the key arrived (and was kept)
    not_found, // every candidate answered, failed or was asked
    timed_out, // lookup_timeout passed
    refused,   // the table was full
};

// Where the floodfill sends its reply. Today always direct (deliveryFlag 0, no encryption);
// a reply tunnel sets `tunnel` (and `encryption`, proposal 154) at the tunnel's gateway.
struct ReplyPath {
    IdentHash gateway;
    std::optional<TunnelId> tunnel;
    i2np::ReplyEncryption encryption;
};

struct LookupRequest {
    IdentHash key;
    i2np::LookupType type = i2np::LookupType::router_info;
    LookupPurpose purpose = LookupPurpose::client;
    // Empty: iterative over the closest floodfills. Otherwise exactly these peers are asked,
    // and replies add no candidates (fetches, explorations, verifications).
    std::vector<IdentHash> targets;
    // Extra excludedPeers (exploration); the peers already asked are always added.
    std::vector<IdentHash> excluded;
    // Unset: direct to us.
    std::optional<ReplyPath> reply_path;
};

struct LookupResult {
    LookupId id;
    IdentHash key;
    i2np::LookupType type{};
    LookupPurpose purpose{};
    LookupOutcome outcome{};
    std::size_t asked = 0;
    std::optional<WallTime> published; // found: the published date of the entry received
    std::size_t fetches = 0;           // RouterInfo fetches it started
};

struct LookupCounters {
    std::uint64_t started = 0;
    std::uint64_t joined = 0;  // a lookup of the same key and type was running
    std::uint64_t refused = 0; // table full
    std::uint64_t found = 0;
    std::uint64_t not_found = 0;
    std::uint64_t timed_out = 0;
    std::uint64_t requests_sent = 0;
    std::uint64_t request_timeouts = 0;
    std::uint64_t search_replies = 0;
    std::uint64_t unsolicited_replies = 0; // search replies or stores matching no request
    std::uint64_t bad_entries = 0;         // a reply store that failed its checks
    std::uint64_t peers_named = 0;
    std::uint64_t peers_dropped = 0; // over a cap (per reply, candidates, fetches)
    std::uint64_t fetches_started = 0;
};

class LookupTable {
public:
    // self: our router hash (never asked, the direct reply address). profiles: optional.
    LookupTable(NetDbStore& db, const IdentHash& self, LookupConfig config,
                PeerProfiles* profiles = nullptr);

    // Starts a lookup, or joins the running one of the same key and type; nothing when the
    // table is full (counted). A lookup with no candidate at all finishes at once (not_found).
    std::optional<LookupId> start(LookupRequest request, WallTime now, crypto::Rng& rng,
                                  Outbox& out);

    // Each returns whether the message answered one of our requests (from: the transport peer
    // that sent it, authenticated by the transport; a search reply's own `from` is not).
    bool on_search_reply(const IdentHash& from, const i2np::DatabaseSearchReply& reply,
                         WallTime now, crypto::Rng& rng, Outbox& out);
    // Only stores without a reply token: those are answers; the others are publications.
    bool on_database_store(const IdentHash& from, const i2np::DatabaseStore& store, WallTime now,
                           crypto::Rng& rng, Outbox& out);

    void on_timer(WallTime now, crypto::Rng& rng, Outbox& out);
    std::optional<WallTime> next_deadline() const;

    // Finished lookups of every purpose, oldest first.
    std::vector<LookupResult> take_results();

    std::size_t size() const { return lookups_.size(); }
    std::size_t count(LookupPurpose p) const;
    // Candidates held by all lookups (for bounded-state checks).
    std::size_t candidate_count() const;
    bool running(const IdentHash& key, i2np::LookupType type) const;
    const LookupCounters& counters() const { return counters_; }
    const LookupConfig& config() const { return config_; }

private:
    enum class CandidateState : std::uint8_t {
        ready,     // RouterInfo known, not asked yet
        fetching,  // named by a reply; its RouterInfo is being fetched
        in_flight, // asked, no answer yet
        answered,  // replied (search reply or entry)
        timed_out, // no answer within request_timeout (a late answer still counts)
        failed,    // unusable: fetch failed, not a floodfill, or sent a bad entry
    };
    struct Candidate {
        IdentHash hash;
        XorDistance distance;
        CandidateState state;
        WallTime deadline; // in_flight
    };
    struct Lookup {
        LookupId id;
        LookupRequest request;
        RoutingKey routing_key;
        bool iterative = false;
        bool finished = false;
        WallTime deadline;
        std::vector<Candidate> candidates; // nearest first
        std::size_t asked = 0;
        std::size_t in_flight = 0;
        std::size_t answers = 0;
        std::size_t fetches = 0;
    };
    static constexpr std::size_t max_results = 1024;

    std::optional<LookupId> start_inner(LookupRequest request, WallTime now);

    Lookup* find(const IdentHash& key, i2np::LookupType type);
    void seed(Lookup& l, WallTime now);
    bool add_candidate(Lookup& l, const IdentHash& peer, CandidateState state);
    void pump(Lookup& l, WallTime now, crypto::Rng& rng, Outbox& out);
    void send(Lookup& l, Candidate& c, WallTime now, crypto::Rng& rng, Outbox& out);
    void follow_reply(Lookup& l, const IdentHash& from, const i2np::DatabaseSearchReply& reply,
                      WallTime now);
    bool fetch(Lookup& l, const IdentHash& peer, const IdentHash& from, WallTime now);
    void finish(Lookup& l, LookupOutcome outcome, std::optional<WallTime> published = {});
    void wake_waiters(const IdentHash& router, bool found);
    void run_dirty(WallTime now, crypto::Rng& rng, Outbox& out);
    void record(const IdentHash& peer, bool answered, WallTime now);

    NetDbStore& db_;
    IdentHash self_;
    LookupConfig config_;
    PeerProfiles* profiles_;
    std::map<LookupId, Lookup> lookups_; // ordered: reproducible in simulations
    std::vector<LookupId> dirty_;        // to pump after the current event
    std::vector<LookupId> done_;         // finished, erased after the current event
    std::vector<LookupResult> results_;
    std::uint64_t next_id_ = 1;
    LookupCounters counters_;
};

} // namespace umbra::netdb
