// Per-peer token buckets for the floodfill's DatabaseStore and DatabaseLookup handling: each peer
// may send `burst` messages at once and `per_second` on average; the excess is dropped by the
// caller. The table is bounded: when full, idle peers (bucket refilled) are forgotten first,
// then the least recently seen eighth. A forgotten peer starts again with a full bucket, so the
// bound costs accuracy only for peers we have not heard from in a while.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "router/base/clock.h"
#include "router/base/ids.h"

namespace umbra::netdb {

struct RateLimit {
    double per_second = 10;
    double burst = 50;
};

class PeerRateLimiter {
public:
    PeerRateLimiter(RateLimit limit, std::size_t max_peers);

    // Takes one token from peer's bucket; false (and nothing taken) when it is empty.
    bool allow(const IdentHash& peer, WallTime now);

    std::size_t size() const { return buckets_.size(); }
    std::uint64_t forgotten() const { return forgotten_; }

private:
    struct Bucket {
        double tokens;
        std::int64_t last_ms;
    };
    double refilled(const Bucket& b, WallTime now) const;
    void make_room(WallTime now);

    RateLimit limit_;
    std::size_t max_peers_;
    std::unordered_map<IdentHash, Bucket> buckets_;
    std::uint64_t forgotten_ = 0;
};

} // namespace umbra::netdb
