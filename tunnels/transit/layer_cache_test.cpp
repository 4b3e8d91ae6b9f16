#include <array>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/layer_cache.h"
#include "tunnels/transit/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using Block = std::array<std::uint8_t, crypto::tunnel_block_size>;

BOOST_AUTO_TEST_SUITE(layer_cache)

BOOST_AUTO_TEST_CASE(hits_after_the_first_use_and_misses_after_forget)
{
    crypto::DeterministicRng rng(1);
    const auto hop = testing::make_hop(rng, HopRole::participant, 5);
    LayerCache cache(4);
    std::uint32_t slot = kNoSlot;
    Block in;
    rng.fill(in);
    Block expected = in;
    hop_layer(hop).apply(expected);

    Block a = in;
    cache.get(5, slot, hop.layer_key, hop.iv_key).apply(a);
    BOOST_TEST(a == expected);
    BOOST_TEST(cache.counters().misses == 1u);
    Block b = in;
    cache.get(5, slot, hop.layer_key, hop.iv_key).apply(b);
    BOOST_TEST(b == expected);
    BOOST_TEST(cache.counters().hits == 1u);

    cache.forget(5, slot);
    Block c = in;
    cache.get(5, slot, hop.layer_key, hop.iv_key).apply(c); // rekeyed into the freed slot
    BOOST_TEST(c == expected);
    BOOST_TEST(cache.counters().misses == 2u);
    BOOST_TEST(cache.size() == 1u);
}

BOOST_AUTO_TEST_CASE(never_grows_past_its_capacity)
{
    crypto::DeterministicRng rng(2);
    LayerCache cache(3);
    std::vector<HopKeys> hops;
    std::vector<std::uint32_t> slots(10, kNoSlot);
    for (std::uint32_t i = 0; i < 10; ++i) {
        hops.push_back(testing::make_hop(rng, HopRole::participant, i + 1));
    }
    for (int round = 0; round < 3; ++round) {
        for (std::uint32_t i = 0; i < 10; ++i) {
            Block in;
            rng.fill(in);
            Block expected = in;
            hop_layer(hops[i]).apply(expected);
            cache.get(i + 1, slots[i], hops[i].layer_key, hops[i].iv_key).apply(in);
            BOOST_TEST_REQUIRE(in == expected);
        }
    }
    BOOST_TEST(cache.size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
