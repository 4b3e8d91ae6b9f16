// Our own tunnels in the daemon: tunnels::LocalTunnels (tunnels/pool) on the network executor,
// fed with hop candidates from the netdb and the peer profiles, with its results fed back to the
// profiles. It sees every tunnel message first (TunnelService's OwnTunnelsHook). Messages coming
// out of our inbound tunnels go to the dispatcher, filtered to what a reply tunnel may carry.
//
// Netdb traffic through tunnels (network-database.html "RouterInfo and LeaseSet Lookup": "Lookups
// are sent out one of the router's outbound exploratory tunnels. The replies are specified to
// return via one of the router's inbound exploratory tunnels"; "lookups are end-to-end garlic
// encrypted to prevent snooping by the OBEP"; replies are encrypted "to hide the reply from the
// inbound gateway"): route_netdb() rewrites a direct DatabaseLookup into that form once the
// exploratory pool has tunnels both ways. The reply key's tag tells whose reply it is
// (reply_source()), because a reply out of a tunnel has no transport sender. RouterInfo stores
// stay direct ("The RouterInfo DatabaseStoreMessage must be sent over a direct connection" for
// floodfills; publishing is direct too).
#pragma once
#include <cstdint>
#include <optional>
#include <unordered_map>

#include "netdb/store/outbox.h"
#include "router/app/outbound.h"
#include "router/app/tunnel_service.h"
#include "router/base/log.h"
#include "router/garlic/inbox.h"
#include "tunnels/pool/local_tunnels.h"

namespace umbra::app {

class NetDbService;

struct OwnTunnelsOptions {
    tunnels::PoolConfig exploratory; // exploratory.* options
    bool restrict_subnet = true;     // tunnels.restrictsubnet
    bool netdb_through_tunnels = true;
};

struct OwnTunnelsCounters {
    std::uint64_t lookups_tunnelled = 0; // DatabaseLookups sent through an exploratory tunnel
    std::uint64_t lookups_direct = 0;    // sent directly: no tunnels yet, or no usable key
    std::uint64_t delivered = 0;         // messages out of our inbound tunnels, dispatched
    std::uint64_t refused = 0;           // ... of a type a reply tunnel must not carry
};

class OwnTunnels final : public OwnTunnelsHook, private tunnels::LocalTunnelsOut {
public:
    OwnTunnels(OwnTunnelsOptions options, const IdentHash& self, NetDbService& netdb,
               garlic::GarlicRouterInbox& inbox, dispatch::Dispatcher& dispatcher,
               Outbound& outbound, const Clock& clock, crypto::Rng& rng, Logger& log);
    ~OwnTunnels() override;

    bool on_tunnel_message(const IdentHash& from, const i2np::Message& message) override;
    // Every second: refreshes the hop candidates every 30 s, runs the pools.
    void on_timer();

    // True when `m` went through our tunnels (the caller sends it directly otherwise).
    bool route_netdb(netdb::OutMessage& m);
    // The floodfill a tunnelled lookup with this reply tag went to.
    std::optional<IdentHash> reply_source(Bytes garlic_body);

    void log_summary() const;
    const tunnels::LocalTunnels& local() const { return local_; }
    const OwnTunnelsCounters& counters() const { return counters_; }

private:
    void send(const IdentHash& to, i2np::Message&& message) override;
    void deliver(tunnels::PoolId pool, i2np::Message&& message) override;
    void hop_result(const IdentHash& hop, tunnels::HopOutcome outcome) override;
    void refresh_candidates(WallTime now);
    tunnels::Now now() const { return {clock_.wall(), clock_.steady()}; }

    struct Source {
        IdentHash floodfill;
        WallTime expires;
    };

    OwnTunnelsOptions options_;
    IdentHash self_;
    NetDbService& netdb_;
    garlic::GarlicRouterInbox& inbox_;
    dispatch::Dispatcher& dispatcher_;
    Outbound& outbound_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    tunnels::LocalTunnels local_;
    WallTime next_refresh_{};
    std::uint64_t reported_no_peers_ = 0;
    WallTime next_no_peers_report_{};
    std::unordered_map<std::uint64_t, Source> sources_; // by reply tag; bounded, expiring
    OwnTunnelsCounters counters_;
};

// A hop candidate from a RouterInfo, or nullopt when the router cannot be a hop of ours: no
// X25519 encryption key (ECIES builds only), no published NTCP2 address (we connect over NTCP2
// only), or a version before 0.9.51 (short build records).
std::optional<tunnels::PeerCandidate> candidate_from(const data::RouterInfo& ri);

} // namespace umbra::app
