#include "router/app/tunnel_service.h"

#include <algorithm>

#include "crypto/secret.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/reply.h"

namespace umbra::app {

namespace {

constexpr std::int64_t message_lifetime_ms = 60'000;
constexpr std::size_t max_rate_limited_sources = 4096;

const char* role_name(tunnels::HopRole r)
{
    switch (r) {
    case tunnels::HopRole::participant:
        return "participant";
    case tunnels::HopRole::inbound_gateway:
        return "inbound gateway";
    case tunnels::HopRole::outbound_endpoint:
        return "outbound endpoint";
    }
    return "?";
}

} // namespace

TunnelService::TunnelService(TunnelServiceOptions options, crypto::X25519Keypair static_keys,
                             const IdentHash& self, Outbound& outbound, const Clock& clock,
                             crypto::Rng& rng, Logger& log)
    : options_(options), self_(self), outbound_(outbound), clock_(clock), rng_(rng), log_(log),
      hop_(std::move(static_keys), self),
      limiter_(max_rate_limited_sources, options.builds_per_source_per_minute,
               std::chrono::minutes(1)),
      transit_(tunnels::TransitLimits{.max_tunnels = std::max<std::size_t>(1, options.max_transit),
                                      .reassembly = {},
                                      .max_reassembly_bytes = 16 * 1024 * 1024,
                                      .layer_cache = 1024,
                                      .duplicate_filter_bits_log2 = 23},
               rng)
{
}

WallTime TunnelService::expiration() const
{
    return WallTime{clock_.wall().ms + message_lifetime_ms};
}

void TunnelService::on_tunnel_message(const IdentHash& from, i2np::Message message)
{
    using T = i2np::MessageType;
    switch (message.type) {
    case T::variable_tunnel_build:
    case T::short_tunnel_build:
        on_build_request(from, message);
        return;
    case T::tunnel_data: {
        auto td = i2np::TunnelData::parse(message.payload);
        if (!td) {
            ++counters_.malformed;
            return;
        }
        transit_.on_tunnel_data(*td, clock_.steady(), *this);
        return;
    }
    case T::tunnel_gateway: {
        const auto gw = i2np::TunnelGateway::parse(message.payload);
        if (!gw) {
            ++counters_.malformed;
            return;
        }
        transit_.on_tunnel_gateway(*gw, clock_.steady(), *this);
        return;
    }
    default: // replies to builds of our own and tunnel tests: no tunnel pools yet
        ++counters_.own_tunnel_messages;
        return;
    }
}

tunnels::HopDecision TunnelService::decide(const tunnels::BuildRequestRecord&) const
{
    // tunnel-creation-ecies.rst: ECIES hops reject with 30 (bandwidth) whatever the reason.
    if (!options_.accept_transit || transit_.size() >= options_.max_transit) {
        return tunnels::kRejectBandwidth;
    }
    return tunnels::kReplyAccept;
}

void TunnelService::on_build_request(const IdentHash& from, const i2np::Message& message)
{
    const WallTime now = clock_.wall();
    if (!limiter_.allow(from, now)) {
        ++counters_.builds_rate_limited;
        return;
    }
    ++counters_.build_requests;
    auto output = hop_.handle(message.type, message.payload, now, rng_,
                              [this](const tunnels::BuildRequestRecord& r) { return decide(r); });
    if (!output) {
        ++counters_.builds_dropped;
        UMBRA_LOG(log_, debug, "tunnels",
                  "build request from " << from.to_base64()
                                        << " dropped: " << output.error().message());
        return;
    }
    if (output->reply == tunnels::kReplyAccept) {
        if (const auto added = transit_.add(output->keys, clock_.steady()); !added) {
            // Only a duplicate id can fail here (decide() checked the count): the reply
            // already says yes, so the creator's tunnel will fail its test; that is all.
            ++counters_.builds_dropped;
            return;
        }
        ++counters_.builds_accepted;
        UMBRA_LOG(log_, debug, "tunnels",
                  "transit tunnel " << output->keys.receive_tunnel.value() << " accepted as "
                                    << role_name(output->keys.role) << " for " << from.to_base64()
                                    << ", next " << output->keys.next_ident.to_base64()
                                    << " tunnel " << output->keys.next_tunnel.value() << " ("
                                    << transit_.size() << " transit tunnels)");
    } else {
        ++counters_.builds_rejected;
    }
    send_build_output(*output, WallTime{now.ms + message_lifetime_ms});
}

void TunnelService::send_build_output(tunnels::HopOutput& output, WallTime expires)
{
    i2np::Message m{output.type, output.message_id, expires, std::move(output.payload)};
    if (!output.via_gateway_tunnel) { // the build message on to the next hop
        outbound_.send(netdb::OutMessage{output.to, {}, {}, std::move(m)});
        return;
    }
    if (output.garlic && output.to != self_) {
        i2np::EciesReplyKeys keys;
        std::copy(output.garlic->key.bytes().begin(), output.garlic->key.bytes().end(),
                  keys.key.begin());
        keys.tags.push_back(output.garlic->tag);
        auto garlic = garlic::encrypt_reply(keys, m, rng_);
        crypto::secure_wipe(keys.key.data(), keys.key.size()); // a copy of the reply key
        if (!garlic) {
            ++counters_.builds_dropped;
            return;
        }
        m = i2np::make_message(*garlic, MessageId(rng_.u32()), expires);
        ++counters_.build_replies_wrapped;
    }
    outbound_.send(netdb::OutMessage{output.to, *output.via_gateway_tunnel, {}, std::move(m)});
}

void TunnelService::on_timer()
{
    const auto dropped = transit_.expire(clock_.steady());
    if (dropped != 0) {
        UMBRA_LOG(log_, debug, "tunnels",
                  dropped << " transit tunnels expired; " << transit_.size() << " left");
    }
}

void TunnelService::log_summary() const
{
    const auto& t = transit_.counters();
    UMBRA_LOG(
        log_, info, "tunnels",
        "build requests " << counters_.build_requests << " (accepted " << counters_.builds_accepted
                          << ", rejected " << counters_.builds_rejected << ", dropped "
                          << counters_.builds_dropped << ", rate-limited "
                          << counters_.builds_rate_limited << "); transit: " << t.forwarded
                          << " TunnelData forwarded, " << t.gateway_messages << " gateway and "
                          << t.endpoint_messages << " endpoint messages, " << t.unknown_tunnel
                          << " for unknown tunnels, " << t.duplicates << " duplicates");
}

void TunnelService::send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message)
{
    outbound_.send(netdb::OutMessage{
        to, {}, {}, i2np::make_message(message, MessageId(rng_.u32()), expiration())});
}

void TunnelService::send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message)
{
    outbound_.send(netdb::OutMessage{
        to, {}, {}, i2np::make_message(message, MessageId(rng_.u32()), expiration())});
}

void TunnelService::send_message(const IdentHash& to, i2np::Message&& message)
{
    outbound_.send(netdb::OutMessage{to, {}, {}, std::move(message)});
}

} // namespace umbra::app
