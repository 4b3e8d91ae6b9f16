// What the netdb engines (netdb/floodfill, netdb/lookup) ask the router to send. Engines are
// sans-IO: they return these and the owner (router/app) hands them to the transports, wrapping
// them first as each field says.
#pragma once
#include <optional>
#include <vector>

#include "router/base/ids.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/header.h"

namespace umbra::netdb {

struct OutMessage {
    // The router the message goes to over a transport (for a reply through a tunnel: the
    // tunnel's inbound gateway).
    IdentHash to;
    // Set: the message is delivered into this inbound tunnel at `to`, i.e. wrapped in a
    // TunnelGateway message (i2np.rst "TunnelGateway") for that tunnel id.
    std::optional<TunnelId> tunnel;
    // Not monostate: before any TunnelGateway wrapping, the message is garlic-encrypted with these
    // one-time reply keys (i2np.rst "DatabaseLookup", proposal 154; ecies-routers.rst).
    i2np::ReplyEncryption encryption;
    i2np::Message message;
};

using Outbox = std::vector<OutMessage>;

} // namespace umbra::netdb
