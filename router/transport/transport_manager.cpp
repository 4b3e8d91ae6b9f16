#include "router/transport/transport_manager.h"

#include <algorithm>

#include <boost/asio/steady_timer.hpp>

namespace umbra::transport {

struct TransportManager::RetryTimers {
    std::unordered_map<IdentHash, std::unique_ptr<boost::asio::steady_timer>> timers;
    std::unordered_map<SessionId, std::unique_ptr<boost::asio::steady_timer>> grace; // standbys
    // Handlers hold it weakly: a retry whose manager is gone does nothing.
    std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

TransportManager::TransportManager(boost::asio::io_context& io, Ntcp2Options options,
                                   ntcp2::LocalNtcp2 local, RouterInfoLookup lookup,
                                   I2npHandler& handler, const Clock& clock, crypto::Rng& rng,
                                   Logger& log)
    : self_(local.ident_hash), options_(options), lookup_(std::move(lookup)), handler_(handler),
      clock_(clock), log_(log), peers_(local.ident_hash, options.queue, options.duplicates),
      bans_(options.ban), io_(io), retries_(std::make_unique<RetryTimers>()),
      ntcp2_(io, options, std::move(local), *this, clock, rng, log)
{
    // What the lookup returns (the daemon's netdb store) was verified when it was stored: the
    // same bytes in a SessionConfirmed need no second Ed25519 verify.
    if (lookup_) {
        ntcp2_.set_router_info_vouch([this](const IdentHash& router, Bytes router_info) {
            const data::RouterInfo* known = lookup_(router);
            return known != nullptr && std::ranges::equal(known->bytes(), router_info);
        });
    }
}

TransportManager::~TransportManager()
{
    retries_->alive.reset(); // pending handlers run (cancelled) after us: they must not touch us
}

bool TransportManager::start()
{
    return options_.listen && ntcp2_.listen();
}

void TransportManager::stop()
{
    stopping_ = true;
    for (auto& [peer, timer] : retries_->timers) {
        timer->cancel(); // each handler drops its peer's queue
    }
    retries_->grace.clear(); // their handlers see operation_aborted; stop() closes the standbys
    ntcp2_.stop();
}

void TransportManager::log_summary() const
{
    const Counters& c = counters_;
    std::string failures;
    for (const auto& [reason, count] : c.handshake_failures) {
        failures += (failures.empty() ? " (" : ", ") + reason + " " + std::to_string(count);
    }
    if (!failures.empty()) {
        failures += ")";
    }
    UMBRA_LOG(
        log_, info, "ntcp2",
        "handshakes ok " << c.handshakes_ok_inbound << " inbound, " << c.handshakes_ok_outbound
                         << " outbound; failed " << c.handshake_failures_total() << failures
                         << "; netdb-vouched SessionConfirmed RouterInfos "
                         << ntcp2_.router_infos_vouched() << "; refused " << c.refused_banned
                         << " banned, " << c.refused_capacity << " at capacity; sessions "
                         << c.sessions_opened << " opened, " << c.sessions_closed
                         << " closed; I2NP " << c.i2np_sent << " sent, " << c.i2np_received
                         << " received; bytes " << c.bytes_sent << " sent, " << c.bytes_received
                         << " received; DateTime from " << c.date_times_received
                         << " sessions; dropped " << c.dropped_no_route << " no route, "
                         << c.dropped_no_session << " no session, " << c.dropped_queue_full
                         << " queue full, " << c.dropped_too_large << " too large");
}

void TransportManager::send(const IdentHash& to, i2np::Message message)
{
    if (stopping_ || to == self_) {
        ++counters_.dropped_no_route;
        return;
    }
    switch (peers_.enqueue(to, std::move(message))) {
    case PeerTable::Enqueued::dropped_full:
        ++counters_.dropped_queue_full;
        return;
    case PeerTable::Enqueued::to_session:
        if (const auto it = sessions_.find(*peers_.active(to)); it != sessions_.end()) {
            it->second->wake();
        }
        return;
    case PeerTable::Enqueued::dial_pending:
        return;
    case PeerTable::Enqueued::needs_dial:
        dial(to);
        return;
    }
}

void TransportManager::update_router_info(std::vector<std::uint8_t> router_info)
{
    ntcp2_.update_router_info(std::move(router_info));
}

void TransportManager::dial(const IdentHash& to)
{
    const data::RouterInfo* ri = lookup_ ? lookup_(to) : nullptr;
    const bool capacity =
        handshakes_ < options_.max_handshakes && peers_.sessions() < options_.max_sessions;
    if (!ri || !capacity || !ntcp2_.dial(*ri)) {
        UMBRA_LOG(log_, debug, "transport",
                  "cannot reach " << to.to_base64() << ": "
                                  << (!ri         ? "no RouterInfo"
                                      : !capacity ? "connection caps reached"
                                                  : "no usable NTCP2 address"));
        if (!capacity) {
            return dial_failed(to, true); // the caps may have room later
        }
        counters_.dropped_no_route += peers_.dial_failed(to);
        return;
    }
    peers_.dial_started(to);
    ++handshakes_;
}

void TransportManager::dial_failed(const IdentHash& to, bool transient)
{
    const auto delay =
        transient && !stopping_ ? peers_.retry_after(to, options_.dial_retry) : std::nullopt;
    if (!delay) {
        const std::size_t dropped = peers_.dial_failed(to);
        counters_.dropped_no_session += dropped;
        counters_.dials_given_up += dropped > 0 ? 1 : 0;
        return;
    }
    ++counters_.dial_retries;
    auto& timer = retries_->timers[to];
    timer = std::make_unique<boost::asio::steady_timer>(io_, *delay);
    timer->async_wait([this, to, alive = std::weak_ptr<bool>(retries_->alive)](
                          const boost::system::error_code& ec) {
        // Cancelled: by stop() (retry_dial then drops the queue), or a timer that was replaced
        // (its successor decides).
        if (!alive.expired() && (!ec || stopping_)) {
            retry_dial(to);
        }
    });
}

void TransportManager::retry_dial(const IdentHash& to)
{
    retries_->timers.erase(to);
    if (stopping_ || peers_.active(to)) {
        // Stopping: the queue goes. A session came meanwhile (the peer dialled us): it serves
        // the queue, and the peer is no longer "dialing".
        counters_.dropped_no_session += peers_.dial_failed(to);
        return;
    }
    dial(to);
}

// Bans keep an address's connections out (failed handshakes, clock skew); our own dials to a
// router at that address still go out: its handshake checks its clock again.
bool TransportManager::admit(const std::string& ip, Direction direction)
{
    if (direction == Direction::inbound && bans_.banned(ip, clock_.steady())) {
        ++counters_.refused_banned;
        return false;
    }
    if (stopping_ || handshakes_ >= options_.max_handshakes ||
        peers_.sessions() >= options_.max_sessions) {
        ++counters_.refused_capacity;
        return false;
    }
    ++handshakes_;
    return true;
}

void TransportManager::handshake_failed(const std::string& ip, Direction direction,
                                        const IdentHash& peer, std::string_view reason)
{
    --handshakes_;
    ++counters_.handshake_failures[std::string(reason)];
    if (direction == Direction::inbound) {
        if (bans_.record_failure(ip, clock_.steady())) {
            ++counters_.bans;
            UMBRA_LOG(log_, warn, "transport",
                      "banning " << ip << " for " << options_.ban.duration.count() / 1000
                                 << " s after repeated failed handshakes");
        }
        UMBRA_LOG(log_, debug, "ntcp2", "inbound handshake from " << ip << " failed: " << reason);
        return;
    }
    UMBRA_LOG(log_, info, "ntcp2",
              "connection to " << peer.to_base64() << " (" << ip << ") failed: " << reason);
    handler_.on_dial_failed(peer);
    dial_failed(peer, true);
}

bool TransportManager::established(const std::shared_ptr<SessionHandle>& s)
{
    --handshakes_;
    const Direction dir = s->direction();
    ++(dir == Direction::inbound ? counters_.handshakes_ok_inbound
                                 : counters_.handshakes_ok_outbound);
    if (dir == Direction::inbound) {
        bans_.record_success(s->remote_ip());
    }
    if (!peers_.active(s->peer()) && peers_.sessions() >= options_.max_sessions) {
        ++counters_.refused_capacity;
        return false;
    }
    const auto r = peers_.established(s->peer(), s->id(), dir, clock_.steady());
    sessions_[s->id()] = s;
    if (r.close) {
        ++counters_.duplicate_sessions_closed;
        end_session(*r.close, r.abrupt);
    }
    if (r.standby) {
        start_grace(*r.standby, s->peer());
    }
    if (r.keep_new) {
        announce(*s);
    } else {
        UMBRA_LOG(log_, debug, "ntcp2",
                  to_string(dir) << " session with " << s->peer().to_base64()
                                 << " lost a simultaneous connect");
    }
    return true;
}

void TransportManager::announce(const SessionHandle& s)
{
    announced_.insert(s.id());
    ++counters_.sessions_opened;
    UMBRA_LOG(log_, info, "ntcp2",
              "established " << to_string(s.direction()) << " session with " << s.peer().to_base64()
                             << " (" << s.remote_ip() << ")");
    handler_.on_session(s.peer(), s.direction(), true);
}

void TransportManager::end_session(SessionId id, bool abrupt)
{
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) {
        return;
    }
    if (abrupt) {
        it->second->abort();
    } else {
        it->second->close(ntcp2::TerminationReason::normal);
    }
}

void TransportManager::start_grace(SessionId id, const IdentHash& peer)
{
    auto& timer = retries_->grace[id];
    timer = std::make_unique<boost::asio::steady_timer>(io_, options_.duplicates.grace);
    timer->async_wait([this, id, peer, alive = std::weak_ptr<bool>(retries_->alive)](
                          const boost::system::error_code& ec) {
        if (!alive.expired() && !ec) {
            end_grace(id, peer);
        }
    });
}

// The peer did not end the winner within the grace period: it agrees, the standby goes.
void TransportManager::end_grace(SessionId id, const IdentHash& peer)
{
    retries_->grace.erase(id);
    if (peers_.standby(peer) == std::optional<SessionId>(id)) {
        ++counters_.duplicate_sessions_closed;
        end_session(id, false);
    }
}

void TransportManager::closed(const SessionHandle& s, std::string_view reason)
{
    if (sessions_.erase(s.id()) == 0) {
        return; // refused at capacity: never admitted
    }
    retries_->grace.erase(s.id());
    const auto c = peers_.closed(s.peer(), s.id(), s.lost(), clock_.steady());
    counters_.dropped_no_session += c.dropped;
    counters_.requeued_messages += c.requeued;
    if (announced_.erase(s.id()) > 0) {
        ++counters_.sessions_closed;
        UMBRA_LOG(log_, info, "ntcp2",
                  to_string(s.direction())
                      << " session with " << s.peer().to_base64() << " ended: " << reason);
        handler_.on_session(s.peer(), s.direction(), false);
    }
    const auto active = peers_.active(s.peer());
    const auto it = active ? sessions_.find(*active) : sessions_.end();
    if (it == sessions_.end()) {
        return;
    }
    if (c.promoted || c.requeued > 0) {
        UMBRA_LOG(log_, info, "ntcp2",
                  "peer " << s.peer().to_base64() << " ended a duplicate session: "
                          << (c.promoted ? "using the other one, " : "") << c.requeued
                          << " message(s) sent again");
    }
    if (c.promoted) { // the peer ended the session we kept: it keeps the other one
        ++counters_.standby_promotions;
        retries_->grace.erase(*active);
        announce(*it->second);
    }
    if (c.promoted || c.requeued > 0) {
        it->second->wake();
    }
}

void TransportManager::received(const SessionHandle& s, i2np::Message message)
{
    handler_.on_i2np(s.peer(), std::move(message));
}

void TransportManager::received_router_info(const SessionHandle& s, data::RouterInfo ri)
{
    ++counters_.router_infos_received;
    handler_.on_router_info(s.peer(), ri);
}

std::vector<i2np::Message> TransportManager::outgoing(const SessionHandle& s, std::size_t max_bytes)
{
    return peers_.take(s.peer(), s.id(), max_bytes, clock_.steady());
}

// ntcp2.rst "Clock Skew Guidelines": a peer more than 60 s off cannot use the network with us
// (message expirations, replay windows); its address is banned for the ban duration.
void TransportManager::clock_skew(const SessionHandle& s, std::int64_t skew_ms)
{
    bans_.ban(s.remote_ip(), clock_.steady());
    ++counters_.clock_skew_bans;
    UMBRA_LOG(log_, warn, "transport",
              "banning " << s.remote_ip() << " (" << s.peer().to_base64() << ") for "
                         << options_.ban.duration.count() / 1000 << " s: clock off by "
                         << skew_ms / 1000 << " s");
}

} // namespace umbra::transport
