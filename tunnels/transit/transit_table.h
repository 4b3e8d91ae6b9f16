// Transit tunnels: the tunnels other routers built through us (docs/tunnels/implementation.html
// "Participant Processing", "Gateway Processing", "Endpoint Processing"), keyed by the tunnel id
// we receive on. Sans-IO: messages and the time come in, output goes to a TransitOut.
//
// Roles (tunnel-creation-ecies.rst request flags):
//   participant: TunnelData in, one layer encrypted, TunnelData out to the next hop's tunnel id;
//   inbound gateway: TunnelGateway in, fragmented into tunnel messages with LOCAL delivery
//     (the inbound endpoint is the creator), one layer encrypted, TunnelData out;
//   outbound endpoint: TunnelData in, one layer encrypted reveals the plaintext, reassembled
//     messages go to a router (the I2NP message) or a tunnel (wrapped in TunnelGateway).
// Tunnels live 10 minutes from the build (implementation.html "Tunnels themselves are
// short-lived (10 minutes)"); expire() drops them.
//
// Threading: one TransitTable is one shard and is owned by one executor; see sharded_transit.h.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>

#include "crypto/random.h"
#include "crypto/tunnel_layer.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/data/i2np/delivery.h"
#include "router/data/i2np/header.h"
#include "tunnels/build/hop_keys.h"
#include "tunnels/transit/duplicate_filter.h"
#include "tunnels/transit/endpoint.h"
#include "tunnels/transit/gateway.h"
#include "tunnels/transit/layer_cache.h"

namespace umbra::tunnels {

inline constexpr Milliseconds kTransitLifetime = std::chrono::minutes(10);

struct TransitTunnel;

// Where a shard's output goes: the shell hands these to the transports (posting to their
// executors). Called on the shard's executor, synchronously from on_*().
class TransitOut {
public:
    virtual ~TransitOut() = default;
    // Participant and inbound gateway: the message is only valid during the call.
    virtual void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message) = 0;
    // Outbound endpoint, TUNNEL delivery.
    virtual void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message) = 0;
    // Outbound endpoint, ROUTER delivery.
    virtual void send_message(const IdentHash& to, i2np::Message&& message) = 0;
    // A tunnel leaves the table (expiry, or the table's end): its counters, for a debug line.
    virtual void on_tunnel_closed(std::uint32_t /*id*/, const TransitTunnel& /*t*/) {}
};

struct TransitLimits {
    std::size_t max_tunnels = 10000;
    ReassemblyLimits reassembly;
    std::size_t max_reassembly_bytes = 16 * 1024 * 1024; // all endpoints of this shard
    std::size_t layer_cache = 1024;                      // keyed contexts kept (about 1.3 KiB each)
    // Duplicate TunnelData filter: 2^n bits per generation, two generations; 0 turns it off.
    std::size_t duplicate_filter_bits_log2 = 23;
};

struct TransitCounters {
    std::uint64_t added = 0;
    std::uint64_t rejected = 0;       // add(): full, duplicate id, zero id
    std::uint64_t expired = 0;        // tunnels dropped by expire()
    std::uint64_t unknown_tunnel = 0; // message for no tunnel of ours
    std::uint64_t wrong_role = 0;     // TunnelGateway to a non-gateway, TunnelData to a gateway
    std::uint64_t wrong_previous = 0; // TunnelData from a router other than the previous hop
    std::uint64_t duplicates = 0;     // TunnelData seen before (duplicate filter)
    std::uint64_t forwarded = 0;      // TunnelData sent on (participant, gateway)
    std::uint64_t gateway_messages = 0;
    std::uint64_t gateway_too_large = 0;
    std::uint64_t endpoint_messages = 0; // sent on by an outbound endpoint
    std::uint64_t endpoint_dropped = 0;  // LOCAL delivery at an outbound endpoint, bad I2NP
};

// One transit tunnel: its keys, not keyed OpenSSL contexts (those live in the shard's
// LayerCache). sizeof plus the map node is what the benchmark reports per transit tunnel.
struct TransitTunnel {
    crypto::Key32 layer_key;
    crypto::Key32 iv_key;
    std::unique_ptr<Endpoint> endpoint; // outbound endpoint, created with the first message
    SteadyTime expires;
    IdentHash next_ident;
    // Participants and outbound endpoints take TunnelData only from the router that sent us the
    // build request (Java I2P's per-hop "receive from"); an inbound gateway "allows messages
    // from anyone" (tunnel-creation-ecies.rst, flag bit 7). Unset: not checked.
    std::optional<IdentHash> previous;
    TunnelId next_tunnel;
    std::uint32_t slot = kNoSlot; // LayerCache hint
    HopRole role = HopRole::participant;
    std::uint32_t messages = 0;
    std::uint64_t bytes = 0;
};

class TransitTable {
public:
    TransitTable(TransitLimits limits, crypto::Rng& rng);
    ~TransitTable();
    TransitTable(const TransitTable&) = delete;
    TransitTable& operator=(const TransitTable&) = delete;

    // Accepted build record: keyed once here. Errc::too_large when at max_tunnels,
    // Errc::invalid_value for tunnel id 0 or an id already in use.
    Result<void> add(const HopKeys& keys, SteadyTime now);
    // The same, remembering the router the build request came from (`previous`): participants
    // and outbound endpoints then take TunnelData from it only.
    Result<void> add(const HopKeys& keys, const IdentHash& previous, SteadyTime now);
    // A TunnelData for one of our tunnels; encrypted in place. False when dropped.
    bool on_tunnel_data(i2np::TunnelData& message, SteadyTime now, TransitOut& out);
    // The same from router `from`: dropped (counted in wrong_previous) unless `from` is the
    // tunnel's previous hop.
    bool on_tunnel_data(i2np::TunnelData& message, const IdentHash& from, SteadyTime now,
                        TransitOut& out);
    // A TunnelGateway for one of our inbound-gateway tunnels.
    bool on_tunnel_gateway(const i2np::TunnelGateway& message, SteadyTime now, TransitOut& out);
    // Bytes of TunnelData and TunnelGateway payload taken in for known tunnels (bandwidth share).
    std::uint64_t bytes_in() const { return bytes_in_; }
    // Drops tunnels past their 10 minutes (telling out.on_tunnel_closed() when given) and
    // incomplete messages past their timeout; returns the number of tunnels dropped.
    std::size_t expire(SteadyTime now, TransitOut* out = nullptr);
    // Calls out.on_tunnel_closed() for every tunnel left (at shutdown).
    void close_all(TransitOut& out) const;

    std::size_t size() const { return tunnels_.size(); }
    const TransitTunnel* find(TunnelId id) const;
    const TransitCounters& counters() const { return counters_; }
    const ReassemblyBudget& reassembly() const { return budget_; }
    const LayerCacheCounters& layer_cache() const { return layers_.counters(); }

private:
    crypto::TunnelLayerCipher& layer(std::uint32_t id, TransitTunnel& t);
    void run_endpoint(TransitTunnel& t, Bytes block, SteadyTime now, TransitOut& out);

    TransitLimits limits_;
    ReassemblyBudget budget_;
    LayerCache layers_;
    std::optional<DuplicateFilter> duplicates_;
    Gateway gateway_; // shared by this shard's inbound gateways: flushed after every message
    std::unordered_map<std::uint32_t, TransitTunnel> tunnels_;
    TransitCounters counters_;
    std::uint64_t bytes_in_ = 0;
};

} // namespace umbra::tunnels
