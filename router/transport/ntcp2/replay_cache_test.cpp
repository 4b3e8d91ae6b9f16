#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/handshake.h"

using namespace umbra;
using namespace umbra::ntcp2;
using std::chrono::milliseconds;

namespace {

crypto::X25519Public key(std::uint8_t n)
{
    crypto::X25519Public k{};
    k[0] = n;
    k[31] = 0x40;
    return k;
}

const SteadyTime t0{};

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_replay_cache)

BOOST_AUTO_TEST_CASE(rejects_a_key_seen_within_the_window)
{
    ReplayCache cache(8, milliseconds(1000));
    BOOST_TEST(cache.check_and_insert(key(1), t0));
    BOOST_TEST(!cache.check_and_insert(key(1), t0 + milliseconds(999)));
    BOOST_TEST(cache.check_and_insert(key(2), t0 + milliseconds(999)));
    BOOST_TEST(cache.size() == 2u);
    BOOST_TEST(cache.window() == milliseconds(1000));
}

BOOST_AUTO_TEST_CASE(forgets_keys_older_than_the_window)
{
    ReplayCache cache(8, milliseconds(1000));
    BOOST_TEST(cache.check_and_insert(key(1), t0));
    BOOST_TEST(cache.check_and_insert(key(2), t0 + milliseconds(500)));
    BOOST_TEST(cache.check_and_insert(key(1), t0 + milliseconds(1000))); // aged out
    BOOST_TEST(!cache.check_and_insert(key(2), t0 + milliseconds(1000)));
    BOOST_TEST(cache.size() == 2u);
}

BOOST_AUTO_TEST_CASE(evicts_the_oldest_key_when_full)
{
    ReplayCache cache(2, milliseconds(60'000));
    BOOST_TEST(cache.check_and_insert(key(1), t0));
    BOOST_TEST(cache.check_and_insert(key(2), t0));
    BOOST_TEST(cache.check_and_insert(key(3), t0)); // pushes key 1 out
    BOOST_TEST(cache.size() == 2u);
    BOOST_TEST(!cache.check_and_insert(key(2), t0));
    BOOST_TEST(!cache.check_and_insert(key(3), t0));
    BOOST_TEST(cache.check_and_insert(key(1), t0));
    BOOST_TEST(cache.size() == 2u);
}

BOOST_AUTO_TEST_CASE(stays_bounded_under_a_flood)
{
    ReplayCache cache(100, milliseconds(60'000));
    for (int i = 0; i < 1000; ++i) {
        auto k = key(std::uint8_t(i));
        k[1] = std::uint8_t(i >> 8);
        BOOST_TEST_REQUIRE(cache.check_and_insert(k, t0 + milliseconds(i)));
    }
    BOOST_TEST(cache.size() == 100u);
}

BOOST_AUTO_TEST_CASE(verified_router_infos_are_bounded_oldest_out_first)
{
    VerifiedRouterInfos verified(3);
    const auto digest = [](std::uint8_t n) {
        crypto::Hash32 d{};
        d[0] = n;
        return d;
    };
    for (std::uint8_t n = 1; n <= 3; ++n) {
        verified.insert(digest(n));
    }
    verified.insert(digest(2)); // already there: no second entry, no eviction
    BOOST_TEST(verified.size() == 3u);
    verified.insert(digest(4));
    BOOST_TEST(verified.size() == 3u);
    BOOST_TEST(!verified.contains(digest(1)));
    for (std::uint8_t n = 2; n <= 4; ++n) {
        BOOST_TEST(verified.contains(digest(n)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
