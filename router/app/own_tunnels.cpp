#include "router/app/own_tunnels.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "router/app/netdb_service.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/router_message.h"

namespace umbra::app {

namespace {

constexpr Milliseconds refresh_every{std::chrono::seconds(30)};
constexpr std::size_t max_sources = 4096;
constexpr std::uint16_t crypto_type_x25519 = 4;

// "0.9.51" and later: short tunnel build records (tunnel-creation-ecies.rst, proposal 157).
bool supports_short_builds(std::string_view version)
{
    unsigned a = 0, b = 0, c = 0;
    const std::string v(version.substr(0, 32));
    if (std::sscanf(v.c_str(), "%u.%u.%u", &a, &b, &c) < 2) {
        return false;
    }
    return std::tuple{a, b, c} >= std::tuple{0u, 9u, 51u};
}

std::uint32_t parse_ipv4(std::string_view host)
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    char tail = 0;
    const std::string h(host.substr(0, 32));
    if (std::sscanf(h.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
        c > 255 || d > 255) {
        return 0;
    }
    return (a << 24) | (b << 16) | (c << 8) | d;
}

char bandwidth_letter(data::Caps::Bandwidth b)
{
    using B = data::Caps::Bandwidth;
    switch (b) {
    case B::K:
        return 'K';
    case B::L:
    case B::unknown:
        return 'L';
    case B::M:
        return 'M';
    case B::N:
        return 'N';
    case B::O:
        return 'O';
    case B::P:
        return 'P';
    case B::X:
        return 'X';
    }
    return 'L';
}

std::uint64_t tag_index(Bytes tag)
{
    std::uint64_t v = 0;
    std::memcpy(&v, tag.data(), sizeof v);
    return v;
}

netdb::PeerEvent to_event(tunnels::HopOutcome o)
{
    switch (o) {
    case tunnels::HopOutcome::agreed:
        return netdb::PeerEvent::tunnel_agreed;
    case tunnels::HopOutcome::declined:
        return netdb::PeerEvent::tunnel_declined;
    case tunnels::HopOutcome::timed_out:
        break;
    }
    return netdb::PeerEvent::tunnel_timed_out;
}

} // namespace

std::optional<tunnels::PeerCandidate> candidate_from(const data::RouterInfo& ri)
{
    const auto& id = ri.identity();
    const auto key = id.crypto_public_key();
    const auto version = ri.version();
    if (id.crypto_type() != crypto_type_x25519 || key.size() != 32 || !version ||
        !supports_short_builds(*version)) {
        return std::nullopt;
    }
    tunnels::PeerCandidate c;
    c.ident = ri.ident_hash();
    std::copy(key.begin(), key.end(), c.encryption_key.begin());
    c.reachable = false;
    for (const auto* a : ri.addresses(data::ntcp2_style)) {
        const auto host = a->options.get("host");
        if (host && a->options.get("port")) {
            c.reachable = true;
            c.ipv4 = c.ipv4 != 0 ? c.ipv4 : parse_ipv4(*host);
        }
    }
    if (!c.reachable) {
        return std::nullopt;
    }
    const auto caps = ri.caps();
    c.bandwidth = bandwidth_letter(caps.bandwidth);
    c.congested = caps.congestion == data::Caps::Congestion::medium;
    c.rejecting = caps.congestion == data::Caps::Congestion::high ||
                  caps.congestion == data::Caps::Congestion::rejecting;
    return c;
}

OwnTunnels::OwnTunnels(OwnTunnelsOptions options, const IdentHash& self, NetDbService& netdb,
                       garlic::GarlicRouterInbox& inbox, dispatch::Dispatcher& dispatcher,
                       Outbound& outbound, const Clock& clock, crypto::Rng& rng, Logger& log)
    : options_(options), self_(self), netdb_(netdb), inbox_(inbox), dispatcher_(dispatcher),
      outbound_(outbound), clock_(clock), rng_(rng), log_(log),
      local_(tunnels::LocalTunnelsConfig{.self = self,
                                         .selection = {.restrict_subnet = options.restrict_subnet},
                                         .exploratory = options.exploratory},
             *this, rng, log)
{
}

OwnTunnels::~OwnTunnels() = default;

bool OwnTunnels::on_tunnel_message(const IdentHash& from, const i2np::Message& message)
{
    return local_.on_message(from, message, now());
}

void OwnTunnels::on_timer()
{
    const auto n = now();
    if (n.wall >= next_refresh_) {
        refresh_candidates(n.wall);
        next_refresh_ = WallTime{n.wall.ms + refresh_every.count()};
    }
    std::erase_if(sources_, [&](const auto& kv) { return kv.second.expires < n.wall; });
    local_.on_timer(n);
    // Progress for the user while tunnels cannot be built (at most once a minute).
    const auto no_peers = local_.counters().builds_no_peers;
    if (no_peers != reported_no_peers_ && n.wall >= next_no_peers_report_) {
        UMBRA_LOG(log_, info, "tunnels",
                  "cannot build exploratory tunnels yet: too few of the "
                      << netdb_.size() << " known routers can be hops ("
                      << (options_.restrict_subnet ? "no two in one /16, " : "")
                      << "X25519, NTCP2 address, 0.9.51+); exploring the netdb for more");
        reported_no_peers_ = no_peers;
        next_no_peers_report_ = WallTime{n.wall.ms + 60'000};
    }
}

void OwnTunnels::refresh_candidates(WallTime now)
{
    std::vector<tunnels::PeerCandidate> candidates;
    candidates.reserve(netdb_.size());
    const auto& profiles = netdb_.profiles();
    netdb_.store().for_each_router_info([&](const data::RouterInfo& ri) {
        if (ri.ident_hash() == self_) {
            return;
        }
        if (auto c = candidate_from(ri)) {
            c->score = profiles.score(c->ident, now);
            c->bad = profiles.is_bad(c->ident, now);
            candidates.push_back(*c);
        }
    });
    UMBRA_LOG(log_, debug, "tunnels",
              candidates.size() << " of " << netdb_.size() << " routers can be hops of ours");
    local_.set_candidates(std::move(candidates));
}

bool OwnTunnels::route_netdb(netdb::OutMessage& m)
{
    using tunnels::kExploratoryPool;
    if (!options_.netdb_through_tunnels || m.message.type != i2np::MessageType::database_lookup ||
        m.tunnel || !std::holds_alternative<std::monostate>(m.encryption) || m.to == self_) {
        return false;
    }
    const auto n = now();
    const auto* ri = netdb_.find(m.to);
    auto lookup = i2np::DatabaseLookup::parse(m.message.payload);
    if (!ri || ri->identity().crypto_type() != crypto_type_x25519 || !lookup ||
        lookup->reply_tunnel || !std::holds_alternative<std::monostate>(lookup->reply_encryption) ||
        local_.established(kExploratoryPool, false, n) == 0 || sources_.size() >= max_sources) {
        ++counters_.lookups_direct;
        return false;
    }
    const auto path = local_.reply_path(kExploratoryPool, n);
    if (!path) {
        ++counters_.lookups_direct;
        return false;
    }
    auto keys = inbox_.reply_keys().create(rng_, m.message.expiration, n.wall);
    if (!keys) {
        ++counters_.lookups_direct;
        return false;
    }
    const auto tag = keys->tags.front();
    lookup->from = path->gateway;
    lookup->reply_tunnel = path->tunnel;
    lookup->reply_encryption = std::move(*keys);
    const auto inner = i2np::make_message(*lookup, m.message.id, m.message.expiration);
    crypto::X25519Public key{};
    const auto pk = ri->identity().crypto_public_key();
    std::copy(pk.begin(), pk.end(), key.begin());
    auto wrapped = garlic::wrap_for_router(key, inner, MessageId(rng_.u32()), n.wall, rng_);
    if (!wrapped || !local_.send_through(kExploratoryPool,
                                         tunnels::Delivery{tunnels::DeliveryType::router, {}, m.to},
                                         *wrapped, n)) {
        ++counters_.lookups_direct;
        return false;
    }
    sources_[tag_index(tag)] = Source{m.to, m.message.expiration};
    ++counters_.lookups_tunnelled;
    return true;
}

std::optional<IdentHash> OwnTunnels::reply_source(Bytes garlic_body)
{
    if (garlic_body.size() < garlic::kReplyTagSize) {
        return std::nullopt;
    }
    const auto it = sources_.find(tag_index(garlic_body.first(garlic::kReplyTagSize)));
    if (it == sources_.end()) {
        return std::nullopt;
    }
    return it->second.floodfill;
}

void OwnTunnels::send(const IdentHash& to, i2np::Message&& message)
{
    outbound_.send(netdb::OutMessage{to, {}, {}, std::move(message)});
}

void OwnTunnels::deliver(tunnels::PoolId, i2np::Message&& message)
{
    // Out of an exploratory inbound tunnel come the garlic-encrypted replies to our lookups and
    // DeliveryStatus messages; anything else (a plain DatabaseStore, a lookup) has no business
    // there and is not handed to the netdb as if we had received it directly.
    using T = i2np::MessageType;
    if (message.type != T::garlic && message.type != T::delivery_status) {
        ++counters_.refused;
        return;
    }
    ++counters_.delivered;
    dispatcher_.deliver_local(self_, std::move(message));
}

void OwnTunnels::hop_result(const IdentHash& hop, tunnels::HopOutcome outcome)
{
    netdb_.record_peer(hop, to_event(outcome));
}

void OwnTunnels::log_summary() const
{
    const auto& c = local_.counters();
    const auto done =
        c.builds_succeeded + c.builds_declined + c.builds_timed_out + c.builds_bad_reply;
    UMBRA_LOG(log_, info, "tunnels",
              "own tunnels: builds "
                  << c.builds_started << " started, " << c.builds_succeeded << " built ("
                  << (done ? 100 * c.builds_succeeded / done : 0) << "% of " << done
                  << " finished), " << c.builds_declined << " declined, " << c.builds_timed_out
                  << " timed out, " << c.builds_no_peers << " without enough peers; tests "
                  << c.tests_passed << " passed, " << c.tests_failed << " failed; netdb lookups "
                  << counters_.lookups_tunnelled << " through tunnels, " << counters_.lookups_direct
                  << " direct");
    // One line per tunnel alive now: the interop tests classify tunnels by their hops.
    for (const auto& t : local_.tunnels(tunnels::kExploratoryPool)) {
        if (t.hops.empty()) {
            continue; // the zero-hop fallbacks
        }
        std::string path = t.inbound ? "" : "us";
        for (const auto& h : t.hops) {
            path += (path.empty() ? "" : ">") + h.to_base64().substr(0, 6);
        }
        path += t.inbound ? ">us" : "";
        UMBRA_LOG(log_, info, "tunnels",
                  "own tunnel " << (t.inbound ? "inbound " : "outbound ") << path << " id "
                                << t.id.value() << ": tests passed " << t.tests_passed
                                << ", failed " << t.tests_failed);
    }
}

} // namespace umbra::app
