// Bounded defences of the hop side: a replay cache of build records' ephemeral keys
// (tunnel-creation-ecies.rst: ephemeral keys "must be unique per ECIES hop, and per build
// record"), and a per-source build-request rate limit (issue 5: "per-source build rate").
// Both are plain owned objects; memory is capped by their capacity.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>

#include "router/base/clock.h"
#include "router/base/ids.h"

namespace umbra::tunnels {

class ReplayCache {
public:
    using Key = std::array<std::uint8_t, 32>;

    // Entries live `ttl`; at most `capacity` of them. An ordered set, not a hash table: the keys
    // are chosen by remote peers.
    ReplayCache(std::size_t capacity, Milliseconds ttl) : capacity_(capacity), ttl_(ttl) {}

    bool contains(const Key& key, WallTime now);
    enum class Insert { inserted, duplicate, full };
    // `full` when every slot holds an unexpired key: the caller must then refuse the request
    // (evicting early would reopen the replay window).
    Insert insert(const Key& key, WallTime now);
    std::size_t size() const { return keys_.size(); }

private:
    void expire(WallTime now);

    std::size_t capacity_;
    Milliseconds ttl_;
    std::set<Key> keys_;
    std::deque<std::pair<std::int64_t, Key>> by_expiry_; // insertion order, expiry ms
};

// Fixed-window counter per source router: at most `per_window` requests per `window` each.
// The table holds at most `max_sources` sources; a new source beyond that is refused until the
// window rolls over and the table is cleared.
class SourceRateLimiter {
public:
    SourceRateLimiter(std::size_t max_sources, std::uint32_t per_window, Milliseconds window)
        : max_sources_(max_sources), per_window_(per_window), window_(window)
    {
    }

    // Counts one request from `source`; false when it is over its limit.
    bool allow(const IdentHash& source, WallTime now);
    std::size_t size() const { return counts_.size(); }

private:
    std::size_t max_sources_;
    std::uint32_t per_window_;
    Milliseconds window_;
    std::int64_t window_start_ms_ = 0;
    std::map<IdentHash, std::uint32_t> counts_;
};

} // namespace umbra::tunnels
