// The I2NP dispatcher (ARCHITECTURE.md §1): every message a transport delivers passes the
// MessageFilter (expired and duplicate ids dropped), then goes by type to one layer:
//   DatabaseStore/Lookup/SearchReply (1-3)              -> netdb
//   DeliveryStatus (10)                                 -> netdb, else tunnels (tunnel tests)
//   Garlic (11)                                         -> garlic
//   TunnelData/Gateway (18, 19), build messages (21-26) -> tunnels
// Anything else (Data, obsolete or unknown types) is counted and dropped. A layer not attached yet
// counts its messages as unhandled. One owner executor, like the transport that calls it.
#pragma once
#include <array>
#include <cstdint>

#include "router/dispatch/message_filter.h"
#include "router/transport/transport_manager.h"

namespace umbra::dispatch {

// Each layer sees only the messages of its types. Returning false means "not mine" (only asked
// of the netdb for DeliveryStatus, which may belong to a tunnel test).
class NetDbLayer {
public:
    virtual ~NetDbLayer() = default;
    virtual bool on_netdb_message(const IdentHash& from, const i2np::Message& message) = 0;
    virtual void on_peer_router_info(const IdentHash& from, const data::RouterInfo& ri) = 0;
    // A transport session with peer opened (up) or closed.
    virtual void on_peer_session(const IdentHash& /*peer*/, bool /*up*/) {}
    virtual void on_peer_unreachable(const IdentHash& /*peer*/) {}
};

class TunnelLayer {
public:
    virtual ~TunnelLayer() = default;
    virtual void on_tunnel_message(const IdentHash& from, i2np::Message message) = 0;
};

class GarlicLayer {
public:
    virtual ~GarlicLayer() = default;
    virtual void on_garlic(const IdentHash& from, i2np::Message message) = 0;
};

struct DispatchCounters {
    std::array<std::uint64_t, 256> received_by_type{}; // after the filter
    std::uint64_t unhandled = 0;                       // no layer for the type (yet)
    std::uint64_t dropped_by_filter = 0;
};

class Dispatcher final : public transport::I2npHandler {
public:
    Dispatcher(const Clock& clock, FilterConfig filter = {}) : clock_(clock), filter_(filter) {}

    void attach_netdb(NetDbLayer& l) { netdb_ = &l; }
    void attach_tunnels(TunnelLayer& l) { tunnels_ = &l; }
    void attach_garlic(GarlicLayer& l) { garlic_ = &l; }

    // From a transport session.
    void on_i2np(const IdentHash& from, i2np::Message message) override;
    void on_router_info(const IdentHash& from, const data::RouterInfo& ri) override;
    void on_session(const IdentHash& peer, transport::Direction direction, bool up) override;
    void on_dial_failed(const IdentHash& peer) override;
    // A message that arrived inside another (a garlic clove for local delivery, a tunnel
    // endpoint's local delivery): filtered and routed like one from a transport. `from` is the
    // router it came from when known, else our own hash.
    void deliver_local(const IdentHash& from, i2np::Message message) { on_i2np(from, message); }

    const DispatchCounters& counters() const { return counters_; }
    const MessageFilter& filter() const { return filter_; }

private:
    const Clock& clock_;
    MessageFilter filter_;
    NetDbLayer* netdb_ = nullptr;
    TunnelLayer* tunnels_ = nullptr;
    GarlicLayer* garlic_ = nullptr;
    DispatchCounters counters_;
};

} // namespace umbra::dispatch
