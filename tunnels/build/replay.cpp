#include "tunnels/build/replay.h"

#include <algorithm>

namespace umbra::tunnels {

void ReplayCache::expire(WallTime now)
{
    while (!by_expiry_.empty() && by_expiry_.front().first <= now.ms) {
        keys_.erase(by_expiry_.front().second);
        by_expiry_.pop_front();
    }
}

bool ReplayCache::contains(const Key& key, WallTime now)
{
    expire(now);
    return keys_.contains(key);
}

ReplayCache::Insert ReplayCache::insert(const Key& key, WallTime now)
{
    expire(now);
    if (keys_.contains(key)) {
        return Insert::duplicate;
    }
    if (keys_.size() >= capacity_) {
        return Insert::full;
    }
    keys_.insert(key);
    // Wall time can step back (skew correction); an entry then outlives its ttl a little,
    // which only errs on the safe side. The deque stays ordered by insertion.
    const std::int64_t expiry = now.ms + ttl_.count();
    const std::int64_t last = by_expiry_.empty() ? expiry : by_expiry_.back().first;
    by_expiry_.emplace_back(std::max(expiry, last), key);
    return Insert::inserted;
}

bool SourceRateLimiter::allow(const IdentHash& source, WallTime now)
{
    if (now.ms - window_start_ms_ >= window_.count() || now.ms < window_start_ms_) {
        counts_.clear();
        window_start_ms_ = now.ms;
    }
    auto it = counts_.find(source);
    if (it == counts_.end()) {
        if (counts_.size() >= max_sources_) {
            return false;
        }
        it = counts_.emplace(source, 0).first;
    }
    if (it->second >= per_window_) {
        return false;
    }
    ++it->second;
    return true;
}

} // namespace umbra::tunnels
