// The transport manager: one session per peer over NTCP2, connect on demand, bounded per-peer
// queues, caps on handshakes and sessions, temporary bans of IPs that keep failing handshakes,
// counters. Received I2NP messages go up through I2npHandler. One owner executor (the
// io_context given), no mutex (ARCHITECTURE.md §4).
#pragma once
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "router/transport/ntcp2_transport.h"

namespace umbra::transport {

// What the layers above receive.
class I2npHandler {
public:
    virtual ~I2npHandler() = default;
    virtual void on_i2np(const IdentHash& from, i2np::Message message) = 0;
    // A peer's RouterInfo (message 3 or a RouterInfo block), signature and netId checked.
    virtual void on_router_info(const IdentHash& from, const data::RouterInfo& ri) = 0;
    virtual void on_session(const IdentHash& /*peer*/, Direction /*direction*/, bool /*up*/) {}
    // Our connection to a peer failed (refused, timed out, handshake failed): peer profiles.
    virtual void on_dial_failed(const IdentHash& /*peer*/) {}
};

// Finds the RouterInfo of a peer to dial; nullptr when unknown. Supplied by the owner (netdb).
// Whatever it returns must have been verified (signature checked): responders take a
// SessionConfirmed RouterInfo byte-identical to it as verified (ntcp2::VerifiedRouterInfos).
using RouterInfoLookup = std::function<const data::RouterInfo*(const IdentHash&)>;

class TransportManager final : private Ntcp2Events {
public:
    TransportManager(boost::asio::io_context& io, Ntcp2Options options, ntcp2::LocalNtcp2 local,
                     RouterInfoLookup lookup, I2npHandler& handler, const Clock& clock,
                     crypto::Rng& rng, Logger& log);
    ~TransportManager() override;
    TransportManager(const TransportManager&) = delete;
    TransportManager& operator=(const TransportManager&) = delete;

    // Starts the listeners (when options.listen); false if none could be bound.
    bool start();
    // Terminates every session (reason: router shutdown) and closes the listeners; the
    // io_context's run() returns once they are gone.
    void stop();

    // Queues `message` for `to`, connecting first when there is no session. Dropped (and
    // counted) when the peer's queue is full or the peer cannot be reached.
    void send(const IdentHash& to, i2np::Message message);

    // Our RouterInfo changed (new address, caps, republish): every session sends it in a
    // RouterInfo block, and later handshakes carry it.
    void update_router_info(std::vector<std::uint8_t> router_info);

    bool connected(const IdentHash& peer) const { return peers_.active(peer).has_value(); }
    std::size_t session_count() const { return peers_.sessions(); }
    std::size_t handshakes_in_progress() const { return handshakes_; }
    std::uint16_t local_port() const { return ntcp2_.local_port(); }
    // SessionConfirmed RouterInfos taken as verified because the lookup held the same bytes.
    std::uint64_t router_infos_vouched() const { return ntcp2_.router_infos_vouched(); }
    const Counters& stats() const { return counters_; }
    // One info line of the counters (handshakes, failures by reason, sessions, traffic, drops).
    void log_summary() const;
    const IdentHash& self() const { return self_; }

private:
    bool admit(const std::string& ip, Direction direction) override;
    void handshake_failed(const std::string& ip, Direction direction, const IdentHash& peer,
                          std::string_view reason) override;
    bool established(const std::shared_ptr<SessionHandle>& session) override;
    void closed(const SessionHandle& session, std::string_view reason) override;
    void received(const SessionHandle& session, i2np::Message message) override;
    void received_router_info(const SessionHandle& session, data::RouterInfo ri) override;
    std::vector<i2np::Message> outgoing(const SessionHandle& session,
                                        std::size_t max_bytes) override;
    Counters& counters() override { return counters_; }
    void clock_skew(const SessionHandle& session, std::int64_t skew_ms) override;

    void dial(const IdentHash& to);
    // A dial to `to` failed (`transient`: worth another attempt): retry later, or give up.
    void dial_failed(const IdentHash& to, bool transient);
    void retry_dial(const IdentHash& to);
    // Duplicate sessions (DuplicatePolicy): the loser waits as a standby, then is closed.
    void end_session(SessionId id, bool abrupt);
    void start_grace(SessionId id, const IdentHash& peer);
    void end_grace(SessionId id, const IdentHash& peer);
    void announce(const SessionHandle& s);

    IdentHash self_;
    Ntcp2Options options_;
    RouterInfoLookup lookup_;
    I2npHandler& handler_;
    const Clock& clock_;
    Logger& log_;
    Counters counters_;
    PeerTable peers_;
    BanList bans_;
    std::unordered_map<SessionId, std::shared_ptr<SessionHandle>> sessions_; // with standbys
    std::unordered_set<SessionId> announced_; // on_session(up) was said: active ones
    std::size_t handshakes_ = 0;
    bool stopping_ = false;
    boost::asio::io_context& io_;
    struct RetryTimers; // dial retries, standby grace (Asio stays out of this header)
    std::unique_ptr<RetryTimers> retries_;
    Ntcp2Transport ntcp2_; // last: its coroutines call back into the members above
};

} // namespace umbra::transport
