// Internal state of LocalTunnels (local_tunnels.h), shared by local_tunnels.cpp (API, dispatch,
// sending), pool_builds.cpp (building, replies, timeouts) and pool_probes.cpp (tunnel tests,
// expiry). Not part of the public API.
#pragma once
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tunnels/build/creator.h"
#include "tunnels/pool/local_tunnels.h"
#include "tunnels/transit/endpoint.h"
#include "tunnels/transit/gateway.h"
#include "tunnels/transit/layer.h"

namespace umbra::tunnels {

// Lifetime of the TunnelData and TunnelGateway messages we originate; builds use build_timeout,
// tests test_timeout.
inline constexpr Milliseconds kPoolMessageLifetime{std::chrono::seconds(60)};
// Hops of a tunnel that failed its tests are not chosen again for this long.
inline constexpr Milliseconds kAvoidFailedHops{std::chrono::minutes(10)};
inline constexpr std::size_t kMaxAvoided = 256;

// One of our tunnels, inbound or outbound.
struct OwnTunnel {
    PoolId pool = kExploratoryPool;
    bool inbound = false;
    bool fallback = false; // zero-hop bootstrap tunnel of a pool whose length is not 0
    std::vector<IdentHash> hops;
    TunnelId id;                         // see TunnelSummary::id
    TunnelId endpoint_id;                // inbound: ours
    TunnelId local_id;                   // key in Impl::tunnels (inbound: endpoint_id)
    std::vector<std::uint32_t> ids;      // every id we chose for it, released on removal
    std::optional<CreatorLayers> layers; // none for zero-hop
    std::unique_ptr<Endpoint> endpoint;  // inbound with hops
    WallTime created;
    WallTime expires;
    SteadyTime ends;
    std::uint32_t tests_passed = 0;
    std::uint32_t tests_failed = 0;
    // Tunnel tests ("Tunnel Testing") cross two tunnels, so a failure is only blamed on the one
    // under test when its partner's last test had passed; every failure counts in
    // fails_in_row, which also ends a tunnel once it reaches twice max_test_failures (so that
    // when everything fails, everything is replaced).
    std::uint32_t failures_in_row = 0; // blamed
    std::uint32_t fails_in_row = 0;    // any
    bool suspect = false;              // the partner of a failed test since its last pass
    std::vector<std::uint32_t> tried;  // partners of failed tests since the last pass
    bool trusted() const { return fails_in_row == 0 && !suspect; }

    bool testing = false;
    SteadyTime next_test{};

    bool zero_hop() const { return hops.empty(); }
};

// A build in flight, keyed by its reply message id.
struct PendingOwnBuild {
    PendingOwnBuild(PoolId p, bool in, PendingBuild b) : pool(p), inbound(in), build(std::move(b))
    {
    }
    PoolId pool = kExploratoryPool;
    bool inbound = false;
    PendingBuild build;
    std::vector<IdentHash> hops;
    std::vector<std::uint32_t> ids; // hops' receive ids in hop order, then (inbound) ours
    SteadyTime started;
    WallTime started_wall;
    SteadyTime deadline;
    std::optional<std::uint64_t> garlic_tag; // outbound short builds
};

// A tunnel test in flight, keyed by the DeliveryStatus id it carries.
struct Probe {
    std::uint32_t tunnel = 0;  // local id of the tunnel under test
    std::uint32_t partner = 0; // local id of the tunnel of the other direction
    SteadyTime deadline;
    // The DeliveryStatus travels garlic-wrapped with a one-time key and tag, so the hops see an
    // opaque Garlic message, not a recognisable test (how/tunnel-routing.html "Future Work").
    crypto::Key32 key;
    std::uint64_t tag = 0;
};

// A hop of a tunnel that failed its tests, and in how many such tunnels it was.
struct Avoided {
    SteadyTime until;
    std::uint32_t failures = 0;
};

struct Pool {
    PoolConfig config;
};

struct LocalTunnels::Impl {
    Impl(LocalTunnelsConfig c, LocalTunnelsOut& o, crypto::Rng& r, Logger& l,
         LocalTunnelsCounters& k);

    LocalTunnelsConfig config;
    LocalTunnelsOut& out;
    crypto::Rng& rng;
    Logger& log;
    LocalTunnelsCounters& counters;

    std::vector<PeerCandidate> candidates;
    std::map<PoolId, Pool> pools;
    PoolId next_pool = kExploratoryPool + 1;
    std::unordered_map<std::uint32_t, std::unique_ptr<OwnTunnel>> tunnels; // by local id
    std::unordered_set<std::uint32_t> used_ids;
    std::unordered_map<std::uint32_t, PendingOwnBuild> pending;   // by reply message id
    std::unordered_map<std::uint64_t, std::uint32_t> garlic_tags; // tag -> reply message id
    std::unordered_map<std::uint32_t, Probe> probes;              // by DeliveryStatus id
    std::unordered_map<std::uint64_t, std::uint32_t> probe_tags;  // garlic tag -> test id
    std::unordered_map<IdentHash, Avoided> avoid;                 // hops of failed tunnels
    Now last_now{}; // of the latest on_timer / on_message, for tunnels()
    ReassemblyBudget budget;
    Gateway gateway;
    std::array<std::uint8_t, crypto::tunnel_block_size> scratch{}; // one TunnelData, decrypted
    std::vector<std::vector<std::uint8_t>> arrived; // complete messages of the current block

    struct OutboundSink;
    struct InboundSink;

    // local_tunnels.cpp
    std::uint32_t alloc_id();
    void release(const OwnTunnel& t);
    bool usable(const OwnTunnel& t, Now now) const;
    // A random usable tunnel of `pool` in one direction; real tunnels before fallbacks.
    OwnTunnel* pick(PoolId pool, bool inbound, Now now, std::span<const std::uint32_t> skip = {});
    InboundPath path_of(const OwnTunnel& t) const;
    void send_via(OwnTunnel& t, const Delivery& d, const i2np::Message& m, Now now);
    bool on_tunnel_data(const i2np::Message& m, Now now);
    bool on_tunnel_gateway(const i2np::Message& m, Now now);
    // A message that came out of one of our inbound tunnels with LOCAL delivery.
    void on_local(PoolId pool, i2np::Message&& m, Now now);
    std::string name_of(PoolId pool) const;
    std::string describe(const OwnTunnel& t) const;
    OwnTunnel& add_tunnel(std::unique_ptr<OwnTunnel> t);
    void remove_tunnel(std::uint32_t local_id);

    // pool_builds.cpp
    void maintain(PoolId pool, bool inbound, Now now);
    std::uint8_t build_length(const PoolConfig& c, bool inbound);
    void add_zero_hop(PoolId pool, bool inbound, bool fallback, Now now);
    Result<std::vector<PeerCandidate>> choose_hops(std::uint8_t length, Now now);
    BuildPlan make_plan(PoolId pool, bool inbound, const std::vector<PeerCandidate>& hops,
                        std::vector<std::uint32_t>& ids, Now now);
    bool start_build(PoolId pool, bool inbound, std::uint8_t length, Now now);
    bool send_build(PoolId pool, bool inbound, const BuildRequest& req,
                    const std::vector<PeerCandidate>& hops, Now now);
    void finish_build(std::uint32_t reply_id, i2np::MessageType type, Bytes payload, Now now);
    void install(PendingOwnBuild& p, const BuildOutcome& outcome, Now now);
    bool on_garlic_reply(const i2np::Message& m, Now now);
    void expire_builds(Now now);
    std::size_t pending_count(PoolId pool, std::optional<bool> inbound) const;
    void drop_pending(std::unordered_map<std::uint32_t, PendingOwnBuild>::iterator it,
                      bool release_ids);

    // pool_probes.cpp
    void start_probes(Now now);
    void send_probe(OwnTunnel& t, OwnTunnel& partner, Now now);
    bool on_probe_garlic(const i2np::Message& m, Now now);
    bool on_delivery_status(const i2np::Message& m, Now now);
    void expire_probes(Now now);
    void expire_tunnels(Now now);
    void test_failed(OwnTunnel& t, bool partner_trusted, std::vector<std::uint32_t>& failed,
                     Now now);
    void fail_tunnel(OwnTunnel& t, Now now);
};

// "abcdef>ghijkl>us" (inbound) or "us>abcdef>ghijkl" (outbound): the first 6 base64
// characters of each hop's identity hash, in message order.
std::string hop_path(const std::vector<IdentHash>& hops, bool inbound);
const char* direction_name(bool inbound);

} // namespace umbra::tunnels
