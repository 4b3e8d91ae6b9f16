#include <boost/test/unit_test.hpp>

#include "crypto/ed25519.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

BOOST_AUTO_TEST_SUITE(ed25519_suite)

BOOST_AUTO_TEST_CASE(matches_rfc8032_vectors)
{
    const auto vectors = umbra::test::load_vectors("ed25519.txt");
    BOOST_TEST(vectors.size() == 5u);
    for (const auto& v : vectors) {
        const auto seed = v.bytes("SECRET");
        const auto msg = v.bytes("MESSAGE");
        BOOST_TEST(to_hex(ed25519_public_from_private(seed)) == to_hex(v.bytes("PUBLIC")),
                   "line " << v.line);
        BOOST_TEST(to_hex(ed25519_sign(seed, msg)) == to_hex(v.bytes("SIGNATURE")),
                   "line " << v.line);
        BOOST_TEST(ed25519_verify(v.bytes("PUBLIC"), msg, v.bytes("SIGNATURE")));
    }
}

BOOST_AUTO_TEST_CASE(rejects_flipped_bit_in_message_or_signature)
{
    for (const auto& v : umbra::test::load_vectors("ed25519.txt")) {
        const auto pub = v.bytes("PUBLIC");
        auto msg = v.bytes("MESSAGE");
        auto sig = v.bytes("SIGNATURE");
        sig[5] ^= 0x01;
        BOOST_TEST(!ed25519_verify(pub, msg, sig));
        sig[5] ^= 0x01;
        sig[40] ^= 0x80;
        BOOST_TEST(!ed25519_verify(pub, msg, sig));
        sig[40] ^= 0x80;
        msg.push_back(0);
        BOOST_TEST(!ed25519_verify(pub, msg, sig));
    }
}

BOOST_AUTO_TEST_CASE(rejects_wrong_lengths)
{
    const auto v = umbra::test::load_vectors("ed25519.txt").at(1);
    auto sig = v.bytes("SIGNATURE");
    sig.pop_back();
    BOOST_TEST(!ed25519_verify(v.bytes("PUBLIC"), v.bytes("MESSAGE"), sig));
    auto pub = v.bytes("PUBLIC");
    pub.push_back(0);
    BOOST_TEST(!ed25519_verify(pub, v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
}

BOOST_AUTO_TEST_SUITE_END()
