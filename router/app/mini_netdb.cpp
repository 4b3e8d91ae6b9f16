#include "router/app/mini_netdb.h"

#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

namespace umbra::app {

namespace {

constexpr std::int64_t message_lifetime_ms = 60'000;

std::uint32_t nonzero_u32(crypto::Rng& rng)
{
    for (;;) {
        if (const auto v = rng.u32(); v != 0) {
            return v;
        }
    }
}

} // namespace

bool MiniNetDb::add(data::RouterInfo ri)
{
    if (!ri.validate(net_id_, clock_.wall())) {
        return false;
    }
    const IdentHash h = ri.ident_hash();
    const auto it = routers_.find(h);
    if (it != routers_.end() && it->second.published() >= ri.published()) {
        return true; // what we have is as new
    }
    const bool added = it == routers_.end();
    routers_.insert_or_assign(h, std::move(ri));
    UMBRA_LOG(log_, debug, "netdb",
              "RouterInfo " << (added ? "added: " : "updated: ") << h.to_base64());
    return true;
}

const data::RouterInfo* MiniNetDb::find(const IdentHash& h) const
{
    const auto it = routers_.find(h);
    return it == routers_.end() ? nullptr : &it->second;
}

std::uint32_t MiniNetDb::store_to(const IdentHash& peer, const data::RouterInfo& ours)
{
    const std::uint32_t token = nonzero_u32(rng_);
    i2np::DatabaseStore store;
    store.key = ours.ident_hash();
    store.entry_type = i2np::DatabaseEntryType::router_info;
    store.reply = i2np::StoreReply{MessageId(token), TunnelId(0), ours.ident_hash()};
    store.data = gzip_compress(ours.bytes());
    const WallTime expires{clock_.wall().ms + message_lifetime_ms};
    pending_tokens_[token] = peer;
    transport_->send(peer, i2np::make_message(store, MessageId(nonzero_u32(rng_)), expires));
    UMBRA_LOG(log_, info, "netdb",
              "sent DatabaseStore of our RouterInfo to " << peer.to_base64() << ", reply token "
                                                         << token);
    return token;
}

void MiniNetDb::on_i2np(const IdentHash& from, i2np::Message message)
{
    const auto payload = i2np::parse_payload(message);
    if (!payload) {
        UMBRA_LOG(log_, debug, "netdb",
                  "unparsable I2NP type " << int(message.type) << " from " << from.to_base64());
        return;
    }
    if (const auto* store = std::get_if<i2np::DatabaseStore>(&*payload)) {
        on_database_store(from, *store);
    } else if (const auto* status = std::get_if<i2np::DeliveryStatus>(&*payload)) {
        on_delivery_status(from, *status);
    } else {
        UMBRA_LOG(log_, debug, "netdb",
                  "I2NP type " << int(message.type) << " from " << from.to_base64()
                               << " not handled yet");
    }
}

void MiniNetDb::on_database_store(const IdentHash& from, const i2np::DatabaseStore& store)
{
    if (store.entry_type == i2np::DatabaseEntryType::router_info) {
        auto raw = gzip_decompress(store.data, data::max_router_info_size);
        auto ri = raw ? data::RouterInfo::parse(*raw) : Result<data::RouterInfo>(raw.error());
        const bool ok = ri && ri->ident_hash() == store.key && add(std::move(*ri));
        UMBRA_LOG(log_, info, "netdb",
                  "DatabaseStore of RouterInfo " << store.key.to_base64() << " from "
                                                 << from.to_base64()
                                                 << (ok ? ": stored" : ": invalid, dropped"));
    }
    if (!store.reply) {
        return;
    }
    if (store.reply->tunnel.value() != 0) { // needs tunnels: a later release
        UMBRA_LOG(log_, debug, "netdb", "reply through a tunnel not possible yet; no answer");
        return;
    }
    const WallTime now = clock_.wall();
    const i2np::DeliveryStatus status{store.reply->token, now};
    transport_->send(store.reply->gateway,
                     i2np::make_message(status, MessageId(nonzero_u32(rng_)),
                                        WallTime{now.ms + message_lifetime_ms}));
    UMBRA_LOG(log_, info, "netdb",
              "answered DatabaseStore with DeliveryStatus " << store.reply->token.value() << " to "
                                                            << store.reply->gateway.to_base64());
}

void MiniNetDb::on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status)
{
    const auto it = pending_tokens_.find(status.acked_id.value());
    const bool ours = it != pending_tokens_.end() && it->second == from;
    if (ours) {
        pending_tokens_.erase(it);
    }
    UMBRA_LOG(log_, info, "netdb",
              "received DeliveryStatus " << status.acked_id.value() << " from " << from.to_base64()
                                         << (ours ? " (confirms our DatabaseStore)" : ""));
}

void MiniNetDb::on_router_info(const IdentHash& from, const data::RouterInfo& ri)
{
    if (add(ri)) {
        UMBRA_LOG(log_, info, "netdb",
                  "RouterInfo of " << ri.ident_hash().to_base64() << " received from "
                                   << from.to_base64());
    }
}

} // namespace umbra::app
