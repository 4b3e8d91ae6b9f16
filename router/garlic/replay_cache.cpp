#include "router/garlic/replay_cache.h"

#include <algorithm>

#include "router/base/check.h"

namespace umbra::garlic {

ReplayCache::ReplayCache(std::size_t capacity) : capacity_(capacity)
{
    UMBRA_CHECK(capacity > 0);
}

bool ReplayCache::contains(const Key& key, WallTime now)
{
    purge(now);
    return entries_.contains(key);
}

void ReplayCache::insert(const Key& key, WallTime expires, WallTime now)
{
    purge(now);
    auto [it, inserted] = entries_.try_emplace(key, expires);
    if (!inserted) {
        it->second = std::max(it->second, expires);
    }
    order_.emplace_back(it->second, key);
    while (!order_.empty() && (entries_.size() > capacity_ || order_.size() > 2 * capacity_)) {
        pop_oldest();
    }
}

void ReplayCache::purge(WallTime now)
{
    while (!order_.empty() && order_.front().first <= now) {
        pop_oldest();
    }
}

void ReplayCache::pop_oldest()
{
    const auto& [expires, key] = order_.front();
    // A key re-inserted later has a newer order entry; only the entry that matches the map's
    // expiry removes it.
    if (auto it = entries_.find(key); it != entries_.end() && it->second == expires) {
        entries_.erase(it);
    }
    order_.pop_front();
}

} // namespace umbra::garlic
