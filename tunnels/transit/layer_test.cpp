#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/aes.h"
#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using Block = std::array<std::uint8_t, crypto::tunnel_block_size>;

namespace {

Block random_block(crypto::Rng& rng)
{
    Block b;
    rng.fill(b);
    return b;
}

std::vector<HopKeys> make_hops(crypto::Rng& rng, std::size_t n)
{
    std::vector<HopKeys> hops;
    for (std::size_t i = 0; i < n; ++i) {
        hops.push_back(testing::make_hop(rng, HopRole::participant, 100 + std::uint32_t(i)));
    }
    return hops;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tunnel_layer)

BOOST_AUTO_TEST_CASE(participant_layer_is_ecb_iv_then_cbc_data_then_ecb_iv)
{
    // implementation.html "Participant Processing", recomputed with the one-shot AES helpers.
    crypto::DeterministicRng rng(1);
    const auto hop = testing::make_hop(rng, HopRole::participant, 7);
    const Block in = random_block(rng);

    Block expected = in;
    crypto::AesIv iv;
    std::copy_n(expected.begin(), 16, iv.begin());
    crypto::aes256_ecb_encrypt(hop.iv_key.bytes(), iv);
    crypto::aes256_cbc_encrypt(hop.layer_key.bytes(), iv,
                               std::span(expected).subspan(crypto::tunnel_iv_size));
    crypto::aes256_ecb_encrypt(hop.iv_key.bytes(), iv);
    std::copy(iv.begin(), iv.end(), expected.begin());

    Block actual = in;
    auto layer = hop_layer(hop);
    layer.apply(actual);
    BOOST_TEST(actual == expected);
    // The same keyed object processes the next message from scratch (no chaining state).
    Block again = in;
    layer.apply(again);
    BOOST_TEST(again == expected);
}

BOOST_AUTO_TEST_CASE(decrypt_direction_inverts_one_layer)
{
    crypto::DeterministicRng rng(2);
    const auto hops = make_hops(rng, 1);
    const Block in = random_block(rng);
    Block b = in;
    hop_layer(hops[0]).apply(b);
    BOOST_TEST(b != in);
    CreatorLayers(hops).apply(b);
    BOOST_TEST(b == in);
}

BOOST_AUTO_TEST_CASE(outbound_gateway_pre_encryption_is_undone_by_the_hops_for_1_to_8_hops)
{
    crypto::DeterministicRng rng(3);
    for (std::size_t n = 1; n <= 8; ++n) {
        const auto hops = make_hops(rng, n);
        const Block plain = random_block(rng);
        Block b = plain;
        CreatorLayers(hops).apply(b); // outbound gateway
        for (const auto& hop : hops) {
            BOOST_TEST((b != plain), "hop count " << n); // hidden until the endpoint
            hop_layer(hop).apply(b);                     // participants, then the OBEP
        }
        BOOST_TEST((b == plain), "hop count " << n);
    }
}

BOOST_AUTO_TEST_CASE(inbound_endpoint_removes_gateway_and_participant_layers_for_1_to_8_hops)
{
    crypto::DeterministicRng rng(4);
    for (std::size_t n = 1; n <= 8; ++n) {
        const auto hops = make_hops(rng, n); // hops[0] is the inbound gateway
        const Block plain = random_block(rng);
        Block b = plain;
        for (const auto& hop : hops) {
            hop_layer(hop).apply(b);
        }
        BOOST_TEST((b != plain), "hop count " << n);
        CreatorLayers(hops).apply(b); // inbound endpoint
        BOOST_TEST((b == plain), "hop count " << n);
    }
}

BOOST_AUTO_TEST_CASE(hops_in_the_wrong_order_do_not_recover_the_plaintext)
{
    crypto::DeterministicRng rng(5);
    auto hops = make_hops(rng, 3);
    const Block plain = random_block(rng);
    Block b = plain;
    CreatorLayers(hops).apply(b);
    hop_layer(hops[1]).apply(b);
    hop_layer(hops[0]).apply(b);
    hop_layer(hops[2]).apply(b);
    BOOST_TEST(b != plain);
}

BOOST_AUTO_TEST_CASE(moved_cipher_keeps_its_keys)
{
    crypto::DeterministicRng rng(6);
    const auto hop = testing::make_hop(rng, HopRole::participant, 9);
    const Block in = random_block(rng);
    Block a = in;
    Block b = in;
    hop_layer(hop).apply(a);
    auto first = hop_layer(hop);
    crypto::TunnelLayerCipher second = std::move(first);
    second.apply(b);
    BOOST_TEST(a == b);
}

BOOST_AUTO_TEST_SUITE_END()
