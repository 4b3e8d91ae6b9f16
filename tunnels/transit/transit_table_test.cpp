#include <memory>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/testing.h"
#include "tunnels/transit/transit_table.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace std::chrono_literals;
using testing::RecordingBlocks;
using testing::RecordingMessages;
using testing::RecordingOut;

namespace {

// One router per hop, each with its own table (as in a real network), chained by hand.
struct Chain {
    crypto::DeterministicRng rng{21};
    std::vector<HopKeys> hops;
    std::vector<std::unique_ptr<TransitTable>> routers;
    SteadyTime now{};

    // hops[i] receives on 1000 + 10 i and sends to hops[i + 1]'s id.
    Chain(const Chain&) = delete;
    Chain& operator=(const Chain&) = delete;
    Chain(std::size_t n, HopRole first, HopRole last)
    {
        for (std::size_t i = 0; i < n; ++i) {
            const HopRole role = i == 0 ? first : i + 1 == n ? last : HopRole::participant;
            hops.push_back(testing::make_hop(rng, role, 1000 + 10 * std::uint32_t(i)));
            hops.back().next_tunnel = TunnelId(1000 + 10 * std::uint32_t(i + 1));
            routers.push_back(std::make_unique<TransitTable>(TransitLimits{}, rng));
            BOOST_TEST_REQUIRE(routers.back()->add(hops.back(), now).has_value());
        }
    }

    // Runs TunnelData through the hops from `from`; returns what the last hop emitted.
    RecordingOut run(std::vector<i2np::TunnelData> msgs, std::size_t from = 0)
    {
        RecordingOut out;
        for (std::size_t i = from; i < routers.size(); ++i) {
            out = RecordingOut{};
            for (auto& m : msgs) {
                BOOST_TEST_REQUIRE(routers[i]->on_tunnel_data(m, now, out));
            }
            if (i + 1 < routers.size()) {
                msgs.clear();
                for (auto& [to, m] : out.tunnel_data) {
                    BOOST_TEST_REQUIRE((to == hops[i].next_ident));
                    BOOST_TEST_REQUIRE(m.tunnel.value() == hops[i + 1].receive_tunnel.value());
                    msgs.push_back(m);
                }
            }
        }
        return out;
    }
};

std::vector<i2np::TunnelData> to_tunnel_data(const RecordingBlocks& blocks, TunnelId id)
{
    std::vector<i2np::TunnelData> msgs;
    for (const auto& b : blocks.blocks) {
        i2np::TunnelData m;
        m.tunnel = id;
        m.data = b;
        msgs.push_back(m);
    }
    return msgs;
}

} // namespace

BOOST_AUTO_TEST_SUITE(transit_table)

BOOST_AUTO_TEST_CASE(participant_encrypts_one_layer_and_forwards_with_the_next_tunnel_id)
{
    crypto::DeterministicRng rng(1);
    TransitTable table(TransitLimits{}, rng);
    const auto hop = testing::make_hop(rng, HopRole::participant, 5);
    BOOST_TEST_REQUIRE(table.add(hop, SteadyTime{}).has_value());
    i2np::TunnelData m;
    m.tunnel = TunnelId(5);
    rng.fill(m.data);
    auto expected = m.data;
    hop_layer(hop).apply(expected);
    RecordingOut out;
    BOOST_TEST(table.on_tunnel_data(m, SteadyTime{}, out));
    BOOST_TEST_REQUIRE(out.tunnel_data.size() == 1u);
    BOOST_TEST((out.tunnel_data[0].first == hop.next_ident));
    BOOST_TEST(out.tunnel_data[0].second.tunnel.value() == 6u);
    BOOST_TEST((out.tunnel_data[0].second.data == expected));
    BOOST_TEST(table.counters().forwarded == 1u);
    BOOST_TEST(table.find(TunnelId(5))->messages == 1u);

    m.tunnel = TunnelId(99);
    BOOST_TEST(!table.on_tunnel_data(m, SteadyTime{}, out));
    BOOST_TEST(table.counters().unknown_tunnel == 1u);
}

BOOST_AUTO_TEST_CASE(outbound_tunnel_delivers_router_and_tunnel_messages_at_the_endpoint)
{
    for (std::size_t n : {1u, 3u, 8u}) {
        const HopRole first = n == 1 ? HopRole::outbound_endpoint : HopRole::participant;
        Chain chain(n, first, HopRole::outbound_endpoint);
        const auto to_router = testing::make_i2np(chain.rng, 5000);
        const auto to_tunnel = testing::make_i2np(chain.rng, 300);
        const auto to_local = testing::make_i2np(chain.rng, 40);
        std::array<std::uint8_t, 32> h{};
        h.fill(0x77);
        const IdentHash target(h);
        // The creator: gateway preprocessing, then pre-encryption for every hop.
        Gateway gw(chain.rng);
        RecordingBlocks blocks;
        BOOST_TEST_REQUIRE(gw.add({DeliveryType::router, {}, target}, to_router, blocks));
        BOOST_TEST_REQUIRE(
            gw.add({DeliveryType::tunnel, TunnelId(4321), target}, to_tunnel, blocks));
        BOOST_TEST_REQUIRE(gw.add({DeliveryType::local, {}, {}}, to_local, blocks));
        gw.flush(blocks);
        CreatorLayers layers(chain.hops);
        for (auto& b : blocks.blocks) {
            layers.apply(b);
        }
        const auto out = chain.run(to_tunnel_data(blocks, chain.hops[0].receive_tunnel));
        BOOST_TEST_REQUIRE(out.messages.size() == 1u, "hops " << n);
        BOOST_TEST((out.messages[0].first == target));
        BOOST_TEST(out.messages[0].second.serialize_standard() == to_router);
        BOOST_TEST_REQUIRE(out.tunnel_gateway.size() == 1u);
        BOOST_TEST((out.tunnel_gateway[0].first == target));
        BOOST_TEST(out.tunnel_gateway[0].second.tunnel.value() == 4321u);
        BOOST_TEST(out.tunnel_gateway[0].second.message == to_tunnel);
        // LOCAL delivery is for inbound tunnels only: the outbound endpoint drops it.
        const auto& c = chain.routers.back()->counters();
        BOOST_TEST(c.endpoint_dropped == 1u);
        BOOST_TEST(c.endpoint_messages == 2u);
    }
}

BOOST_AUTO_TEST_CASE(inbound_tunnel_carries_gateway_messages_to_the_creator)
{
    for (std::size_t n : {1u, 2u, 5u}) {
        Chain chain(n, HopRole::inbound_gateway, HopRole::participant);
        std::vector<std::vector<std::uint8_t>> sent;
        RecordingOut first;
        for (std::size_t size : {20u, 900u, 7000u}) {
            sent.push_back(testing::make_i2np(chain.rng, size));
            i2np::TunnelGateway tg{chain.hops[0].receive_tunnel, sent.back()};
            BOOST_TEST_REQUIRE(chain.routers[0]->on_tunnel_gateway(tg, chain.now, first));
        }
        std::vector<i2np::TunnelData> msgs;
        for (auto& [to, m] : first.tunnel_data) {
            msgs.push_back(m);
        }
        auto out = n == 1 ? first : chain.run(msgs, 1);
        // The creator: every layer removed, then the endpoint.
        CreatorLayers layers(chain.hops);
        ReassemblyBudget budget;
        Endpoint ibep(ReassemblyLimits{}, budget);
        RecordingMessages got;
        for (auto& [to, m] : out.tunnel_data) {
            layers.apply(m.data);
            ibep.on_block(m.data, chain.now, got);
        }
        BOOST_TEST_REQUIRE(got.messages.size() == sent.size(), "hops " << n);
        for (std::size_t i = 0; i < sent.size(); ++i) {
            BOOST_TEST((got.messages[i].first.type == DeliveryType::local));
            BOOST_TEST(got.messages[i].second == sent[i]);
        }
        BOOST_TEST(chain.routers[0]->counters().gateway_messages == 3u);
    }
}

BOOST_AUTO_TEST_CASE(transit_tunnels_expire_after_10_minutes_of_virtual_time)
{
    crypto::DeterministicRng rng(2);
    TransitTable table(TransitLimits{}, rng);
    const SteadyTime t0{};
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 5), t0));
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 50), t0 + 1min));
    i2np::TunnelData m;
    m.tunnel = TunnelId(5);
    RecordingOut out;
    BOOST_TEST(table.expire(t0 + 10min - 1ms) == 0u);
    BOOST_TEST(table.on_tunnel_data(m, t0 + 10min - 1ms, out));
    BOOST_TEST(!table.on_tunnel_data(m, t0 + 10min, out)); // past its end, even before expire()
    BOOST_TEST(table.expire(t0 + 10min) == 1u);
    BOOST_TEST(table.size() == 1u);
    BOOST_TEST(table.find(TunnelId(5)) == nullptr);
    BOOST_TEST(table.expire(t0 + 11min) == 1u);
    BOOST_TEST(table.size() == 0u);
    BOOST_TEST(table.counters().expired == 2u);
}

BOOST_AUTO_TEST_CASE(rejects_zero_duplicate_ids_and_tunnels_over_the_limit)
{
    crypto::DeterministicRng rng(3);
    TransitLimits limits;
    limits.max_tunnels = 2;
    TransitTable table(limits, rng);
    BOOST_TEST(table.add(testing::make_hop(rng, HopRole::participant, 0), {}).error() ==
               make_error_code(Errc::invalid_value));
    BOOST_TEST(table.add(testing::make_hop(rng, HopRole::participant, 1), {}).has_value());
    BOOST_TEST(table.add(testing::make_hop(rng, HopRole::participant, 1), {}).error() ==
               make_error_code(Errc::invalid_value));
    BOOST_TEST(table.add(testing::make_hop(rng, HopRole::participant, 2), {}).has_value());
    BOOST_TEST(table.add(testing::make_hop(rng, HopRole::participant, 3), {}).error() ==
               make_error_code(Errc::too_large));
    BOOST_TEST(table.counters().rejected == 3u);
}

BOOST_AUTO_TEST_CASE(messages_of_the_wrong_kind_for_the_role_are_dropped)
{
    crypto::DeterministicRng rng(4);
    TransitTable table(TransitLimits{}, rng);
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::inbound_gateway, 1), {}));
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 2), {}));
    RecordingOut out;
    i2np::TunnelData m;
    m.tunnel = TunnelId(1);
    BOOST_TEST(!table.on_tunnel_data(m, {}, out));
    i2np::TunnelGateway tg{TunnelId(2), testing::make_i2np(rng, 30)};
    BOOST_TEST(!table.on_tunnel_gateway(tg, {}, out));
    BOOST_TEST(table.counters().wrong_role == 2u);
    BOOST_TEST(out.tunnel_data.empty());
}

BOOST_AUTO_TEST_CASE(tunnels_beyond_the_layer_cache_are_rekeyed_and_still_correct)
{
    crypto::DeterministicRng rng(5);
    TransitLimits limits;
    limits.layer_cache = 2;
    TransitTable table(limits, rng);
    std::vector<HopKeys> hops;
    for (std::uint32_t id = 1; id <= 3; ++id) {
        hops.push_back(testing::make_hop(rng, HopRole::participant, id * 10));
        BOOST_TEST_REQUIRE(table.add(hops.back(), {}));
    }
    RecordingOut out;
    for (int round = 0; round < 4; ++round) {
        for (const auto& hop : hops) {
            i2np::TunnelData m;
            m.tunnel = hop.receive_tunnel;
            rng.fill(m.data);
            auto expected = m.data;
            hop_layer(hop).apply(expected);
            BOOST_TEST_REQUIRE(table.on_tunnel_data(m, {}, out));
            BOOST_TEST((out.tunnel_data.back().second.data == expected));
        }
    }
    // Three tunnels cycling through two slots: CLOCK misses every time; no result is wrong.
    BOOST_TEST(table.layer_cache().hits + table.layer_cache().misses == 12u);
    BOOST_TEST(table.layer_cache().misses >= 3u);
    // The same tunnel again and again hits.
    const auto misses = table.layer_cache().misses;
    for (int i = 0; i < 5; ++i) {
        i2np::TunnelData m;
        m.tunnel = hops[0].receive_tunnel;
        rng.fill(m.data);
        BOOST_TEST(table.on_tunnel_data(m, {}, out));
    }
    BOOST_TEST(table.layer_cache().misses <= misses + 1);
}

BOOST_AUTO_TEST_CASE(participant_drops_a_replayed_tunnel_message)
{
    crypto::DeterministicRng rng(6);
    TransitTable table(TransitLimits{}, rng);
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 3), {}));
    i2np::TunnelData m;
    m.tunnel = TunnelId(3);
    rng.fill(m.data);
    const auto copy = m;
    RecordingOut out;
    BOOST_TEST(table.on_tunnel_data(m, {}, out));
    auto replay = copy;
    BOOST_TEST(!table.on_tunnel_data(replay, {}, out));
    BOOST_TEST(table.counters().duplicates == 1u);
    BOOST_TEST(out.tunnel_data.size() == 1u);
}

BOOST_AUTO_TEST_CASE(transit_tunnel_struct_stays_small)
{
    // Design target: at most 512 bytes per transit tunnel besides queued data. Keys, not keyed
    // OpenSSL contexts, live in the struct (the benchmark measures the heap per tunnel); the
    // previous hop's hash (the previous-hop check) takes 32 of these bytes.
    BOOST_TEST(sizeof(TransitTunnel) <= 176u);
}

namespace {

IdentHash ident_of(std::uint8_t b)
{
    std::array<std::uint8_t, 32> h{};
    h.fill(b);
    return IdentHash(h);
}

} // namespace

BOOST_AUTO_TEST_CASE(participant_and_endpoint_take_tunnel_data_only_from_the_previous_hop)
{
    crypto::DeterministicRng rng(21);
    TransitTable table(TransitLimits{}, rng);
    const IdentHash previous = ident_of(1);
    const IdentHash stranger = ident_of(2);
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 10), previous, {}));
    BOOST_TEST_REQUIRE(
        table.add(testing::make_hop(rng, HopRole::outbound_endpoint, 20), previous, {}));
    RecordingOut out;
    for (std::uint32_t id : {10u, 20u}) {
        i2np::TunnelData m;
        m.tunnel = TunnelId(id);
        rng.fill(m.data);
        auto copy = m;
        BOOST_TEST(!table.on_tunnel_data(m, stranger, {}, out));
        BOOST_TEST(table.find(TunnelId(id))->messages == 0u); // refused before any crypto
        BOOST_TEST(table.on_tunnel_data(copy, previous, {}, out));
    }
    BOOST_TEST(table.counters().wrong_previous == 2u);
    BOOST_TEST(out.tunnel_data.size() == 1u); // the participant's; the endpoint drops junk
    BOOST_TEST(table.bytes_in() == 2 * i2np::TunnelData::kSize);
}

BOOST_AUTO_TEST_CASE(inbound_gateway_takes_messages_from_anyone)
{
    crypto::DeterministicRng rng(22);
    TransitTable table(TransitLimits{}, rng);
    BOOST_TEST_REQUIRE(
        table.add(testing::make_hop(rng, HopRole::inbound_gateway, 30), ident_of(1), {}));
    BOOST_TEST(!table.find(TunnelId(30))->previous.has_value());
    RecordingOut out;
    const i2np::TunnelGateway tg{TunnelId(30), testing::make_i2np(rng, 100)};
    BOOST_TEST(table.on_tunnel_gateway(tg, {}, out));
    BOOST_TEST(out.tunnel_data.size() == 1u);
    BOOST_TEST(table.counters().wrong_previous == 0u);
}

BOOST_AUTO_TEST_CASE(expiry_and_shutdown_report_each_tunnels_counters)
{
    using namespace std::chrono_literals;
    crypto::DeterministicRng rng(23);
    TransitTable table(TransitLimits{}, rng);
    const SteadyTime t0{};
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 40), t0));
    BOOST_TEST_REQUIRE(table.add(testing::make_hop(rng, HopRole::participant, 41), t0 + 5min));
    RecordingOut out;
    i2np::TunnelData m;
    m.tunnel = TunnelId(40);
    rng.fill(m.data);
    BOOST_TEST(table.on_tunnel_data(m, t0, out));
    BOOST_TEST(table.expire(t0 + 10min, &out) == 1u);
    BOOST_TEST_REQUIRE(out.closed.size() == 1u);
    BOOST_TEST(out.closed[0].id == 40u);
    BOOST_TEST(out.closed[0].messages == 1u);
    BOOST_TEST(out.closed[0].bytes == i2np::TunnelData::kSize);
    table.close_all(out);
    BOOST_TEST_REQUIRE(out.closed.size() == 2u);
    BOOST_TEST(out.closed[1].id == 41u);
    BOOST_TEST(out.closed[1].messages == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
