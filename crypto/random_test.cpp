#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "tests/support/hex.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

BOOST_AUTO_TEST_SUITE(random_suite)

BOOST_AUTO_TEST_CASE(deterministic_rng_is_reproducible)
{
    DeterministicRng a(1234);
    DeterministicRng b(1234);
    std::vector<std::uint8_t> x(100);
    std::vector<std::uint8_t> y(100);
    for (int i = 0; i < 3; ++i) {
        a.fill(x);
        b.fill(y);
        BOOST_TEST(to_hex(x) == to_hex(y));
    }
    BOOST_TEST(a.u64() == b.u64());
}

BOOST_AUTO_TEST_CASE(deterministic_rng_differs_by_seed_and_by_call)
{
    DeterministicRng a(1);
    DeterministicRng b(2);
    std::vector<std::uint8_t> x(32);
    std::vector<std::uint8_t> y(32);
    a.fill(x);
    b.fill(y);
    BOOST_TEST(to_hex(x) != to_hex(y));
    a.fill(y);
    BOOST_TEST(to_hex(x) != to_hex(y));
}

BOOST_AUTO_TEST_CASE(uniform_stays_below_bound)
{
    DeterministicRng rng(7);
    std::array<int, 3> seen{};
    for (int i = 0; i < 300; ++i) {
        const auto v = rng.uniform(3);
        BOOST_REQUIRE(v < 3u);
        ++seen[v];
    }
    for (int count : seen) {
        BOOST_TEST(count > 50);
    }
    BOOST_TEST(rng.uniform(1) == 0u);
}

BOOST_AUTO_TEST_CASE(os_rng_fills_buffers)
{
    OsRng rng;
    std::vector<std::uint8_t> x(64);
    std::vector<std::uint8_t> y(64);
    rng.fill(x);
    rng.fill(y);
    BOOST_TEST(to_hex(x) != to_hex(y));
    rng.fill({});
}

BOOST_AUTO_TEST_SUITE_END()
