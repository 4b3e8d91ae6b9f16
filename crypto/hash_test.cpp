#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

BOOST_AUTO_TEST_SUITE(hash_suite)

BOOST_AUTO_TEST_CASE(matches_fips180_sha256_and_sha512_examples)
{
    const auto vectors = umbra::test::load_vectors("sha.txt");
    BOOST_TEST(vectors.size() == 2u);
    for (const auto& v : vectors) {
        const auto msg = v.bytes("MESSAGE");
        BOOST_TEST(to_hex(sha256(msg)) == to_hex(v.bytes("SHA256")));
        BOOST_TEST(to_hex(sha512(msg)) == to_hex(v.bytes("SHA512")));
    }
}

BOOST_AUTO_TEST_CASE(incremental_hash_equals_one_shot)
{
    for (const auto& v : umbra::test::load_vectors("sha.txt")) {
        const auto msg = v.bytes("MESSAGE");
        const Bytes all(msg);
        Sha256 h256;
        Sha512 h512;
        for (std::size_t i = 0; i < msg.size(); i += 5) {
            const auto piece = all.subspan(i, std::min<std::size_t>(5, msg.size() - i));
            h256.update(piece);
            h512.update(piece);
        }
        h256.update({});
        BOOST_TEST(to_hex(h256.finish()) == to_hex(v.bytes("SHA256")));
        BOOST_TEST(to_hex(h512.finish()) == to_hex(v.bytes("SHA512")));
    }
}

BOOST_AUTO_TEST_CASE(hashes_empty_input)
{
    BOOST_TEST(to_hex(sha256({})) ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(moved_hash_keeps_its_state)
{
    Sha256 a;
    a.update(std::vector<std::uint8_t>{'a', 'b'});
    Sha256 b = std::move(a);
    b.update(std::vector<std::uint8_t>{'c'});
    BOOST_TEST(to_hex(b.finish()) ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(matches_rfc4231_hmac_sha256_vectors)
{
    const auto vectors = umbra::test::load_vectors("hmac_sha256.txt");
    BOOST_TEST(vectors.size() == 7u);
    for (const auto& v : vectors) {
        const auto mac = hmac_sha256(v.bytes("KEY"), v.bytes("DATA"));
        const auto expected = v.bytes("MAC"); // case 5 is truncated
        BOOST_TEST(to_hex(Bytes(mac).first(expected.size())) == to_hex(expected),
                   "line " << v.line);
    }
}

BOOST_AUTO_TEST_CASE(hmac_accepts_empty_key_and_data)
{
    // HMAC with an empty key is HMAC with a block of zeros (RFC 2104 §2).
    const std::vector<std::uint8_t> zero_key(64, 0);
    BOOST_TEST(to_hex(hmac_sha256({}, {})) == to_hex(hmac_sha256(zero_key, {})));
}

BOOST_AUTO_TEST_CASE(matches_rfc5869_hkdf_vectors)
{
    const auto vectors = umbra::test::load_vectors("hkdf.txt");
    BOOST_TEST(vectors.size() == 3u);
    for (const auto& v : vectors) {
        std::vector<std::uint8_t> okm(std::stoul(v.str("L")));
        hkdf_sha256(v.bytes("SALT"), v.bytes("IKM"), v.bytes("INFO"), okm);
        BOOST_TEST(to_hex(okm) == to_hex(v.bytes("OKM")), "line " << v.line);
        // The extract step is HMAC(salt, IKM) with a zero salt of 32 bytes when empty.
        auto salt = v.bytes("SALT");
        if (salt.empty()) {
            salt.assign(32, 0);
        }
        BOOST_TEST(to_hex(hmac_sha256(salt, v.bytes("IKM"))) == to_hex(v.bytes("PRK")));
    }
}

BOOST_AUTO_TEST_CASE(hkdf_accepts_empty_input_key_material)
{
    const std::vector<std::uint8_t> salt(32, 7);
    std::vector<std::uint8_t> out(64);
    hkdf_sha256(salt, {}, {}, out);
    // T(1) = HMAC(PRK, 0x01) with PRK = HMAC(salt, "").
    const auto prk = hmac_sha256(salt, {});
    const std::vector<std::uint8_t> one{1};
    BOOST_TEST(to_hex(Bytes(out).first(32)) == to_hex(hmac_sha256(prk, one)));
}

BOOST_AUTO_TEST_SUITE_END()
