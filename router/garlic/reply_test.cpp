#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/error.h"
#include "router/garlic/reply.h"
#include "router/garlic/testing.h"

using namespace umbra;
using namespace umbra::garlic;

namespace {

constexpr WallTime kNow{1'700'000'000'000};
constexpr WallTime kLater{kNow.ms + 60'000};

i2np::Message store_reply()
{
    return i2np::make_message(i2np::samples::sample_store_router_info(), MessageId(0x4242),
                              testing::kSampleExpiration);
}

} // namespace

BOOST_AUTO_TEST_SUITE(garlic_reply)

BOOST_AUTO_TEST_CASE(reply_round_trips_through_the_ring)
{
    crypto::DeterministicRng rng(1);
    ReplyKeyRing ring;
    const auto keys = ring.create(rng, kLater, kNow);
    BOOST_REQUIRE(keys);
    BOOST_TEST(keys->tags.size() == 1u);
    const auto garlic = encrypt_reply(*keys, store_reply(), rng);
    BOOST_REQUIRE(garlic);
    auto blocks = ring.try_decrypt(garlic->ciphertext, kNow);
    BOOST_REQUIRE(blocks);
    BOOST_REQUIRE(*blocks);
    const auto cloves = take_cloves(**blocks);
    BOOST_REQUIRE(cloves.size() == 1u);
    BOOST_TEST((cloves[0].delivery == CloveDelivery::to_local()));
    BOOST_TEST((cloves[0].message == store_reply()));
    BOOST_TEST(ring.size() == 0u); // one use
}

// i2np.rst DatabaseLookup "Reply format": tag in clear, then ChaCha20-Poly1305 with k =
// reply_key, n = 0, ad = reply_tag; checked with the bare AEAD.
BOOST_AUTO_TEST_CASE(wire_format_is_tag_then_aead_with_tag_as_ad)
{
    crypto::DeterministicRng rng(2);
    i2np::EciesReplyKeys keys{i2np::samples::pattern<32>(0x80), {i2np::samples::pattern<8>(0xf0)}};
    const auto garlic = encrypt_reply(keys, store_reply(), rng);
    BOOST_REQUIRE(garlic);
    const auto& body = garlic->ciphertext;
    BOOST_TEST(std::equal(keys.tags[0].begin(), keys.tags[0].end(), body.begin()));
    std::vector<std::uint8_t> plain(body.size() - 8 - 16);
    BOOST_REQUIRE(crypto::aead_decrypt(keys.key, crypto::Nonce12{}, keys.tags[0],
                                       Bytes(body).subspan(8), plain));
    auto blocks = parse_blocks(plain);
    BOOST_REQUIRE(blocks);
    BOOST_TEST((std::get<GarlicClove>(blocks->front()).message == store_reply()));
}

BOOST_AUTO_TEST_CASE(tampering_any_byte_after_the_tag_is_a_clean_error)
{
    crypto::DeterministicRng rng(3);
    ReplyKeyRing ring;
    const auto keys = ring.create(rng, kLater, kNow);
    const auto garlic = encrypt_reply(*keys, store_reply(), rng);
    BOOST_REQUIRE(garlic);
    for (std::size_t i = 0; i < garlic->ciphertext.size(); ++i) {
        auto body = garlic->ciphertext;
        body[i] ^= 0x04;
        const auto result = ring.try_decrypt(body, kNow);
        if (i < kReplyTagSize) {
            BOOST_TEST(!result.has_value(), "byte " << i); // not our tag any more
        } else {
            BOOST_REQUIRE(result.has_value());
            BOOST_TEST((result->error() == make_error_code(Errc::bad_signature)), "byte " << i);
        }
    }
    // Forgeries did not consume the tag: the genuine reply still decrypts.
    BOOST_TEST(ring.size() == 1u);
    const auto genuine = ring.try_decrypt(garlic->ciphertext, kNow);
    BOOST_REQUIRE(genuine.has_value());
    BOOST_TEST(genuine->has_value());
}

BOOST_AUTO_TEST_CASE(a_tag_is_used_once)
{
    crypto::DeterministicRng rng(4);
    ReplyKeyRing ring;
    const auto keys = ring.create(rng, kLater, kNow);
    const auto garlic = encrypt_reply(*keys, store_reply(), rng);
    BOOST_TEST(ring.try_decrypt(garlic->ciphertext, kNow).has_value());
    BOOST_TEST(!ring.try_decrypt(garlic->ciphertext, kNow).has_value());
}

BOOST_AUTO_TEST_CASE(expired_tags_are_not_ours)
{
    crypto::DeterministicRng rng(5);
    ReplyKeyRing ring;
    const auto keys = ring.create(rng, kLater, kNow);
    const auto garlic = encrypt_reply(*keys, store_reply(), rng);
    BOOST_TEST(ring.contains(keys->tags[0], kNow));
    BOOST_TEST(!ring.contains(keys->tags[0], kLater));
    BOOST_TEST(!ring.try_decrypt(garlic->ciphertext, kLater).has_value());
    ring.expire(kLater);
    BOOST_TEST(ring.size() == 0u);
}

BOOST_AUTO_TEST_CASE(ring_is_bounded_and_refuses_duplicate_tags)
{
    crypto::DeterministicRng rng(6);
    ReplyKeyRing ring(2);
    const ReplyTag tag{1, 2, 3, 4, 5, 6, 7, 8};
    BOOST_TEST(ring.add(crypto::Key32(i2np::samples::pattern<32>(1)), tag, kLater, kNow));
    BOOST_TEST((ring.add(crypto::Key32(i2np::samples::pattern<32>(2)), tag, kLater, kNow).error() ==
                make_error_code(Errc::invalid_value)));
    BOOST_TEST(ring.create(rng, kLater, kNow).has_value());
    BOOST_TEST((ring.create(rng, kLater, kNow).error() == make_error_code(Errc::too_large)));
    // Expired entries make room.
    BOOST_TEST(ring.create(rng, WallTime{kLater.ms + 1}, kLater).has_value());
}

BOOST_AUTO_TEST_CASE(short_or_unknown_bodies_are_not_ours)
{
    ReplyKeyRing ring;
    crypto::DeterministicRng rng(7);
    const auto keys = ring.create(rng, kLater, kNow);
    BOOST_TEST(!ring.try_decrypt({}, kNow).has_value());
    BOOST_TEST(!ring.try_decrypt(std::vector<std::uint8_t>(7, 1), kNow).has_value());
    // Our tag but no room for a MAC.
    std::vector<std::uint8_t> body(keys->tags[0].begin(), keys->tags[0].end());
    body.resize(8 + 15);
    const auto result = ring.try_decrypt(body, kNow);
    BOOST_REQUIRE(result.has_value());
    BOOST_TEST((result->error() == make_error_code(Errc::truncated)));
}

BOOST_AUTO_TEST_CASE(wrap_lookup_reply_follows_the_lookup_flags)
{
    crypto::DeterministicRng rng(8);
    // No encryption: the reply itself.
    const auto plain = wrap_lookup_reply(std::monostate{}, store_reply(), MessageId(9), rng);
    BOOST_TEST((*plain == store_reply()));
    // ElGamal/AES session keys: not implemented.
    const auto elg = wrap_lookup_reply(i2np::samples::sample_lookup_elgamal().reply_encryption,
                                       store_reply(), MessageId(9), rng);
    BOOST_TEST((elg.error() == make_error_code(Errc::unsupported)));
    // ECIES key and tag, as in a parsed DatabaseLookup.
    const auto lookup = i2np::samples::sample_lookup_ecies();
    const auto wrapped =
        wrap_lookup_reply(lookup.reply_encryption, store_reply(), MessageId(9), rng);
    BOOST_REQUIRE(wrapped);
    BOOST_TEST((wrapped->type == i2np::MessageType::garlic));
    BOOST_TEST((wrapped->id == MessageId(9)));
    BOOST_TEST((wrapped->expiration == store_reply().expiration));
    const auto& keys = std::get<i2np::EciesReplyKeys>(lookup.reply_encryption);
    ReplyKeyRing ring;
    BOOST_REQUIRE(ring.add(crypto::Key32(keys.key), keys.tags[0], kLater, kNow));
    const auto garlic = i2np::Garlic::parse(wrapped->payload);
    BOOST_REQUIRE(garlic);
    auto blocks = ring.try_decrypt(garlic->ciphertext, kNow);
    BOOST_REQUIRE(blocks.has_value());
    BOOST_REQUIRE(blocks->has_value());
    BOOST_TEST((take_cloves(**blocks).at(0).message == store_reply()));
}

BOOST_AUTO_TEST_CASE(rejects_keys_without_a_tag_and_oversized_replies)
{
    crypto::DeterministicRng rng(9);
    const i2np::EciesReplyKeys no_tag{i2np::samples::pattern<32>(1), {}};
    BOOST_TEST((encrypt_reply(no_tag, store_reply(), rng).error() ==
                make_error_code(Errc::invalid_value)));
    const crypto::Key32 key(i2np::samples::pattern<32>(1));
    const std::vector<std::uint8_t> big(kMaxGarlicBodySize - 8 - 16 + 1);
    BOOST_TEST((seal_with_tag(key, ReplyTag{}, big).error() == make_error_code(Errc::too_large)));
    const auto max = seal_with_tag(key, ReplyTag{}, Bytes(big).first(big.size() - 1));
    BOOST_REQUIRE(max);
    BOOST_TEST(max->ciphertext.size() == kMaxGarlicBodySize);
}

BOOST_AUTO_TEST_SUITE_END()
