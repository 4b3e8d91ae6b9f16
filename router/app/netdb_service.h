// The daemon's network database: netdb::NetDbStore persisted in <datadir>/netDb (i2pd's layout),
// the floodfill role (netdb/floodfill: stores, floods, lookup answers, rate limits), the client
// role (netdb/lookup: lookups, exploration, publishing our RouterInfo with verification) and the
// peer profiles (<datadir>/peerProfiles). It receives the netdb messages from the I2NP
// dispatcher and sends through a Sender, which wraps each OutMessage as it says (garlic reply
// encryption, TunnelGateway) and hands it to a transport. One owner (the network executor);
// on_timer() runs every second.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netdb/floodfill/floodfill_engine.h"
#include "netdb/lookup/client.h"
#include "netdb/profiles/profiles.h"
#include "netdb/store/persistence.h"
#include "netdb/store/store.h"
#include "router/base/log.h"
#include "router/dispatch/dispatcher.h"

namespace umbra::app {

struct NetDbOptions {
    std::uint8_t net_id = data::default_net_id;
    bool floodfill = false;
    std::filesystem::path netdb_dir;    // <datadir>/netDb
    std::filesystem::path profiles_dir; // <datadir>/peerProfiles
    netdb::ClientConfig client;
};

class NetDbService final : public dispatch::NetDbLayer {
public:
    using Sender = std::function<void(netdb::OutMessage)>;

    NetDbService(NetDbOptions options, const IdentHash& self, const Clock& clock, crypto::Rng& rng,
                 Logger& log);
    // Where messages go; set before start() or any message can arrive.
    void set_sender(Sender sender) { sender_ = std::move(sender); }

    // Loads the RouterInfos of netdb_dir (deleting files that can never load) and the profiles.
    netdb::LoadReport load();

    // Stores `ri_bytes` (validated by the store) and saves it when it is new or newer. Refusals
    // are counted by the store; not_newer is not an error (what we hold is as new).
    Result<void> add(Bytes ri_bytes);
    // The same for a RouterInfo already parsed (e.g. by a transport): not parsed again.
    Result<void> add(data::RouterInfo ri);
    const data::RouterInfo* find(const IdentHash& h) const { return store_.find_router_info(h); }
    std::size_t size() const { return store_.size(); }
    const netdb::NetDbStore& store() const { return store_; }
    const netdb::FloodfillEngine& floodfill() const { return floodfill_; }
    const netdb::NetDbClient& client() const { return client_; }
    const netdb::PeerProfiles& profiles() const { return profiles_; }
    // A peer event seen outside the netdb (our tunnel builds: agreed, declined, timed out).
    void record_peer(const IdentHash& peer, netdb::PeerEvent event);

    // Starts exploring and publishing `ours` (again on every later call, e.g. when it changed).
    void start(const data::RouterInfo& ours);
    void set_router_info(const data::RouterInfo& ours);
    // Our RouterInfo changed while running (e.g. a congestion cap, proposal 162): publishes the
    // new one to the floodfills now (it must be newer than the one published before).
    void republish_router_info(const data::RouterInfo& ours);
    // Sends `peer` a DatabaseStore of `ours` with a fresh reply token (reply tunnel 0, gateway
    // us), which connects to it and introduces us (--ntcp2.peer); its DeliveryStatus is logged.
    void introduce_to(const IdentHash& peer, const data::RouterInfo& ours);
    // Looks up a RouterInfo or LeaseSet; the outcome is logged (console and tests read it).
    void lookup(const IdentHash& key, i2np::LookupType type);
    // Timeouts, exploration, publishing, expiry, profile saving. Call every second.
    void on_timer();
    // Saves the profiles.
    void stop();

    bool on_netdb_message(const IdentHash& from, const i2np::Message& message) override;
    void on_peer_router_info(const IdentHash& from, const data::RouterInfo& ri) override;
    void on_peer_session(const IdentHash& peer, bool up) override;
    void on_peer_unreachable(const IdentHash& peer) override;

private:
    void on_store(const IdentHash& from, const i2np::DatabaseStore& store);
    void send(netdb::Outbox out);
    void persist_if_stored(const IdentHash& key, std::uint64_t stored_before);
    std::uint64_t stored_count() const;
    void log_results(); // and saves what the client stored
    void save_client_stores();
    void expire(WallTime now);

    NetDbOptions options_;
    IdentHash self_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    netdb::NetDbStore store_;
    netdb::PeerProfiles profiles_;
    netdb::FloodfillEngine floodfill_;
    netdb::NetDbClient client_;
    Sender sender_;
    bool started_ = false;
    WallTime next_expiry_{};
    WallTime next_profile_save_{};
    std::vector<std::pair<std::uint32_t, IdentHash>> introductions_; // tokens awaiting status
};

} // namespace umbra::app
