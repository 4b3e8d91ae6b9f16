#include "router/dispatch/message_filter.h"

namespace umbra::dispatch {

Verdict MessageFilter::check(MessageId id, WallTime expiration, WallTime now)
{
    forget_expired(now);
    if (expiration.ms + config_.allowed_skew.count() < now.ms) {
        ++counters_.expired;
        return Verdict::expired;
    }
    if (expiration.ms > now.ms + config_.max_future.count()) {
        ++counters_.too_far_ahead;
        return Verdict::too_far_ahead;
    }
    const std::int64_t forget_at = expiration.ms + config_.allowed_skew.count();
    const auto [it, inserted] = seen_.try_emplace(id.value(), forget_at);
    if (!inserted) {
        ++counters_.duplicates;
        return Verdict::duplicate;
    }
    if (seen_.size() > config_.capacity) {
        seen_.erase(it);
        evict_one();
        seen_.emplace(id.value(), forget_at);
    }
    by_expiry_.emplace(forget_at, id.value());
    ++counters_.accepted;
    return Verdict::accept;
}

void MessageFilter::forget_expired(WallTime now)
{
    while (!by_expiry_.empty() && by_expiry_.top().first < now.ms) {
        const auto [at, id] = by_expiry_.top();
        by_expiry_.pop();
        const auto it = seen_.find(id);
        if (it != seen_.end() && it->second == at) {
            seen_.erase(it);
        }
    }
}

void MessageFilter::evict_one()
{
    while (!by_expiry_.empty()) {
        const auto [at, id] = by_expiry_.top();
        by_expiry_.pop();
        const auto it = seen_.find(id);
        if (it != seen_.end() && it->second == at) {
            seen_.erase(it);
            ++counters_.evicted_early;
            return;
        }
    }
}

} // namespace umbra::dispatch
