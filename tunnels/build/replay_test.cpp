#include <boost/test/unit_test.hpp>

#include "tunnels/build/replay.h"

using namespace umbra;
using namespace umbra::tunnels;

namespace {
ReplayCache::Key key(std::uint8_t b)
{
    ReplayCache::Key k{};
    k.fill(b);
    return k;
}
IdentHash ident(std::uint8_t b)
{
    std::array<std::uint8_t, 32> h{};
    h.fill(b);
    return IdentHash(h);
}
} // namespace

BOOST_AUTO_TEST_SUITE(tunnel_build_replay)

BOOST_AUTO_TEST_CASE(replay_cache_expires_and_stays_bounded)
{
    ReplayCache cache(2, Milliseconds(1000));
    WallTime t{10'000};
    BOOST_TEST((cache.insert(key(1), t) == ReplayCache::Insert::inserted));
    BOOST_TEST((cache.insert(key(1), t) == ReplayCache::Insert::duplicate));
    BOOST_TEST((cache.insert(key(2), WallTime{10'500}) == ReplayCache::Insert::inserted));
    BOOST_TEST((cache.insert(key(3), WallTime{10'600}) == ReplayCache::Insert::full));
    BOOST_TEST(cache.contains(key(1), WallTime{10'999}));
    BOOST_TEST(!cache.contains(key(1), WallTime{11'000}));
    BOOST_TEST(cache.size() == 1u);
    BOOST_TEST((cache.insert(key(3), WallTime{11'000}) == ReplayCache::Insert::inserted));
    BOOST_TEST(!cache.contains(key(2), WallTime{12'000}));
    BOOST_TEST(cache.size() == 0u);
}

BOOST_AUTO_TEST_CASE(rate_limiter_counts_per_source_per_window)
{
    SourceRateLimiter limiter(2, 3, Milliseconds(1000));
    WallTime t{5'000};
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(limiter.allow(ident(1), t));
    }
    BOOST_TEST(!limiter.allow(ident(1), t));
    BOOST_TEST(limiter.allow(ident(2), t));
    BOOST_TEST(!limiter.allow(ident(3), t)); // table full
    BOOST_TEST(limiter.size() == 2u);
    BOOST_TEST(limiter.allow(ident(1), WallTime{6'000})); // next window
    BOOST_TEST(limiter.allow(ident(3), WallTime{6'000}));
}

BOOST_AUTO_TEST_SUITE_END()
