// The transport manager's decisions, without sockets or timers (ARCHITECTURE.md §3): which of two
// sessions with one peer survives, per-peer send queues with bounds, and temporary bans of IPs
// that keep failing handshakes (ntcp2.rst, "AEAD Error Handling": "Bob should maintain a
// blacklist of IPs with repeated failures"). The I/O shell feeds it events and the current time.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/data/i2np/header.h"

namespace umbra::transport {

enum class Direction : std::uint8_t { inbound, outbound };
const char* to_string(Direction d);

using SessionId = std::uint64_t;

// Simultaneous connects: both routers keep the connection initiated by the router with the
// smaller ident hash, so they agree without talking. Two sessions of the same direction: the
// newer wins (the older one is most likely dead on the other side).
bool keep_new_session(const IdentHash& self, const IdentHash& peer, Direction existing,
                      Direction incoming);

// Not every peer follows that rule: i2pd 2.45.1 keeps the newest *incoming* session and ends
// the other one at once, without a Termination block (NTCP2Server::AddNTCP2Session), so with a
// larger hash than i2pd's we would keep the one i2pd ends and end the one it keeps. So the
// loser is not closed at once: it stays open, idle, as a standby for `grace`; when the peer
// ends the winner meanwhile, the standby takes over. And messages written on a session the peer
// ends within `probation` of its start without acknowledging every frame (no Termination
// block, or one whose "valid frames received" count is short: ntcp2.rst "Termination") are
// queued again for the peer's next session. A repeat is harmless: routers drop duplicates by
// I2NP message id (ssu2.rst "I2NP Message Duplication": "use a Bloom filter or other mechanism
// based on the I2NP message ID"), hops drop repeated build requests (tunnel-creation.rst: the
// reply key goes into a Bloom filter) and repeated tunnel messages (tunnels/implementation.html
// "Participant Processing"; tunnels/transit/duplicate_filter.h), and replies are matched by id.
struct DuplicatePolicy {
    Milliseconds grace{Milliseconds(5'000)};
    Milliseconds probation{Milliseconds(10'000)};
    // Test hook: resolve duplicates as i2pd 2.45.1 does (keep the newest inbound session; an
    // outbound one completing while another exists is dropped; losers end without Termination)
    // so a loopback test can stage the race against umbra's own rule.
    bool mimic_i2pd = false;
};

struct BanPolicy {
    unsigned max_failures = 5;                 // failed handshakes within `window` ...
    Milliseconds window{Milliseconds(60'000)}; // ... start a ban
    Milliseconds duration{Milliseconds(600'000)};
    std::size_t max_entries = 4096; // tracked IPs; the oldest are forgotten beyond this
};

class BanList {
public:
    explicit BanList(BanPolicy policy = {}) : policy_(policy) {}
    bool banned(const std::string& ip, SteadyTime now) const;
    // Records a failed handshake; true when this failure starts a ban.
    bool record_failure(const std::string& ip, SteadyTime now);
    void record_success(const std::string& ip) { entries_.erase(ip); }
    // Bans `ip` at once for the policy's duration (e.g. a peer whose clock is far off).
    void ban(const std::string& ip, SteadyTime now);
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        unsigned failures = 0;
        SteadyTime window_start{};
        SteadyTime banned_until{};
    };
    void prune(SteadyTime now);

    BanPolicy policy_;
    std::unordered_map<std::string, Entry> entries_;
};

// On-demand dials that fail while messages wait: retried after first_delay, doubling up to
// max_delay, for at most max_attempts dials in all; then the queue is dropped and counted.
struct DialRetryPolicy {
    unsigned max_attempts = 3;
    Milliseconds first_delay{Milliseconds(1'000)};
    Milliseconds max_delay{Milliseconds(30'000)};
};

struct QueueLimits {
    std::size_t max_messages = 512;          // per peer
    std::size_t max_bytes = 2 * 1024 * 1024; // per peer, payload bytes
};

// Per-peer state: the active session, whether a dial is under way, and the messages waiting.
// Messages wait here, not in a session, so the survivor of a simultaneous connect sends them.
class PeerTable {
public:
    PeerTable(IdentHash self, QueueLimits limits, DuplicatePolicy duplicates = {})
        : self_(self), limits_(limits), duplicates_(duplicates)
    {
    }

    enum class Enqueued { to_session, needs_dial, dial_pending, dropped_full };
    Enqueued enqueue(const IdentHash& peer, i2np::Message message);
    // The caller starts the dial that needs_dial asked for.
    void dial_started(const IdentHash& peer);
    // An outbound attempt ended without a session; returns the queued messages it drops when no
    // other session serves the peer.
    std::size_t dial_failed(const IdentHash& peer);
    // A dial to `peer` failed: when messages wait, no session serves them and the policy
    // allows another attempt, the peer stays "dialing" (new messages queue without a dial) and
    // the delay before the next dial is returned. Otherwise nothing: call dial_failed.
    std::optional<Milliseconds> retry_after(const IdentHash& peer, const DialRetryPolicy& policy);

    struct Resolution {
        bool keep_new = true;             // `id` is now the active session
        std::optional<SessionId> standby; // the loser, kept open for DuplicatePolicy::grace
        std::optional<SessionId> close;   // a session to end now (a displaced standby)
        bool abrupt = false;              // mimic_i2pd: end `close` without Termination
    };
    Resolution established(const IdentHash& peer, SessionId id, Direction direction,
                           SteadyTime now);
    struct Closed {
        std::size_t dropped = 0;  // queued messages dropped: no session and no dial left
        std::size_t requeued = 0; // messages of a lost session queued again
        bool promoted = false;    // the standby became the active session
    };
    // `lost`: the peer ended the session without acknowledging all our frames.
    Closed closed(const IdentHash& peer, SessionId id, bool lost, SteadyTime now);
    std::optional<SessionId> standby(const IdentHash& peer) const;

    std::optional<SessionId> active(const IdentHash& peer) const;
    bool dialing(const IdentHash& peer) const;
    bool has_queued(const IdentHash& peer) const;
    // Messages for `id` if it is the peer's active session: at least one when any waits, then
    // more while the total of (3 + 9 + payload) stays within max_bytes.
    // During the session's probation a copy of each message is kept, to be queued again if the
    // peer loses the session (closed()).
    std::vector<i2np::Message> take(const IdentHash& peer, SessionId id, std::size_t max_bytes,
                                    SteadyTime now);
    std::size_t sessions() const { return sessions_; }

private:
    // Copies of what a session sent during its probation (bounded by QueueLimits::max_bytes).
    struct Sent {
        SessionId id = 0;
        SteadyTime start{};
        std::deque<i2np::Message> messages;
        std::size_t bytes = 0;
        bool full = false; // stopped recording: over the byte bound
    };
    struct Peer {
        std::optional<SessionId> session;
        Direction direction = Direction::outbound;
        std::optional<SessionId> standby;
        Direction standby_direction = Direction::outbound;
        std::vector<Sent> sent; // of the active session and the standby, while on probation
        bool dialing = false;
        unsigned failed_dials = 0; // since the last session; reset when one is established
        std::deque<i2np::Message> queue;
        std::size_t queued_bytes = 0;
    };
    std::size_t drop_if_unserved(std::unordered_map<IdentHash, Peer>::iterator it);
    Resolution resolve(Peer& p, const IdentHash& peer, SessionId id, Direction direction);
    std::size_t requeue(Peer& p, SessionId id, bool lost, SteadyTime now);
    void record(Peer& p, SessionId id, const std::vector<i2np::Message>& out, SteadyTime now);

    IdentHash self_;
    QueueLimits limits_;
    DuplicatePolicy duplicates_;
    std::unordered_map<IdentHash, Peer> peers_;
    std::size_t sessions_ = 0;
};

} // namespace umbra::transport
