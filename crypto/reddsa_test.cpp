#include <boost/test/unit_test.hpp>

#include "crypto/ed25519.h"
#include "crypto/ed25519_group.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
std::vector<std::uint8_t> bytes_of(std::string_view s)
{
    return {s.begin(), s.end()};
}
} // namespace

BOOST_AUTO_TEST_SUITE(reddsa_suite)

BOOST_AUTO_TEST_CASE(group_public_key_matches_openssl_for_rfc8032_seeds)
{
    for (const auto& v : umbra::test::load_vectors("ed25519.txt")) {
        const Key32 a = reddsa_private_from_ed25519_seed(v.bytes("SECRET"));
        BOOST_TEST(ed25519::scalar_is_canonical(a.bytes().first<32>()));
        BOOST_TEST(to_hex(reddsa_public_from_private(a.bytes())) == to_hex(v.bytes("PUBLIC")),
                   "line " << v.line);
        BOOST_TEST(to_hex(ed25519_public_from_private(v.bytes("SECRET"))) ==
                   to_hex(v.bytes("PUBLIC")));
    }
}

BOOST_AUTO_TEST_CASE(matches_red25519_conversion_and_blinding_vectors)
{
    const auto vectors = umbra::test::load_vectors("reddsa.txt");
    BOOST_TEST(vectors.size() == 10u);
    for (const auto& v : vectors) {
        const Key32 sk = reddsa_private_from_ed25519_seed(v.bytes("EDSK"));
        // The spec's SK is the clamped scalar before reduction; ours is reduced mod L.
        const auto spec_sk = v.bytes("SK");
        BOOST_TEST(to_hex(sk.bytes()) ==
                   to_hex(ed25519::scalar_reduce32(
                       std::span<const std::uint8_t, 32>(spec_sk.data(), 32))));
        BOOST_TEST(to_hex(reddsa_public_from_private(sk.bytes())) == to_hex(v.bytes("EDPK")));
        const Key32 rsk = reddsa_blind_private(sk.bytes(), v.bytes("ALPHA"));
        BOOST_TEST(to_hex(rsk.bytes()) == to_hex(v.bytes("RSK")), "line " << v.line);
        Ed25519Public rvk{};
        BOOST_TEST(reddsa_blind_public(v.bytes("EDPK"), v.bytes("ALPHA"), rvk));
        BOOST_TEST(to_hex(rvk) == to_hex(v.bytes("RVK")), "line " << v.line);
        BOOST_TEST(to_hex(reddsa_public_from_private(rsk.bytes())) == to_hex(v.bytes("RVK")));
    }
}

BOOST_AUTO_TEST_CASE(signature_verifies_under_openssl_ed25519)
{
    DeterministicRng rng(11);
    const Key32 a = reddsa_generate_private(rng);
    BOOST_TEST(ed25519::scalar_is_canonical(a.bytes().first<32>()));
    const Ed25519Public pub = reddsa_public_from_private(a.bytes());
    const auto msg = bytes_of("encrypted leaseset body");
    const Ed25519Signature sig = reddsa_sign(a.bytes(), msg, rng);
    BOOST_TEST(ed25519_verify(pub, msg, sig));
    BOOST_TEST(reddsa_verify(pub, msg, sig));
    // A fresh T gives a different signature over the same message, which verifies too.
    const Ed25519Signature sig2 = reddsa_sign(a.bytes(), msg, rng);
    BOOST_TEST(to_hex(sig) != to_hex(sig2));
    BOOST_TEST(ed25519_verify(pub, msg, sig2));
    BOOST_TEST(reddsa_verify(pub, {}, reddsa_sign(a.bytes(), {}, rng)));
}

BOOST_AUTO_TEST_CASE(rejects_flipped_bit_in_message_or_signature)
{
    DeterministicRng rng(12);
    const Key32 a = reddsa_generate_private(rng);
    const Ed25519Public pub = reddsa_public_from_private(a.bytes());
    auto msg = bytes_of("message");
    auto sig = reddsa_sign(a.bytes(), msg, rng);
    sig[3] ^= 0x04;
    BOOST_TEST(!reddsa_verify(pub, msg, sig));
    sig[3] ^= 0x04;
    sig[50] ^= 0x01;
    BOOST_TEST(!reddsa_verify(pub, msg, sig));
    sig[50] ^= 0x01;
    msg[0] ^= 0x01;
    BOOST_TEST(!reddsa_verify(pub, msg, sig));
}

BOOST_AUTO_TEST_CASE(blinded_key_signature_verifies_under_blinded_public_key)
{
    DeterministicRng rng(13);
    const Key32 a = reddsa_private_from_ed25519_seed(std::vector<std::uint8_t>(32, 0x42));
    std::array<std::uint8_t, 64> wide{};
    rng.fill(wide);
    const Key32 alpha = ed25519_scalar_reduce64(wide);
    const Key32 blinded = reddsa_blind_private(a.bytes(), alpha.bytes());
    Ed25519Public blinded_pub{};
    BOOST_REQUIRE(
        reddsa_blind_public(reddsa_public_from_private(a.bytes()), alpha.bytes(), blinded_pub));
    BOOST_TEST(to_hex(reddsa_public_from_private(blinded.bytes())) == to_hex(blinded_pub));
    const auto msg = bytes_of("blinded");
    const auto sig = reddsa_sign(blinded.bytes(), msg, rng);
    BOOST_TEST(ed25519_verify(blinded_pub, msg, sig));
    BOOST_TEST(!ed25519_verify(reddsa_public_from_private(a.bytes()), msg, sig));
}

BOOST_AUTO_TEST_CASE(blinding_public_and_private_agree_for_random_keys)
{
    DeterministicRng rng(14);
    for (int i = 0; i < 8; ++i) {
        const Key32 a = reddsa_generate_private(rng);
        const Key32 alpha = reddsa_generate_private(rng);
        Ed25519Public from_public{};
        BOOST_REQUIRE(
            reddsa_blind_public(reddsa_public_from_private(a.bytes()), alpha.bytes(), from_public));
        const Key32 blinded = reddsa_blind_private(a.bytes(), alpha.bytes());
        BOOST_TEST(to_hex(from_public) == to_hex(reddsa_public_from_private(blinded.bytes())));
    }
}

BOOST_AUTO_TEST_CASE(blind_public_rejects_invalid_points)
{
    std::array<std::uint8_t, 32> off_curve{2}; // y = 2 is not on the curve
    const std::array<std::uint8_t, 32> alpha{1};
    Ed25519Public out{};
    BOOST_TEST(!reddsa_blind_public(off_curve, alpha, out));
    off_curve.fill(0xff); // y >= p
    BOOST_TEST(!reddsa_blind_public(off_curve, alpha, out));
    BOOST_TEST(!reddsa_blind_public(std::vector<std::uint8_t>(31, 0), alpha, out));
}

BOOST_AUTO_TEST_CASE(reduce64_treats_input_as_little_endian)
{
    std::array<std::uint8_t, 64> in{};
    in[0] = 7;
    const Key32 r = ed25519_scalar_reduce64(in);
    BOOST_TEST(to_hex(r.bytes()) == to_hex(std::array<std::uint8_t, 32>{7}));
}

BOOST_AUTO_TEST_SUITE_END()
