#include <boost/test/unit_test.hpp>

#include "crypto/ed25519.h"
#include "crypto/signature.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
std::vector<std::uint8_t> bytes_of(std::string_view s)
{
    return {s.begin(), s.end()};
}

void check_sizes(std::uint16_t code, std::size_t pub, std::size_t priv, std::size_t sig)
{
    const auto info = sig_type_info(code);
    BOOST_REQUIRE_MESSAGE(info.has_value(), "type " << code);
    BOOST_TEST(info->public_key_size == pub, "type " << code);
    BOOST_TEST(info->private_key_size == priv, "type " << code);
    BOOST_TEST(info->signature_size == sig, "type " << code);
}
} // namespace

BOOST_AUTO_TEST_SUITE(signature_suite)

BOOST_AUTO_TEST_CASE(reports_sizes_from_common_structures)
{
    check_sizes(0, 128, 20, 40);
    check_sizes(1, 64, 32, 64);
    check_sizes(2, 96, 48, 96);
    check_sizes(3, 132, 66, 132);
    check_sizes(4, 256, 512, 256);
    check_sizes(5, 384, 768, 384);
    check_sizes(6, 512, 1024, 512);
    check_sizes(7, 32, 32, 64);
    check_sizes(8, 32, 32, 64);
    check_sizes(11, 32, 32, 64);
    for (std::uint16_t unknown : {9, 10, 12, 255, 65535}) {
        BOOST_TEST(!sig_type_info(unknown).has_value(), "type " << unknown);
    }
}

BOOST_AUTO_TEST_CASE(signs_and_verifies_with_ed25519_key)
{
    DeterministicRng rng(21);
    const auto key = SigningKey::generate(SigType::eddsa_sha512_ed25519, rng);
    BOOST_TEST(key.public_key().size() == 32u);
    BOOST_TEST(key.private_key().size() == 32u);
    const auto msg = bytes_of("router info");
    const auto sig = key.sign(msg, rng);
    BOOST_TEST(sig.size() == 64u);
    BOOST_TEST(verify_signature(SigType::eddsa_sha512_ed25519, key.public_key(), msg, sig));
    BOOST_TEST(to_hex(key.sign(msg, rng)) == to_hex(sig)); // deterministic
    auto bad = sig;
    bad[10] ^= 0x01;
    BOOST_TEST(!verify_signature(SigType::eddsa_sha512_ed25519, key.public_key(), msg, bad));
    BOOST_TEST(!verify_signature(SigType::eddsa_sha512_ed25519ph, key.public_key(), msg, sig));
}

BOOST_AUTO_TEST_CASE(loads_ed25519_key_from_rfc8032_seed)
{
    DeterministicRng rng(22);
    for (const auto& v : umbra::test::load_vectors("ed25519.txt")) {
        const auto key = SigningKey::from_private(SigType::eddsa_sha512_ed25519, v.bytes("SECRET"));
        BOOST_REQUIRE(key.has_value());
        BOOST_TEST(to_hex(key->public_key()) == to_hex(v.bytes("PUBLIC")));
        BOOST_TEST(to_hex(key->sign(v.bytes("MESSAGE"), rng)) == to_hex(v.bytes("SIGNATURE")));
    }
}

BOOST_AUTO_TEST_CASE(signs_and_verifies_with_reddsa_key)
{
    DeterministicRng rng(23);
    const auto key = SigningKey::generate(SigType::redsa_sha512_ed25519, rng);
    const auto msg = bytes_of("encrypted leaseset");
    const auto sig = key.sign(msg, rng);
    BOOST_TEST(verify_signature(SigType::redsa_sha512_ed25519, key.public_key(), msg, sig));
    BOOST_TEST(to_hex(key.sign(msg, rng)) != to_hex(sig)); // fresh T each time
    const auto reloaded =
        SigningKey::from_private(SigType::redsa_sha512_ed25519, key.private_key());
    BOOST_REQUIRE(reloaded.has_value());
    BOOST_TEST(to_hex(reloaded->public_key()) == to_hex(key.public_key()));
    auto bad = sig;
    bad[63] ^= 0x01;
    BOOST_TEST(!verify_signature(SigType::redsa_sha512_ed25519, key.public_key(), msg, bad));
}

BOOST_AUTO_TEST_CASE(from_private_rejects_bad_keys_and_types)
{
    // L itself is not a reduced scalar.
    const auto order =
        umbra::test::from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    BOOST_TEST(!SigningKey::from_private(SigType::redsa_sha512_ed25519, order).has_value());
    BOOST_TEST(SigningKey::from_private(SigType::eddsa_sha512_ed25519, order).has_value());
    const std::vector<std::uint8_t> short_key(31, 1);
    BOOST_TEST(!SigningKey::from_private(SigType::eddsa_sha512_ed25519, short_key).has_value());
    const std::vector<std::uint8_t> key(32, 1);
    BOOST_TEST(!SigningKey::from_private(SigType::ecdsa_sha256_p256, key).has_value());
    BOOST_TEST(!SigningKey::from_private(SigType::eddsa_sha512_ed25519ph, key).has_value());
}

BOOST_AUTO_TEST_CASE(verify_refuses_wrong_lengths_and_unknown_types)
{
    const auto v = umbra::test::load_vectors("ed25519.txt").at(0);
    auto sig = v.bytes("SIGNATURE");
    BOOST_TEST(verify_signature(SigType::eddsa_sha512_ed25519, v.bytes("PUBLIC"),
                                v.bytes("MESSAGE"), sig));
    sig.push_back(0);
    BOOST_TEST(!verify_signature(SigType::eddsa_sha512_ed25519, v.bytes("PUBLIC"),
                                 v.bytes("MESSAGE"), sig));
    BOOST_TEST(!verify_signature(static_cast<SigType>(9), v.bytes("PUBLIC"), v.bytes("MESSAGE"),
                                 v.bytes("SIGNATURE")));
}

BOOST_AUTO_TEST_SUITE_END()
