// One umbra router of the simulator: the sans-IO tunnel engines composed the way the daemon
// composes them (router/app/tunnel_service.cpp, ARCHITECTURE.md §1), without sockets:
//   LocalTunnels (our pools) gets every tunnel message first; what it does not claim goes to
//   BuildHop (build requests 23/25) or the TransitTable (TunnelData 18, TunnelGateway 19);
//   Garlic addressed to the router itself (ecies-routers.rst; inbound builds reach their gateway
//   that way) is opened by a GarlicRouterInbox and its cloves dispatched as the daemon's
//   GarlicService does: LOCAL back into this dispatch, ROUTER and TUNNEL sent on;
//   hop results feed PeerProfiles, and hop candidates are rebuilt from the profiles (score, bad)
//   by the simulation every 30 virtual seconds, as the daemon does from its netdb.
//   Build requests pass the daemon's per-source rate limit and its TransitAdmission (transit
//   tunnel limit, bandwidth share; proposal 162 congestion caps, published to the other routers
//   at their next candidate refresh); participants and outbound endpoints take TunnelData only
//   from the hop that sent them the build request.
// Messages leave through a Wire (the simulation's in-memory links). A router that is down drops
// everything it receives and sends nothing.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <tuple>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "netdb/profiles/profiles.h"
#include "router/garlic/inbox.h"
#include "tests/sim/scheduler.h"
#include "tests/sim/trace.h"
#include "tunnels/build/hop.h"
#include "tunnels/pool/local_tunnels.h"
#include "tunnels/transit/congestion.h"
#include "tunnels/transit/transit_table.h"

namespace umbra::sim {

// The virtual clock as the engines see it: wall time from a fixed date, steady time from an
// arbitrary nonzero origin.
inline constexpr std::int64_t kWallStartMs = 1'700'000'000'000;
tunnels::Now engine_now(VirtualMs at);

class Wire {
public:
    virtual ~Wire() = default;
    virtual void send(std::uint32_t from, const IdentHash& to, i2np::Message&& message) = 0;
};

// What the simulation knows of a router, as a daemon would from its RouterInfo.
struct PeerInfo {
    IdentHash ident;
    crypto::X25519Public encryption_key{};
    std::uint32_t ipv4 = 0;
    char bandwidth = 'O';
    char congestion = 0; // published congestion cap: 'D', 'E', 'G' or 0
};

struct SimRouterConfig {
    std::uint32_t index = 0;
    std::uint64_t rng_seed = 0;
    std::uint32_t ipv4 = 0;
    char bandwidth = 'O';
    tunnels::PoolConfig exploratory;
    // The daemon's limits (tunnel_service.h) with a share no simulated load reaches.
    tunnels::AdmissionLimits admission{.accept_transit = true,
                                       .max_tunnels = 5000,
                                       .share_bytes_per_second = 100 * 1000 * 1000,
                                       .min_cap_interval = std::chrono::minutes(1)};
    bool restrict_subnet = true;
};

struct Delivered {
    VirtualMs at = 0;
    tunnels::PoolId pool = tunnels::kExploratoryPool;
    i2np::Message message;
};

struct SimRouterCounters {
    std::uint64_t received = 0;
    std::uint64_t dropped_down = 0;     // arrived while the router was down
    std::uint64_t direct_unhandled = 0; // not a tunnel message, not through our tunnels
    std::uint64_t malformed = 0;
    std::uint64_t garlic_received = 0; // addressed to the router, not out of our tunnels
    std::uint64_t garlic_undecryptable = 0;
    std::uint64_t cloves_local = 0;
    std::uint64_t cloves_forwarded = 0;
    std::uint64_t builds_rate_limited = 0; // over the per-source limit: dropped unread
    std::uint64_t build_requests = 0;
    std::uint64_t builds_accepted = 0;
    std::uint64_t builds_rejected = 0;
    std::uint64_t builds_dropped = 0; // BuildHop error, transit add failed, reply not wrappable
    std::uint64_t hops_agreed = 0;
    std::uint64_t hops_declined = 0;
    std::uint64_t hops_timed_out = 0;
    std::uint64_t connect_failures = 0;
};

class SimRouter final : private tunnels::LocalTunnelsOut, private tunnels::TransitOut {
public:
    SimRouter(const SimRouterConfig& config, const Scheduler& clock, Wire& wire, Trace& trace,
              Logger& log);
    SimRouter(const SimRouter&) = delete;
    SimRouter& operator=(const SimRouter&) = delete;

    std::uint32_t index() const { return index_; }
    PeerInfo info() const
    {
        return {ident_, public_key_, ipv4_, bandwidth_, cap_letter(admission_.published())};
    }
    const IdentHash& ident() const { return ident_; }
    bool up() const { return up_; }
    void set_up(bool up) { up_ = up; }

    // A message from the wire (already parsed from its bytes).
    void receive(const IdentHash& from, i2np::Message message);
    // Every virtual second.
    void on_timer();
    // The transport could not reach `peer` (it is down): PeerEvent::connect_failed.
    void on_connect_failed(const IdentHash& peer);
    // A transport session with `peer` came up: PeerEvent::connected.
    void on_connected(const IdentHash& peer);
    // Rebuilds the hop candidates from `peers` and our profiles.
    void refresh_candidates(std::span<const PeerInfo> peers);

    // Sends `message` through one of our outbound tunnels into `to`'s inbound tunnel.
    Result<void> send_to_tunnel(const tunnels::InboundPath& to, const i2np::Message& message);

    tunnels::LocalTunnels& tunnels() { return tunnels_; }
    const tunnels::LocalTunnels& tunnels() const { return tunnels_; }
    const netdb::PeerProfiles& profiles() const { return profiles_; }
    const tunnels::TransitTable& transit() const { return transit_; }
    const tunnels::TransitAdmission& admission() const { return admission_; }
    const SimRouterCounters& counters() const { return counters_; }
    const std::vector<Delivered>& delivered() const { return delivered_; }
    void clear_delivered() { delivered_.clear(); }

private:
    void dispatch(const IdentHash& from, const i2np::Message& message, bool in_garlic);
    void on_garlic(const IdentHash& from, const i2np::Message& message);
    void relay(const IdentHash& from, const i2np::Message& message);
    void on_build_request(const IdentHash& from, const i2np::Message& message);
    void send_build_output(tunnels::HopOutput& output, WallTime expires);
    void trace_new_tunnels();
    WallTime expiration() const;

    // LocalTunnelsOut
    void send(const IdentHash& to, i2np::Message&& message) override;
    void deliver(tunnels::PoolId pool, i2np::Message&& message) override;
    void hop_result(const IdentHash& hop, tunnels::HopOutcome outcome) override;
    // TransitOut
    void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message) override;
    void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message) override;
    void send_message(const IdentHash& to, i2np::Message&& message) override;

    std::uint32_t index_;
    std::uint32_t ipv4_;
    char bandwidth_;
    const Scheduler& clock_;
    Wire& wire_;
    Trace& trace_;
    crypto::DeterministicRng rng_;
    crypto::X25519Keypair keys_; // moved into hop_; public_key_ keeps the public half
    crypto::X25519Public public_key_;
    IdentHash ident_;
    garlic::GarlicRouterInbox inbox_;
    tunnels::BuildHop hop_;
    tunnels::SourceRateLimiter limiter_;
    tunnels::TransitTable transit_;
    tunnels::TransitAdmission admission_;
    netdb::PeerProfiles profiles_;
    tunnels::LocalTunnels tunnels_;
    bool up_ = true;
    std::set<std::tuple<bool, std::uint32_t, std::uint32_t>> traced_; // (inbound, id, endpoint)
    std::vector<Delivered> delivered_;
    SimRouterCounters counters_;
};

} // namespace umbra::sim
