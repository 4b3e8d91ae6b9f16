// An in-process network of SimRouters over in-memory links in virtual time (ARCHITECTURE.md §3,
// issue 5 item 5). Everything is derived from one seed: each router's DeterministicRng (its keys,
// tunnel ids, peer choices), the per-pair link latencies, the loss draws and the phase of each
// router's one-second timer. Events run in (virtual time, insertion order), so a seed replays the
// same run exactly.
//
// Links: a message is serialized (standard I2NP header) at the sender and parsed again at the
// receiver after the pair's latency, so the wire formats are exercised end to end. The first
// message between two up routers opens a "session": both profiles record `connected` (as the
// daemon does when a transport session comes up). A message to a router that is down is not
// delivered, and the sender's profiles record `connect_failed` after a connect timeout; taking a
// router down closes its sessions. No bandwidth limit is modelled.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "crypto/random.h"
#include "router/base/log.h"
#include "tests/sim/scheduler.h"
#include "tests/sim/sim_router.h"
#include "tests/sim/trace.h"

namespace umbra::sim {

struct SimConfig {
    std::size_t routers = 20;
    std::uint64_t seed = 1;
    std::uint8_t hops = 3; // exploratory inbound and outbound length
    std::uint8_t quantity = 2;
    VirtualMs min_latency_ms = 5;
    VirtualMs max_latency_ms = 80;
    double loss = 0.0; // probability that a message is lost on a link
    // Routers 1 and 2 share one IPv4 /16 (the peer-selection rule must keep them apart).
    bool shared_subnet_pair = true;
    // Peer selection's /16 rule (off only to check that the test of it can fail).
    bool restrict_subnet = true;
    VirtualMs candidate_refresh_ms = 30'000; // as the daemon rebuilds candidates
    // Per-router transit tunnel limits (router index -> limit) instead of the daemon's 5000.
    std::map<std::size_t, std::size_t> max_transit;
    VirtualMs connect_timeout_ms = 2'000;
    // Whether a failed connection reaches the sender's profiles. The daemon does not record
    // connect_failed yet (router/app records only `connected`); off reproduces that.
    bool connect_failures_to_profiles = true;
};

struct NetworkCounters {
    std::uint64_t sent = 0;
    std::uint64_t bytes = 0;
    std::uint64_t lost = 0;         // random loss
    std::uint64_t to_down = 0;      // destination down at send time: connect failed
    std::uint64_t unknown_peer = 0; // destination not in the simulation
    std::uint64_t unparsable = 0;
    std::uint64_t sessions_opened = 0;
};

// Sums over every router.
struct Totals {
    tunnels::LocalTunnelsCounters tunnels;
    SimRouterCounters routers;
    std::uint64_t transit_tunnels = 0;
    std::uint64_t transit_forwarded = 0;
    std::uint64_t transit_unknown = 0;        // TunnelData / TunnelGateway for no transit tunnel
    std::uint64_t transit_wrong_previous = 0; // TunnelData from another router than the hop's
};

class Simulation final : private Wire {
public:
    Simulation(const SimConfig& config, Logger& log);
    ~Simulation() override;
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    // Runs `duration` of virtual time.
    void run_for(VirtualMs duration);
    VirtualMs now() const { return scheduler_.now(); }

    std::size_t size() const { return routers_.size(); }
    SimRouter& router(std::size_t i) { return *routers_.at(i); }
    const SimRouter& router(std::size_t i) const { return *routers_.at(i); }
    // The router with this identity, or nullptr.
    const SimRouter* find(const IdentHash& ident) const;
    const std::vector<PeerInfo>& peers() const { return peers_; }

    // A router that goes down drops everything and closes its sessions; one that comes up keeps
    // the state it had.
    void take_down(std::size_t i);
    void bring_up(std::size_t i) { routers_.at(i)->set_up(true); }

    // Router `from` sends an I2NP Data message (type 20) carrying `payload`, through one of its
    // outbound tunnels, into one of `to`'s inbound tunnels (TUNNEL delivery to the gateway).
    // Returns the inbound tunnel used; Errc::unavailable when `to` has no inbound tunnel or
    // `from` no outbound tunnel.
    Result<tunnels::InboundPath> send_data(std::size_t from, std::size_t to,
                                           std::vector<std::uint8_t> payload, MessageId id);

    VirtualMs latency(std::uint32_t a, std::uint32_t b) const;
    const Trace& trace() const { return trace_; }
    const NetworkCounters& network() const { return network_; }
    Totals totals() const;
    std::uint64_t events() const { return scheduler_.executed(); }

private:
    void send(std::uint32_t from, const IdentHash& to, i2np::Message&& message) override;
    void open_session(std::uint32_t a, std::uint32_t b);
    void arrive(std::uint32_t from, std::uint32_t to, const std::vector<std::uint8_t>& bytes);
    void timer(std::uint32_t i);
    void refresh();
    void refresh_tick();

    SimConfig config_;
    Scheduler scheduler_;
    Trace trace_;
    crypto::DeterministicRng rng_; // link loss and timer phases
    std::vector<std::unique_ptr<SimRouter>> routers_;
    std::vector<PeerInfo> peers_;
    std::map<IdentHash, std::uint32_t> by_ident_;
    std::set<std::uint64_t> sessions_; // (lower index << 32 | higher index)
    NetworkCounters network_;
};

// The IPv4 address (host order) of router i: a distinct /16 per router, 10.1.0.0/16 onwards.
std::uint32_t router_ipv4(std::size_t i);

} // namespace umbra::sim
