#include "router/app/outbound.h"

#include "router/data/i2np/payload.h"
#include "router/garlic/reply.h"

namespace umbra::app {

void Outbound::send(netdb::OutMessage m)
{
    if (!std::holds_alternative<std::monostate>(m.encryption)) {
        auto wrapped = garlic::wrap_lookup_reply(m.encryption, std::move(m.message),
                                                 MessageId(rng_.u32()), rng_);
        if (!wrapped) {
            ++counters_.unencryptable;
            return;
        }
        m.message = std::move(*wrapped);
        ++counters_.garlic_wrapped;
    }
    if (m.tunnel) {
        // The wrapped message (standard header) plus the 4-byte tunnel id and 2-byte length.
        if (m.message.payload.size() + i2np::kStandardHeaderSize + 6 > i2np::kMaxPayloadSize) {
            ++counters_.too_large;
            return;
        }
        const i2np::TunnelGateway gw{*m.tunnel, m.message.serialize_standard()};
        m.message = i2np::make_message(gw, MessageId(rng_.u32()), m.message.expiration);
        ++counters_.tunnel_wrapped;
    }
    if (m.to == self_) {
        ++counters_.local;
        dispatcher_.deliver_local(self_, std::move(m.message));
        return;
    }
    ++counters_.sent;
    transport_.send(m.to, std::move(m.message));
}

} // namespace umbra::app
