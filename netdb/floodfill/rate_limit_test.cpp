#include <boost/test/unit_test.hpp>

#include "netdb/floodfill/rate_limit.h"

using namespace umbra;
using namespace umbra::netdb;

namespace {

IdentHash hash_of(std::uint32_t i)
{
    std::array<std::uint8_t, 32> a{};
    a[0] = std::uint8_t(i);
    a[1] = std::uint8_t(i >> 8);
    a[2] = std::uint8_t(i >> 16);
    return IdentHash(a);
}

constexpr WallTime t0{1'700'000'000'000};

} // namespace

BOOST_AUTO_TEST_SUITE(peer_rate_limiter)

BOOST_AUTO_TEST_CASE(allows_a_burst_then_the_average_rate)
{
    PeerRateLimiter l({.per_second = 2, .burst = 5}, 100);
    int ok = 0;
    for (int i = 0; i < 20; ++i)
        ok += l.allow(hash_of(1), t0);
    BOOST_TEST(ok == 5);
    ok = 0;
    for (int i = 0; i < 20; ++i)
        ok += l.allow(hash_of(1), WallTime{t0.ms + 1500});
    BOOST_TEST(ok == 3);
    // A clock stepping back neither refills nor breaks anything.
    BOOST_TEST(!l.allow(hash_of(1), WallTime{t0.ms - 100'000}));
}

BOOST_AUTO_TEST_CASE(table_stays_bounded_under_many_peers)
{
    PeerRateLimiter l({.per_second = 1, .burst = 3}, 64);
    for (std::uint32_t i = 0; i < 10'000; ++i) {
        BOOST_TEST_REQUIRE(l.allow(hash_of(i), WallTime{t0.ms + i}));
        BOOST_TEST_REQUIRE(l.size() <= 64u);
    }
    BOOST_TEST(l.forgotten() >= 10'000u - 64u);
}

BOOST_AUTO_TEST_CASE(a_busy_peer_is_not_forgotten_before_idle_ones)
{
    PeerRateLimiter l({.per_second = 1, .burst = 2}, 8);
    for (std::uint32_t i = 1; i < 8; ++i)
        l.allow(hash_of(i), t0); // older than peer 0's last use, but idle by t0 + 5 s
    const WallTime later{t0.ms + 5000};
    for (int i = 0; i < 10; ++i) // drains peer 0's bucket (bounded, whatever allow() does)
        l.allow(hash_of(0), later);
    l.allow(hash_of(100), later); // table full: the idle peers go, not the busy one
    BOOST_TEST(l.size() == 2u);
    BOOST_TEST(!l.allow(hash_of(0), later)); // still limited (a fresh bucket would allow)
}

BOOST_AUTO_TEST_SUITE_END()
