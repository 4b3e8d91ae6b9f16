#include "tests/sim/simulation.h"

#include <algorithm>
#include <utility>

#include "router/data/i2np/payload.h"

namespace umbra::sim {

namespace {

// SplitMix64: decorrelates the per-router and per-pair values derived from the one seed.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

} // namespace

std::uint32_t router_ipv4(std::size_t i)
{
    // Second octet 1..250 under first octets 10, 11, ...: 250 routers per first octet.
    const auto first = std::uint32_t(10 + i / 250);
    const auto second = std::uint32_t(1 + i % 250);
    return first << 24 | second << 16 | 1;
}

Simulation::Simulation(const SimConfig& config, Logger& log)
    : config_(config), rng_(mix(config.seed ^ 0x51u))
{
    config_.min_latency_ms = std::max<VirtualMs>(config_.min_latency_ms, 0);
    config_.max_latency_ms = std::max(config_.max_latency_ms, config_.min_latency_ms);
    routers_.reserve(config.routers);
    for (std::size_t i = 0; i < config.routers; ++i) {
        SimRouterConfig rc;
        rc.index = std::uint32_t(i);
        rc.rng_seed = mix(config.seed * 1'000'003u + i);
        rc.ipv4 = router_ipv4(i);
        if (config.shared_subnet_pair && i == 2 && config.routers > 2)
            rc.ipv4 = router_ipv4(1) + 1; // the same /16 as router 1, another host
        rc.exploratory.inbound_length = config.hops;
        rc.exploratory.outbound_length = config.hops;
        rc.exploratory.inbound_quantity = config.quantity;
        rc.exploratory.outbound_quantity = config.quantity;
        rc.restrict_subnet = config.restrict_subnet;
        if (const auto it = config.max_transit.find(i); it != config.max_transit.end())
            rc.admission.max_tunnels = it->second;
        routers_.push_back(
            std::make_unique<SimRouter>(rc, scheduler_, static_cast<Wire&>(*this), trace_, log));
        peers_.push_back(routers_.back()->info());
        by_ident_.emplace(peers_.back().ident, std::uint32_t(i));
    }
    refresh();
    for (std::uint32_t i = 0; i < routers_.size(); ++i)
        scheduler_.after(VirtualMs(rng_.uniform(1000)), [this, i] { timer(i); });
    scheduler_.after(config_.candidate_refresh_ms, [this] { refresh_tick(); });
}

Simulation::~Simulation() = default;

void Simulation::run_for(VirtualMs duration)
{
    scheduler_.run_until(scheduler_.now() + duration);
}

const SimRouter* Simulation::find(const IdentHash& ident) const
{
    const auto it = by_ident_.find(ident);
    return it == by_ident_.end() ? nullptr : routers_[it->second].get();
}

VirtualMs Simulation::latency(std::uint32_t a, std::uint32_t b) const
{
    if (a == b)
        return 0;
    const std::uint64_t lo = std::min(a, b);
    const std::uint64_t hi = std::max(a, b);
    const auto span = std::uint64_t(config_.max_latency_ms - config_.min_latency_ms + 1);
    return config_.min_latency_ms + VirtualMs(mix(config_.seed ^ (lo << 32 | hi)) % span);
}

void Simulation::send(std::uint32_t from, const IdentHash& to, i2np::Message&& message)
{
    const auto it = by_ident_.find(to);
    if (it == by_ident_.end()) {
        ++network_.unknown_peer;
        return;
    }
    const std::uint32_t dest = it->second;
    if (!routers_[dest]->up()) {
        ++network_.to_down;
        if (config_.connect_failures_to_profiles) {
            scheduler_.after(config_.connect_timeout_ms,
                             [this, from, to] { routers_[from]->on_connect_failed(to); });
        }
        return;
    }
    open_session(from, dest);
    if (config_.loss > 0 && dest != from &&
        double(rng_.uniform(1'000'000)) < config_.loss * 1'000'000.0) {
        ++network_.lost;
        return;
    }
    auto bytes = message.serialize_standard();
    ++network_.sent;
    network_.bytes += bytes.size();
    scheduler_.after(latency(from, dest),
                     [this, from, dest, bytes = std::move(bytes)] { arrive(from, dest, bytes); });
}

void Simulation::open_session(std::uint32_t a, std::uint32_t b)
{
    if (a == b || !sessions_.insert(std::uint64_t(std::min(a, b)) << 32 | std::max(a, b)).second)
        return;
    ++network_.sessions_opened;
    // Up after a round trip (the handshake); messages are not held back for it.
    scheduler_.after(2 * latency(a, b), [this, a, b] {
        routers_[a]->on_connected(routers_[b]->ident());
        routers_[b]->on_connected(routers_[a]->ident());
    });
}

void Simulation::take_down(std::size_t i)
{
    routers_.at(i)->set_up(false);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        const bool ends = (*it >> 32) == i || (*it & 0xffffffffu) == i;
        it = ends ? sessions_.erase(it) : std::next(it);
    }
}

void Simulation::arrive(std::uint32_t from, std::uint32_t to,
                        const std::vector<std::uint8_t>& bytes)
{
    auto message = i2np::Message::parse_standard(bytes);
    if (!message) {
        ++network_.unparsable;
        return;
    }
    routers_[to]->receive(routers_[from]->ident(), std::move(*message));
}

void Simulation::timer(std::uint32_t i)
{
    routers_[i]->on_timer();
    scheduler_.after(1000, [this, i] { timer(i); });
}

void Simulation::refresh()
{
    // Every router's current RouterInfo (congestion caps change), as a netdb would have it.
    for (std::size_t i = 0; i < routers_.size(); ++i)
        peers_[i] = routers_[i]->info();
    for (auto& r : routers_) {
        if (r->up())
            r->refresh_candidates(peers_);
    }
}

void Simulation::refresh_tick()
{
    refresh();
    scheduler_.after(config_.candidate_refresh_ms, [this] { refresh_tick(); });
}

Result<tunnels::InboundPath> Simulation::send_data(std::size_t from, std::size_t to,
                                                   std::vector<std::uint8_t> payload, MessageId id)
{
    const auto path =
        router(to).tunnels().reply_path(tunnels::kExploratoryPool, engine_now(scheduler_.now()));
    if (!path)
        return make_error_code(Errc::unavailable); // as send_through
    const WallTime expires{engine_now(scheduler_.now()).wall.ms + 60'000};
    const auto message = i2np::make_message(i2np::Data{std::move(payload)}, id, expires);
    if (auto sent = router(from).send_to_tunnel(*path, message); !sent)
        return sent.error();
    return *path;
}

Totals Simulation::totals() const
{
    Totals t;
    for (const auto& r : routers_) {
        const auto& c = r->tunnels().counters();
        t.tunnels.builds_started += c.builds_started;
        t.tunnels.builds_succeeded += c.builds_succeeded;
        t.tunnels.builds_declined += c.builds_declined;
        t.tunnels.builds_timed_out += c.builds_timed_out;
        t.tunnels.builds_bad_reply += c.builds_bad_reply;
        t.tunnels.builds_no_peers += c.builds_no_peers;
        t.tunnels.tests_sent += c.tests_sent;
        t.tunnels.tests_passed += c.tests_passed;
        t.tunnels.tests_failed += c.tests_failed;
        t.tunnels.tunnels_expired += c.tunnels_expired;
        t.tunnels.tunnels_failed += c.tunnels_failed;
        t.tunnels.messages_sent += c.messages_sent;
        t.tunnels.messages_received += c.messages_received;
        t.tunnels.messages_dropped += c.messages_dropped;
        t.tunnels.send_failures += c.send_failures;
        const auto& s = r->counters();
        t.routers.received += s.received;
        t.routers.dropped_down += s.dropped_down;
        t.routers.direct_unhandled += s.direct_unhandled;
        t.routers.malformed += s.malformed;
        t.routers.garlic_received += s.garlic_received;
        t.routers.garlic_undecryptable += s.garlic_undecryptable;
        t.routers.cloves_local += s.cloves_local;
        t.routers.cloves_forwarded += s.cloves_forwarded;
        t.routers.build_requests += s.build_requests;
        t.routers.builds_rate_limited += s.builds_rate_limited;
        t.routers.builds_accepted += s.builds_accepted;
        t.routers.builds_rejected += s.builds_rejected;
        t.routers.builds_dropped += s.builds_dropped;
        t.routers.hops_agreed += s.hops_agreed;
        t.routers.hops_declined += s.hops_declined;
        t.routers.hops_timed_out += s.hops_timed_out;
        t.routers.connect_failures += s.connect_failures;
        t.transit_tunnels += r->transit().size();
        t.transit_forwarded += r->transit().counters().forwarded;
        t.transit_unknown += r->transit().counters().unknown_tunnel;
        t.transit_wrong_previous += r->transit().counters().wrong_previous;
    }
    return t;
}

} // namespace umbra::sim
