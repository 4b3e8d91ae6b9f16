// The NTCP2 I/O shell (ARCHITECTURE.md §3): a listener coroutine per bound address and one
// coroutine per connection around the sans-IO engines of ntcp2/: handshake with a deadline,
// probing resistance when a responder handshake fails, then the data phase (ntcp2.rst,
// "4) Data Phase"). Decisions (admission, bans, duplicate sessions, what to send next) belong
// to the owner through Ntcp2Events; everything runs on the owner's io_context, no mutex.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/random.h"
#include "router/base/clock.h"
#include "router/base/log.h"
#include "router/data/i2np/header.h"
#include "router/data/router_info.h"
#include "router/transport/counters.h"
#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/options_block.h"
#include "router/transport/policy.h"

namespace boost::asio {
class io_context;
}

namespace umbra::transport {

struct Ntcp2Options {
    std::string bind_v4 = "0.0.0.0"; // listener and source of outbound connections ("" : no IPv4)
    std::string bind_v6;             // "" : no IPv6
    std::uint16_t port = 0;          // listener port; 0: an ephemeral port (see local_port())
    bool listen = true;
    std::size_t max_sessions = 512;
    std::size_t max_handshakes = 64; // in progress, both directions (ntcp2.rst "DoS Mitigation")
    Milliseconds connect_timeout{Milliseconds(5'000)};
    Milliseconds handshake_timeout{Milliseconds(10'000)}; // total, against slowloris
    Milliseconds idle_timeout{Milliseconds(300'000)};
    Milliseconds frame_timeout{Milliseconds(30'000)}; // a started frame must complete
    Milliseconds termination_timeout{Milliseconds(1'000)};
    // Probing resistance ("AEAD Error Handling"): after a failed handshake Bob reads up to
    // probe_read_max bytes for up to probe_delay_max, sends nothing and resets the connection.
    Milliseconds probe_delay_max{Milliseconds(5'000)};
    std::size_t probe_read_max = 1024;
    std::size_t frame_budget = 16 * 1024; // plaintext per frame when coalescing I2NP blocks
    // Frames sealed back to back for one socket write while more messages wait (at least one
    // frame per write, more while the next full frame still fits).
    std::size_t max_write_bytes = 64 * 1024;
    std::size_t max_padding = 32; // random padding per frame, 0..max_padding, until Options came
    // Our Options block ("Options", 4.4 fixed-point ratios of padding to data): we transmit at
    // most 12.5 % padding and accept up to 100 %. Once the peer's Options block came, padding
    // stays within min(tmax, its rmax) and at least its rmin (bounded by that maximum). tdmy and
    // tdelay go out as 0: umbra sends no dummy traffic and adds no delay (advertised_options).
    ntcp2::PaddingOptions padding_options{0, 0x02, 0, 0x10, 0, 0, 0, 0};
    // DateTime blocks are sent again, in frames that go out anyway, at most this often.
    Milliseconds date_time_interval{Milliseconds(120'000)};
    QueueLimits queue;
    DuplicatePolicy duplicates;
    BanPolicy ban;
    DialRetryPolicy dial_retry;
};

// One established NTCP2 session as the owner sees it.
class SessionHandle {
public:
    virtual ~SessionHandle() = default;
    virtual SessionId id() const = 0;
    virtual const IdentHash& peer() const = 0;
    virtual Direction direction() const = 0;
    virtual const std::string& remote_ip() const = 0;
    virtual void wake() = 0; // messages are waiting in the owner's queue
    // Sends a Termination block with `reason` (ntcp2.rst "Termination") and closes.
    virtual void close(ntcp2::TerminationReason reason) = 0;
    // Closes at once without a Termination block (DuplicatePolicy::mimic_i2pd).
    virtual void abort() = 0;
    // Once ended: the peer ended it (or the connection broke) without acknowledging every frame
    // we sent, i.e. no Termination block whose "valid frames received" covers them (ntcp2.rst
    // "Termination"). False when we ended it.
    virtual bool lost() const = 0;
};

// What the shell reports to its owner (the transport manager). All calls on the owner executor.
class Ntcp2Events {
public:
    virtual ~Ntcp2Events() = default;
    // Before a handshake starts: false closes the connection at once (ban or caps).
    virtual bool admit(const std::string& ip, Direction direction) = 0;
    // A handshake ended without a session. `peer` is zero for inbound attempts.
    virtual void handshake_failed(const std::string& ip, Direction direction, const IdentHash& peer,
                                  std::string_view reason) = 0;
    // False: the session lost against an existing one and is closed at once.
    virtual bool established(const std::shared_ptr<SessionHandle>& session) = 0;
    virtual void closed(const SessionHandle& session, std::string_view reason) = 0;
    virtual void received(const SessionHandle& session, i2np::Message message) = 0;
    // A RouterInfo from message 3 or a RouterInfo block, signature and netId checked.
    virtual void received_router_info(const SessionHandle& session, data::RouterInfo ri) = 0;
    // The next messages to send on this session, at most about max_bytes of blocks.
    virtual std::vector<i2np::Message> outgoing(const SessionHandle& session,
                                                std::size_t max_bytes) = 0;
    virtual Counters& counters() = 0;
    // A DateTime block was more than 60 s off: the session ends (Termination reason 7).
    virtual void clock_skew(const SessionHandle& /*session*/, std::int64_t /*skew_ms*/) {}
};

class Ntcp2Transport {
public:
    Ntcp2Transport(boost::asio::io_context& io, Ntcp2Options options, ntcp2::LocalNtcp2 local,
                   Ntcp2Events& events, const Clock& clock, crypto::Rng& rng, Logger& log);
    ~Ntcp2Transport();
    Ntcp2Transport(const Ntcp2Transport&) = delete;
    Ntcp2Transport& operator=(const Ntcp2Transport&) = delete;

    // Binds the listeners; a bind failure is logged and leaves that listener out (outbound
    // connections still work). Returns false when no listener could be bound.
    bool listen();
    std::uint16_t local_port() const; // the bound IPv4 (else IPv6) port; 0 when none
    // Connects to the first usable NTCP2 address of `ri` (host, port, s, i; ntcp2.rst
    // "Published Addresses"). False when it has none: nothing was started.
    bool dial(const data::RouterInfo& ri);
    // Our RouterInfo changed: later handshakes send the new one, and every established session
    // sends it in a RouterInfo block (with a DateTime) before its next messages.
    void update_router_info(std::vector<std::uint8_t> router_info);
    // Responders skip the signature check of a RouterInfo in message 3 when `vouch` says these
    // exact bytes are the router's RouterInfo its owner verified (ntcp2::VerifiedRouterInfos).
    void set_router_info_vouch(ntcp2::VerifiedRouterInfos::Vouch vouch);
    // RouterInfos of message 3 whose signature check a vouch made unnecessary.
    std::uint64_t router_infos_vouched() const;
    // Closes the listeners and ends every session with a Termination (router shutdown).
    void stop();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace umbra::transport
