// Transit tunnels in the daemon: build requests addressed to us (VariableTunnelBuild 23,
// ShortTunnelBuild 25) go through tunnels::BuildHop with our admission policy; accepted hops are
// installed in a tunnels::TransitTable, which then relays their TunnelData and TunnelGateway
// messages. Output goes through Outbound (the OBEP's short-build reply is garlic-wrapped with the
// key and tag from its record, tunnel-creation-ecies.rst).
//
// Threading: today one TransitTable on the network executor. tunnels::ShardedTransit (one shard
// per core, each with its own executor) is the drop-in for busy relays; the transports then post
// TunnelData to the shard that owns the tunnel id (sharded_transit.h).
#pragma once
#include <cstdint>

#include "router/app/outbound.h"
#include "router/base/log.h"
#include "tunnels/build/hop.h"
#include "tunnels/transit/transit_table.h"

namespace umbra::app {

struct TunnelServiceOptions {
    bool accept_transit = true;     // false: notransit (every request refused with code 30)
    std::size_t max_transit = 5000; // limits.transittunnels
    // Build requests one previous hop may send per minute before they are dropped unread (so a
    // flood costs no X25519 work).
    std::uint32_t builds_per_source_per_minute = 120;
};

struct TunnelServiceCounters {
    std::uint64_t build_requests = 0;
    std::uint64_t builds_accepted = 0;
    std::uint64_t builds_rejected = 0;       // we said no (limits, notransit)
    std::uint64_t builds_dropped = 0;        // not for us, undecryptable, replayed, stale
    std::uint64_t builds_rate_limited = 0;   // dropped unread
    std::uint64_t build_replies_wrapped = 0; // OBEP replies garlic-wrapped
    std::uint64_t own_tunnel_messages = 0;   // build replies and tunnel tests: no pools yet
    std::uint64_t malformed = 0;
};

class TunnelService final : public dispatch::TunnelLayer, private tunnels::TransitOut {
public:
    TunnelService(TunnelServiceOptions options, crypto::X25519Keypair static_keys,
                  const IdentHash& self, Outbound& outbound, const Clock& clock, crypto::Rng& rng,
                  Logger& log);

    void on_tunnel_message(const IdentHash& from, i2np::Message message) override;
    // Drops expired transit tunnels; call every few seconds.
    void on_timer();
    // One line of counters (at shutdown).
    void log_summary() const;

    std::size_t transit_count() const { return transit_.size(); }
    const tunnels::TransitTable& transit() const { return transit_; }
    const TunnelServiceCounters& counters() const { return counters_; }

private:
    void on_build_request(const IdentHash& from, const i2np::Message& message);
    tunnels::HopDecision decide(const tunnels::BuildRequestRecord& request) const;
    void send_build_output(tunnels::HopOutput& output, WallTime expiration);

    void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message) override;
    void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message) override;
    void send_message(const IdentHash& to, i2np::Message&& message) override;
    WallTime expiration() const;

    TunnelServiceOptions options_;
    IdentHash self_;
    Outbound& outbound_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    tunnels::BuildHop hop_;
    tunnels::SourceRateLimiter limiter_;
    tunnels::TransitTable transit_;
    TunnelServiceCounters counters_;
};

} // namespace umbra::app
