#include "router/dispatch/dispatcher.h"

namespace umbra::dispatch {

namespace {

enum class Route { netdb, delivery_status, garlic, tunnels, none };

Route route_of(i2np::MessageType type)
{
    using T = i2np::MessageType;
    switch (type) {
    case T::database_store:
    case T::database_lookup:
    case T::database_search_reply:
        return Route::netdb;
    case T::delivery_status:
        return Route::delivery_status;
    case T::garlic:
        return Route::garlic;
    case T::tunnel_data:
    case T::tunnel_gateway:
    case T::tunnel_build:
    case T::tunnel_build_reply:
    case T::variable_tunnel_build:
    case T::variable_tunnel_build_reply:
    case T::short_tunnel_build:
    case T::outbound_tunnel_build_reply:
        return Route::tunnels;
    default:
        return Route::none;
    }
}

} // namespace

void Dispatcher::on_i2np(const IdentHash& from, i2np::Message message)
{
    if (filter_.check(message.id, message.expiration, clock_.wall()) != Verdict::accept) {
        ++counters_.dropped_by_filter;
        return;
    }
    ++counters_.received_by_type[static_cast<std::uint8_t>(message.type)];
    switch (route_of(message.type)) {
    case Route::netdb:
        if (netdb_ != nullptr && netdb_->on_netdb_message(from, message)) {
            return;
        }
        break;
    case Route::delivery_status:
        if (netdb_ != nullptr && netdb_->on_netdb_message(from, message)) {
            return;
        }
        if (tunnels_ != nullptr) {
            tunnels_->on_tunnel_message(from, std::move(message));
            return;
        }
        break;
    case Route::garlic:
        if (garlic_ != nullptr) {
            garlic_->on_garlic(from, std::move(message));
            return;
        }
        break;
    case Route::tunnels:
        if (tunnels_ != nullptr) {
            tunnels_->on_tunnel_message(from, std::move(message));
            return;
        }
        break;
    case Route::none:
        break;
    }
    ++counters_.unhandled;
}

void Dispatcher::on_router_info(const IdentHash& from, const data::RouterInfo& ri)
{
    if (netdb_ != nullptr) {
        netdb_->on_peer_router_info(from, ri);
    }
}

void Dispatcher::on_session(const IdentHash& peer, transport::Direction, bool up)
{
    if (netdb_ != nullptr) {
        netdb_->on_peer_session(peer, up);
    }
}

void Dispatcher::on_dial_failed(const IdentHash& peer)
{
    if (netdb_ != nullptr) {
        netdb_->on_peer_unreachable(peer);
    }
}

} // namespace umbra::dispatch
