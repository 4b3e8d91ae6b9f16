// Transit tunnels in the daemon: build requests addressed to us (VariableTunnelBuild 23,
// ShortTunnelBuild 25) go through tunnels::BuildHop with our admission policy; accepted hops are
// installed in tunnels::ShardedTransit, which then relays their TunnelData and TunnelGateway
// messages. Output goes through a Sender (the daemon's Outbound; the OBEP's short-build reply is
// garlic-wrapped with the key and tag from its record, tunnel-creation-ecies.rst).
//
// Threading (issue 5, "the data plane uses every core"):
//   - TunnelService itself lives on the network executor (the transports' one executor): build
//     requests, the rate limiter, the replay cache, the admission decision and the congestion
//     caps all run there, as do on_timer() and every Sender call.
//   - Transit data runs on N shard threads (ShardedTransit, N = options.threads): an accepted
//     tunnel's keys and every TunnelData / TunnelGateway are posted to the shard that owns the
//     receive tunnel id, so the layer crypto of different tunnels runs in parallel and the
//     messages of one tunnel stay in order.
//   - A shard's output (ShardOut) is made into an I2NP message on the shard (its own RNG for
//     message ids) and posted back to the network executor, which hands it to the Sender.
//   - The network side reads the shards' tunnel count and bytes through atomics the shards
//     write (admission, bandwidth share); the full counters are read after stop().
// Shutdown: stop() joins the shards and drops any output still queued for the network
// executor, so call it before the transports and the Sender's target go away.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "netdb/store/outbox.h"
#include "router/base/log.h"
#include "router/dispatch/dispatcher.h"
#include "tunnels/build/hop.h"
#include "tunnels/transit/congestion.h"
#include "tunnels/transit/sharded_transit.h"

namespace umbra::app {

struct TunnelServiceOptions {
    bool accept_transit = true;     // false: notransit (every request refused with code 30)
    std::size_t max_transit = 5000; // limits.transittunnels
    // Build requests one previous hop may send per minute before they are dropped unread (so a
    // flood costs no X25519 work).
    std::uint32_t builds_per_source_per_minute = 120;
    // Transit bytes/s we take: bandwidth x share%. 0 refuses transit (share = 0).
    std::uint64_t share_bytes_per_second = 48 * 1024;
    std::size_t threads = 1; // transit shards, at least 1
};

struct TunnelServiceCounters {
    std::uint64_t build_requests = 0;
    std::uint64_t builds_accepted = 0;
    std::uint64_t builds_rejected = 0;       // we said no (limits, notransit, bandwidth share)
    std::uint64_t builds_dropped = 0;        // not for us, undecryptable, replayed, stale
    std::uint64_t builds_rate_limited = 0;   // dropped unread
    std::uint64_t build_replies_wrapped = 0; // OBEP replies garlic-wrapped
    std::uint64_t own_tunnel_messages = 0;   // not transit and not taken by the own-tunnels hook
    std::uint64_t malformed = 0;
    std::uint64_t cap_changes = 0; // congestion caps published
};

// Our own tunnels (tunnels/pool via router/app) see every tunnel message first; true = consumed.
class OwnTunnelsHook {
public:
    virtual ~OwnTunnelsHook() = default;
    virtual bool on_tunnel_message(const IdentHash& from, const i2np::Message& message) = 0;
};

class TunnelService final : public dispatch::TunnelLayer {
public:
    using Sender = std::function<void(netdb::OutMessage)>;
    // A new congestion cap letter for our RouterInfo (D, E, G, or 0 for none).
    using CapsListener = std::function<void(char cap)>;

    // `network` is the executor this object and `send` live on.
    TunnelService(TunnelServiceOptions options, crypto::X25519Keypair static_keys,
                  const IdentHash& self, boost::asio::any_io_executor network, Sender send,
                  const Clock& clock, crypto::Rng& rng, Logger& log);
    ~TunnelService() override; // stop()s
    TunnelService(const TunnelService&) = delete;
    TunnelService& operator=(const TunnelService&) = delete;

    void set_own_tunnels(OwnTunnelsHook* hook); // nullptr: none
    void set_caps_listener(CapsListener listener) { caps_listener_ = std::move(listener); }
    // Starts the shard threads.
    void start();
    // Joins the shards, logs the tunnels left, drops output not yet sent. Idempotent.
    void stop();

    void on_tunnel_message(const IdentHash& from, i2np::Message message) override;
    // Congestion caps and bandwidth share; call every second (shards expire their own tunnels).
    void on_timer();
    // One line of counters (after stop(): it reads the shards' tables).
    void log_summary() const;

    // Installed transit tunnels plus accepted ones still queued for their shard.
    std::size_t transit_count() const;
    tunnels::ShardedTransit& transit() { return transit_; }
    const TunnelServiceCounters& counters() const { return counters_; }
    const tunnels::TransitAdmission& admission() const { return admission_; }
    const tunnels::BuildHop& build_hop() const { return hop_; }
    const tunnels::SourceRateLimiter& limiter() const { return limiter_; }

private:
    class ShardOut;
    void on_build_request(const IdentHash& from, const i2np::Message& message);
    void accept(const IdentHash& from, tunnels::HopKeys keys);
    void send_build_output(tunnels::HopOutput& output, WallTime expiration);
    void post_output(netdb::OutMessage m); // any thread: to the Sender on the network executor

    TunnelServiceOptions options_;
    IdentHash self_;
    boost::asio::any_io_executor network_;
    Sender send_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    tunnels::BuildHop hop_;
    tunnels::SourceRateLimiter limiter_;
    tunnels::TransitAdmission admission_;
    std::vector<std::unique_ptr<ShardOut>> outs_; // before transit_: outlives the shards
    tunnels::ShardedTransit transit_;
    OwnTunnelsHook* own_ = nullptr;
    CapsListener caps_listener_;
    TunnelServiceCounters counters_;
    std::shared_ptr<bool> alive_;      // network executor only: false once stopped
    std::atomic<bool> stopped_{false}; // read by the shards' on_tunnel_closed()
    // clock_.wall() as of the last on_timer(): the shards date their output with it, so they
    // never call the network thread's Clock.
    std::atomic<std::int64_t> wall_ms_{0};
};

} // namespace umbra::app
