// ntcp2.rst, "1) SessionRequest" notes: Bob "must maintain a local cache of previously-used
// handshake values and reject duplicates", each kept "at least 2*D". Keys are X, which Alice
// chooses, so the index is an ordered set (no hash the peer could flood). Entries leave in
// arrival order: when they age out of the window, or the oldest first when the cache is full.
#include <deque>
#include <set>

#include "router/base/check.h"
#include "router/transport/ntcp2/handshake.h"

namespace umbra::ntcp2 {

struct ReplayCache::Impl {
    std::size_t capacity;
    Milliseconds window;
    std::set<crypto::X25519Public> keys;
    std::deque<std::pair<SteadyTime, crypto::X25519Public>> by_age;

    void evict_oldest()
    {
        keys.erase(by_age.front().second);
        by_age.pop_front();
    }
};

ReplayCache::ReplayCache(std::size_t capacity, Milliseconds window)
    : impl_(std::make_unique<Impl>(Impl{capacity, window, {}, {}}))
{
    UMBRA_CHECK(capacity > 0);
}

ReplayCache::~ReplayCache() = default;

bool ReplayCache::check_and_insert(const crypto::X25519Public& key, SteadyTime now)
{
    auto& d = *impl_;
    while (!d.by_age.empty() && now - d.by_age.front().first >= d.window) {
        d.evict_oldest();
    }
    if (d.keys.contains(key)) {
        return false;
    }
    if (d.by_age.size() == d.capacity) {
        d.evict_oldest();
    }
    d.keys.insert(key);
    d.by_age.emplace_back(now, key);
    return true;
}

std::size_t ReplayCache::size() const
{
    return impl_->by_age.size();
}

Milliseconds ReplayCache::window() const
{
    return impl_->window;
}

} // namespace umbra::ntcp2
