#include <boost/test/unit_test.hpp>

#include "crypto/x25519.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
Key32 key(const std::vector<std::uint8_t>& b)
{
    return Key32(b);
}
} // namespace

BOOST_AUTO_TEST_SUITE(x25519_suite)

BOOST_AUTO_TEST_CASE(matches_rfc7748_function_vectors)
{
    int checked = 0;
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("SCALAR")) {
            continue;
        }
        Key32 out;
        BOOST_TEST(x25519(key(v.bytes("SCALAR")), v.bytes("U"), out));
        BOOST_TEST(to_hex(out.bytes()) == to_hex(v.bytes("OUTPUT")), "line " << v.line);
        ++checked;
    }
    BOOST_TEST(checked == 2);
}

BOOST_AUTO_TEST_CASE(matches_rfc7748_iterated_vectors)
{
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("ITERATIONS")) {
            continue;
        }
        std::array<std::uint8_t, 32> k{9};
        std::array<std::uint8_t, 32> u{9};
        const int n = std::stoi(v.str("ITERATIONS"));
        for (int i = 0; i < n; ++i) {
            Key32 out;
            BOOST_REQUIRE(x25519(Key32(k), u, out));
            u = k;
            std::copy(out.bytes().begin(), out.bytes().end(), k.begin());
        }
        BOOST_TEST(to_hex(k) == to_hex(v.bytes("OUTPUT")), "iterations " << n);
    }
}

BOOST_AUTO_TEST_CASE(agrees_with_rfc7748_diffie_hellman_example)
{
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("ALICE_PRIVATE")) {
            continue;
        }
        const auto alice = X25519Keypair::from_private(v.bytes("ALICE_PRIVATE"));
        const auto bob = X25519Keypair::from_private(v.bytes("BOB_PRIVATE"));
        BOOST_TEST(to_hex(alice.public_key) == to_hex(v.bytes("ALICE_PUBLIC")));
        BOOST_TEST(to_hex(bob.public_key) == to_hex(v.bytes("BOB_PUBLIC")));
        Key32 k1;
        Key32 k2;
        BOOST_TEST(x25519(alice.private_key, bob.public_key, k1));
        BOOST_TEST(x25519(bob.private_key, alice.public_key, k2));
        BOOST_TEST(to_hex(k1.bytes()) == to_hex(v.bytes("SHARED")));
        BOOST_TEST(to_hex(k2.bytes()) == to_hex(v.bytes("SHARED")));
    }
}

BOOST_AUTO_TEST_CASE(returns_false_for_low_order_points)
{
    const auto me = X25519Keypair::from_private(
        umbra::test::from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    // u = 0 and u = 1 have order 1 and 4; u = p - 1 has order 2 (RFC 7748 §6.1's all-zero check).
    std::array<std::uint8_t, 32> zero{};
    std::array<std::uint8_t, 32> one{1};
    std::array<std::uint8_t, 32> p_minus_1{};
    p_minus_1.fill(0xff);
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    for (const auto& peer : {zero, one, p_minus_1}) {
        Key32 out;
        out.mutable_bytes()[0] = 0xaa;
        BOOST_TEST(!x25519(me.private_key, peer, out));
        BOOST_TEST(to_hex(out.bytes()) == std::string(64, '0'));
    }
}

BOOST_AUTO_TEST_CASE(rejects_peer_key_of_wrong_length)
{
    const auto me = X25519Keypair::from_private(std::vector<std::uint8_t>(32, 7));
    Key32 out;
    BOOST_TEST(!x25519(me.private_key, std::vector<std::uint8_t>(31, 9), out));
}

BOOST_AUTO_TEST_CASE(generated_keys_agree)
{
    OsRng rng;
    const auto a = X25519Keypair::generate(rng);
    const auto b = X25519Keypair::generate(rng);
    BOOST_TEST(to_hex(a.public_key) == to_hex(x25519_public_from_private(a.private_key.bytes())));
    Key32 k1;
    Key32 k2;
    BOOST_TEST(x25519(a.private_key, b.public_key, k1));
    BOOST_TEST(x25519(b.private_key, a.public_key, k2));
    BOOST_TEST(constant_time_equal(k1.bytes(), k2.bytes()));
}

BOOST_AUTO_TEST_SUITE_END()
