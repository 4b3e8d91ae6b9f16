// A bounded set of recently seen one-time ephemeral keys (ecies.rst "DateTime": Bob must prevent
// replays while the timestamp is valid, and may drop duplicate ephemeral keys before the DH).
// Entries expire at a given wall time; when full, the oldest entry is evicted. Ordered by key
// (not hashed), so attacker-chosen keys cannot degrade lookups.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>

#include "router/base/clock.h"

namespace umbra::garlic {

class ReplayCache {
public:
    using Key = std::array<std::uint8_t, 32>;

    explicit ReplayCache(std::size_t capacity);

    // True if key was inserted and has not expired at `now`. Drops expired entries first.
    bool contains(const Key& key, WallTime now);
    // Remembers key until `expires` (later of the two if already present).
    void insert(const Key& key, WallTime expires, WallTime now);

    std::size_t size() const { return entries_.size(); }
    std::size_t capacity() const { return capacity_; }

private:
    void purge(WallTime now);
    void pop_oldest();

    std::size_t capacity_;
    std::map<Key, WallTime> entries_;
    std::deque<std::pair<WallTime, Key>> order_; // insertion order, for expiry and eviction
};

} // namespace umbra::garlic
