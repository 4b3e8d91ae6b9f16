#include "netdb/store/routing_key.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "crypto/hash.h"

namespace umbra::netdb {

std::array<char, 8> utc_date_string(WallTime now)
{
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds{now.ms}};
    const year_month_day ymd{floor<days>(t)};
    const int y = int(ymd.year());
    const unsigned m = unsigned(ymd.month());
    const unsigned d = unsigned(ymd.day());
    // Four year digits: I2P dates are 1970..9999; other years are not representable in 8 bytes.
    std::array<char, 8> out{};
    const unsigned yy = unsigned(std::clamp(y, 0, 9999));
    out[0] = char('0' + yy / 1000);
    out[1] = char('0' + yy / 100 % 10);
    out[2] = char('0' + yy / 10 % 10);
    out[3] = char('0' + yy % 10);
    out[4] = char('0' + m / 10);
    out[5] = char('0' + m % 10);
    out[6] = char('0' + d / 10);
    out[7] = char('0' + d % 10);
    return out;
}

RoutingKey routing_key(const IdentHash& search_key, WallTime now)
{
    const auto date = utc_date_string(now);
    std::array<std::uint8_t, 40> input{};
    std::copy(search_key.bytes().begin(), search_key.bytes().end(), input.begin());
    std::transform(date.begin(), date.end(), input.begin() + 32,
                   [](char c) { return std::uint8_t(c); });
    return RoutingKey{IdentHash(crypto::sha256(input))};
}

XorDistance::XorDistance(const IdentHash& a, const IdentHash& b)
{
    for (std::size_t i = 0; i < d_.size(); ++i) {
        d_[i] = std::uint8_t(a.bytes()[i] ^ b.bytes()[i]);
    }
}

std::vector<IdentHash> closest(const RoutingKey& key, std::span<const IdentHash> candidates,
                               std::size_t n)
{
    std::vector<std::pair<XorDistance, const IdentHash*>> scored;
    scored.reserve(candidates.size());
    for (const auto& c : candidates) {
        scored.emplace_back(distance(key, c), &c);
    }
    const std::size_t k = std::min(n, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + std::ptrdiff_t(k), scored.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<IdentHash> out;
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        out.push_back(*scored[i].second);
    }
    return out;
}

} // namespace umbra::netdb
