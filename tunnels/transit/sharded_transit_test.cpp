#include <atomic>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/sharded_transit.h"
#include "tunnels/transit/testing.h"

using namespace umbra;
using namespace umbra::tunnels;

BOOST_AUTO_TEST_SUITE(sharded_transit)

BOOST_AUTO_TEST_CASE(tunnel_ids_spread_over_every_shard)
{
    std::array<int, 4> count{};
    for (std::uint32_t id = 1; id <= 4000; ++id) {
        ++count[ShardedTransit::shard_of(TunnelId(id), 4)];
    }
    for (int c : count) {
        BOOST_TEST(c > 800);
    }
}

BOOST_AUTO_TEST_CASE(each_shard_forwards_its_own_tunnels_on_its_own_thread)
{
    crypto::DeterministicRng rng(9);
    testing::RecordingOut out0;
    testing::RecordingOut out1;
    std::vector<i2np::TunnelData> expected;
    {
        ShardedTransit transit({&out0, &out1}, TransitLimits{});
        transit.start();
        for (std::uint32_t i = 0; i < 40; ++i) {
            auto hop = testing::make_hop(rng, HopRole::participant, 100 + 2 * i);
            i2np::TunnelData m;
            m.tunnel = hop.receive_tunnel;
            rng.fill(m.data);
            i2np::TunnelData e = m;
            hop_layer(hop).apply(e.data);
            e.tunnel = hop.next_tunnel;
            expected.push_back(e);
            transit.post_add(std::move(hop));
            transit.post_tunnel_data(m);
        }
        std::atomic<std::size_t> tunnels{0};
        for (std::size_t s = 0; s < transit.shards(); ++s) {
            transit.post_inspect(s, [&tunnels](const TransitTable& t) { tunnels += t.size(); });
        }
        transit.stop(); // runs what was posted, joins
        BOOST_TEST(tunnels.load() == 40u);
    }
    BOOST_TEST(out0.tunnel_data.size() + out1.tunnel_data.size() == 40u);
    BOOST_TEST(!out0.tunnel_data.empty());
    BOOST_TEST(!out1.tunnel_data.empty());
    std::size_t matched = 0;
    for (const auto* out : {&out0, &out1}) {
        for (const auto& [to, m] : out->tunnel_data) {
            for (const auto& e : expected) {
                matched += (e == m) ? 1 : 0;
            }
        }
    }
    BOOST_TEST(matched == 40u);
}

BOOST_AUTO_TEST_CASE(previous_hop_is_checked_per_shard_and_counts_are_readable_from_any_thread)
{
    crypto::DeterministicRng rng(10);
    testing::RecordingOut out0;
    testing::RecordingOut out1;
    std::array<std::uint8_t, 32> a{};
    a.fill(1);
    std::array<std::uint8_t, 32> b{};
    b.fill(2);
    const IdentHash previous(a);
    const IdentHash stranger(b);
    ShardedTransit transit({&out0, &out1}, TransitLimits{});
    transit.start();
    for (std::uint32_t i = 0; i < 20; ++i) {
        auto hop = testing::make_hop(rng, HopRole::participant, 500 + 2 * i);
        i2np::TunnelData m;
        m.tunnel = hop.receive_tunnel;
        rng.fill(m.data);
        transit.post_add(std::move(hop), previous);
        transit.post_tunnel_data(m, stranger);
        transit.post_tunnel_data(m, previous);
    }
    transit.drain();
    BOOST_TEST(transit.tunnel_count() == 20u);
    BOOST_TEST(transit.bytes_in() == 20u * i2np::TunnelData::kSize);
    transit.stop();
    BOOST_TEST(transit.counters().wrong_previous == 20u);
    BOOST_TEST(transit.counters().forwarded == 20u);
    BOOST_TEST(out0.tunnel_data.size() + out1.tunnel_data.size() == 20u);
    transit.close_all();
    BOOST_TEST(out0.closed.size() + out1.closed.size() == 20u);
}

BOOST_AUTO_TEST_SUITE_END()
