#include "router/app/garlic_service.h"

#include "router/data/i2np/payload.h"

namespace umbra::app {

void GarlicService::on_garlic(const IdentHash& sender, i2np::Message message)
{
    ++counters_.garlic_received;
    auto garlic = i2np::Garlic::parse(message.payload);
    const auto replies = inbox_.counters().replies;
    auto cloves = garlic ? inbox_.on_garlic(*garlic, clock_.wall())
                         : Result<std::vector<garlic::GarlicClove>>(garlic.error());
    IdentHash from = sender;
    if (cloves && reply_source_ && inbox_.counters().replies != replies) {
        // Decrypted with a reply tag we gave out: the reply of the router we gave it to.
        if (const auto source = reply_source_(garlic->ciphertext)) {
            from = *source;
        }
    }
    if (!cloves) {
        ++counters_.undecryptable;
        UMBRA_LOG(log_, debug, "garlic",
                  "Garlic from " << from.to_base64()
                                 << " not for us or damaged: " << cloves.error().message());
        return;
    }
    for (auto& clove : *cloves) {
        using garlic::DeliveryType;
        switch (clove.delivery.type) {
        case DeliveryType::local:
            ++counters_.cloves_local;
            UMBRA_LOG(log_, debug, "garlic",
                      "clove with I2NP type " << int(clove.message.type) << " from "
                                              << from.to_base64());
            dispatcher_.deliver_local(from, std::move(clove.message));
            break;
        case DeliveryType::router:
            ++counters_.cloves_forwarded;
            outbound_.send(netdb::OutMessage{clove.delivery.to, {}, {}, std::move(clove.message)});
            break;
        case DeliveryType::tunnel:
            ++counters_.cloves_forwarded;
            outbound_.send(netdb::OutMessage{
                clove.delivery.to, clove.delivery.tunnel, {}, std::move(clove.message)});
            break;
        case DeliveryType::destination:
            ++counters_.cloves_for_destinations;
            break;
        }
    }
}

void GarlicService::log_summary() const
{
    UMBRA_LOG(log_, info, "garlic",
              counters_.garlic_received
                  << " Garlic messages to our router (" << counters_.undecryptable
                  << " undecryptable); cloves: " << counters_.cloves_local << " local, "
                  << counters_.cloves_forwarded << " forwarded, "
                  << counters_.cloves_for_destinations << " for destinations (dropped)");
}

} // namespace umbra::app
