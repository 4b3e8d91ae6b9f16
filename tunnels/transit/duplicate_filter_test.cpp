#include <array>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "tunnels/transit/duplicate_filter.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace std::chrono_literals;
using Block = std::array<std::uint8_t, 1024>;

namespace {

Block random_block(crypto::Rng& rng)
{
    Block b;
    rng.fill(b);
    return b;
}

} // namespace

BOOST_AUTO_TEST_SUITE(duplicate_filter)

BOOST_AUTO_TEST_CASE(second_copy_is_seen_and_iv_first_block_swap_too)
{
    crypto::DeterministicRng rng(1);
    DuplicateFilter f(DuplicateFilterOptions{}, rng);
    const SteadyTime t0{};
    const Block a = random_block(rng);
    BOOST_TEST(!f.seen(a, t0));
    BOOST_TEST(f.seen(a, t0 + 1s));
    // The key is IV XOR first block: swapping them does not make a new message.
    Block swapped = a;
    std::copy(a.begin(), a.begin() + 16, swapped.begin() + 16);
    std::copy(a.begin() + 16, a.begin() + 32, swapped.begin());
    BOOST_TEST(f.seen(swapped, t0 + 2s));
}

BOOST_AUTO_TEST_CASE(distinct_messages_are_not_seen)
{
    crypto::DeterministicRng rng(2);
    DuplicateFilter f(DuplicateFilterOptions{}, rng);
    std::size_t false_positives = 0;
    for (int i = 0; i < 20000; ++i) {
        false_positives += f.seen(random_block(rng), SteadyTime{}) ? 1 : 0;
    }
    BOOST_TEST(false_positives <= 2u);
}

BOOST_AUTO_TEST_CASE(entries_are_forgotten_after_10_to_20_minutes)
{
    crypto::DeterministicRng rng(3);
    DuplicateFilter f(DuplicateFilterOptions{}, rng);
    const SteadyTime t0{};
    const Block a = random_block(rng);
    BOOST_TEST(!f.seen(a, t0));
    BOOST_TEST(f.seen(random_block(rng), t0 + 10min) == false); // rotates: a moves to "previous"
    BOOST_TEST(f.seen(a, t0 + 19min));
    const Block b = random_block(rng);
    BOOST_TEST(!f.seen(b, t0 + 19min));
    BOOST_TEST(!f.seen(random_block(rng), t0 + 20min)); // rotates: a's generation is cleared
    BOOST_TEST(!f.seen(a, t0 + 20min));
    BOOST_TEST(f.rotations() == 2u);
}

BOOST_AUTO_TEST_CASE(rotates_early_when_a_generation_is_full)
{
    crypto::DeterministicRng rng(4);
    DuplicateFilterOptions small;
    small.bits_log2 = 13; // capacity 256 entries per generation
    DuplicateFilter f(small, rng);
    BOOST_TEST(f.capacity() == 256u);
    for (std::size_t i = 0; i < 3 * f.capacity(); ++i) {
        (void)f.seen(random_block(rng), SteadyTime{});
    }
    BOOST_TEST(f.rotations() >= 2u);
}

BOOST_AUTO_TEST_SUITE_END()
