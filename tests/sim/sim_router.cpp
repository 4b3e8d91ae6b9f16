#include "tests/sim/sim_router.h"

#include <algorithm>
#include <utility>

#include "crypto/hash.h"
#include "crypto/secret.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/reply.h"

namespace umbra::sim {

namespace {

// As the daemon (router/app/tunnel_service.cpp): messages we originate live a minute.
constexpr std::int64_t kMessageLifetimeMs = 60'000;
// The daemon's defaults (router/app/tunnel_service.h): build requests per previous hop and minute.
constexpr std::uint32_t kBuildsPerSourcePerMinute = 120;
constexpr std::size_t kRateLimitedSources = 4096;

bool is_tunnel_message(i2np::MessageType t)
{
    const auto v = static_cast<std::uint8_t>(t);
    return t == i2np::MessageType::tunnel_data || t == i2np::MessageType::tunnel_gateway ||
           (v >= 21 && v <= 26); // builds and build replies (i2np.rst)
}

tunnels::LocalTunnelsConfig tunnels_config(const IdentHash& self, const SimRouterConfig& c)
{
    tunnels::LocalTunnelsConfig config;
    config.self = self;
    config.exploratory = c.exploratory;
    config.selection.restrict_subnet = c.restrict_subnet;
    return config;
}

tunnels::TransitLimits transit_limits()
{
    tunnels::TransitLimits limits;
    // 2^16 bits per generation (8 KiB) instead of the daemon's 1 MiB: a simulated router sees a
    // few thousand TunnelData per tunnel lifetime, and 1,000 routers must fit in memory.
    limits.duplicate_filter_bits_log2 = 16;
    return limits;
}

IdentHash ident_of(const crypto::X25519Public& key)
{
    // A stand-in for SHA-256(RouterIdentity): unique per router, fixed by the seed.
    return IdentHash(crypto::sha256(key));
}

} // namespace

tunnels::Now engine_now(VirtualMs at)
{
    // Steady time starts an hour after the clock's epoch so that no engine sees a zero time.
    return {WallTime{kWallStartMs + at},
            SteadyTime{} + std::chrono::hours(1) + std::chrono::milliseconds(at)};
}

SimRouter::SimRouter(const SimRouterConfig& config, const Scheduler& clock, Wire& wire,
                     Trace& trace, Logger& log)
    : index_(config.index), ipv4_(config.ipv4), bandwidth_(config.bandwidth), clock_(clock),
      wire_(wire), trace_(trace), rng_(config.rng_seed),
      keys_(crypto::X25519Keypair::generate(rng_)), public_key_(keys_.public_key),
      ident_(ident_of(public_key_)), inbox_(keys_.private_key.clone()),
      hop_(std::move(keys_), ident_),
      limiter_(kRateLimitedSources, kBuildsPerSourcePerMinute, std::chrono::minutes(1)),
      transit_(transit_limits(), rng_), admission_(config.admission),
      tunnels_(tunnels_config(ident_, config), *this, rng_, log)
{
}

WallTime SimRouter::expiration() const
{
    return WallTime{engine_now(clock_.now()).wall.ms + kMessageLifetimeMs};
}

void SimRouter::receive(const IdentHash& from, i2np::Message message)
{
    if (!up_) {
        ++counters_.dropped_down;
        return;
    }
    ++counters_.received;
    dispatch(from, message, false);
}

void SimRouter::dispatch(const IdentHash& from, const i2np::Message& message, bool in_garlic)
{
    if (message.type == i2np::MessageType::garlic && !in_garlic) {
        on_garlic(from, message);
        return;
    }
    if (!is_tunnel_message(message.type)) {
        // DeliveryStatus, Data and garlic replies reach LocalTunnels only out of our inbound
        // tunnels (it matches tests and decrypts build replies there); the sim runs no netdb.
        ++counters_.direct_unhandled;
        return;
    }
    if (tunnels_.on_message(from, message, engine_now(clock_.now())))
        return;
    relay(from, message);
}

void SimRouter::on_garlic(const IdentHash& from, const i2np::Message& message)
{
    ++counters_.garlic_received;
    const auto garlic = i2np::Garlic::parse(message.payload);
    auto cloves = garlic ? inbox_.on_garlic(*garlic, engine_now(clock_.now()).wall)
                         : Result<std::vector<garlic::GarlicClove>>(garlic.error());
    if (!cloves) {
        ++counters_.garlic_undecryptable;
        return;
    }
    for (auto& clove : *cloves) {
        switch (clove.delivery.type) {
        case garlic::DeliveryType::local:
            ++counters_.cloves_local;
            dispatch(from, clove.message, true);
            break;
        case garlic::DeliveryType::router:
            ++counters_.cloves_forwarded;
            wire_.send(index_, clove.delivery.to, std::move(clove.message));
            break;
        case garlic::DeliveryType::tunnel: {
            ++counters_.cloves_forwarded;
            const i2np::TunnelGateway gw{clove.delivery.tunnel, clove.message.serialize_standard()};
            wire_.send(index_, clove.delivery.to,
                       i2np::make_message(gw, MessageId(rng_.u32()), expiration()));
            break;
        }
        case garlic::DeliveryType::destination: // no client layer in the simulation
            ++counters_.direct_unhandled;
            break;
        }
    }
}

void SimRouter::relay(const IdentHash& from, const i2np::Message& message)
{
    const SteadyTime steady = engine_now(clock_.now()).steady;
    switch (message.type) {
    case i2np::MessageType::variable_tunnel_build:
    case i2np::MessageType::short_tunnel_build:
        on_build_request(from, message);
        return;
    case i2np::MessageType::tunnel_data: {
        auto td = i2np::TunnelData::parse(message.payload);
        if (!td) {
            ++counters_.malformed;
            return;
        }
        // Participants and outbound endpoints take TunnelData only from their previous hop.
        transit_.on_tunnel_data(*td, from, steady, *this);
        return;
    }
    case i2np::MessageType::tunnel_gateway: {
        const auto gw = i2np::TunnelGateway::parse(message.payload);
        if (!gw) {
            ++counters_.malformed;
            return;
        }
        transit_.on_tunnel_gateway(*gw, steady, *this);
        return;
    }
    default: // a build reply that is not for a build of ours
        ++counters_.direct_unhandled;
        return;
    }
}

void SimRouter::on_build_request(const IdentHash& from, const i2np::Message& message)
{
    const tunnels::Now now = engine_now(clock_.now());
    if (!limiter_.allow(from, now.wall)) {
        ++counters_.builds_rate_limited;
        return;
    }
    ++counters_.build_requests;
    const auto policy = [this](const tunnels::BuildRequestRecord&) -> tunnels::HopDecision {
        // tunnel-creation-ecies.rst: ECIES hops reject with 30 (bandwidth) whatever the reason.
        return admission_.refuse(transit_.size()) ? tunnels::kRejectBandwidth
                                                  : tunnels::kReplyAccept;
    };
    auto output = hop_.handle(message.type, message.payload, now.wall, rng_, policy);
    if (!output) {
        ++counters_.builds_dropped;
        return;
    }
    if (output->reply == tunnels::kReplyAccept) {
        if (!transit_.add(output->keys, from, now.steady)) {
            ++counters_.builds_dropped;
            return;
        }
        ++counters_.builds_accepted;
    } else {
        ++counters_.builds_rejected;
    }
    send_build_output(*output, WallTime{now.wall.ms + kMessageLifetimeMs});
}

void SimRouter::send_build_output(tunnels::HopOutput& output, WallTime expires)
{
    i2np::Message m{output.type, output.message_id, expires, std::move(output.payload)};
    if (!output.via_gateway_tunnel) { // participant or IBGW: the build message to the next hop
        wire_.send(index_, output.to, std::move(m));
        return;
    }
    // OBEP: the reply down the reply tunnel, garlic-wrapped for short records
    // (tunnel-creation-ecies.rst "Reply Encryption"; hop.h).
    if (output.garlic && output.to != ident_) {
        auto garlic = garlic::encrypt_reply(output.garlic->key, output.garlic->tag, m, rng_);
        if (!garlic) {
            ++counters_.builds_dropped;
            return;
        }
        m = i2np::make_message(*garlic, MessageId(rng_.u32()), expires);
    }
    const i2np::TunnelGateway gw{*output.via_gateway_tunnel, m.serialize_standard()};
    wire_.send(index_, output.to, i2np::make_message(gw, MessageId(rng_.u32()), expires));
}

void SimRouter::on_timer()
{
    if (!up_)
        return;
    const tunnels::Now now = engine_now(clock_.now());
    tunnels_.on_timer(now);
    transit_.expire(now.steady);
    admission_.update(transit_.size(), transit_.bytes_in(), now.steady);
    trace_new_tunnels();
}

void SimRouter::trace_new_tunnels()
{
    std::set<std::tuple<bool, std::uint32_t, std::uint32_t>> current;
    for (const auto& t : tunnels_.tunnels(tunnels::kExploratoryPool)) {
        const auto key = std::make_tuple(t.inbound, t.id.value(), t.endpoint_id.value());
        if (t.state == tunnels::TunnelState::established && !traced_.contains(key))
            trace_.tunnel_built(index_, t, clock_.now());
        if (t.state == tunnels::TunnelState::established || traced_.contains(key))
            current.insert(key);
    }
    traced_ = std::move(current); // forget tunnels that are gone
}

void SimRouter::on_connect_failed(const IdentHash& peer)
{
    if (!up_)
        return;
    ++counters_.connect_failures;
    profiles_.record(peer, netdb::PeerEvent::connect_failed, engine_now(clock_.now()).wall);
}

void SimRouter::on_connected(const IdentHash& peer)
{
    if (up_)
        profiles_.record(peer, netdb::PeerEvent::connected, engine_now(clock_.now()).wall);
}

void SimRouter::refresh_candidates(std::span<const PeerInfo> peers)
{
    const WallTime now = engine_now(clock_.now()).wall;
    std::vector<tunnels::PeerCandidate> candidates;
    candidates.reserve(peers.size());
    for (const auto& p : peers) {
        if (p.ident == ident_)
            continue;
        tunnels::PeerCandidate c;
        c.ident = p.ident;
        c.encryption_key = p.encryption_key;
        c.ipv4 = p.ipv4;
        c.bandwidth = p.bandwidth;
        c.congested = p.congestion == 'D';
        c.rejecting = p.congestion == 'E' || p.congestion == 'G';
        c.score = profiles_.score(p.ident, now);
        c.bad = profiles_.is_bad(p.ident, now);
        candidates.push_back(c);
    }
    tunnels_.set_candidates(std::move(candidates));
}

Result<void> SimRouter::send_to_tunnel(const tunnels::InboundPath& to, const i2np::Message& message)
{
    const tunnels::Delivery target{tunnels::DeliveryType::tunnel, to.tunnel, to.gateway};
    return tunnels_.send_through(tunnels::kExploratoryPool, target, message,
                                 engine_now(clock_.now()));
}

void SimRouter::send(const IdentHash& to, i2np::Message&& message)
{
    wire_.send(index_, to, std::move(message));
}

void SimRouter::deliver(tunnels::PoolId pool, i2np::Message&& message)
{
    trace_.delivered(index_, pool, message, clock_.now());
    delivered_.push_back(Delivered{clock_.now(), pool, std::move(message)});
}

void SimRouter::hop_result(const IdentHash& hop, tunnels::HopOutcome outcome)
{
    netdb::PeerEvent event = netdb::PeerEvent::tunnel_agreed;
    switch (outcome) {
    case tunnels::HopOutcome::agreed:
        ++counters_.hops_agreed;
        break;
    case tunnels::HopOutcome::declined:
        ++counters_.hops_declined;
        event = netdb::PeerEvent::tunnel_declined;
        break;
    case tunnels::HopOutcome::timed_out:
        ++counters_.hops_timed_out;
        event = netdb::PeerEvent::tunnel_timed_out;
        break;
    }
    profiles_.record(hop, event, engine_now(clock_.now()).wall);
}

void SimRouter::send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message)
{
    wire_.send(index_, to, i2np::make_message(message, MessageId(rng_.u32()), expiration()));
}

void SimRouter::send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message)
{
    wire_.send(index_, to, i2np::make_message(message, MessageId(rng_.u32()), expiration()));
}

void SimRouter::send_message(const IdentHash& to, i2np::Message&& message)
{
    wire_.send(index_, to, std::move(message));
}

} // namespace umbra::sim
