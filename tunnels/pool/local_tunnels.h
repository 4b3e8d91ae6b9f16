// Our own tunnels (docs/tunnels/implementation.html "Tunnel Building", "Tunnel Testing",
// "Tunnel Pools"; tunnel-creation-ecies.rst): pools of inbound and outbound tunnels (the
// exploratory pool and one per client), built from hops chosen by peer_selection.h, tested,
// replaced before they expire, and used to send messages out and to receive replies. Sans-IO:
// the caller passes every message that may be ours and the time; output goes to a
// LocalTunnelsOut. One owner executor (ARCHITECTURE.md §4); the transit side (other routers'
// tunnels through us) is tunnels/transit, not here.
//
// Roles we play in our own tunnels:
//   outbound gateway: messages are fragmented (tunnels::Gateway), all hop layers pre-applied
//     (CreatorLayers) and sent as TunnelData to the first hop;
//   inbound endpoint: TunnelData arriving on our endpoint's tunnel id is decrypted (CreatorLayers)
//     and reassembled (tunnels::Endpoint); LOCAL messages come out.
// A zero-hop tunnel is ourselves alone: a zero-hop inbound tunnel receives TunnelGateway
// messages for its id directly, a zero-hop outbound tunnel sends directly. The exploratory pool
// starts with them so that its first real builds have a reply path.
//
// Building (tunnel-creation-ecies.rst "Message Flow"): an outbound build is sent directly to its
// first hop; its reply (OutboundTunnelBuildReply 26, garlic-wrapped by the OBEP with the record's
// key and tag, or VariableTunnelBuildReply 24) comes back through one of our inbound tunnels. An
// inbound build goes through one of our outbound tunnels to its gateway, garlic-encrypted to the
// gateway (ecies-routers.rst), or directly while no outbound tunnel exists; its reply is the
// build message itself, sent to us by the hop before us with the reply message id.
//
// Testing ("Tunnel Testing"): every test_interval each established tunnel pair of a pool carries a
// DeliveryStatus out through the outbound tunnel into the inbound tunnel's gateway; a tunnel
// whose tests fail max_test_failures times in a row is dropped and replaced.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/log.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"
#include "tunnels/build/records.h"
#include "tunnels/pool/peer_selection.h"
#include "tunnels/transit/delivery_instructions.h"

namespace umbra::tunnels {

// Both clocks, read once by the shell per event.
struct Now {
    WallTime wall;
    SteadyTime steady;
};

using PoolId = std::uint32_t;
inline constexpr PoolId kExploratoryPool = 0;

struct PoolConfig {
    std::string name = "exploratory";
    // Hops besides ourselves, 0..7 (i2pd "exploratory.inbound.length"; 0 = zero-hop).
    std::uint8_t inbound_length = 2;
    std::uint8_t outbound_length = 2;
    std::uint8_t inbound_quantity = 3; // established tunnels kept (i2pd exploratory default)
    std::uint8_t outbound_quantity = 3;
    // Random length change per build (Java/i2pd "inbound.lengthVariance"): x > 0 adds 0..x,
    // x < 0 adds -|x|..|x|; the result is clamped to 0..7.
    std::int8_t inbound_variance = 0;
    std::int8_t outbound_variance = 0;
    RecordFormat format = RecordFormat::short_ecies;
};

struct LocalTunnelsConfig {
    IdentHash self;
    SelectionRules selection;
    PoolConfig exploratory;
    Milliseconds build_timeout{std::chrono::seconds(10)};
    Milliseconds replace_before{std::chrono::minutes(2)};     // a tunnel with less left is replaced
    Milliseconds stop_using_before{std::chrono::seconds(30)}; // not picked with less left
    Milliseconds test_interval{std::chrono::seconds(15)};
    Milliseconds test_timeout{std::chrono::seconds(5)};
    std::uint32_t max_test_failures = 2;
    std::size_t max_pending_builds_per_pool = 8;
};

enum class HopOutcome { agreed, declined, timed_out };

class LocalTunnelsOut {
public:
    virtual ~LocalTunnelsOut() = default;
    // To a router over a transport: build requests, TunnelData to an outbound tunnel's first
    // hop, TunnelGateway from a zero-hop outbound tunnel.
    virtual void send(const IdentHash& to, i2np::Message&& message) = 0;
    // A message that came out of one of `pool`'s inbound tunnels (LOCAL delivery) and is not a
    // build reply or tunnel test of ours: netdb replies, garlic, data. The caller dispatches it.
    virtual void deliver(PoolId pool, i2np::Message&& message) = 0;
    // Per hop of a finished build: agreed / declined; every hop of a build that timed out.
    virtual void hop_result(const IdentHash& hop, HopOutcome outcome) = 0;
};

// Where replies into one of our inbound tunnels go: its gateway router and tunnel id.
struct InboundPath {
    IdentHash gateway;
    TunnelId tunnel;
};

enum class TunnelState { established, failing, expiring };

struct TunnelSummary {
    PoolId pool = kExploratoryPool;
    bool inbound = false;
    // Inbound: the gateway's receive tunnel id (what others deliver to; the gateway is hops[0],
    // or ourselves for zero-hop). Outbound: the first hop's receive tunnel id.
    TunnelId id;
    TunnelId endpoint_id;        // inbound: the id we receive on as endpoint
    std::vector<IdentHash> hops; // in message order, without ourselves
    WallTime created;
    WallTime expires;
    TunnelState state = TunnelState::established;
    std::uint32_t tests_passed = 0;
    std::uint32_t tests_failed = 0;
};

struct LocalTunnelsCounters {
    std::uint64_t builds_started = 0;
    std::uint64_t builds_succeeded = 0;
    std::uint64_t builds_declined = 0;  // a hop said no
    std::uint64_t builds_timed_out = 0; // no reply within build_timeout
    std::uint64_t builds_bad_reply = 0; // reply failed to decrypt or a fake record changed
    std::uint64_t builds_no_peers = 0;  // not enough candidates passed selection
    std::uint64_t tests_sent = 0;
    std::uint64_t tests_passed = 0;
    std::uint64_t tests_failed = 0;
    std::uint64_t tunnels_expired = 0;
    std::uint64_t tunnels_failed = 0;    // dropped after failed tests
    std::uint64_t messages_sent = 0;     // through our outbound tunnels
    std::uint64_t messages_received = 0; // out of our inbound tunnels
    std::uint64_t messages_dropped = 0;  // bad delivery at our endpoint, unparsable I2NP
    std::uint64_t send_failures = 0;     // send_through: no tunnel, too large
};

class LocalTunnels {
public:
    LocalTunnels(LocalTunnelsConfig config, LocalTunnelsOut& out, crypto::Rng& rng, Logger& log);
    ~LocalTunnels();
    LocalTunnels(const LocalTunnels&) = delete;
    LocalTunnels& operator=(const LocalTunnels&) = delete;

    // Hop candidates, refreshed by the caller (the daemon: every 30 s from the netdb and the
    // profiles; the simulator: its routers).
    void set_candidates(std::vector<PeerCandidate> candidates);

    // The exploratory pool exists from the start (kExploratoryPool). Client pools are added and
    // removed by their owners; replies to builds of a removed pool are ignored.
    PoolId add_pool(PoolConfig config);
    void remove_pool(PoolId pool);

    // Give every tunnel message (TunnelData 18, TunnelGateway 19, builds and replies 21-26) here
    // first. True: it was ours and is consumed (TunnelData / TunnelGateway for one of our inbound
    // tunnel ids, the reply to one of our builds). False: not ours; the caller hands it to the
    // transit side (tunnels/transit, tunnels/build's BuildHop).
    bool on_message(const IdentHash& from, const i2np::Message& message, Now now);

    // Call every second: times out builds and tests, drops expired and failed tunnels, starts
    // builds so that each pool reaches its quantities, sends tunnel tests.
    void on_timer(Now now);

    // Sends a standard I2NP message through one of `pool`'s established outbound tunnels (picked
    // at random) to `target`: ROUTER delivery to a router, TUNNEL delivery into a router's tunnel
    // (LOCAL is Errc::invalid_value). Errc::unavailable when the pool has none established,
    // Errc::too_large when the message does not fit a tunnel (about 62 KB).
    Result<void> send_through(PoolId pool, const Delivery& target, const i2np::Message& message,
                              Now now);
    // A random established inbound tunnel of `pool` for replies; nullopt when none.
    std::optional<InboundPath> reply_path(PoolId pool, Now now);

    std::size_t established(PoolId pool, bool inbound, Now now) const;
    std::vector<TunnelSummary> tunnels(PoolId pool) const;
    const LocalTunnelsCounters& counters() const { return counters_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    LocalTunnelsCounters counters_;
};

} // namespace umbra::tunnels
