// Typed I2NP payloads: every message type a modern router handles (i2np.rst "Messages"), and the
// dispatch from a Message's type byte to its parser.
#pragma once
#include <cstdint>
#include <variant>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/database_store.h"
#include "router/data/i2np/delivery.h"
#include "router/data/i2np/header.h"
#include "router/data/i2np/tunnel_build.h"

namespace umbra::i2np {

using Payload = std::variant<DatabaseStore, DatabaseLookup, DatabaseSearchReply, DeliveryStatus,
                             Garlic, TunnelData, TunnelGateway, Data, TunnelBuild, TunnelBuildReply,
                             VariableTunnelBuild, VariableTunnelBuildReply, ShortTunnelBuild,
                             OutboundTunnelBuildReply>;

// Errc::unsupported for reserved, experimental and obsolete types.
Result<Payload> parse_payload(MessageType type, Bytes payload);
inline Result<Payload> parse_payload(const Message& m)
{
    return parse_payload(m.type, m.payload);
}

std::vector<std::uint8_t> serialize_payload(const Payload& payload);
MessageType type_of(const Payload& payload);

// A Message of body's type; body is any of the Payload alternatives.
template <class Body> Message make_message(const Body& body, MessageId id, WallTime expiration)
{
    return Message{Body::type, id, expiration, body.serialize()};
}
Message make_message(const Payload& payload, MessageId id, WallTime expiration);

} // namespace umbra::i2np
