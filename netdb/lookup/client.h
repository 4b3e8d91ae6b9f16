// The client role of the network database (network-database.html): iterative lookups for the
// owner, exploration, and publishing our RouterInfo with verification, over one LookupTable.
// The router (router/app) owns one NetDbClient next to the NetDbStore: it passes in the
// replies it receives, sends every OutMessage returned, calls on_timer() at next_deadline(),
// and polls take_results() for its lookups. Sans-IO, one owner, bounded.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "netdb/lookup/explorer.h"
#include "netdb/lookup/lookup_table.h"
#include "netdb/lookup/publisher.h"

namespace umbra::netdb {

// What a reply handler did: whether the message was an answer to us (else the owner gives it to
// the floodfill role or the store), and what to send.
struct Handled {
    bool consumed = false;
    Outbox out;
};

class NetDbClient {
public:
    // self: our router hash. profiles (optional): lookup answers/timeouts and confirmed stores
    // per floodfill are recorded there.
    NetDbClient(NetDbStore& db, const IdentHash& self, ClientConfig config = {},
                PeerProfiles* profiles = nullptr);

    // Starts exploring and, once a RouterInfo is set, publishing.
    Outbox start(WallTime now, crypto::Rng& rng);
    // Our current signed RouterInfo; publishes it at once (on start and on every change).
    Outbox set_router_info(std::span<const std::uint8_t> bytes, WallTime published, WallTime now,
                           crypto::Rng& rng);

    // Looks up a RouterInfo (type router_info) or LeaseSet (lease_set) by its key. The result
    // comes through take_results() (at once when the table is full: refused). A lookup of a key
    // already being looked up joins it and gets the same id.
    struct Started {
        std::optional<LookupId> id;
        Outbox out;
    };
    Started lookup(const IdentHash& key, i2np::LookupType type, WallTime now, crypto::Rng& rng);

    Handled on_database_store(const IdentHash& from, const i2np::DatabaseStore& store, WallTime now,
                              crypto::Rng& rng);
    Handled on_search_reply(const IdentHash& from, const i2np::DatabaseSearchReply& reply,
                            WallTime now, crypto::Rng& rng);
    Handled on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status,
                               WallTime now, crypto::Rng& rng);

    Outbox on_timer(WallTime now, crypto::Rng& rng);
    std::optional<WallTime> next_deadline() const;

    // Finished lookups started with lookup(), oldest first (at most 1024 kept).
    std::vector<LookupResult> take_results();
    // RouterInfos our lookups stored in the NetDbStore (added or replaced) since the last call,
    // fetches and explorations included, so the owner can persist them (at most 4096 kept).
    std::vector<IdentHash> take_stored_router_infos();

    const LookupTable& table() const { return table_; }
    const Publisher& publisher() const { return publisher_; }
    const Explorer& explorer() const { return explorer_; }

private:
    void dispatch(WallTime now, crypto::Rng& rng, Outbox& out);
    void push_result(const LookupResult& r);

    static constexpr std::size_t max_results = 1024;
    static constexpr std::size_t max_stored = 4096;

    LookupTable table_;
    Explorer explorer_;
    Publisher publisher_;
    std::vector<LookupResult> results_;
    std::vector<IdentHash> stored_;
};

} // namespace umbra::netdb
