#include <algorithm>
#include <string>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "netdb/store/routing_key.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::netdb;

namespace {

std::string date(WallTime t)
{
    const auto d = utc_date_string(t);
    return {d.begin(), d.end()};
}

IdentHash counting_hash() // bytes 00 01 02 .. 1f
{
    std::array<std::uint8_t, 32> b{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        b[i] = std::uint8_t(i);
    }
    return IdentHash(b);
}

IdentHash random_hash(crypto::Rng& rng)
{
    std::array<std::uint8_t, 32> b{};
    rng.fill(b);
    return IdentHash(b);
}

// The naive oracle: the XOR as a hex string; equal-length hex strings order like the numbers.
std::string xor_hex(const IdentHash& a, const IdentHash& b)
{
    std::array<std::uint8_t, 32> x{};
    for (std::size_t i = 0; i < 32; ++i) {
        x[i] = a.bytes()[i] ^ b.bytes()[i];
    }
    return test::to_hex(x);
}

constexpr std::int64_t midnight_2023_11_15 = 1'700'006'400'000;

} // namespace

BOOST_AUTO_TEST_SUITE(routing_key_suite)

BOOST_AUTO_TEST_CASE(date_string_is_the_utc_day_as_yyyymmdd)
{
    BOOST_TEST(date({1'700'000'000'000}) == "20231114");
    BOOST_TEST(date({0}) == "19700101");
    BOOST_TEST(date({-1}) == "19691231");
    BOOST_TEST(date({1'709'164'800'000}) == "20240229"); // a leap day, at its first millisecond
    BOOST_TEST(date({253'402'300'799'000}) == "99991231");
}

// SHA256(00 01 .. 1f || "20231114") and || "20231115", computed with Python's hashlib.
BOOST_AUTO_TEST_CASE(routing_key_is_sha256_of_key_and_utc_date)
{
    const auto key = routing_key(counting_hash(), {1'700'000'000'000});
    BOOST_TEST(test::to_hex(key.hash.span()) ==
               "e5e213ffd2cf8922a6d12d447bf7508dd60551c2aaffa1122d4bb1d5804a9228");
}

BOOST_AUTO_TEST_CASE(routing_key_rotates_at_midnight_utc)
{
    const auto before = routing_key(counting_hash(), {midnight_2023_11_15 - 1});
    const auto at = routing_key(counting_hash(), {midnight_2023_11_15});
    const auto later = routing_key(counting_hash(), {midnight_2023_11_15 + 86'400'000 - 1});
    BOOST_TEST(test::to_hex(before.hash.span()) ==
               "e5e213ffd2cf8922a6d12d447bf7508dd60551c2aaffa1122d4bb1d5804a9228");
    BOOST_TEST(test::to_hex(at.hash.span()) ==
               "dd79a4d3c075a439adc85adeaf7b5c1f92ca6249cc8f9e416365a409513dafc2");
    BOOST_TEST((at == later));
}

BOOST_AUTO_TEST_CASE(xor_distance_orders_as_a_big_endian_number)
{
    const IdentHash zero;
    std::array<std::uint8_t, 32> hi{}, lo{};
    hi[0] = 0x01;  // 2^248
    lo[31] = 0xff; // 255
    BOOST_TEST((XorDistance(zero, zero) < XorDistance(zero, IdentHash(lo))));
    BOOST_TEST((XorDistance(zero, IdentHash(lo)) < XorDistance(zero, IdentHash(hi))));
    BOOST_TEST(
        (XorDistance(IdentHash(hi), IdentHash(lo)) == XorDistance(IdentHash(lo), IdentHash(hi))));
}

BOOST_AUTO_TEST_CASE(closest_returns_fewer_when_there_are_fewer_candidates)
{
    crypto::DeterministicRng rng(1);
    const std::vector<IdentHash> c = {random_hash(rng), random_hash(rng)};
    const RoutingKey key{random_hash(rng)};
    BOOST_TEST(closest(key, c, 5).size() == 2u);
    BOOST_TEST(closest(key, c, 0).empty());
    BOOST_TEST(closest(key, {}, 3).empty());
}

// Differential: closest() against sorting every router by the hex of its XOR distance.
BOOST_AUTO_TEST_CASE(closest_agrees_with_sorting_every_router_by_distance)
{
    crypto::DeterministicRng rng(20231114);
    std::vector<IdentHash> routers;
    for (int i = 0; i < 400; ++i) {
        routers.push_back(random_hash(rng));
    }
    // Routers sharing long prefixes with each other make near-ties in the high bytes.
    for (int i = 0; i < 40; ++i) {
        auto b = routers[std::size_t(i)].bytes();
        b[31] ^= std::uint8_t(1 + i);
        routers.push_back(IdentHash(b));
    }
    for (int round = 0; round < 200; ++round) {
        const RoutingKey key = round % 4 == 0
                                   ? RoutingKey{routers[std::size_t(round)]}
                                   : routing_key(random_hash(rng), {round * 3'600'000LL});
        auto naive = routers;
        std::sort(naive.begin(), naive.end(), [&](const IdentHash& a, const IdentHash& b) {
            return xor_hex(key.hash, a) < xor_hex(key.hash, b);
        });
        for (std::size_t n : {std::size_t(1), std::size_t(3), std::size_t(8), std::size_t(500)}) {
            const auto got = closest(key, routers, n);
            const std::vector<IdentHash> want(
                naive.begin(), naive.begin() + std::ptrdiff_t(std::min(n, naive.size())));
            BOOST_TEST_CONTEXT("round " << round << " n " << n)
            {
                BOOST_TEST((got == want));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
