// Building our own tunnels (docs/tunnels/implementation.html "Tunnel Building", "Tunnel
// Pools"; tunnel-creation-ecies.rst "Message Flow", "Reply", "Garlic Encryption").
#include <algorithm>

#include "router/base/bytes.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/blocks.h"
#include "router/garlic/reply.h"
#include "router/garlic/router_message.h"
#include "tunnels/pool/pool_impl.h"

namespace umbra::tunnels {

namespace {

constexpr Milliseconds kTunnelLifetime{std::chrono::seconds(kTunnelLifetimeSeconds)};

std::uint64_t tag_key(Bytes tag8)
{
    return load_be64(tag8.data());
}

bool is_outbound_reply(i2np::MessageType t)
{
    return t == i2np::MessageType::variable_tunnel_build_reply ||
           t == i2np::MessageType::outbound_tunnel_build_reply;
}

} // namespace

std::uint8_t LocalTunnels::Impl::build_length(const PoolConfig& c, bool inbound)
{
    int length = inbound ? c.inbound_length : c.outbound_length;
    const int v = inbound ? c.inbound_variance : c.outbound_variance;
    // Java I2P "lengthVariance": positive adds 0..v, negative adds -|v|..|v|.
    if (v > 0) {
        length += int(rng.uniform(std::uint64_t(v) + 1));
    } else if (v < 0) {
        length += int(rng.uniform(std::uint64_t(-v) * 2 + 1)) + v;
    }
    return std::uint8_t(std::clamp(length, 0, 7));
}

std::size_t LocalTunnels::Impl::pending_count(PoolId pool, std::optional<bool> inbound) const
{
    return std::size_t(std::count_if(pending.begin(), pending.end(), [&](const auto& p) {
        return p.second.pool == pool && (!inbound || p.second.inbound == *inbound);
    }));
}

void LocalTunnels::Impl::maintain(PoolId pool_id, bool inbound, Now now)
{
    const PoolConfig& c = pools.at(pool_id).config;
    const std::uint8_t base = inbound ? c.inbound_length : c.outbound_length;
    const std::size_t quantity = inbound ? c.inbound_quantity : c.outbound_quantity;
    std::size_t healthy = 0; // real tunnels not yet due for replacement
    bool real_usable = false;
    bool fallback_usable = false;
    for (const auto& [id, t] : tunnels) {
        if (t->pool != pool_id || t->inbound != inbound) {
            continue;
        }
        if (t->fallback) {
            fallback_usable = fallback_usable || usable(*t, now);
            continue;
        }
        real_usable = real_usable || usable(*t, now);
        healthy += now.steady + config.replace_before < t->ends;
    }
    // The exploratory pool's first builds need a reply path and a way out: ourselves alone.
    if (pool_id == kExploratoryPool && base > 0 && !real_usable && !fallback_usable) {
        add_zero_hop(pool_id, inbound, true, now);
    }
    std::size_t started = 0;
    while (healthy + pending_count(pool_id, inbound) < quantity &&
           pending_count(pool_id, std::nullopt) < config.max_pending_builds_per_pool &&
           started < quantity) {
        const std::uint8_t length = build_length(c, inbound);
        if (length == 0) {
            add_zero_hop(pool_id, inbound, false, now);
            ++healthy;
            continue;
        }
        if (!start_build(pool_id, inbound, length, now)) {
            break;
        }
        ++started;
    }
}

void LocalTunnels::Impl::add_zero_hop(PoolId pool, bool inbound, bool fallback, Now now)
{
    auto t = std::make_unique<OwnTunnel>();
    t->pool = pool;
    t->inbound = inbound;
    t->fallback = fallback;
    const std::uint32_t id = alloc_id();
    t->ids = {id};
    t->local_id = t->id = TunnelId(id);
    if (inbound) {
        t->endpoint_id = TunnelId(id);
    }
    t->created = now.wall;
    t->expires = WallTime{now.wall.ms + kTunnelLifetime.count()};
    t->ends = now.steady + kTunnelLifetime;
    const OwnTunnel& added = add_tunnel(std::move(t));
    UMBRA_LOG(log, info, "tunnels", "zero-hop tunnel added: " << describe(added));
}

Result<std::vector<PeerCandidate>> LocalTunnels::Impl::choose_hops(std::uint8_t length, Now now)
{
    // Hops of failed tunnels sit out. When too few routers are left, the ones seen in fewer
    // failed tunnels come back first (a failed tunnel has one bad hop at most, often).
    std::uint32_t most = 0;
    for (const auto& [ident, a] : avoid) {
        most = std::max(most, now.steady < a.until ? a.failures : 0);
    }
    for (std::uint32_t at_least = 1;; ++at_least) {
        std::vector<IdentHash> exclude;
        for (const auto& [ident, a] : avoid) {
            if (now.steady < a.until && a.failures >= at_least) {
                exclude.push_back(ident);
            }
        }
        std::sort(exclude.begin(), exclude.end());
        auto hops = select_hops(candidates, length, config.self, exclude, config.selection, rng);
        if (hops || at_least > most) {
            return hops;
        }
    }
}

// Receive ids are ours to choose (tunnel-creation-ecies.rst "receive_tunnel ... nonzero");
// `ids` gets them in hop order, then our endpoint id for an inbound build.
BuildPlan LocalTunnels::Impl::make_plan(PoolId pool, bool inbound,
                                        const std::vector<PeerCandidate>& hops,
                                        std::vector<std::uint32_t>& ids, Now now)
{
    BuildPlan plan;
    plan.format = pools.at(pool).config.format;
    plan.inbound = inbound;
    plan.timeout = config.build_timeout;
    for (const auto& h : hops) {
        ids.push_back(alloc_id());
        plan.hops.push_back({h.ident, h.encryption_key, TunnelId(ids.back()), {}});
    }
    std::uint32_t reply_id = 0;
    while (reply_id == 0 || pending.contains(reply_id)) {
        reply_id = rng.u32();
    }
    plan.reply_message_id = MessageId(reply_id);
    if (inbound) { // the last hop sends the build message to us, for our endpoint id
        ids.push_back(alloc_id());
        plan.reply_ident = config.self;
        plan.reply_tunnel = TunnelId(ids.back());
        return plan;
    }
    // The OBEP sends the reply into one of our inbound tunnels: the pool's, else an
    // exploratory one, else a zero-hop one made for it.
    OwnTunnel* via = pick(pool, true, now);
    via = via ? via : pick(kExploratoryPool, true, now);
    if (via == nullptr) {
        add_zero_hop(pool, true, true, now);
        via = pick(pool, true, now);
    }
    const InboundPath path = path_of(*via);
    plan.reply_ident = path.gateway;
    plan.reply_tunnel = path.tunnel;
    return plan;
}

bool LocalTunnels::Impl::start_build(PoolId pool, bool inbound, std::uint8_t length, Now now)
{
    auto hops = choose_hops(length, now);
    if (!hops) {
        ++counters.builds_no_peers;
        return false;
    }
    std::vector<std::uint32_t> ids;
    BuildPlan plan = make_plan(pool, inbound, *hops, ids, now);
    const std::uint32_t reply_id = plan.reply_message_id.value();
    auto created = PendingBuild::create(std::move(plan), now.wall, rng);
    if (!created) { // a hop with a low-order key: nothing we can build with it
        for (const auto id : ids) {
            used_ids.erase(id);
        }
        ++counters.builds_no_peers;
        return false;
    }
    auto& [build, request] = *created;
    PendingOwnBuild p(pool, inbound, std::move(build));
    p.ids = std::move(ids);
    p.started = now.steady;
    p.started_wall = now.wall;
    p.deadline = now.steady + config.build_timeout;
    for (const auto& h : *hops) {
        p.hops.push_back(h.ident);
    }
    if (const auto& g = p.build.garlic_reply()) {
        p.garlic_tag = tag_key(g->tag);
        garlic_tags[*p.garlic_tag] = reply_id;
    }
    send_build(pool, inbound, request, *hops, now);
    UMBRA_LOG(log, debug, "tunnels",
              "building " << name_of(pool) << ' ' << direction_name(inbound) << ' '
                          << hop_path(p.hops, inbound) << ", reply message " << reply_id);
    pending.emplace(reply_id, std::move(p));
    ++counters.builds_started;
    return true;
}

bool LocalTunnels::Impl::send_build(PoolId pool, bool inbound, const BuildRequest& req,
                                    const std::vector<PeerCandidate>& hops, Now now)
{
    i2np::Message m{req.type, req.message_id, WallTime{now.wall.ms + config.build_timeout.count()},
                    req.payload};
    if (!inbound) { // "Outbound tunnel building": directly to the first hop
        out.send(req.first_hop, std::move(m));
        return true;
    }
    // "Inbound tunnel building": through one of our outbound tunnels, garlic-encrypted to the
    // IBGW (ecies-routers.rst) so the OBEP cannot read it; directly while we have none.
    OwnTunnel* via = pick(pool, false, now);
    if (via == nullptr || via->zero_hop()) {
        via = pick(kExploratoryPool, false, now);
    }
    if (via != nullptr && !via->zero_hop()) {
        auto wrapped = garlic::wrap_for_router(hops.front().encryption_key, m, MessageId(rng.u32()),
                                               now.wall, rng);
        if (wrapped) {
            send_via(*via, Delivery{DeliveryType::router, {}, req.first_hop}, *wrapped, now);
            return true;
        }
    }
    out.send(req.first_hop, std::move(m));
    return true;
}

void LocalTunnels::Impl::drop_pending(
    std::unordered_map<std::uint32_t, PendingOwnBuild>::iterator it, bool release_ids)
{
    if (it->second.garlic_tag) {
        garlic_tags.erase(*it->second.garlic_tag);
    }
    if (release_ids) {
        for (const auto id : it->second.ids) {
            used_ids.erase(id);
        }
    }
    pending.erase(it);
}

void LocalTunnels::Impl::finish_build(std::uint32_t reply_id, i2np::MessageType type, Bytes payload,
                                      Now now)
{
    const auto it = pending.find(reply_id);
    if (it == pending.end()) {
        return;
    }
    auto outcome = it->second.build.handle_reply(type, payload);
    PendingOwnBuild p = std::move(it->second);
    // PendingBuild::handle_reply voids the build on a bad reply, so it ends here either way;
    // the ids live on in the tunnel when it was accepted.
    drop_pending(it, !(outcome && outcome->accepted));
    if (!outcome) {
        ++counters.builds_bad_reply;
        UMBRA_LOG(log, info, "tunnels",
                  "tunnel build bad reply: " << name_of(p.pool) << ' ' << direction_name(p.inbound)
                                             << " hops " << hop_path(p.hops, p.inbound) << ": "
                                             << outcome.error().message());
        return;
    }
    for (std::size_t i = 0; i < p.hops.size() && i < outcome->replies.size(); ++i) {
        out.hop_result(p.hops[i], outcome->replies[i] == kReplyAccept ? HopOutcome::agreed
                                                                      : HopOutcome::declined);
    }
    if (outcome->accepted) {
        install(p, *outcome, now);
        return;
    }
    ++counters.builds_declined;
    for (std::size_t i = 0; i < p.hops.size() && i < outcome->replies.size(); ++i) {
        if (outcome->replies[i] != kReplyAccept) {
            UMBRA_LOG(log, info, "tunnels",
                      "tunnel build declined: "
                          << name_of(p.pool) << ' ' << direction_name(p.inbound) << " by "
                          << p.hops[i].to_base64().substr(0, 6) << " (code "
                          << int(outcome->replies[i]) << "), hops " << hop_path(p.hops, p.inbound));
        }
    }
}

void LocalTunnels::Impl::install(PendingOwnBuild& p, const BuildOutcome& outcome, Now now)
{
    auto t = std::make_unique<OwnTunnel>();
    t->pool = p.pool;
    t->inbound = p.inbound;
    t->hops = std::move(p.hops);
    t->ids = std::move(p.ids);
    t->id = TunnelId(t->ids.front());
    t->local_id = p.inbound ? TunnelId(t->ids.back()) : t->id;
    t->endpoint_id = p.inbound ? t->local_id : TunnelId();
    t->layers.emplace(outcome.hops);
    if (p.inbound) {
        t->endpoint = std::make_unique<Endpoint>(ReassemblyLimits{}, budget);
    }
    t->created = p.started_wall;
    t->expires = WallTime{p.started_wall.ms + kTunnelLifetime.count()};
    t->ends = p.started + kTunnelLifetime;
    t->next_test = now.steady;
    const OwnTunnel& added = add_tunnel(std::move(t));
    ++counters.builds_succeeded;
    UMBRA_LOG(log, info, "tunnels", "tunnel built: " << describe(added));
}

bool LocalTunnels::Impl::on_garlic_reply(const i2np::Message& m, Now now)
{
    auto garlic = i2np::Garlic::parse(m.payload);
    if (!garlic || garlic->ciphertext.size() < garlic::kReplyTagSize) {
        return false;
    }
    const auto tag = garlic_tags.find(tag_key(Bytes(garlic->ciphertext).first(8)));
    if (tag == garlic_tags.end()) {
        return false;
    }
    const std::uint32_t reply_id = tag->second;
    const auto it = pending.find(reply_id);
    if (it == pending.end() || !it->second.build.garlic_reply()) {
        return false;
    }
    // tunnel-creation-ecies.rst "Garlic Encryption": an Existing Session message keyed by the
    // OBEP's garlic key and tag; one LOCAL clove holds the OutboundTunnelBuildReply. A forgery
    // fails the MAC and leaves the build waiting for the genuine reply.
    auto plain = garlic::open_with_tag(it->second.build.garlic_reply()->key, garlic->ciphertext);
    if (!plain) {
        ++counters.builds_bad_reply;
        return true;
    }
    auto blocks = garlic::parse_blocks(*plain);
    if (!blocks) {
        ++counters.builds_bad_reply;
        return true;
    }
    for (auto& clove : garlic::take_cloves(*blocks)) {
        if (is_outbound_reply(clove.message.type) && clove.message.id.value() == reply_id) {
            finish_build(reply_id, clove.message.type, clove.message.payload, now);
            return true;
        }
    }
    ++counters.builds_bad_reply;
    return true;
}

void LocalTunnels::Impl::expire_builds(Now now)
{
    for (auto it = pending.begin(); it != pending.end();) {
        auto next = std::next(it);
        if (now.steady >= it->second.deadline) {
            const auto& p = it->second;
            ++counters.builds_timed_out;
            for (const auto& h : p.hops) {
                out.hop_result(h, HopOutcome::timed_out);
            }
            UMBRA_LOG(log, info, "tunnels",
                      "tunnel build timed out: " << name_of(p.pool) << ' '
                                                 << direction_name(p.inbound) << ", hops "
                                                 << hop_path(p.hops, p.inbound));
            drop_pending(it, true);
        }
        it = next;
    }
}

} // namespace umbra::tunnels
