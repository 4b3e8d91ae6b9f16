// Drops I2NP messages that are expired, dated too far ahead, or seen before (i2np.rst, "Common
// structures": the expiration "Date" and the unique msg_id; tunnel-implementation notes that
// routers keep ids until the message expires to detect replays). Sans-IO: every call takes now.
//
// A message id is remembered until its message expires (plus the allowed clock skew), after
// which a copy would be refused as expired anyway. The table is capped: when full, the id that
// expires first is forgotten early (counted), so a flood costs bounded memory.
#pragma once
#include <chrono>
#include <cstdint>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

#include "router/base/clock.h"
#include "router/base/ids.h"

namespace umbra::dispatch {

using namespace std::chrono_literals;

struct FilterConfig {
    // Peers' clocks may differ from ours by up to the transports' skew limit (ntcp2.rst and
    // ssu2.rst reject peers more than 60 s off), so an expiration up to this far in the past
    // still counts as unexpired.
    std::chrono::milliseconds allowed_skew = 60s;
    // Messages are created with short lifetimes (i2pd and Java use seconds to a few minutes);
    // one expiring further ahead than this is refused, which also bounds how long an id must be
    // kept.
    std::chrono::milliseconds max_future = 5min;
    std::size_t capacity = 65'536; // remembered ids
};

enum class Verdict { accept, expired, too_far_ahead, duplicate };

struct FilterCounters {
    std::uint64_t accepted = 0;
    std::uint64_t expired = 0;
    std::uint64_t too_far_ahead = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t evicted_early = 0; // ids forgotten before their expiry because the table was full
};

class MessageFilter {
public:
    explicit MessageFilter(FilterConfig config = {}) : config_(config) {}

    Verdict check(MessageId id, WallTime expiration, WallTime now);

    std::size_t size() const { return seen_.size(); }
    const FilterCounters& counters() const { return counters_; }

private:
    void forget_expired(WallTime now);
    void evict_one();

    FilterConfig config_;
    // id -> the time after which it may be forgotten; the heap orders those times (entries whose
    // time no longer matches the map are stale and skipped).
    std::unordered_map<std::uint32_t, std::int64_t> seen_;
    using Entry = std::pair<std::int64_t, std::uint32_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> by_expiry_;
    FilterCounters counters_;
};

} // namespace umbra::dispatch
