// Sends what the netdb and garlic layers ask for (netdb::OutMessage): garlic-encrypts a reply when
// the request carried reply keys (router/garlic/reply.h), wraps it in a TunnelGateway message
// when it goes into a tunnel at its gateway (i2np.rst "TunnelGateway"), and hands it to the
// transports. Messages for our own router go back to the dispatcher. One owner executor.
#pragma once
#include <cstdint>

#include "netdb/store/outbox.h"
#include "router/dispatch/dispatcher.h"
#include "router/transport/transport_manager.h"

namespace umbra::app {

struct OutboundCounters {
    std::uint64_t sent = 0;
    std::uint64_t garlic_wrapped = 0;
    std::uint64_t tunnel_wrapped = 0;
    std::uint64_t local = 0;
    std::uint64_t unencryptable = 0; // reply keys we cannot use (ElGamal/AES): dropped
    std::uint64_t too_large = 0;     // no room for the TunnelGateway wrapping: dropped
};

class Outbound {
public:
    Outbound(const IdentHash& self, transport::TransportManager& transport,
             dispatch::Dispatcher& dispatcher, crypto::Rng& rng)
        : self_(self), transport_(transport), dispatcher_(dispatcher), rng_(rng)
    {
    }

    void send(netdb::OutMessage m);
    const OutboundCounters& counters() const { return counters_; }

private:
    IdentHash self_;
    transport::TransportManager& transport_;
    dispatch::Dispatcher& dispatcher_;
    crypto::Rng& rng_;
    OutboundCounters counters_;
};

} // namespace umbra::app
