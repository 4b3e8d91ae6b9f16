#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
#include "crypto/noise.h"
#include "router/garlic/error.h"
#include "router/garlic/router_message.h"
#include "router/garlic/testing.h"

using namespace umbra;
using namespace umbra::garlic;

namespace {

constexpr WallTime kNow{1'700'000'000'000};

std::vector<std::uint8_t> payload_with(std::vector<Block> blocks)
{
    auto bytes = serialize_blocks(blocks);
    BOOST_REQUIRE(bytes);
    return *bytes;
}

std::vector<std::uint8_t> dated_payload(WallTime at, std::vector<Block> more = {})
{
    more.insert(more.begin(), DateTimeBlock{static_cast<std::uint32_t>(at.seconds())});
    return payload_with(std::move(more));
}

struct Router {
    crypto::X25519Keypair keys = testing::router_keys();
    RouterDecryptor decryptor{keys.private_key.clone()};
};

// The message as ecies-routers.rst builds it, step by step with the Noise symmetric state of
// crypto/ (an independent path from router_message.cpp's precomputed h).
std::vector<std::uint8_t> reference_message(const crypto::X25519Public& router_key,
                                            const crypto::X25519Keypair& ephemeral, Bytes plaintext)
{
    crypto::SymmetricState state("Noise_N_25519_ChaChaPoly_SHA256");
    state.mix_hash({}); // null prologue
    state.mix_hash(router_key);
    state.mix_hash(ephemeral.public_key);
    crypto::Key32 shared;
    BOOST_REQUIRE(crypto::x25519(ephemeral.private_key, router_key, shared));
    state.mix_key(shared.bytes());
    auto ciphertext = state.encrypt_and_hash(plaintext);
    std::vector<std::uint8_t> out(ephemeral.public_key.begin(), ephemeral.public_key.end());
    out.insert(out.end(), ciphertext.begin(), ciphertext.end());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(garlic_router_message)

BOOST_AUTO_TEST_CASE(cloves_of_every_delivery_type_round_trip)
{
    Router router;
    crypto::DeterministicRng rng(7);
    const auto cloves = testing::sample_cloves();
    const auto garlic = encrypt_for_router(router.keys.public_key, cloves, kNow, rng);
    BOOST_REQUIRE(garlic);
    auto blocks = router.decryptor.decrypt(garlic->ciphertext, kNow);
    BOOST_REQUIRE(blocks);
    BOOST_TEST((std::get<DateTimeBlock>(blocks->front()).seconds == kNow.seconds()));
    BOOST_TEST((take_cloves(*blocks) == cloves));
}

BOOST_AUTO_TEST_CASE(matches_the_noise_n_construction_byte_for_byte)
{
    const auto router = testing::router_keys();
    const auto plaintext = dated_payload(kNow);
    crypto::DeterministicRng rng(99);
    const auto sealed = seal_for_router(router.public_key, plaintext, rng);
    BOOST_REQUIRE(sealed);
    crypto::DeterministicRng same(99);
    const auto ephemeral = crypto::X25519Keypair::generate(same);
    BOOST_TEST((sealed->ciphertext == reference_message(router.public_key, ephemeral, plaintext)));
    BOOST_TEST(sealed->ciphertext.size() == 32 + plaintext.size() + 16);
}

BOOST_AUTO_TEST_CASE(opens_a_reference_message)
{
    Router router;
    crypto::DeterministicRng rng(5);
    const auto ephemeral = crypto::X25519Keypair::generate(rng);
    const auto plaintext = dated_payload(kNow, {testing::sample_cloves()[2]});
    const auto body = reference_message(router.keys.public_key, ephemeral, plaintext);
    const auto opened = router.decryptor.open(body);
    BOOST_REQUIRE(opened);
    BOOST_TEST((*opened == plaintext));
}

BOOST_AUTO_TEST_CASE(tampering_any_byte_is_a_clean_error)
{
    const auto keys = testing::router_keys();
    crypto::DeterministicRng rng(3);
    const auto cloves = std::vector{testing::sample_cloves()[0]};
    const auto garlic = encrypt_for_router(keys.public_key, cloves, kNow, rng);
    BOOST_REQUIRE(garlic);
    for (std::size_t i = 0; i < garlic->ciphertext.size(); ++i) {
        RouterDecryptor decryptor(keys.private_key.clone());
        auto body = garlic->ciphertext;
        body[i] ^= 0x01;
        const auto result = decryptor.decrypt(body, kNow);
        BOOST_REQUIRE(!result);
        // A flipped bit in the ephemeral key may make it low order (invalid_value).
        const bool expected = result.error() == make_error_code(Errc::bad_signature) ||
                              (i < 32 && result.error() == make_error_code(Errc::invalid_value));
        BOOST_TEST(expected, "byte " << i << ": " << result.error().message());
    }
}

BOOST_AUTO_TEST_CASE(wrong_router_key_fails_the_mac)
{
    crypto::DeterministicRng rng(4);
    const auto garlic =
        encrypt_for_router(testing::router_keys(1).public_key, testing::sample_cloves(), kNow, rng);
    BOOST_REQUIRE(garlic);
    RouterDecryptor other(testing::router_keys(2).private_key.clone());
    BOOST_TEST(
        (other.decrypt(garlic->ciphertext, kNow).error() == make_error_code(Errc::bad_signature)));
}

BOOST_AUTO_TEST_CASE(rejects_a_replayed_ephemeral_key)
{
    Router router;
    crypto::DeterministicRng rng(8);
    const auto garlic =
        encrypt_for_router(router.keys.public_key, testing::sample_cloves(), kNow, rng);
    BOOST_REQUIRE(garlic);
    BOOST_TEST(router.decryptor.decrypt(garlic->ciphertext, kNow).has_value());
    const WallTime later{kNow.ms + 60'000};
    BOOST_TEST((router.decryptor.decrypt(garlic->ciphertext, later).error() ==
                make_error_code(Error::replayed)));
    // Once the cache forgets the key, the DateTime has left the window: still rejected.
    const WallTime much_later{kNow.ms + 8 * 60'000};
    BOOST_TEST((router.decryptor.decrypt(garlic->ciphertext, much_later).error() ==
                make_error_code(Errc::expired)));
}

BOOST_AUTO_TEST_CASE(a_forgery_with_a_genuine_key_does_not_block_the_genuine_message)
{
    Router router;
    crypto::DeterministicRng rng(9);
    const auto garlic =
        encrypt_for_router(router.keys.public_key, testing::sample_cloves(), kNow, rng);
    BOOST_REQUIRE(garlic);
    auto forged = garlic->ciphertext;
    forged.back() ^= 0x80;
    BOOST_TEST(
        (router.decryptor.decrypt(forged, kNow).error() == make_error_code(Errc::bad_signature)));
    BOOST_TEST(router.decryptor.decrypt(garlic->ciphertext, kNow).has_value());
}

BOOST_AUTO_TEST_CASE(requires_a_leading_date_time_block)
{
    Router router;
    crypto::DeterministicRng rng(10);
    const auto no_date = payload_with({testing::sample_cloves()[0]});
    auto sealed = seal_for_router(router.keys.public_key, no_date, rng);
    BOOST_TEST((router.decryptor.decrypt(sealed->ciphertext, kNow).error() ==
                make_error_code(Error::missing_date_time)));
    sealed = seal_for_router(router.keys.public_key, {}, rng);
    BOOST_TEST((router.decryptor.decrypt(sealed->ciphertext, kNow).error() ==
                make_error_code(Error::missing_date_time)));
    const auto date_second = payload_with({PaddingBlock{}});
    sealed = seal_for_router(router.keys.public_key, date_second, rng);
    BOOST_TEST((router.decryptor.decrypt(sealed->ciphertext, kNow).error() ==
                make_error_code(Error::missing_date_time)));
}

BOOST_AUTO_TEST_CASE(undated_messages_pass_only_when_allowed_and_are_still_replay_checked)
{
    const auto keys = testing::router_keys();
    RouterDecryptor::Config config;
    config.require_date_time = false;
    RouterDecryptor lenient(keys.private_key.clone(), config);
    crypto::DeterministicRng rng(17);
    const auto undated = payload_with({testing::sample_cloves()[0]});
    const auto sealed = seal_for_router(keys.public_key, undated, rng);
    const auto blocks = lenient.decrypt(sealed->ciphertext, kNow);
    BOOST_REQUIRE(blocks);
    BOOST_TEST(blocks->size() == 1u);
    BOOST_TEST(
        (lenient.decrypt(sealed->ciphertext, kNow).error() == make_error_code(Error::replayed)));
    // A DateTime, when present, is still checked, and may still only come first.
    const auto old = seal_for_router(keys.public_key, dated_payload(WallTime{0}), rng);
    BOOST_TEST((lenient.decrypt(old->ciphertext, kNow).error() == make_error_code(Errc::expired)));
    const auto late = seal_for_router(keys.public_key, payload_with({PaddingBlock{}}), rng);
    BOOST_TEST(lenient.decrypt(late->ciphertext, kNow).has_value());
    const auto second = seal_for_router(
        keys.public_key, payload_with({UnknownBlock{224, {}}, DateTimeBlock{1}}), rng);
    BOOST_TEST((lenient.decrypt(second->ciphertext, kNow).error() ==
                make_error_code(Error::block_not_allowed)));
}

BOOST_AUTO_TEST_CASE(rejects_session_only_blocks)
{
    Router router;
    crypto::DeterministicRng rng(11);
    for (const Block& block : {Block{TerminationBlock{0, {}}}, Block{UnknownBlock{7, {0}}},
                               Block{UnknownBlock{8, {0, 0, 0, 0}}}, Block{UnknownBlock{9, {0}}},
                               Block{UnknownBlock{6, {0, 0}}}, Block{DateTimeBlock{1}}}) {
        const auto sealed =
            seal_for_router(router.keys.public_key, dated_payload(kNow, {block}), rng);
        BOOST_TEST((router.decryptor.decrypt(sealed->ciphertext, kNow).error() ==
                    make_error_code(Error::block_not_allowed)));
    }
    // Options and unknown types are allowed (and ignored).
    const auto fine = dated_payload(kNow, {OptionsBlock{std::vector<std::uint8_t>(21)},
                                           UnknownBlock{224, {1}}, PaddingBlock{{0}}});
    const auto sealed = seal_for_router(router.keys.public_key, fine, rng);
    BOOST_TEST(router.decryptor.decrypt(sealed->ciphertext, kNow).has_value());
}

BOOST_AUTO_TEST_CASE(date_time_window_is_enforced)
{
    Router router;
    crypto::DeterministicRng rng(12);
    const auto at = [&](std::int64_t offset_ms) {
        const WallTime sent{kNow.ms + offset_ms};
        const auto sealed = seal_for_router(router.keys.public_key, dated_payload(sent), rng);
        return router.decryptor.decrypt(sealed->ciphertext, kNow);
    };
    BOOST_TEST(at(-5 * 60'000).has_value());
    BOOST_TEST(at(2 * 60'000).has_value());
    BOOST_TEST((at(-5 * 60'000 - 1000).error() == make_error_code(Errc::expired)));
    BOOST_TEST((at(2 * 60'000 + 1000).error() == make_error_code(Errc::expired)));
}

BOOST_AUTO_TEST_CASE(rejects_truncated_and_oversized_messages)
{
    Router router;
    for (std::size_t n : {0, 1, 31, 32, 47}) {
        const std::vector<std::uint8_t> body(n, 0x55);
        BOOST_TEST(
            (router.decryptor.decrypt(body, kNow).error() == make_error_code(Errc::truncated)));
    }
    crypto::DeterministicRng rng(13);
    const std::vector<std::uint8_t> big(kMaxRouterPlaintext + 1);
    BOOST_TEST((seal_for_router(router.keys.public_key, big, rng).error() ==
                make_error_code(Errc::too_large)));
    const std::vector<std::uint8_t> max(kMaxRouterPlaintext);
    const auto sealed = seal_for_router(router.keys.public_key, max, rng);
    BOOST_REQUIRE(sealed);
    BOOST_TEST(sealed->ciphertext.size() == kMaxGarlicBodySize);
    // Serializable as an I2NP Garlic message.
    BOOST_TEST(i2np::Garlic::parse(sealed->serialize()).has_value());
}

BOOST_AUTO_TEST_CASE(refuses_a_low_order_router_key)
{
    crypto::DeterministicRng rng(14);
    const crypto::X25519Public zero{};
    BOOST_TEST((encrypt_for_router(zero, testing::sample_cloves(), kNow, rng).error() ==
                make_error_code(Errc::invalid_value)));
    Router router;
    std::vector<std::uint8_t> body(64, 0); // all-zero ephemeral key
    BOOST_TEST(
        (router.decryptor.decrypt(body, kNow).error() == make_error_code(Errc::invalid_value)));
}

BOOST_AUTO_TEST_CASE(each_message_uses_a_fresh_ephemeral_key)
{
    Router router;
    crypto::DeterministicRng rng(15);
    const auto a = encrypt_for_router(router.keys.public_key, testing::sample_cloves(), kNow, rng);
    const auto b = encrypt_for_router(router.keys.public_key, testing::sample_cloves(), kNow, rng);
    BOOST_TEST(
        !std::equal(a->ciphertext.begin(), a->ciphertext.begin() + 32, b->ciphertext.begin()));
    BOOST_TEST(router.decryptor.decrypt(a->ciphertext, kNow).has_value());
    BOOST_TEST(router.decryptor.decrypt(b->ciphertext, kNow).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(garlic_replay_cache)

BOOST_AUTO_TEST_CASE(remembers_until_expiry)
{
    ReplayCache cache(8);
    ReplayCache::Key k{};
    k[0] = 1;
    BOOST_TEST(!cache.contains(k, kNow));
    cache.insert(k, WallTime{kNow.ms + 1000}, kNow);
    BOOST_TEST(cache.contains(k, WallTime{kNow.ms + 999}));
    BOOST_TEST(!cache.contains(k, WallTime{kNow.ms + 1000}));
    BOOST_TEST(cache.size() == 0u);
}

BOOST_AUTO_TEST_CASE(is_bounded_and_evicts_the_oldest)
{
    ReplayCache cache(4);
    for (std::uint8_t i = 0; i < 10; ++i) {
        ReplayCache::Key k{};
        k[0] = i;
        cache.insert(k, WallTime{kNow.ms + 60'000}, kNow);
        BOOST_TEST(cache.size() <= 4u);
    }
    ReplayCache::Key oldest{}, newest{};
    newest[0] = 9;
    BOOST_TEST(!cache.contains(oldest, kNow));
    BOOST_TEST(cache.contains(newest, kNow));
}

BOOST_AUTO_TEST_CASE(reinserting_keeps_the_later_expiry)
{
    ReplayCache cache(4);
    ReplayCache::Key k{};
    cache.insert(k, WallTime{kNow.ms + 1000}, kNow);
    cache.insert(k, WallTime{kNow.ms + 5000}, kNow);
    BOOST_TEST(cache.contains(k, WallTime{kNow.ms + 2000}));
    BOOST_TEST(cache.size() == 1u);
}

BOOST_AUTO_TEST_CASE(decryptor_cache_stays_within_capacity)
{
    const auto keys = testing::router_keys();
    RouterDecryptor::Config config;
    config.replay_capacity = 3;
    RouterDecryptor decryptor(keys.private_key.clone(), config);
    crypto::DeterministicRng rng(16);
    std::vector<std::vector<std::uint8_t>> sent;
    for (int i = 0; i < 5; ++i) {
        auto g = encrypt_for_router(keys.public_key, {}, kNow, rng);
        BOOST_TEST(decryptor.decrypt(g->ciphertext, kNow).has_value());
        sent.push_back(g->ciphertext);
    }
    // The three newest are still rejected as replays.
    for (int i = 2; i < 5; ++i) {
        BOOST_TEST((decryptor.decrypt(sent[i], kNow).error() == make_error_code(Error::replayed)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
