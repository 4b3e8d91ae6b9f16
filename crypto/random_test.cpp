#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
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

namespace {

std::array<std::uint8_t, 32> test_key(std::uint8_t first)
{
    std::array<std::uint8_t, 32> k{};
    for (std::size_t i = 0; i < k.size(); ++i) {
        k[i] = static_cast<std::uint8_t>(first + i);
    }
    return k;
}

std::vector<std::uint8_t> drain(ChaChaRng& rng, std::size_t n)
{
    std::vector<std::uint8_t> out(n);
    rng.fill(out);
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(chacha_rng_fixed_key_is_reproducible_across_call_sizes)
{
    // The stream does not depend on how it is cut into calls.
    ChaChaRng a(ChaChaRng::FixedKeyForTesting{}, test_key(1));
    ChaChaRng b(ChaChaRng::FixedKeyForTesting{}, test_key(1));
    const auto whole = drain(a, 3 * ChaChaRng::buffer_size + 123);
    std::vector<std::uint8_t> pieces;
    for (std::size_t n : {1u, 7u, 4095u, 4096u, 1u, 4000u, 211u}) {
        const auto part = drain(b, n);
        pieces.insert(pieces.end(), part.begin(), part.end());
    }
    BOOST_TEST_REQUIRE(pieces.size() == whole.size());
    BOOST_TEST(to_hex(pieces) == to_hex(whole));
}

BOOST_AUTO_TEST_CASE(chacha_rng_first_block_is_chacha20_keystream)
{
    // Key 00..1f, nonce 0, counter 0: RFC 8439 §2.3.2 style block, checked against chacha20().
    ChaChaRng rng(ChaChaRng::FixedKeyForTesting{}, test_key(0));
    const auto key = test_key(0);
    std::vector<std::uint8_t> expected(64);
    chacha20(key, Nonce12{}, 0, expected, expected);
    BOOST_TEST(to_hex(drain(rng, 64)) == to_hex(expected));
}

BOOST_AUTO_TEST_CASE(chacha_rng_distinct_keys_give_distinct_streams)
{
    ChaChaRng a(ChaChaRng::FixedKeyForTesting{}, test_key(1));
    ChaChaRng b(ChaChaRng::FixedKeyForTesting{}, test_key(2));
    BOOST_TEST(to_hex(drain(a, 64)) != to_hex(drain(b, 64)));
    ChaChaRng c; // from the system RNG
    ChaChaRng d;
    BOOST_TEST(to_hex(drain(c, 64)) != to_hex(drain(d, 64)));
}

BOOST_AUTO_TEST_CASE(chacha_rng_does_not_repeat_across_refills_and_rekeys)
{
    // A small rekey interval: several refills and rekeys; no 16-byte chunk may recur.
    ChaChaRng rng(ChaChaRng::FixedKeyForTesting{}, test_key(3), 2 * ChaChaRng::buffer_size);
    const auto out = drain(rng, 16 * ChaChaRng::buffer_size);
    std::set<std::string> chunks;
    for (std::size_t i = 0; i < out.size(); i += 16) {
        chunks.insert(to_hex(std::span(out).subspan(i, 16)));
    }
    BOOST_TEST(chunks.size() == out.size() / 16);
}

BOOST_AUTO_TEST_CASE(chacha_rng_seeded_from_rng_follows_the_seed)
{
    DeterministicRng s1(9);
    DeterministicRng s2(9);
    DeterministicRng s3(10);
    ChaChaRng a(s1, ChaChaRng::buffer_size);
    ChaChaRng b(s2, ChaChaRng::buffer_size);
    ChaChaRng c(s3, ChaChaRng::buffer_size);
    const auto x = drain(a, 5 * ChaChaRng::buffer_size); // rekeys from s1 along the way
    BOOST_TEST(to_hex(x) == to_hex(drain(b, 5 * ChaChaRng::buffer_size)));
    BOOST_TEST(to_hex(x) != to_hex(drain(c, 5 * ChaChaRng::buffer_size)));
    BOOST_TEST(to_hex(std::span(x).first(ChaChaRng::buffer_size)) !=
               to_hex(std::span(x).subspan(ChaChaRng::buffer_size, ChaChaRng::buffer_size)));
}

BOOST_AUTO_TEST_CASE(chacha_rng_small_fills_and_uniform)
{
    ChaChaRng rng;
    std::array<int, 4> seen{};
    for (int i = 0; i < 4000; ++i) { // 32 KiB of u64 draws: several refills
        ++seen[rng.uniform(4)];
    }
    for (int count : seen) {
        BOOST_TEST(count > 800);
    }
    rng.fill({});
    std::array<std::uint8_t, 1> one{};
    rng.fill(one);
}

BOOST_AUTO_TEST_SUITE_END()
