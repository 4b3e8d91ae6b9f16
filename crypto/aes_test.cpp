#include <boost/test/unit_test.hpp>

#include "crypto/aes.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
AesIv iv_of(const std::vector<std::uint8_t>& b)
{
    AesIv iv{};
    BOOST_REQUIRE(b.size() == iv.size());
    std::copy(b.begin(), b.end(), iv.begin());
    return iv;
}
} // namespace

BOOST_AUTO_TEST_SUITE(aes_suite)

BOOST_AUTO_TEST_CASE(matches_sp800_38a_aes256_vectors)
{
    const auto vectors = umbra::test::load_vectors("aes.txt");
    BOOST_TEST(vectors.size() == 2u);
    for (const auto& v : vectors) {
        const auto key = v.bytes("KEY");
        const auto pt = v.bytes("PLAINTEXT");
        const auto ct = v.bytes("CIPHERTEXT");
        auto buf = pt;
        if (v.str("MODE") == "ECB") {
            aes256_ecb_encrypt(key, buf);
            BOOST_TEST(to_hex(buf) == to_hex(ct));
            aes256_ecb_decrypt(key, buf);
        } else {
            aes256_cbc_encrypt(key, iv_of(v.bytes("IV")), buf);
            BOOST_TEST(to_hex(buf) == to_hex(ct));
            aes256_cbc_decrypt(key, iv_of(v.bytes("IV")), buf);
        }
        BOOST_TEST(to_hex(buf) == to_hex(pt));
    }
}

BOOST_AUTO_TEST_CASE(chained_cbc_calls_equal_one_call)
{
    const auto v = umbra::test::load_vectors("aes.txt").at(1);
    auto buf = v.bytes("PLAINTEXT");
    Aes256 enc(v.bytes("KEY"), Aes256::Direction::encrypt);
    AesIv iv = iv_of(v.bytes("IV"));
    const MutableBytes all(buf);
    enc.cbc(iv, all.first(16));
    enc.cbc(iv, all.subspan(16, 32));
    enc.cbc(iv, all.subspan(48));
    BOOST_TEST(to_hex(buf) == to_hex(v.bytes("CIPHERTEXT")));
    BOOST_TEST(to_hex(iv) == to_hex(Bytes(buf).last(16)));

    Aes256 dec(v.bytes("KEY"), Aes256::Direction::decrypt);
    AesIv div = iv_of(v.bytes("IV"));
    dec.cbc(div, all.first(32));
    BOOST_TEST(to_hex(div) == to_hex(Bytes(v.bytes("CIPHERTEXT")).subspan(16, 16)));
    dec.cbc(div, all.subspan(32));
    BOOST_TEST(to_hex(buf) == to_hex(v.bytes("PLAINTEXT")));
}

BOOST_AUTO_TEST_CASE(one_context_runs_ecb_and_cbc)
{
    const auto ecb = umbra::test::load_vectors("aes.txt").at(0);
    const auto cbc = umbra::test::load_vectors("aes.txt").at(1);
    Aes256 enc(ecb.bytes("KEY"), Aes256::Direction::encrypt);
    auto a = ecb.bytes("PLAINTEXT");
    enc.ecb(a);
    auto b = cbc.bytes("PLAINTEXT");
    AesIv iv = iv_of(cbc.bytes("IV"));
    enc.cbc(iv, b);
    enc.ecb({}); // empty input is a no-op
    BOOST_TEST(to_hex(a) == to_hex(ecb.bytes("CIPHERTEXT")));
    BOOST_TEST(to_hex(b) == to_hex(cbc.bytes("CIPHERTEXT")));
    Aes256 moved = std::move(enc);
    auto c = ecb.bytes("PLAINTEXT");
    moved.ecb(c);
    BOOST_TEST(to_hex(c) == to_hex(ecb.bytes("CIPHERTEXT")));
}

BOOST_AUTO_TEST_SUITE_END()
