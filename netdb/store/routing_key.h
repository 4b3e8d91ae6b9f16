// The Kademlia-style XOR metric and the daily routing key (network-database.html, "Kademlia
// Closeness Metric"): routing key = SHA256(search key || yyyyMMdd), the UTC date as 8 ASCII
// bytes, so the keyspace changes every day at midnight UTC. Only search keys are transformed;
// router hashes are compared as they are.
#pragma once
#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <vector>

#include "router/base/clock.h"
#include "router/base/ids.h"

namespace umbra::netdb {

// A search key after the daily transformation; a distinct type so a raw hash cannot be passed
// where a routing key is meant (distances to a raw key are meaningless to other routers).
struct RoutingKey {
    IdentHash hash;
    auto operator<=>(const RoutingKey&) const = default;
};

// The UTC date of now as "yyyyMMdd". Dates before 1970 work too (floor division).
std::array<char, 8> utc_date_string(WallTime now);

RoutingKey routing_key(const IdentHash& search_key, WallTime now);

// a XOR b read as a 256-bit big-endian number; ordered as that number.
class XorDistance {
public:
    XorDistance(const IdentHash& a, const IdentHash& b);
    const std::array<std::uint8_t, 32>& bytes() const { return d_; }
    auto operator<=>(const XorDistance&) const = default;

private:
    std::array<std::uint8_t, 32> d_{};
};

inline XorDistance distance(const RoutingKey& key, const IdentHash& router)
{
    return XorDistance(key.hash, router);
}

// The n candidates closest to key, nearest first (fewer when there are fewer candidates).
// Duplicates in candidates are kept as given. O(N log n).
std::vector<IdentHash> closest(const RoutingKey& key, std::span<const IdentHash> candidates,
                               std::size_t n);

} // namespace umbra::netdb
