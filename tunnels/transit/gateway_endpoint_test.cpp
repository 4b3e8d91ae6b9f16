#include <algorithm>
#include <numeric>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "tunnels/transit/endpoint.h"
#include "tunnels/transit/gateway.h"
#include "tunnels/transit/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace std::chrono_literals;
using testing::RecordingBlocks;
using testing::RecordingMessages;

namespace {

std::vector<std::uint8_t> random_bytes(crypto::Rng& rng, std::size_t n)
{
    std::vector<std::uint8_t> v(n);
    rng.fill(v);
    return v;
}

Delivery router_delivery(std::uint8_t fill)
{
    std::array<std::uint8_t, 32> h{};
    h.fill(fill);
    return Delivery{DeliveryType::router, TunnelId(), IdentHash(h)};
}

Delivery tunnel_delivery(std::uint32_t tunnel)
{
    std::array<std::uint8_t, 32> h{};
    h.fill(0x5a);
    return Delivery{DeliveryType::tunnel, TunnelId(tunnel), IdentHash(h)};
}

// Blocks for one message, flushed.
RecordingBlocks blocks_for(crypto::Rng& rng, const Delivery& d, Bytes message)
{
    Gateway gw(rng);
    RecordingBlocks out;
    BOOST_TEST_REQUIRE(gw.add(d, message, out).has_value());
    gw.flush(out);
    return out;
}

struct Fixture {
    crypto::DeterministicRng rng{11};
    ReassemblyBudget budget;
    ReassemblyLimits limits;
    SteadyTime t0{};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(gateway_endpoint, Fixture)

BOOST_AUTO_TEST_CASE(tunnel_message_has_checksum_nonzero_padding_and_zero_byte)
{
    const auto msg = random_bytes(rng, 100);
    const auto out = blocks_for(rng, Delivery{}, msg);
    BOOST_TEST_REQUIRE(out.blocks.size() == 1u);
    const auto& b = out.blocks[0];
    // data = checksum(4) | padding | 0 | instructions(3) | 100 bytes
    const std::size_t pairs = crypto::tunnel_block_size - 103;
    BOOST_TEST(b[pairs - 1] == 0);
    for (std::size_t i = 16 + 4; i + 1 < pairs; ++i) {
        BOOST_TEST_REQUIRE(b[i] != 0, "padding byte " << i);
    }
    crypto::Sha256 h;
    h.update(Bytes(b).subspan(pairs));
    h.update(Bytes(b).first(16));
    const auto digest = h.finish();
    BOOST_TEST(std::equal(digest.begin(), digest.begin() + 4, b.begin() + 16));
}

BOOST_AUTO_TEST_CASE(packs_several_small_messages_into_one_tunnel_message)
{
    Gateway gw(rng);
    RecordingBlocks out;
    std::vector<std::vector<std::uint8_t>> sent;
    for (int i = 0; i < 5; ++i) {
        sent.push_back(random_bytes(rng, 150));
        BOOST_TEST_REQUIRE(gw.add(router_delivery(std::uint8_t(i)), sent.back(), out).has_value());
    }
    BOOST_TEST(out.blocks.empty()); // nothing full yet
    gw.flush(out);
    BOOST_TEST_REQUIRE(out.blocks.size() == 1u);
    Endpoint ep(limits, budget);
    RecordingMessages got;
    ep.on_block(out.blocks[0], t0, got);
    BOOST_TEST_REQUIRE(got.messages.size() == 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        BOOST_TEST((got.messages[i].first == router_delivery(std::uint8_t(i))));
        BOOST_TEST(got.messages[i].second == sent[i]);
    }
}

BOOST_AUTO_TEST_CASE(messages_from_1_byte_to_the_maximum_reassemble_for_every_delivery_type)
{
    for (const Delivery& d : {Delivery{}, router_delivery(1), tunnel_delivery(9)}) {
        const std::size_t max = max_gateway_message_size(d);
        BOOST_TEST(max >= 62708u); // tunnel-message.rst "I2NP Message Maximum Size"
        std::vector<std::size_t> sizes = {1,    2,    955,  956,   957,     1000,
                                          1001, 1960, 4000, 62708, max - 1, max};
        for (std::size_t n = 3; n < 4000; n += 97) {
            sizes.push_back(n);
        }
        for (std::size_t n : sizes) {
            const auto msg = random_bytes(rng, n);
            const auto out = blocks_for(rng, d, msg);
            Endpoint ep(limits, budget);
            RecordingMessages got;
            for (const auto& b : out.blocks) {
                ep.on_block(b, t0, got);
            }
            BOOST_TEST_REQUIRE(got.messages.size() == 1u, "size " << n);
            BOOST_TEST((got.messages[0].first == d));
            BOOST_TEST((got.messages[0].second == msg), "size " << n);
            BOOST_TEST(ep.bytes_held() == 0u);
        }
        Gateway gw(rng);
        RecordingBlocks out;
        const auto too_big = random_bytes(rng, max + 1);
        BOOST_TEST(gw.add(d, too_big, out).error() == make_error_code(Errc::too_large));
        BOOST_TEST(out.blocks.empty());
    }
    BOOST_TEST(budget.bytes == 0u);
}

BOOST_AUTO_TEST_CASE(rejects_empty_message)
{
    Gateway gw(rng);
    RecordingBlocks out;
    BOOST_TEST(gw.add(Delivery{}, Bytes{}, out).error() == make_error_code(Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(out_of_order_fragments_reassemble)
{
    const auto msg = random_bytes(rng, 9000);
    auto out = blocks_for(rng, router_delivery(3), msg);
    BOOST_TEST_REQUIRE(out.blocks.size() == 10u);
    std::reverse(out.blocks.begin(), out.blocks.end());
    std::swap(out.blocks[2], out.blocks[7]);
    Endpoint ep(limits, budget);
    RecordingMessages got;
    for (std::size_t i = 0; i < out.blocks.size(); ++i) {
        BOOST_TEST(got.messages.empty());
        ep.on_block(out.blocks[i], t0, got);
    }
    BOOST_TEST_REQUIRE(got.messages.size() == 1u);
    BOOST_TEST(got.messages[0].second == msg);
}

BOOST_AUTO_TEST_CASE(duplicate_fragments_are_ignored)
{
    const auto msg = random_bytes(rng, 3000);
    const auto out = blocks_for(rng, Delivery{}, msg);
    BOOST_TEST_REQUIRE(out.blocks.size() == 4u);
    Endpoint ep(limits, budget);
    RecordingMessages got;
    ep.on_block(out.blocks[0], t0, got);
    ep.on_block(out.blocks[0], t0, got);
    ep.on_block(out.blocks[2], t0, got);
    ep.on_block(out.blocks[2], t0, got);
    ep.on_block(out.blocks[1], t0, got);
    ep.on_block(out.blocks[3], t0, got);
    BOOST_TEST(ep.counters().duplicates == 2u);
    BOOST_TEST_REQUIRE(got.messages.size() == 1u);
    BOOST_TEST(got.messages[0].second == msg);
    // A straggler after completion starts a new partial that only the timeout removes.
    ep.on_block(out.blocks[1], t0, got);
    BOOST_TEST(got.messages.size() == 1u);
    BOOST_TEST(ep.incomplete_messages() == 1u);
    ep.expire(t0 + limits.timeout);
    BOOST_TEST(ep.incomplete_messages() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_checksum_and_missing_zero_byte_are_dropped)
{
    const auto msg = random_bytes(rng, 200);
    auto out = blocks_for(rng, Delivery{}, msg);
    auto data_flip = out.blocks[0];
    data_flip.back() ^= 1;
    auto iv_flip = out.blocks[0];
    iv_flip[3] ^= 0x80;
    auto no_zero = out.blocks[0];
    std::fill(no_zero.begin() + 16, no_zero.end(), 0xff);
    Endpoint ep(limits, budget);
    RecordingMessages got;
    ep.on_block(data_flip, t0, got);
    ep.on_block(iv_flip, t0, got);
    ep.on_block(no_zero, t0, got);
    BOOST_TEST(got.messages.empty());
    BOOST_TEST(ep.counters().bad_checksum == 2u);
    BOOST_TEST(ep.counters().malformed == 1u);
    ep.on_block(out.blocks[0], t0, got);
    BOOST_TEST(got.messages.size() == 1u);
}

BOOST_AUTO_TEST_CASE(incomplete_messages_time_out)
{
    const auto msg = random_bytes(rng, 5000);
    const auto out = blocks_for(rng, Delivery{}, msg);
    Endpoint ep(limits, budget);
    RecordingMessages got;
    ep.on_block(out.blocks[0], t0, got);
    BOOST_TEST(ep.incomplete_messages() == 1u);
    BOOST_TEST(budget.bytes > 0u);
    ep.expire(t0 + limits.timeout - 1ms);
    BOOST_TEST(ep.incomplete_messages() == 1u);
    ep.expire(t0 + limits.timeout);
    BOOST_TEST(ep.incomplete_messages() == 0u);
    BOOST_TEST(ep.counters().expired == 1u);
    BOOST_TEST(budget.bytes == 0u);
    BOOST_TEST(budget.fragments == 0u);
    for (std::size_t i = 1; i < out.blocks.size(); ++i) {
        ep.on_block(out.blocks[i], t0 + limits.timeout, got);
    }
    BOOST_TEST(got.messages.empty()); // the first fragment is gone for good
}

BOOST_AUTO_TEST_CASE(flood_of_never_completing_fragments_stays_within_the_bounds)
{
    ReassemblyBudget shared;
    shared.max_bytes = 200 * 1024;
    Endpoint a(limits, shared);
    Endpoint b(limits, shared);
    RecordingMessages got;
    Gateway gw(rng);
    RecordingBlocks blocks;
    std::size_t peak = 0;
    for (int i = 0; i < 1000; ++i) {
        blocks.blocks.clear();
        const auto msg = random_bytes(rng, 3000);
        BOOST_TEST_REQUIRE(gw.add(Delivery{}, msg, blocks).has_value());
        gw.flush(blocks);
        // All but the last fragment: never completes.
        for (std::size_t k = 0; k + 1 < blocks.blocks.size(); ++k) {
            (i % 2 ? a : b).on_block(blocks.blocks[k], t0 + Milliseconds(i), got);
        }
        BOOST_TEST_REQUIRE(a.bytes_held() <= limits.max_bytes_per_tunnel);
        BOOST_TEST_REQUIRE(a.incomplete_messages() <= limits.max_messages_per_tunnel);
        BOOST_TEST_REQUIRE(shared.bytes <= shared.max_bytes);
        BOOST_TEST_REQUIRE(shared.bytes == a.bytes_held() + b.bytes_held());
        peak = std::max(peak, shared.bytes);
    }
    BOOST_TEST(got.messages.empty());
    BOOST_TEST(peak > shared.max_bytes / 2); // the flood did reach the bound
    BOOST_TEST(a.counters().over_limit + b.counters().over_limit > 0u);
    a.expire(t0 + 1000ms + limits.timeout);
    b.expire(t0 + 1000ms + limits.timeout);
    BOOST_TEST(shared.bytes == 0u);
    BOOST_TEST(shared.fragments == 0u);
}

BOOST_AUTO_TEST_CASE(per_tunnel_message_count_bound_evicts_the_oldest)
{
    Endpoint ep(limits, budget);
    RecordingMessages got;
    std::vector<RecordingBlocks> msgs;
    for (std::size_t i = 0; i <= limits.max_messages_per_tunnel; ++i) {
        msgs.push_back(blocks_for(rng, Delivery{}, random_bytes(rng, 1500)));
        ep.on_block(msgs.back().blocks[0], t0 + Milliseconds(i), got);
    }
    BOOST_TEST(ep.incomplete_messages() == limits.max_messages_per_tunnel);
    BOOST_TEST(ep.counters().over_limit == 1u);
    ep.on_block(msgs[0].blocks[1], t0, got); // the evicted, oldest one cannot complete
    BOOST_TEST(got.messages.empty());
    ep.on_block(msgs[5].blocks[1], t0, got);
    BOOST_TEST(got.messages.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
