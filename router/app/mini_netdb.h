// A stand-in for the network database until netdb/ exists: RouterInfos in memory (from
// --ntcp2.peer files, message 3, RouterInfo blocks and DatabaseStores), and just enough I2NP
// handling to prove the transport against other routers: a DatabaseStore with a reply token
// and reply tunnel 0 is answered with a DeliveryStatus sent directly to the reply gateway
// (i2np.rst "DatabaseStore"); DeliveryStatus messages are logged.
#pragma once
#include <unordered_map>

#include "router/data/i2np/database_store.h"
#include "router/data/i2np/delivery.h"
#include "router/transport/transport_manager.h"

namespace umbra::app {

class MiniNetDb final : public transport::I2npHandler {
public:
    MiniNetDb(std::uint8_t net_id, const Clock& clock, crypto::Rng& rng, Logger& log)
        : net_id_(net_id), clock_(clock), rng_(rng), log_(log)
    {
    }
    // Replies go through `t`; call before any message can arrive.
    void attach(transport::TransportManager& t) { transport_ = &t; }

    // Keeps `ri` if its signature, netId and date are valid; false otherwise.
    bool add(data::RouterInfo ri);
    const data::RouterInfo* find(const IdentHash& h) const;
    std::size_t size() const { return routers_.size(); }

    // Sends `peer` a DatabaseStore of `ours` with a fresh reply token (reply tunnel 0, gateway
    // us), so the peer answers with a DeliveryStatus; returns the token.
    std::uint32_t store_to(const IdentHash& peer, const data::RouterInfo& ours);

    void on_i2np(const IdentHash& from, i2np::Message message) override;
    void on_router_info(const IdentHash& from, const data::RouterInfo& ri) override;

private:
    void on_database_store(const IdentHash& from, const i2np::DatabaseStore& store);
    void on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status);

    std::uint8_t net_id_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    transport::TransportManager* transport_ = nullptr;
    std::unordered_map<IdentHash, data::RouterInfo> routers_;
    std::unordered_map<std::uint32_t, IdentHash> pending_tokens_; // our stores awaiting status
};

} // namespace umbra::app
