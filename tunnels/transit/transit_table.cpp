#include "tunnels/transit/transit_table.h"

#include <algorithm>

#include "tunnels/transit/layer.h"

namespace umbra::tunnels {

namespace {

// Gateway output of an inbound gateway: one layer, then TunnelData to the next hop.
class GatewayForward final : public BlockSink {
public:
    GatewayForward(TransitTunnel& t, crypto::TunnelLayerCipher& layer, TransitOut& out,
                   TransitCounters& c)
        : t_(t), layer_(layer), out_(out), c_(c)
    {
    }
    void on_block(crypto::TunnelBlock block) override
    {
        layer_.apply(block);
        i2np::TunnelData msg;
        msg.tunnel = t_.next_tunnel;
        std::copy(block.begin(), block.end(), msg.data.begin());
        ++c_.forwarded;
        out_.send_tunnel_data(t_.next_ident, msg);
    }

private:
    TransitTunnel& t_;
    crypto::TunnelLayerCipher& layer_;
    TransitOut& out_;
    TransitCounters& c_;
};

// Reassembled messages at an outbound endpoint, sent on per their delivery instructions.
class EndpointForward final : public MessageSink {
public:
    EndpointForward(TransitOut& out, TransitCounters& c) : out_(out), c_(c) {}
    void on_message(const Delivery& d, std::vector<std::uint8_t>&& message) override
    {
        if (d.type == DeliveryType::tunnel) {
            ++c_.endpoint_messages;
            out_.send_tunnel_gateway(d.to, i2np::TunnelGateway{d.tunnel, std::move(message)});
            return;
        }
        // LOCAL is "used for inbound tunnels only": an outbound endpoint has no local client.
        auto parsed = d.type == DeliveryType::router ? i2np::Message::parse_standard(message)
                                                     : Result<i2np::Message>(Errc::unsupported);
        if (!parsed) {
            ++c_.endpoint_dropped;
            return;
        }
        ++c_.endpoint_messages;
        out_.send_message(d.to, std::move(*parsed));
    }

private:
    TransitOut& out_;
    TransitCounters& c_;
};

} // namespace

TransitTable::TransitTable(TransitLimits limits, crypto::Rng& rng)
    : limits_(limits), layers_(limits.layer_cache), gateway_(rng)
{
    budget_.max_bytes = limits_.max_reassembly_bytes;
    if (limits_.duplicate_filter_bits_log2 != 0) {
        DuplicateFilterOptions options;
        options.bits_log2 = limits_.duplicate_filter_bits_log2;
        duplicates_.emplace(options, rng);
    }
}

TransitTable::~TransitTable() = default;

Result<void> TransitTable::add(const HopKeys& keys, const IdentHash& previous, SteadyTime now)
{
    auto added = add(keys, now);
    if (added && keys.role != HopRole::inbound_gateway) {
        tunnels_.at(keys.receive_tunnel.value()).previous = previous;
    }
    return added;
}

Result<void> TransitTable::add(const HopKeys& keys, SteadyTime now)
{
    if (tunnels_.size() >= limits_.max_tunnels) {
        ++counters_.rejected;
        return make_error_code(Errc::too_large);
    }
    const auto id = keys.receive_tunnel.value();
    if (id == 0 || tunnels_.contains(id)) {
        ++counters_.rejected;
        return make_error_code(Errc::invalid_value);
    }
    TransitTunnel t;
    t.layer_key = keys.layer_key.clone();
    t.iv_key = keys.iv_key.clone();
    t.expires = now + kTransitLifetime;
    t.next_ident = keys.next_ident;
    t.next_tunnel = keys.next_tunnel;
    t.role = keys.role;
    tunnels_.emplace(id, std::move(t));
    ++counters_.added;
    return {};
}

crypto::TunnelLayerCipher& TransitTable::layer(std::uint32_t id, TransitTunnel& t)
{
    return layers_.get(id, t.slot, t.layer_key, t.iv_key);
}

const TransitTunnel* TransitTable::find(TunnelId id) const
{
    const auto it = tunnels_.find(id.value());
    return it == tunnels_.end() ? nullptr : &it->second;
}

bool TransitTable::on_tunnel_data(i2np::TunnelData& message, const IdentHash& from, SteadyTime now,
                                  TransitOut& out)
{
    const auto it = tunnels_.find(message.tunnel.value());
    if (it != tunnels_.end() && it->second.previous && *it->second.previous != from) {
        ++counters_.wrong_previous;
        return false;
    }
    return on_tunnel_data(message, now, out);
}

bool TransitTable::on_tunnel_data(i2np::TunnelData& message, SteadyTime now, TransitOut& out)
{
    const auto it = tunnels_.find(message.tunnel.value());
    if (it == tunnels_.end() || now >= it->second.expires) {
        ++counters_.unknown_tunnel;
        return false;
    }
    TransitTunnel& t = it->second;
    if (t.role == HopRole::inbound_gateway) {
        ++counters_.wrong_role; // an inbound gateway is fed by TunnelGateway only
        return false;
    }
    if (duplicates_ && duplicates_->seen(message.data, now)) {
        ++counters_.duplicates; // implementation.html "Participant Processing"
        return false;
    }
    ++t.messages;
    t.bytes += i2np::TunnelData::kSize;
    bytes_in_ += i2np::TunnelData::kSize;
    const crypto::TunnelBlock block(message.data);
    layer(it->first, t).apply(block);
    if (t.role == HopRole::outbound_endpoint) {
        run_endpoint(t, block, now, out);
        return true;
    }
    message.tunnel = t.next_tunnel;
    ++counters_.forwarded;
    out.send_tunnel_data(t.next_ident, message);
    return true;
}

void TransitTable::run_endpoint(TransitTunnel& t, Bytes block, SteadyTime now, TransitOut& out)
{
    if (!t.endpoint) {
        t.endpoint = std::make_unique<Endpoint>(limits_.reassembly, budget_);
    }
    EndpointForward sink(out, counters_);
    t.endpoint->on_block(block, now, sink);
}

bool TransitTable::on_tunnel_gateway(const i2np::TunnelGateway& message, SteadyTime now,
                                     TransitOut& out)
{
    const auto it = tunnels_.find(message.tunnel.value());
    if (it == tunnels_.end() || now >= it->second.expires) {
        ++counters_.unknown_tunnel;
        return false;
    }
    TransitTunnel& t = it->second;
    if (t.role != HopRole::inbound_gateway) {
        ++counters_.wrong_role;
        return false;
    }
    ++t.messages;
    t.bytes += message.message.size();
    bytes_in_ += message.message.size();
    ++counters_.gateway_messages;
    GatewayForward sink(t, layer(it->first, t), out, counters_);
    if (!gateway_.add(Delivery{}, message.message, sink)) {
        ++counters_.gateway_too_large;
        return false;
    }
    gateway_.flush(sink);
    return true;
}

std::size_t TransitTable::expire(SteadyTime now, TransitOut* out)
{
    const std::size_t dropped = std::erase_if(tunnels_, [now, out](const auto& entry) {
        if (now < entry.second.expires) {
            return false;
        }
        if (out != nullptr) {
            out->on_tunnel_closed(entry.first, entry.second);
        }
        return true;
    });
    counters_.expired += dropped;
    for (auto& [id, t] : tunnels_) {
        if (t.endpoint) {
            t.endpoint->expire(now);
        }
    }
    return dropped;
}

void TransitTable::close_all(TransitOut& out) const
{
    for (const auto& [id, t] : tunnels_) {
        out.on_tunnel_closed(id, t);
    }
}

} // namespace umbra::tunnels
