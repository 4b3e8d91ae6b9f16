#include "netdb/lookup/lookup_table.h"

#include <algorithm>
#include <utility>

#include "netdb/lookup/entries.h"
#include "netdb/profiles/profiles.h"
#include "router/data/i2np/payload.h"

namespace umbra::netdb {

namespace {

using i2np::LookupType;

MessageId nonzero_message_id(crypto::Rng& rng)
{
    for (;;) {
        if (const auto v = rng.u32(); v != 0) {
            return MessageId(v);
        }
    }
}

// A DatabaseStore of this entry type answers a lookup of this type (i2np.rst "DatabaseLookup",
// flags bits 3-2).
bool answers(i2np::DatabaseEntryType entry, LookupType type)
{
    const bool ri = entry == i2np::DatabaseEntryType::router_info;
    switch (type) {
    case LookupType::any:
        return true;
    case LookupType::lease_set:
        return !ri;
    case LookupType::router_info:
    case LookupType::exploration:
        return ri;
    }
    return false;
}

bool shareable(LookupPurpose p)
{
    return p == LookupPurpose::client || p == LookupPurpose::fetch;
}

} // namespace

LookupTable::LookupTable(NetDbStore& db, const IdentHash& self, LookupConfig config,
                         PeerProfiles* profiles)
    : db_(db), self_(self), config_(config), profiles_(profiles)
{
}

LookupTable::Lookup* LookupTable::find(const IdentHash& key, LookupType type)
{
    for (auto& [id, l] : lookups_) {
        if (!l.finished && l.request.key == key && l.request.type == type &&
            shareable(l.request.purpose)) {
            return &l;
        }
    }
    return nullptr;
}

bool LookupTable::running(const IdentHash& key, LookupType type) const
{
    return std::any_of(lookups_.begin(), lookups_.end(), [&](const auto& e) {
        return !e.second.finished && e.second.request.key == key && e.second.request.type == type;
    });
}

std::size_t LookupTable::count(LookupPurpose p) const
{
    return std::size_t(std::count_if(lookups_.begin(), lookups_.end(), [&](const auto& e) {
        return !e.second.finished && e.second.request.purpose == p;
    }));
}

std::size_t LookupTable::candidate_count() const
{
    std::size_t n = 0;
    for (const auto& [id, l] : lookups_) {
        n += l.candidates.size();
    }
    return n;
}

std::optional<LookupId> LookupTable::start(LookupRequest request, WallTime now, crypto::Rng& rng,
                                           Outbox& out)
{
    const auto id = start_inner(std::move(request), now);
    run_dirty(now, rng, out);
    return id;
}

std::optional<LookupId> LookupTable::start_inner(LookupRequest request, WallTime now)
{
    if (shareable(request.purpose)) {
        if (auto* running_lookup = find(request.key, request.type)) {
            ++counters_.joined;
            if (request.purpose == LookupPurpose::client) { // its result must reach the owner
                running_lookup->request.purpose = LookupPurpose::client;
            }
            return running_lookup->id;
        }
    }
    if (lookups_.size() >= config_.max_lookups) {
        ++counters_.refused;
        return std::nullopt;
    }
    const LookupId id(next_id_++);
    Lookup l{.id = id,
             .request = std::move(request),
             .routing_key = {},
             .iterative = false,
             .finished = false,
             .deadline = WallTime{now.ms + config_.lookup_timeout.count()},
             .candidates = {}};
    l.routing_key = routing_key(l.request.key, now);
    l.iterative = l.request.targets.empty();
    seed(l, now);
    lookups_.emplace(id, std::move(l));
    ++counters_.started;
    dirty_.push_back(id);
    return id;
}

void LookupTable::seed(Lookup& l, WallTime /*now*/)
{
    if (l.iterative) {
        const IdentHash exclude[] = {self_};
        for (const auto& ff :
             db_.closest_floodfills(l.routing_key, config_.max_candidates, exclude)) {
            add_candidate(l, ff, CandidateState::ready);
        }
        return;
    }
    for (const auto& t : l.request.targets) {
        if (t != self_) {
            add_candidate(l, t, CandidateState::ready);
        }
    }
}

bool LookupTable::add_candidate(Lookup& l, const IdentHash& peer, CandidateState state)
{
    auto& cs = l.candidates;
    if (std::any_of(cs.begin(), cs.end(), [&](const Candidate& c) { return c.hash == peer; })) {
        return false;
    }
    Candidate c{peer, distance(l.routing_key, peer), state, {}};
    if (cs.size() >= config_.max_candidates) {
        // Full: the new peer replaces the farthest one not asked yet, if it is nearer.
        auto victim = std::find_if(cs.rbegin(), cs.rend(), [](const Candidate& x) {
            return x.state == CandidateState::ready;
        });
        if (victim == cs.rend() || !(c.distance < victim->distance)) {
            ++counters_.peers_dropped;
            return false;
        }
        cs.erase(std::next(victim).base());
        ++counters_.peers_dropped;
    }
    const auto at = std::lower_bound(cs.begin(), cs.end(), c, [](const auto& a, const auto& b) {
        return a.distance < b.distance;
    });
    cs.insert(at, c);
    return true;
}

void LookupTable::pump(Lookup& l, WallTime now, crypto::Rng& rng, Outbox& out)
{
    while (l.in_flight < config_.parallelism && l.asked < config_.max_floodfills_asked) {
        auto next = std::find_if(l.candidates.begin(), l.candidates.end(),
                                 [](const auto& c) { return c.state == CandidateState::ready; });
        if (next == l.candidates.end()) {
            break;
        }
        send(l, *next, now, rng, out);
    }
    if (l.in_flight != 0) {
        return;
    }
    const bool waiting = std::any_of(l.candidates.begin(), l.candidates.end(), [&](const auto& c) {
        return c.state == CandidateState::fetching ||
               (c.state == CandidateState::ready && l.asked < config_.max_floodfills_asked);
    });
    if (!waiting) {
        // Nobody answered at all: every floodfill asked timed out.
        finish(l,
               l.asked > 0 && l.answers == 0 ? LookupOutcome::timed_out : LookupOutcome::not_found);
    }
}

void LookupTable::send(Lookup& l, Candidate& c, WallTime now, crypto::Rng& rng, Outbox& out)
{
    const ReplyPath direct{self_, std::nullopt, std::monostate{}};
    const ReplyPath& path = l.request.reply_path ? *l.request.reply_path : direct;
    i2np::DatabaseLookup dl;
    dl.key = l.request.key;
    dl.from = path.gateway;
    dl.lookup_type = l.request.type;
    dl.reply_tunnel = path.tunnel;
    dl.reply_encryption = path.encryption;
    dl.excluded_peers = l.request.excluded;
    // "if the lookup fails, these peers are requested to be excluded": those we asked already.
    for (const auto& other : l.candidates) {
        if (other.state != CandidateState::ready && other.state != CandidateState::fetching &&
            dl.excluded_peers.size() < i2np::DatabaseLookup::kMaxExcludedPeers) {
            dl.excluded_peers.push_back(other.hash);
        }
    }
    c.state = CandidateState::in_flight;
    c.deadline = WallTime{now.ms + config_.request_timeout.count()};
    ++l.asked;
    ++l.in_flight;
    ++counters_.requests_sent;
    const WallTime expires{now.ms + config_.message_lifetime.count()};
    out.push_back(OutMessage{c.hash, std::nullopt, std::monostate{},
                             i2np::make_message(dl, nonzero_message_id(rng), expires)});
}

bool LookupTable::on_search_reply(const IdentHash& from, const i2np::DatabaseSearchReply& reply,
                                  WallTime now, crypto::Rng& rng, Outbox& out)
{
    ++counters_.search_replies;
    bool matched = false;
    for (auto& [id, l] : lookups_) {
        if (l.finished || l.request.key != reply.key) {
            continue;
        }
        auto c = std::find_if(l.candidates.begin(), l.candidates.end(), [&](const auto& x) {
            return x.hash == from &&
                   (x.state == CandidateState::in_flight || x.state == CandidateState::timed_out);
        });
        if (c == l.candidates.end()) {
            continue;
        }
        if (c->state == CandidateState::in_flight) {
            --l.in_flight;
        }
        c->state = CandidateState::answered; // a second reply from it is unsolicited
        ++l.answers;
        matched = true;
        record(from, true, now);
        if (l.iterative || l.request.purpose == LookupPurpose::explore) {
            follow_reply(l, from, reply, now);
        }
        dirty_.push_back(id);
    }
    if (!matched) {
        ++counters_.unsolicited_replies;
    }
    run_dirty(now, rng, out);
    return matched;
}

// "these references are followed if they are closer (or the next closest) to the lookup key":
// candidates stay sorted by distance, so nearer peers are asked first and farther ones later.
void LookupTable::follow_reply(Lookup& l, const IdentHash& from,
                               const i2np::DatabaseSearchReply& reply, WallTime now)
{
    const std::size_t n = std::min(reply.peers.size(), config_.max_peers_per_reply);
    counters_.peers_dropped += reply.peers.size() - n;
    for (std::size_t i = 0; i < n; ++i) {
        const IdentHash& peer = reply.peers[i];
        if (peer == self_ || peer == from || peer == l.request.key) {
            continue; // (the key itself: we would need its RouterInfo to ask it)
        }
        ++counters_.peers_named;
        const data::RouterInfo* ri = db_.find_router_info(peer);
        if (l.request.purpose == LookupPurpose::explore) {
            if (ri == nullptr) { // exploration is for routers we do not know
                fetch(l, peer, from, now);
            }
            continue;
        }
        if (ri != nullptr) {
            if (ri->caps().floodfill) { // only floodfills answer lookups
                add_candidate(l, peer, CandidateState::ready);
            }
            continue;
        }
        if (add_candidate(l, peer, CandidateState::fetching) && !fetch(l, peer, from, now)) {
            for (auto& c : l.candidates) {
                if (c.hash == peer) {
                    c.state = CandidateState::failed;
                }
            }
        }
    }
}

bool LookupTable::fetch(Lookup& l, const IdentHash& peer, const IdentHash& from, WallTime now)
{
    if (l.fetches >= config_.max_fetches_per_lookup) {
        ++counters_.peers_dropped;
        return false;
    }
    LookupRequest r;
    r.key = peer;
    r.type = LookupType::router_info;
    r.purpose = LookupPurpose::fetch;
    r.targets = {from}; // it named the peer, so it should hold its RouterInfo
    if (!start_inner(std::move(r), now)) {
        return false;
    }
    ++l.fetches;
    ++counters_.fetches_started;
    return true;
}

bool LookupTable::on_database_store(const IdentHash& from, const i2np::DatabaseStore& store,
                                    WallTime now, crypto::Rng& rng, Outbox& out)
{
    if (store.reply) {
        return false; // a publication, for the floodfill role
    }
    std::vector<Lookup*> matching;
    bool keep = false;
    for (auto& [id, l] : lookups_) {
        if (l.finished || l.request.key != store.key ||
            !answers(store.entry_type, l.request.type)) {
            continue;
        }
        const bool asked = std::any_of(l.candidates.begin(), l.candidates.end(), [&](auto& c) {
            return c.hash == from &&
                   (c.state == CandidateState::in_flight || c.state == CandidateState::timed_out);
        });
        if (asked) {
            matching.push_back(&l);
            keep = keep || l.request.purpose != LookupPurpose::verify;
        }
    }
    if (matching.empty()) {
        return false; // e.g. a flood from a floodfill
    }
    const auto entry = accept_entry(db_, store, now, keep);
    record(from, true, now);
    if (!entry) {
        ++counters_.bad_entries;
    }
    for (Lookup* l : matching) {
        for (auto& c : l->candidates) {
            if (c.hash != from) {
                continue;
            }
            if (c.state == CandidateState::in_flight) {
                --l->in_flight;
            }
            c.state = entry ? CandidateState::answered : CandidateState::failed;
        }
        ++l->answers;
        if (entry) {
            finish(*l, LookupOutcome::found, entry->published);
        } else {
            dirty_.push_back(l->id);
        }
    }
    run_dirty(now, rng, out);
    return true;
}

void LookupTable::finish(Lookup& l, LookupOutcome outcome, std::optional<WallTime> published)
{
    if (l.finished) {
        return;
    }
    l.finished = true;
    switch (outcome) {
    case LookupOutcome::found:
        ++counters_.found;
        break;
    case LookupOutcome::not_found:
        ++counters_.not_found;
        break;
    case LookupOutcome::timed_out:
        ++counters_.timed_out;
        break;
    case LookupOutcome::refused:
        break;
    }
    if (results_.size() >= max_results) {
        results_.erase(results_.begin()); // the owner is not polling; keep the newest
    }
    results_.push_back(LookupResult{l.id, l.request.key, l.request.type, l.request.purpose, outcome,
                                    l.asked, published, l.fetches});
    done_.push_back(l.id);
    if (l.request.type == LookupType::router_info) {
        wake_waiters(l.request.key, outcome == LookupOutcome::found);
    }
}

// A fetched RouterInfo arrived (or could not be had): lookups waiting for it may ask it now.
void LookupTable::wake_waiters(const IdentHash& router, bool found)
{
    const data::RouterInfo* ri = found ? db_.find_router_info(router) : nullptr;
    const bool usable = ri != nullptr && ri->caps().floodfill;
    for (auto& [id, l] : lookups_) {
        for (auto& c : l.candidates) {
            if (!l.finished && c.hash == router && c.state == CandidateState::fetching) {
                c.state = usable ? CandidateState::ready : CandidateState::failed;
                dirty_.push_back(id);
            }
        }
    }
}

void LookupTable::run_dirty(WallTime now, crypto::Rng& rng, Outbox& out)
{
    while (!dirty_.empty()) {
        const LookupId id = dirty_.back();
        dirty_.pop_back();
        const auto it = lookups_.find(id);
        if (it != lookups_.end() && !it->second.finished) {
            pump(it->second, now, rng, out);
        }
    }
    for (const LookupId id : done_) {
        lookups_.erase(id);
    }
    done_.clear();
}

void LookupTable::on_timer(WallTime now, crypto::Rng& rng, Outbox& out)
{
    for (auto& [id, l] : lookups_) {
        if (l.finished) {
            continue;
        }
        for (auto& c : l.candidates) {
            if (c.state == CandidateState::in_flight && c.deadline <= now) {
                c.state = CandidateState::timed_out;
                --l.in_flight;
                ++counters_.request_timeouts;
                record(c.hash, false, now);
            }
        }
        if (l.deadline <= now) {
            finish(l, LookupOutcome::timed_out);
        } else {
            dirty_.push_back(id);
        }
    }
    run_dirty(now, rng, out);
}

std::optional<WallTime> LookupTable::next_deadline() const
{
    std::optional<WallTime> next;
    const auto earlier = [&](WallTime t) {
        if (!next || t < *next) {
            next = t;
        }
    };
    for (const auto& [id, l] : lookups_) {
        earlier(l.deadline);
        for (const auto& c : l.candidates) {
            if (c.state == CandidateState::in_flight) {
                earlier(c.deadline);
            }
        }
    }
    return next;
}

std::vector<LookupResult> LookupTable::take_results()
{
    return std::exchange(results_, {});
}

void LookupTable::record(const IdentHash& peer, bool answered, WallTime now)
{
    if (profiles_ != nullptr) {
        profiles_->record(peer, answered ? PeerEvent::lookup_answered : PeerEvent::lookup_timed_out,
                          now);
    }
}

} // namespace umbra::netdb
