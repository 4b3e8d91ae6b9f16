#include <boost/test/unit_test.hpp>

#include "crypto/elgamal.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

BOOST_AUTO_TEST_SUITE(elgamal_suite)

BOOST_AUTO_TEST_CASE(decrypts_python_made_fixtures)
{
    const auto vectors = umbra::test::load_vectors("elgamal.txt");
    BOOST_TEST(vectors.size() == 2u);
    for (const auto& v : vectors) {
        BOOST_TEST(to_hex(elgamal_public_from_private(v.bytes("PRIVATE"))) ==
                   to_hex(v.bytes("PUBLIC")));
        const auto plain = elgamal_decrypt(v.bytes("PRIVATE"), v.bytes("CIPHERTEXT"));
        BOOST_REQUIRE(plain.has_value());
        BOOST_TEST(to_hex(plain->bytes()) == to_hex(v.bytes("DATA")));
    }
}

BOOST_AUTO_TEST_CASE(round_trips_with_a_generated_key)
{
    DeterministicRng rng(5);
    const auto kp = ElGamalKeypair::generate(rng);
    BOOST_TEST(to_hex(elgamal_public_from_private(kp.private_key.bytes())) ==
               to_hex(kp.public_key));
    std::array<std::uint8_t, elgamal_plaintext_size> data{};
    rng.fill(data);
    const auto ct = elgamal_encrypt(kp.public_key, data, rng);
    BOOST_TEST(ct[0] == 0);
    BOOST_TEST(ct[257] == 0);
    const auto plain = elgamal_decrypt(kp.private_key.bytes(), ct);
    BOOST_REQUIRE(plain.has_value());
    BOOST_TEST(to_hex(plain->bytes()) == to_hex(data));
    // Encryption is randomised.
    BOOST_TEST(to_hex(elgamal_encrypt(kp.public_key, data, rng)) != to_hex(ct));
}

BOOST_AUTO_TEST_CASE(rejects_tampered_or_malformed_ciphertext)
{
    const auto v = umbra::test::load_vectors("elgamal.txt").at(0);
    const auto priv = v.bytes("PRIVATE");
    const auto ct = v.bytes("CIPHERTEXT");
    for (std::size_t pos : {std::size_t{100}, std::size_t{400}, std::size_t{513}}) {
        auto bad = ct;
        bad[pos] ^= 0x01;
        BOOST_TEST(!elgamal_decrypt(priv, bad).has_value(), "flipped byte " << pos);
    }
    auto padded = ct;
    padded[0] = 1; // the zero padding byte must be zero
    BOOST_TEST(!elgamal_decrypt(priv, padded).has_value());
    auto zero_a = ct;
    std::fill(zero_a.begin() + 1, zero_a.begin() + 257, 0);
    BOOST_TEST(!elgamal_decrypt(priv, zero_a).has_value());
    auto big_b = ct;
    std::fill(big_b.begin() + 258, big_b.end(), 0xff); // b >= p
    BOOST_TEST(!elgamal_decrypt(priv, big_b).has_value());
    BOOST_TEST(!elgamal_decrypt(priv, std::vector<std::uint8_t>(ct.begin(), ct.end() - 1)));
    // The other fixture's key cannot decrypt it.
    const auto other = umbra::test::load_vectors("elgamal.txt").at(1).bytes("PRIVATE");
    BOOST_TEST(!elgamal_decrypt(other, ct).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
