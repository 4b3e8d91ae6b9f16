#include "netdb/floodfill/rate_limit.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace umbra::netdb {

PeerRateLimiter::PeerRateLimiter(RateLimit limit, std::size_t max_peers)
    : limit_(limit), max_peers_(std::max<std::size_t>(max_peers, 1))
{
    limit_.burst = std::max(limit_.burst, 1.0);
    limit_.per_second = std::max(limit_.per_second, 0.0);
}

double PeerRateLimiter::refilled(const Bucket& b, WallTime now) const
{
    // A clock that steps back refills nothing rather than draining.
    const double elapsed_s = double(std::max<std::int64_t>(now.ms - b.last_ms, 0)) / 1000.0;
    return std::min(limit_.burst, b.tokens + elapsed_s * limit_.per_second);
}

void PeerRateLimiter::make_room(WallTime now)
{
    const std::size_t before = buckets_.size();
    std::erase_if(buckets_,
                  [&](const auto& kv) { return refilled(kv.second, now) >= limit_.burst; });
    if (buckets_.size() >= max_peers_) {
        std::vector<std::pair<std::int64_t, IdentHash>> ages;
        ages.reserve(buckets_.size());
        for (const auto& [peer, b] : buckets_)
            ages.emplace_back(b.last_ms, peer);
        const std::size_t drop = std::max<std::size_t>(1, ages.size() / 8);
        std::nth_element(ages.begin(), ages.begin() + std::ptrdiff_t(drop - 1), ages.end());
        for (std::size_t i = 0; i < drop; ++i)
            buckets_.erase(ages[i].second);
    }
    forgotten_ += before - buckets_.size();
}

bool PeerRateLimiter::allow(const IdentHash& peer, WallTime now)
{
    auto it = buckets_.find(peer);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_peers_)
            make_room(now);
        it = buckets_.emplace(peer, Bucket{limit_.burst, now.ms}).first;
    }
    Bucket& b = it->second;
    b.tokens = refilled(b, now);
    b.last_ms = std::max(b.last_ms, now.ms);
    if (b.tokens < 1.0)
        return false;
    b.tokens -= 1.0;
    return true;
}

} // namespace umbra::netdb
