#include "router/transport/policy.h"

#include <algorithm>

namespace umbra::transport {

const char* to_string(Direction d)
{
    return d == Direction::inbound ? "inbound" : "outbound";
}

bool keep_new_session(const IdentHash& self, const IdentHash& peer, Direction existing,
                      Direction incoming)
{
    if (existing == incoming) {
        return true;
    }
    // The session we initiated is the outbound one; keep it when we have the smaller hash.
    const Direction preferred = self < peer ? Direction::outbound : Direction::inbound;
    return incoming == preferred;
}

bool BanList::banned(const std::string& ip, SteadyTime now) const
{
    const auto it = entries_.find(ip);
    return it != entries_.end() && it->second.banned_until > now;
}

bool BanList::record_failure(const std::string& ip, SteadyTime now)
{
    if (entries_.size() >= policy_.max_entries && !entries_.contains(ip)) {
        prune(now);
    }
    Entry& e = entries_[ip];
    if (e.failures == 0 || now - e.window_start > policy_.window) {
        e.failures = 0;
        e.window_start = now;
    }
    ++e.failures;
    if (e.failures >= policy_.max_failures && e.banned_until <= now) {
        e.banned_until = now + policy_.duration;
        e.failures = 0;
        return true;
    }
    return false;
}

void BanList::ban(const std::string& ip, SteadyTime now)
{
    if (entries_.size() >= policy_.max_entries && !entries_.contains(ip)) {
        prune(now);
    }
    Entry& e = entries_[ip];
    e.failures = 0;
    e.window_start = now;
    e.banned_until = std::max(e.banned_until, now + policy_.duration);
}

void BanList::prune(SteadyTime now)
{
    std::erase_if(entries_, [&](const auto& kv) {
        return kv.second.banned_until <= now && now - kv.second.window_start > policy_.window;
    });
    // Still full (a flood of distinct addresses): forget the entry whose window is oldest.
    while (entries_.size() >= policy_.max_entries) {
        const auto oldest =
            std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
                return std::max(a.second.window_start, a.second.banned_until) <
                       std::max(b.second.window_start, b.second.banned_until);
            });
        entries_.erase(oldest);
    }
}

PeerTable::Enqueued PeerTable::enqueue(const IdentHash& peer, i2np::Message message)
{
    Peer& p = peers_[peer];
    const std::size_t size = message.payload.size();
    if (p.queue.size() >= limits_.max_messages || p.queued_bytes + size > limits_.max_bytes) {
        if (!p.session && !p.dialing && p.queue.empty()) {
            peers_.erase(peer);
        }
        return Enqueued::dropped_full;
    }
    p.queue.push_back(std::move(message));
    p.queued_bytes += size;
    if (p.session) {
        return Enqueued::to_session;
    }
    return p.dialing ? Enqueued::dial_pending : Enqueued::needs_dial;
}

void PeerTable::dial_started(const IdentHash& peer)
{
    peers_[peer].dialing = true;
}

std::size_t PeerTable::drop_if_unserved(std::unordered_map<IdentHash, Peer>::iterator it)
{
    if (it->second.session || it->second.dialing) {
        return 0;
    }
    const std::size_t dropped = it->second.queue.size();
    peers_.erase(it);
    return dropped;
}

std::size_t PeerTable::dial_failed(const IdentHash& peer)
{
    const auto it = peers_.find(peer);
    if (it == peers_.end()) {
        return 0;
    }
    it->second.dialing = false;
    return drop_if_unserved(it);
}

std::optional<Milliseconds> PeerTable::retry_after(const IdentHash& peer,
                                                   const DialRetryPolicy& policy)
{
    const auto it = peers_.find(peer);
    if (it == peers_.end() || it->second.session || it->second.queue.empty()) {
        return std::nullopt;
    }
    Peer& p = it->second;
    ++p.failed_dials;
    if (p.failed_dials >= policy.max_attempts) {
        return std::nullopt;
    }
    Milliseconds delay = policy.first_delay;
    for (unsigned i = 1; i < p.failed_dials && delay < policy.max_delay; ++i) {
        delay *= 2;
    }
    p.dialing = true; // the retry is pending: enqueue() does not dial meanwhile
    return std::min(delay, policy.max_delay);
}

PeerTable::Resolution PeerTable::established(const IdentHash& peer, SessionId id,
                                             Direction direction, SteadyTime now)
{
    Peer& p = peers_[peer];
    if (direction == Direction::outbound) {
        p.dialing = false;
    }
    p.failed_dials = 0;
    p.sent.push_back(Sent{id, now, {}, 0, false});
    if (!p.session) {
        ++sessions_;
        p.session = id;
        p.direction = direction;
        return {};
    }
    return resolve(p, peer, id, direction);
}

PeerTable::Resolution PeerTable::resolve(Peer& p, const IdentHash& peer, SessionId id,
                                         Direction direction)
{
    Resolution r;
    if (duplicates_.mimic_i2pd) { // the newest inbound wins; the loser ends at once
        r.keep_new = direction == Direction::inbound;
        r.abrupt = true;
        r.close = r.keep_new ? *p.session : id;
        if (r.keep_new) {
            p.session = id;
            p.direction = direction;
        }
        return r;
    }
    r.keep_new = keep_new_session(self_, peer, p.direction, direction);
    r.close = p.standby; // a third session: the older standby goes
    if (r.keep_new) {
        p.standby = p.session;
        p.standby_direction = p.direction;
        p.session = id;
        p.direction = direction;
    } else {
        p.standby = id;
        p.standby_direction = direction;
    }
    r.standby = p.standby;
    return r;
}

std::size_t PeerTable::requeue(Peer& p, SessionId id, bool lost, SteadyTime now)
{
    const auto it =
        std::find_if(p.sent.begin(), p.sent.end(), [&](const Sent& s) { return s.id == id; });
    if (it == p.sent.end()) {
        return 0;
    }
    std::size_t n = 0;
    if (lost && now - it->start <= duplicates_.probation) {
        n = it->messages.size();
        for (auto m = it->messages.rbegin(); m != it->messages.rend(); ++m) {
            p.queued_bytes += m->payload.size();
            p.queue.push_front(std::move(*m));
        }
    }
    p.sent.erase(it);
    return n;
}

void PeerTable::record(Peer& p, SessionId id, const std::vector<i2np::Message>& out, SteadyTime now)
{
    const auto it =
        std::find_if(p.sent.begin(), p.sent.end(), [&](const Sent& s) { return s.id == id; });
    if (it == p.sent.end() || it->full) {
        return;
    }
    if (now - it->start > duplicates_.probation) {
        p.sent.erase(it); // past probation: a later loss is an ordinary one
        return;
    }
    for (const auto& m : out) {
        if (it->bytes + m.payload.size() > limits_.max_bytes) {
            it->full = true;
            return;
        }
        it->bytes += m.payload.size();
        it->messages.push_back(m);
    }
}

PeerTable::Closed PeerTable::closed(const IdentHash& peer, SessionId id, bool lost, SteadyTime now)
{
    Closed c;
    const auto it = peers_.find(peer);
    if (it == peers_.end()) {
        return c;
    }
    Peer& p = it->second;
    const bool active = p.session == id;
    const bool standby = p.standby == id;
    c.requeued = requeue(p, id, lost && (active || standby), now);
    if (standby) {
        p.standby.reset();
        return c;
    }
    if (!active) {
        return c; // never admitted, or ended by mimic_i2pd
    }
    if (p.standby) { // the peer ended the winner: it kept the other one
        p.session = p.standby;
        p.direction = p.standby_direction;
        p.standby.reset();
        c.promoted = true;
        return c;
    }
    p.session.reset();
    --sessions_;
    c.dropped = drop_if_unserved(it);
    return c;
}

std::optional<SessionId> PeerTable::standby(const IdentHash& peer) const
{
    const auto it = peers_.find(peer);
    return it == peers_.end() ? std::nullopt : it->second.standby;
}

std::optional<SessionId> PeerTable::active(const IdentHash& peer) const
{
    const auto it = peers_.find(peer);
    return it == peers_.end() ? std::nullopt : it->second.session;
}

bool PeerTable::dialing(const IdentHash& peer) const
{
    const auto it = peers_.find(peer);
    return it != peers_.end() && it->second.dialing;
}

bool PeerTable::has_queued(const IdentHash& peer) const
{
    const auto it = peers_.find(peer);
    return it != peers_.end() && !it->second.queue.empty();
}

std::vector<i2np::Message> PeerTable::take(const IdentHash& peer, SessionId id,
                                           std::size_t max_bytes, SteadyTime now)
{
    std::vector<i2np::Message> out;
    const auto it = peers_.find(peer);
    if (it == peers_.end() || it->second.session != id) {
        return out;
    }
    Peer& p = it->second;
    std::size_t total = 0;
    while (!p.queue.empty()) {
        const std::size_t size = 3 + i2np::kShortHeaderSize + p.queue.front().payload.size();
        if (!out.empty() && total + size > max_bytes) {
            break;
        }
        total += size;
        p.queued_bytes -= p.queue.front().payload.size();
        out.push_back(std::move(p.queue.front()));
        p.queue.pop_front();
    }
    record(p, id, out, now);
    return out;
}

} // namespace umbra::transport
