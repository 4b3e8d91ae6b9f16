// Per-packet and per-connection events are counters, not log lines (ARCHITECTURE.md §5); the
// console and the metrics endpoint read them.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace umbra::transport {

struct Counters {
    std::uint64_t handshakes_ok_inbound = 0;
    std::uint64_t handshakes_ok_outbound = 0;
    std::map<std::string, std::uint64_t> handshake_failures; // by reason ("timeout", ...)
    std::uint64_t refused_banned = 0;   // connections closed at accept: IP banned
    std::uint64_t refused_capacity = 0; // connections closed at accept: caps reached
    std::uint64_t bans = 0;
    std::uint64_t sessions_opened = 0;
    std::uint64_t sessions_closed = 0;
    std::uint64_t duplicate_sessions_closed = 0; // simultaneous connects resolved
    std::uint64_t standby_promotions = 0;        // the peer ended the session we kept: we use its
    std::uint64_t requeued_messages = 0;         // written on a session the peer lost, sent again
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    std::uint64_t frames_sent = 0;
    std::uint64_t frames_received = 0;
    std::uint64_t i2np_sent = 0;
    std::uint64_t i2np_received = 0;
    std::uint64_t router_infos_received = 0;
    std::uint64_t dropped_queue_full = 0;
    std::uint64_t dropped_no_route = 0;   // no RouterInfo or no usable NTCP2 address
    std::uint64_t dropped_no_session = 0; // dial failed or session closed with messages queued
    std::uint64_t dropped_too_large = 0;  // does not fit one NTCP2 frame
    std::uint64_t terminations_received = 0;
    std::uint64_t date_times_received = 0;     // sessions that sent a DateTime block
    std::uint64_t options_received = 0;        // Options blocks honoured
    std::uint64_t router_infos_sent = 0;       // RouterInfo blocks after an update
    std::uint64_t clock_skew_terminations = 0; // DateTime more than 60 s off
    std::uint64_t clock_skew_bans = 0;         // IPs banned for it
    std::uint64_t dial_retries = 0;            // failed on-demand dials tried again
    std::uint64_t dials_given_up = 0;          // retries exhausted: the queue was dropped

    std::uint64_t handshake_failures_total() const
    {
        std::uint64_t n = 0;
        for (const auto& [reason, count] : handshake_failures) {
            n += count;
        }
        return n;
    }
};

} // namespace umbra::transport
