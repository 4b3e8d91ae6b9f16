// LocalTunnels: the public API, message dispatch, our inbound endpoints and outbound gateways
// (docs/tunnels/implementation.html "Tunnel Operation"). Building is in pool_builds.cpp, tests
// and expiry in pool_probes.cpp.
#include <algorithm>

#include "router/base/bytes.h"
#include "router/data/i2np/payload.h"
#include "tunnels/pool/pool_impl.h"

namespace umbra::tunnels {

std::string hop_path(const std::vector<IdentHash>& hops, bool inbound)
{
    std::string s = inbound ? "" : "us";
    for (const auto& h : hops) {
        if (!s.empty()) {
            s += '>';
        }
        s += h.to_base64().substr(0, 6);
    }
    if (inbound) {
        s += s.empty() ? "us" : ">us";
    }
    return s;
}

const char* direction_name(bool inbound)
{
    return inbound ? "inbound" : "outbound";
}

LocalTunnels::Impl::Impl(LocalTunnelsConfig c, LocalTunnelsOut& o, crypto::Rng& r, Logger& l,
                         LocalTunnelsCounters& k)
    : config(std::move(c)), out(o), rng(r), log(l), counters(k), gateway(r)
{
    pools[kExploratoryPool] = Pool{config.exploratory};
}

std::uint32_t LocalTunnels::Impl::alloc_id()
{
    // Random, nonzero and unique among our tunnels and builds; collisions are rare (32 bits,
    // tens of ids in use), the loop ends after the first free draw.
    for (;;) {
        const std::uint32_t v = rng.u32();
        if (v != 0 && used_ids.insert(v).second) {
            return v;
        }
    }
}

void LocalTunnels::Impl::release(const OwnTunnel& t)
{
    for (const auto id : t.ids) {
        used_ids.erase(id);
    }
}

bool LocalTunnels::Impl::usable(const OwnTunnel& t, Now now) const
{
    return now.steady + config.stop_using_before < t.ends;
}

OwnTunnel* LocalTunnels::Impl::pick(PoolId pool, bool inbound, Now now,
                                    std::span<const std::uint32_t> skip)
{
    std::vector<OwnTunnel*> real;
    std::vector<OwnTunnel*> fallback;
    for (auto& [id, t] : tunnels) {
        if (t->pool == pool && t->inbound == inbound && usable(*t, now)) {
            (t->fallback ? fallback : real).push_back(t.get());
        }
    }
    auto& from = real.empty() ? fallback : real;
    // unordered_map order is not stable across libraries: sort so a seeded Rng replays.
    std::sort(from.begin(), from.end(), [](auto* a, auto* b) { return a->local_id < b->local_id; });
    // Preferred, in order: not in `skip`, trusted (a failure is not proof, but a pass is better).
    std::vector<OwnTunnel*> fresh;
    for (auto* t : from) {
        if (std::find(skip.begin(), skip.end(), t->local_id.value()) == skip.end()) {
            fresh.push_back(t);
        }
    }
    auto& open = fresh.empty() ? from : fresh;
    std::vector<OwnTunnel*> good;
    for (auto* t : open) {
        if (t->trusted()) {
            good.push_back(t);
        }
    }
    auto& choice = good.empty() ? open : good;
    return choice.empty() ? nullptr : choice[rng.uniform(choice.size())];
}

InboundPath LocalTunnels::Impl::path_of(const OwnTunnel& t) const
{
    return {t.zero_hop() ? config.self : t.hops.front(), t.id};
}

// Pre-encrypts each tunnel message of an outbound tunnel with all hop layers and sends it as
// TunnelData to the first hop (implementation.html "Outbound Tunnel ... iteratively decrypt").
struct LocalTunnels::Impl::OutboundSink final : BlockSink {
    Impl& impl;
    OwnTunnel& tunnel;
    Now now;
    OutboundSink(Impl& i, OwnTunnel& t, Now n) : impl(i), tunnel(t), now(n) {}
    void on_block(crypto::TunnelBlock block) override
    {
        tunnel.layers->apply(block);
        i2np::TunnelData td;
        td.tunnel = tunnel.id;
        std::copy(block.begin(), block.end(), td.data.begin());
        impl.out.send(tunnel.hops.front(),
                      i2np::make_message(td, MessageId(impl.rng.u32()),
                                         WallTime{now.wall.ms + kPoolMessageLifetime.count()}));
    }
};

// Reassembled messages at our inbound endpoint: LOCAL only (we are the endpoint of our own
// inbound tunnel; implementation.html "the endpoint ... is the creator"). They are handled once
// the Endpoint has returned, so nothing done for them (a callback of LocalTunnelsOut included)
// runs while the Endpoint is on the stack.
struct LocalTunnels::Impl::InboundSink final : MessageSink {
    Impl& impl;
    explicit InboundSink(Impl& i) : impl(i) {}
    void on_message(const Delivery& d, std::vector<std::uint8_t>&& bytes) override
    {
        if (d.type != DeliveryType::local) {
            ++impl.counters.messages_dropped;
            return;
        }
        impl.arrived.push_back(std::move(bytes));
    }
};

void LocalTunnels::Impl::send_via(OwnTunnel& t, const Delivery& d, const i2np::Message& m, Now now)
{
    ++counters.messages_sent;
    if (t.zero_hop()) {
        if (d.type == DeliveryType::router) {
            i2np::Message copy = m;
            out.send(d.to, std::move(copy));
            return;
        }
        i2np::TunnelGateway tg{d.tunnel, m.serialize_standard()};
        out.send(d.to, i2np::make_message(tg, MessageId(rng.u32()),
                                          WallTime{now.wall.ms + kPoolMessageLifetime.count()}));
        return;
    }
    OutboundSink sink(*this, t, now);
    const auto bytes = m.serialize_standard();
    if (!gateway.add(d, bytes, sink)) {
        --counters.messages_sent;
        ++counters.send_failures;
        return;
    }
    gateway.flush(sink);
}

bool LocalTunnels::Impl::on_tunnel_data(const i2np::Message& m, Now now)
{
    if (m.payload.size() != i2np::TunnelData::kSize) {
        return false;
    }
    const auto it = tunnels.find(load_be32(m.payload.data()));
    if (it == tunnels.end() || !it->second->inbound) {
        return false;
    }
    OwnTunnel& t = *it->second;
    if (!t.endpoint) { // zero-hop inbound: only TunnelGateway reaches it
        ++counters.messages_dropped;
        return true;
    }
    std::copy(m.payload.begin() + 4, m.payload.end(), scratch.begin());
    t.layers->apply(scratch);
    InboundSink sink(*this);
    const auto& ec = t.endpoint->counters();
    const auto bad_before = ec.bad_checksum + ec.malformed;
    arrived.clear();
    t.endpoint->on_block(scratch, now.steady, sink);
    counters.messages_dropped += ec.bad_checksum + ec.malformed - bad_before;
    const PoolId pool = t.pool;
    std::vector<std::vector<std::uint8_t>> batch; // on_local may come back here (re-entering)
    batch.swap(arrived);
    for (auto& bytes : batch) {
        if (auto parsed = i2np::Message::parse_standard(bytes)) {
            on_local(pool, std::move(*parsed), now);
        } else {
            ++counters.messages_dropped;
        }
    }
    batch.clear();
    if (arrived.empty()) {
        arrived.swap(batch); // its capacity serves the next block: no allocation per block
    }
    return true;
}

bool LocalTunnels::Impl::on_tunnel_gateway(const i2np::Message& m, Now now)
{
    auto tg = i2np::TunnelGateway::parse(m.payload);
    if (!tg) {
        return false;
    }
    const auto it = tunnels.find(tg->tunnel.value());
    if (it == tunnels.end() || !it->second->inbound || !it->second->zero_hop()) {
        return false;
    }
    auto inner = i2np::Message::parse_standard(tg->message);
    if (!inner) {
        ++counters.messages_dropped;
        return true;
    }
    on_local(it->second->pool, std::move(*inner), now);
    return true;
}

void LocalTunnels::Impl::on_local(PoolId pool, i2np::Message&& m, Now now)
{
    using T = i2np::MessageType;
    switch (m.type) {
    case T::garlic:
        if (on_garlic_reply(m, now) || on_probe_garlic(m, now)) {
            return;
        }
        break;
    case T::variable_tunnel_build_reply:
    case T::outbound_tunnel_build_reply:
        if (const auto it = pending.find(m.id.value());
            it != pending.end() && !it->second.inbound) {
            finish_build(m.id.value(), m.type, m.payload, now);
            return;
        }
        break;
    default:
        break;
    }
    ++counters.messages_received;
    out.deliver(pool, std::move(m));
}

std::string LocalTunnels::Impl::name_of(PoolId pool) const
{
    const auto it = pools.find(pool);
    return it == pools.end() ? "pool " + std::to_string(pool) : it->second.config.name;
}

std::string LocalTunnels::Impl::describe(const OwnTunnel& t) const
{
    std::string s = name_of(t.pool) + ' ' + direction_name(t.inbound) + ' ' +
                    std::to_string(t.hops.size()) + " hops " + hop_path(t.hops, t.inbound);
    if (t.inbound) {
        s += ", gateway tunnel " + std::to_string(t.id.value()) + ", endpoint tunnel " +
             std::to_string(t.endpoint_id.value());
    } else {
        s += ", first tunnel " + std::to_string(t.id.value());
    }
    if (t.fallback) {
        s += " (fallback)";
    }
    return s;
}

OwnTunnel& LocalTunnels::Impl::add_tunnel(std::unique_ptr<OwnTunnel> t)
{
    const auto key = t->local_id.value();
    auto& slot = tunnels[key];
    slot = std::move(t);
    return *slot;
}

void LocalTunnels::Impl::remove_tunnel(std::uint32_t local_id)
{
    const auto it = tunnels.find(local_id);
    if (it != tunnels.end()) {
        release(*it->second);
        tunnels.erase(it);
        std::erase_if(probes, [&](const auto& p) { return p.second.tunnel == local_id; });
    }
}

// --- public API -------------------------------------------------------------------------------

LocalTunnels::LocalTunnels(LocalTunnelsConfig config, LocalTunnelsOut& out, crypto::Rng& rng,
                           Logger& log)
    : impl_(std::make_unique<Impl>(std::move(config), out, rng, log, counters_))
{
}

LocalTunnels::~LocalTunnels() = default;

void LocalTunnels::set_candidates(std::vector<PeerCandidate> candidates)
{
    impl_->candidates = std::move(candidates);
}

PoolId LocalTunnels::add_pool(PoolConfig config)
{
    const PoolId id = impl_->next_pool++;
    impl_->pools[id] = Pool{std::move(config)};
    return id;
}

void LocalTunnels::remove_pool(PoolId pool)
{
    auto& im = *impl_;
    // The exploratory pool lives as long as we do (local_tunnels.h).
    if (pool == kExploratoryPool || im.pools.erase(pool) == 0) {
        return;
    }
    std::erase_if(im.probes, [&](const auto& p) {
        const auto t = im.tunnels.find(p.second.tunnel);
        return t == im.tunnels.end() || t->second->pool == pool;
    });
    for (auto it = im.tunnels.begin(); it != im.tunnels.end();) {
        if (it->second->pool == pool) {
            im.release(*it->second);
            it = im.tunnels.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = im.pending.begin(); it != im.pending.end();) {
        auto next = std::next(it);
        if (it->second.pool == pool) {
            im.drop_pending(it, true);
        }
        it = next;
    }
}

bool LocalTunnels::on_message(const IdentHash&, const i2np::Message& message, Now now)
{
    auto& im = *impl_;
    im.last_now = now;
    using T = i2np::MessageType;
    switch (message.type) {
    case T::tunnel_data:
        return im.on_tunnel_data(message, now);
    case T::tunnel_gateway:
        return im.on_tunnel_gateway(message, now);
    case T::variable_tunnel_build:
    case T::short_tunnel_build:
    case T::variable_tunnel_build_reply:
    case T::outbound_tunnel_build_reply: {
        // tunnel-creation-ecies.rst "Message Flow": an inbound build comes back as the build
        // message (23/25) itself; an outbound reply (24/26) normally arrives through one of our
        // inbound tunnels, but a reply sent to us directly is accepted too.
        const bool reply_to_inbound =
            message.type == T::variable_tunnel_build || message.type == T::short_tunnel_build;
        const auto it = im.pending.find(message.id.value());
        if (it == im.pending.end() || it->second.inbound != reply_to_inbound) {
            return false;
        }
        im.finish_build(message.id.value(), message.type, message.payload, now);
        return true;
    }
    default:
        return false;
    }
}

void LocalTunnels::on_timer(Now now)
{
    auto& im = *impl_;
    im.last_now = now;
    im.expire_builds(now);
    im.expire_probes(now);
    im.expire_tunnels(now);
    for (const auto& [id, pool] : im.pools) {
        im.maintain(id, true, now);
        im.maintain(id, false, now);
    }
    im.start_probes(now);
}

Result<void> LocalTunnels::send_through(PoolId pool, const Delivery& target,
                                        const i2np::Message& message, Now now)
{
    auto& im = *impl_;
    if (target.type == DeliveryType::local ||
        (target.type == DeliveryType::tunnel && target.tunnel.value() == 0)) {
        ++counters_.send_failures;
        return Errc::invalid_value;
    }
    if (message.payload.size() + i2np::kStandardHeaderSize > max_gateway_message_size(target)) {
        ++counters_.send_failures;
        return Errc::too_large;
    }
    OwnTunnel* t = im.pools.contains(pool) ? im.pick(pool, false, now) : nullptr;
    if (t == nullptr) {
        ++counters_.send_failures;
        return Errc::unavailable;
    }
    im.send_via(*t, target, message, now);
    return {};
}

std::optional<InboundPath> LocalTunnels::reply_path(PoolId pool, Now now)
{
    OwnTunnel* t = impl_->pools.contains(pool) ? impl_->pick(pool, true, now) : nullptr;
    if (t == nullptr) {
        return std::nullopt;
    }
    return impl_->path_of(*t);
}

std::size_t LocalTunnels::established(PoolId pool, bool inbound, Now now) const
{
    std::size_t n = 0;
    for (const auto& [id, t] : impl_->tunnels) {
        n += t->pool == pool && t->inbound == inbound && !t->fallback && impl_->usable(*t, now);
    }
    return n;
}

std::vector<TunnelSummary> LocalTunnels::tunnels(PoolId pool) const
{
    std::vector<TunnelSummary> v;
    for (const auto& [id, t] : impl_->tunnels) {
        if (t->pool != pool) {
            continue;
        }
        TunnelSummary s;
        s.pool = pool;
        s.inbound = t->inbound;
        s.id = t->id;
        s.endpoint_id = t->endpoint_id;
        s.hops = t->hops;
        s.created = t->created;
        s.expires = t->expires;
        s.state = !t->trusted() ? TunnelState::failing : TunnelState::established;
        if (impl_->last_now.steady + impl_->config.replace_before >= t->ends) {
            s.state = TunnelState::expiring;
        }
        s.tests_passed = t->tests_passed;
        s.tests_failed = t->tests_failed;
        v.push_back(std::move(s));
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return std::tie(a.inbound, a.created.ms, a.id) < std::tie(b.inbound, b.created.ms, b.id);
    });
    return v;
}

} // namespace umbra::tunnels
