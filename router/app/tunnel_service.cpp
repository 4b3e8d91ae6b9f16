#include "router/app/tunnel_service.h"

#include <algorithm>

#include <boost/asio/post.hpp>

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

tunnels::TransitLimits shard_limits(const TunnelServiceOptions& o)
{
    // The count limit is checked over all shards by decide(); a shard's own bound only keeps a
    // race between decisions and installs from going far past it.
    return tunnels::TransitLimits{.max_tunnels = std::max<std::size_t>(1, o.max_transit),
                                  .reassembly = {},
                                  .max_reassembly_bytes = 16 * 1024 * 1024,
                                  .layer_cache = 1024,
                                  .duplicate_filter_bits_log2 = 23};
}

} // namespace

// One shard's output, called on the shard's thread: messages are made there and posted to the
// network executor.
class TunnelService::ShardOut final : public tunnels::TransitOut {
public:
    explicit ShardOut(TunnelService& service) : service_(service) {}

    void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& message) override
    {
        post(to, i2np::make_message(message, MessageId(rng_.u32()), expiration()));
    }
    void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& message) override
    {
        post(to, i2np::make_message(message, MessageId(rng_.u32()), expiration()));
    }
    void send_message(const IdentHash& to, i2np::Message&& message) override
    {
        post(to, std::move(message));
    }
    void on_tunnel_closed(std::uint32_t id, const tunnels::TransitTunnel& t) override
    {
        // The Logger serialises lines from every thread.
        UMBRA_LOG(service_.log_, debug, "tunnels",
                  "transit tunnel " << id << " closed ("
                                    << (service_.stopped_ ? "shutdown" : "expired") << "): role "
                                    << role_name(t.role) << ", messages " << t.messages
                                    << ", bytes " << t.bytes);
    }

private:
    WallTime expiration() const
    {
        return WallTime{service_.wall_ms_.load(std::memory_order_relaxed) + message_lifetime_ms};
    }
    void post(const IdentHash& to, i2np::Message m)
    {
        service_.post_output(netdb::OutMessage{to, {}, {}, std::move(m)});
    }

    TunnelService& service_;
    crypto::ChaChaRng rng_; // message ids of this shard's output
};

namespace {

std::vector<tunnels::TransitOut*> raw(const auto& outs)
{
    std::vector<tunnels::TransitOut*> v;
    for (const auto& o : outs) {
        v.push_back(o.get());
    }
    return v;
}

} // namespace

TunnelService::TunnelService(TunnelServiceOptions options, crypto::X25519Keypair static_keys,
                             const IdentHash& self, boost::asio::any_io_executor network,
                             Sender send, const Clock& clock, crypto::Rng& rng, Logger& log)
    : options_(options), self_(self), network_(std::move(network)), send_(std::move(send)),
      clock_(clock), rng_(rng), log_(log), hop_(std::move(static_keys), self),
      limiter_(max_rate_limited_sources, options.builds_per_source_per_minute,
               std::chrono::minutes(1)),
      admission_(tunnels::AdmissionLimits{.accept_transit = options.accept_transit,
                                          .max_tunnels = options.max_transit,
                                          .share_bytes_per_second = options.share_bytes_per_second,
                                          .min_cap_interval = std::chrono::minutes(1)}),
      outs_([this, n = std::max<std::size_t>(1, options.threads)] {
          std::vector<std::unique_ptr<ShardOut>> v;
          for (std::size_t i = 0; i < n; ++i) {
              v.push_back(std::make_unique<ShardOut>(*this));
          }
          return v;
      }()),
      transit_(raw(outs_), shard_limits(options)), alive_(std::make_shared<bool>(true)),
      wall_ms_(clock.wall().ms)
{
}

TunnelService::~TunnelService()
{
    stop();
}

std::size_t TunnelService::transit_count() const
{
    // Every accepted build is posted once; adds_done() counts those the shards have run (also
    // the few a shard refused, so this may briefly read high, never low).
    const std::uint64_t queued = counters_.builds_accepted - transit_.adds_done();
    return transit_.tunnel_count() + std::size_t(queued);
}

void TunnelService::set_own_tunnels(OwnTunnelsHook* hook)
{
    own_ = hook;
}

void TunnelService::start()
{
    transit_.start();
    UMBRA_LOG(log_, info, "tunnels",
              "transit on " << transit_.shards() << " thread(s); "
                            << (options_.accept_transit ? "accepting" : "refusing (notransit)")
                            << ", at most " << options_.max_transit << " tunnels, share "
                            << options_.share_bytes_per_second / 1024 << " KBytes/s");
}

void TunnelService::stop()
{
    if (stopped_.exchange(true)) {
        return;
    }
    *alive_ = false;
    transit_.stop();
    transit_.close_all();
}

void TunnelService::post_output(netdb::OutMessage m)
{
    boost::asio::post(network_, [alive = alive_, send = &send_, m = std::move(m)]() mutable {
        if (*alive) {
            (*send)(std::move(m));
        }
    });
}

void TunnelService::on_tunnel_message(const IdentHash& from, i2np::Message message)
{
    if (own_ != nullptr && own_->on_tunnel_message(from, message)) {
        return;
    }
    if (stopped_) {
        return;
    }
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
        transit_.post_tunnel_data(std::move(*td), from);
        return;
    }
    case T::tunnel_gateway: {
        auto gw = i2np::TunnelGateway::parse(message.payload);
        if (!gw) {
            ++counters_.malformed;
            return;
        }
        transit_.post_tunnel_gateway(std::move(*gw)); // "allow messages from anyone"
        return;
    }
    default: // replies to builds of our own and tunnel tests, when no pool took them
        ++counters_.own_tunnel_messages;
        return;
    }
}

void TunnelService::on_build_request(const IdentHash& from, const i2np::Message& message)
{
    const WallTime now = clock_.wall();
    if (!limiter_.allow(from, now)) {
        ++counters_.builds_rate_limited;
        return;
    }
    ++counters_.build_requests;
    // tunnel-creation-ecies.rst: ECIES hops reject with 30 (bandwidth) whatever the reason.
    const auto decide = [this](const tunnels::BuildRequestRecord&) -> tunnels::HopDecision {
        return admission_.refuse(transit_count()) ? tunnels::kRejectBandwidth
                                                  : tunnels::kReplyAccept;
    };
    auto output = hop_.handle(message.type, message.payload, now, rng_, decide);
    if (!output) {
        ++counters_.builds_dropped;
        UMBRA_LOG(log_, debug, "tunnels",
                  "build request from " << from.to_base64()
                                        << " dropped: " << output.error().message());
        return;
    }
    if (output->reply == tunnels::kReplyAccept) {
        accept(from, std::move(output->keys));
    } else {
        ++counters_.builds_rejected;
    }
    send_build_output(*output, WallTime{now.ms + message_lifetime_ms});
}

void TunnelService::accept(const IdentHash& from, tunnels::HopKeys keys)
{
    ++counters_.builds_accepted;
    UMBRA_LOG(log_, debug, "tunnels",
              "transit tunnel " << keys.receive_tunnel.value() << " accepted as "
                                << role_name(keys.role) << " for " << from.to_base64() << ", next "
                                << keys.next_ident.to_base64() << " tunnel "
                                << keys.next_tunnel.value() << " (" << transit_count()
                                << " transit tunnels)");
    // A duplicate receive id is refused by the shard; the reply already says yes, so the
    // creator's tunnel fails its test, and that is all.
    transit_.post_add(std::move(keys), from);
}

void TunnelService::send_build_output(tunnels::HopOutput& output, WallTime expires)
{
    i2np::Message m{output.type, output.message_id, expires, std::move(output.payload)};
    if (!output.via_gateway_tunnel) { // the build message on to the next hop
        send_(netdb::OutMessage{output.to, {}, {}, std::move(m)});
        return;
    }
    if (output.garlic && output.to != self_) {
        auto garlic = garlic::encrypt_reply(output.garlic->key, output.garlic->tag, m, rng_);
        if (!garlic) {
            ++counters_.builds_dropped;
            return;
        }
        m = i2np::make_message(*garlic, MessageId(rng_.u32()), expires);
        ++counters_.build_replies_wrapped;
    }
    send_(netdb::OutMessage{output.to, *output.via_gateway_tunnel, {}, std::move(m)});
}

void TunnelService::on_timer()
{
    wall_ms_.store(clock_.wall().ms, std::memory_order_relaxed);
    const auto now = clock_.steady();
    const auto changed = admission_.update(transit_count(), transit_.bytes_in(), now);
    if (!changed) {
        return;
    }
    ++counters_.cap_changes;
    const char letter = tunnels::cap_letter(*changed);
    UMBRA_LOG(log_, info, "tunnels",
              "congestion cap now " << (letter != 0 ? std::string(1, letter) : "none") << " ("
                                    << transit_count() << " transit tunnels, "
                                    << admission_.rate(now) << " bytes/s of "
                                    << options_.share_bytes_per_second << ")");
    if (caps_listener_) {
        caps_listener_(letter);
    }
}

void TunnelService::log_summary() const
{
    const auto t = transit_.counters();
    UMBRA_LOG(log_, info, "tunnels",
              "build requests " << counters_.build_requests << " (accepted "
                                << counters_.builds_accepted << ", rejected "
                                << counters_.builds_rejected << ", dropped "
                                << counters_.builds_dropped << ", rate-limited "
                                << counters_.builds_rate_limited << "); transit on "
                                << transit_.shards() << " thread(s): " << t.forwarded
                                << " TunnelData forwarded, " << t.gateway_messages
                                << " gateway and " << t.endpoint_messages << " endpoint messages, "
                                << t.unknown_tunnel << " for unknown tunnels, " << t.wrong_previous
                                << " from a wrong previous hop, " << t.duplicates << " duplicates");
}

} // namespace umbra::app
