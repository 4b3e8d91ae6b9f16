#include "router/data/i2np/payload.h"

namespace umbra::i2np {

namespace {

template <class Body> Result<Payload> parse_as(Bytes payload)
{
    UMBRA_TRY(Body body, Body::parse(payload));
    return Payload(std::move(body));
}

} // namespace

Result<Payload> parse_payload(MessageType type, Bytes payload)
{
    using T = MessageType;
    switch (type) {
    case T::database_store:
        return parse_as<DatabaseStore>(payload);
    case T::database_lookup:
        return parse_as<DatabaseLookup>(payload);
    case T::database_search_reply:
        return parse_as<DatabaseSearchReply>(payload);
    case T::delivery_status:
        return parse_as<DeliveryStatus>(payload);
    case T::garlic:
        return parse_as<Garlic>(payload);
    case T::tunnel_data:
        return parse_as<TunnelData>(payload);
    case T::tunnel_gateway:
        return parse_as<TunnelGateway>(payload);
    case T::data:
        return parse_as<Data>(payload);
    case T::tunnel_build:
        return parse_as<TunnelBuild>(payload);
    case T::tunnel_build_reply:
        return parse_as<TunnelBuildReply>(payload);
    case T::variable_tunnel_build:
        return parse_as<VariableTunnelBuild>(payload);
    case T::variable_tunnel_build_reply:
        return parse_as<VariableTunnelBuildReply>(payload);
    case T::short_tunnel_build:
        return parse_as<ShortTunnelBuild>(payload);
    case T::outbound_tunnel_build_reply:
        return parse_as<OutboundTunnelBuildReply>(payload);
    }
    return Errc::unsupported;
}

std::vector<std::uint8_t> serialize_payload(const Payload& payload)
{
    return std::visit([](const auto& body) { return body.serialize(); }, payload);
}

MessageType type_of(const Payload& payload)
{
    return std::visit([](const auto& body) { return std::decay_t<decltype(body)>::type; }, payload);
}

Message make_message(const Payload& payload, MessageId id, WallTime expiration)
{
    return Message{type_of(payload), id, expiration, serialize_payload(payload)};
}

} // namespace umbra::i2np
