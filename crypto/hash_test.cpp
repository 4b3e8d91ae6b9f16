#include <random>

#include <boost/test/unit_test.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

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

namespace {

// OpenSSL's own HMAC and HKDF, the references hash.cpp's constructions must equal.
std::vector<std::uint8_t> openssl_hmac(const std::vector<std::uint8_t>& key,
                                       const std::vector<std::uint8_t>& data)
{
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    static const std::uint8_t empty[1] = {0};
    std::vector<std::uint8_t> out(32);
    std::size_t len = 0;
    const bool ok = EVP_MAC_init(ctx, key.empty() ? empty : key.data(), key.size(), params) == 1 &&
                    EVP_MAC_update(ctx, data.empty() ? empty : data.data(), data.size()) == 1 &&
                    EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == 32;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    BOOST_REQUIRE(ok);
    return out;
}

std::vector<std::uint8_t> openssl_hkdf(std::vector<std::uint8_t> salt,
                                       std::vector<std::uint8_t> ikm,
                                       std::vector<std::uint8_t> info, std::size_t length)
{
    if (salt.empty()) {
        salt.assign(32, 0);
    }
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    char digest[] = "SHA256";
    static std::uint8_t empty[1] = {0};
    auto octets = [](const char* name, std::vector<std::uint8_t>& b) {
        return OSSL_PARAM_construct_octet_string(name, b.empty() ? empty : b.data(), b.size());
    };
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
                                 octets(OSSL_KDF_PARAM_SALT, salt), octets(OSSL_KDF_PARAM_KEY, ikm),
                                 octets(OSSL_KDF_PARAM_INFO, info), OSSL_PARAM_construct_end()};
    std::vector<std::uint8_t> out(length);
    const bool ok = EVP_KDF_derive(ctx, out.data(), out.size(), params) == 1;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    BOOST_REQUIRE(ok);
    return out;
}

std::vector<std::uint8_t> random_bytes(std::mt19937& rng, std::size_t max)
{
    std::vector<std::uint8_t> b(rng() % (max + 1));
    for (auto& x : b) {
        x = std::uint8_t(rng());
    }
    return b;
}

} // namespace

// hash.cpp builds HMAC and HKDF on SHA-256 itself; every key length class (empty, shorter than,
// equal to and longer than the 64-byte block) and every HKDF output length class (part of a
// block, whole blocks, up to the 255-block limit) must give OpenSSL's answer.
BOOST_AUTO_TEST_CASE(hmac_and_hkdf_equal_openssl_evp_mac_and_kdf)
{
    std::mt19937 rng(20261125);
    for (int i = 0; i < 600; ++i) {
        const auto key = random_bytes(rng, i % 3 == 0 ? 200 : 70);
        const auto data = random_bytes(rng, 300);
        BOOST_TEST(to_hex(hmac_sha256(key, data)) == to_hex(openssl_hmac(key, data)),
                   "hmac case " << i);
    }
    for (const std::size_t key_size : {0, 1, 32, 63, 64, 65, 128}) {
        const std::vector<std::uint8_t> key(key_size, 0xa5);
        BOOST_TEST(to_hex(hmac_sha256(key, key)) == to_hex(openssl_hmac(key, key)));
    }
    for (int i = 0; i < 300; ++i) {
        const auto salt = random_bytes(rng, i % 2 == 0 ? 100 : 40);
        const auto ikm = random_bytes(rng, 100);
        const auto info = random_bytes(rng, 80);
        const std::size_t length = i == 0 ? 255 * 32 : 1 + rng() % (i % 10 == 0 ? 1000 : 96);
        std::vector<std::uint8_t> okm(length);
        hkdf_sha256(salt, ikm, info, okm);
        BOOST_TEST(to_hex(okm) == to_hex(openssl_hkdf(salt, ikm, info, length)), "hkdf case " << i);
    }
}

BOOST_AUTO_TEST_CASE(sha256_of_two_pieces_equals_sha256_of_their_concatenation)
{
    std::mt19937 rng(7);
    for (int i = 0; i < 50; ++i) {
        const auto a = random_bytes(rng, 100);
        const auto b = random_bytes(rng, 100);
        std::vector<std::uint8_t> ab(a);
        ab.insert(ab.end(), b.begin(), b.end());
        BOOST_TEST(to_hex(sha256(a, b)) == to_hex(sha256(ab)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
