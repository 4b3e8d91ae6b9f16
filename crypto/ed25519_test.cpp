#include <boost/test/unit_test.hpp>

#include "crypto/ed25519.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::from_hex;
using umbra::test::to_hex;

namespace {

// Signatures crafted with small-order or non-canonical encodings (made with libsodium's point
// and scalar functions, each checked against OpenSSL 3.0's EVP_DigestVerify, which i2pd 2.45.1
// uses). `accepted` is OpenSSL's answer; libsodium 1.0.18 alone refuses the first five.
struct Crafted {
    const char* what;
    const char* pub;
    const char* msg;
    const char* sig;
    bool accepted;
};

const char* const identity_r_zero_s = "0100000000000000000000000000000000000000000000000000000000"
                                      "0000000000000000000000000000000000000000000000000000000000"
                                      "000000000000";

const Crafted crafted[] = {
    {"A = identity, R = identity, S = 0",
     "0100000000000000000000000000000000000000000000000000000000000000", "78", identity_r_zero_s,
     true},
    {"A = identity with the sign bit set",
     "0100000000000000000000000000000000000000000000000000000000000080", "78", identity_r_zero_s,
     true},
    {"A = p + 1, a non-canonical identity",
     "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "78", identity_r_zero_s,
     true},
    {"A of order 8, R = identity, S = 0, k = 0 mod 8",
     "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "08", identity_r_zero_s,
     true},
    {"honest A, R = identity, S = k*a",
     "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
     "686f6e657374206b65792c206964656e746974792052",
     "0100000000000000000000000000000000000000000000000000000000000000"
     "7292bab05edc480a065e2f85e01f8ebebc1b03d2c8dffd12e76ead53408a0e00",
     true},
    {"honest signature", "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
     "686f6e657374",
     "df73fa4cd792829643baa9cdd544094c8e9d52b7ecd33a0a3aa93db3f574ceb2"
     "3f9abbc983ac6e723557b09506e01d55694614851843749de90f116acba2b00d",
     true},
    {"honest signature with S + L",
     "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8", "686f6e657374",
     "df73fa4cd792829643baa9cdd544094c8e9d52b7ecd33a0a3aa93db3f574ceb2"
     "2c6eb1269e0f81ca0bf4a738e5d9fc69694614851843749de90f116acba2b01d",
     false},
    {"honest A, R = p + 1 (a non-canonical identity), S = k*a",
     "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
     "686f6e657374206b65792c206964656e746974792052",
     "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
     "17547c6a7d00743cfc86854c988f1941d42363abbcc7333f91520961b3737f04",
     false},
};

} // namespace

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

BOOST_AUTO_TEST_CASE(accepts_exactly_what_openssl_accepts_for_crafted_encodings)
{
    for (const auto& c : crafted) {
        BOOST_TEST(ed25519_verify(from_hex(c.pub), from_hex(c.msg), from_hex(c.sig)) == c.accepted,
                   c.what);
    }
}

BOOST_AUTO_TEST_CASE(signer_sign_and_verify_agree_over_many_keys_and_messages)
{
    // Deterministic seeds and messages of every length 0..199: the signer, the one-shot sign and
    // verify agree, and one flipped bit anywhere (R, S or message) is refused.
    DeterministicRng rng(8032);
    for (std::size_t len = 0; len < 200; ++len) {
        std::vector<std::uint8_t> seed(32);
        std::vector<std::uint8_t> msg(len);
        rng.fill(seed);
        rng.fill(msg);
        const Ed25519Signer signer(seed);
        BOOST_TEST(to_hex(signer.public_key()) == to_hex(ed25519_public_from_private(seed)));
        auto sig = signer.sign(msg);
        BOOST_TEST(to_hex(sig) == to_hex(ed25519_sign(seed, msg)));
        BOOST_TEST(ed25519_verify(signer.public_key(), msg, sig));
        const std::size_t bit = len * 7 % (8 * (64 + len));
        if (bit < 512) {
            sig[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        } else {
            msg[(bit - 512) / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        }
        BOOST_TEST(!ed25519_verify(signer.public_key(), msg, sig), "len " << len << " bit " << bit);
    }
}

BOOST_AUTO_TEST_CASE(moved_signer_keeps_signing_with_the_same_key)
{
    const auto v = umbra::test::load_vectors("ed25519.txt").at(2);
    Ed25519Signer a(v.bytes("SECRET"));
    Ed25519Signer b(std::move(a));
    BOOST_TEST(to_hex(b.sign(v.bytes("MESSAGE"))) == to_hex(v.bytes("SIGNATURE")));
    Ed25519Signer c(std::vector<std::uint8_t>(32, 1));
    c = std::move(b);
    BOOST_TEST(to_hex(c.public_key()) == to_hex(v.bytes("PUBLIC")));
    BOOST_TEST(to_hex(c.sign(v.bytes("MESSAGE"))) == to_hex(v.bytes("SIGNATURE")));
}

BOOST_AUTO_TEST_SUITE_END()
