#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
Nonce12 nonce_of(const std::vector<std::uint8_t>& b)
{
    Nonce12 n{};
    BOOST_REQUIRE(b.size() == n.size());
    std::copy(b.begin(), b.end(), n.begin());
    return n;
}
} // namespace

BOOST_AUTO_TEST_SUITE(chacha_suite)

BOOST_AUTO_TEST_CASE(matches_rfc8439_chacha20_vectors)
{
    const auto vectors = umbra::test::load_vectors("chacha20.txt");
    BOOST_TEST(vectors.size() == 4u);
    for (const auto& v : vectors) {
        const auto pt = v.bytes("PLAINTEXT");
        std::vector<std::uint8_t> out(pt.size());
        const auto counter = static_cast<std::uint32_t>(std::stoul(v.str("COUNTER")));
        chacha20(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), counter, pt, out);
        BOOST_TEST(to_hex(out) == to_hex(v.bytes("CIPHERTEXT")), "line " << v.line);
        // In place, and back again.
        chacha20(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), counter, out, out);
        BOOST_TEST(to_hex(out) == to_hex(pt));
    }
}

BOOST_AUTO_TEST_CASE(matches_rfc8439_aead_vectors)
{
    const auto vectors = umbra::test::load_vectors("chacha20_poly1305.txt");
    BOOST_TEST(vectors.size() == 2u);
    for (const auto& v : vectors) {
        const auto pt = v.bytes("PLAINTEXT");
        auto expected = v.bytes("CIPHERTEXT");
        const auto tag = v.bytes("TAG");
        expected.insert(expected.end(), tag.begin(), tag.end());
        std::vector<std::uint8_t> out(pt.size() + aead_tag_size);
        aead_encrypt(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), v.bytes("AD"), pt, out);
        BOOST_TEST(to_hex(out) == to_hex(expected), "line " << v.line);
        std::vector<std::uint8_t> back(pt.size());
        BOOST_TEST(aead_decrypt(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), v.bytes("AD"), expected,
                                back));
        BOOST_TEST(to_hex(back) == to_hex(pt));
    }
}

BOOST_AUTO_TEST_CASE(keyed_aead_matches_rfc8439_vectors_and_changes_nonces)
{
    for (const auto& v : umbra::test::load_vectors("chacha20_poly1305.txt")) {
        const auto pt = v.bytes("PLAINTEXT");
        auto expected = v.bytes("CIPHERTEXT");
        const auto tag = v.bytes("TAG");
        expected.insert(expected.end(), tag.begin(), tag.end());
        AeadKey key(v.bytes("KEY"));
        std::vector<std::uint8_t> out(pt.size() + aead_tag_size), back(pt.size());
        // A first message under another nonce must not disturb the next one.
        key.encrypt(noise_nonce(99), {}, pt, out);
        BOOST_TEST(!key.decrypt(noise_nonce(98), {}, out, back));
        BOOST_TEST(key.decrypt(noise_nonce(99), {}, out, back));
        key.encrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), pt, out);
        BOOST_TEST(to_hex(out) == to_hex(expected), "line " << v.line);
        BOOST_TEST(key.decrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), expected, back));
        BOOST_TEST(to_hex(back) == to_hex(pt));
        expected[0] ^= 1;
        BOOST_TEST(!key.decrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), expected, back));
        expected[0] ^= 1;
        // The expected tag is set per call: a wrong tag fails, the right one after it verifies.
        expected.back() ^= 0x80;
        BOOST_TEST(!key.decrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), expected, back));
        expected.back() ^= 0x80;
        BOOST_TEST(key.decrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), expected, back));
        // In place, as the data phase opens frames: plaintext over the ciphertext.
        auto frame = expected;
        BOOST_TEST(key.decrypt(nonce_of(v.bytes("NONCE")), v.bytes("AD"), frame,
                               MutableBytes(frame).first(pt.size())));
        BOOST_TEST(to_hex(Bytes(frame).first(pt.size())) == to_hex(pt));
    }
}

BOOST_AUTO_TEST_CASE(rejects_tag_with_flipped_bit)
{
    const auto v = umbra::test::load_vectors("chacha20_poly1305.txt").at(0);
    auto ct = v.bytes("CIPHERTEXT");
    const auto tag = v.bytes("TAG");
    ct.insert(ct.end(), tag.begin(), tag.end());
    for (std::size_t pos : {std::size_t{0}, ct.size() - 1}) {
        auto bad = ct;
        bad[pos] ^= 0x01;
        std::vector<std::uint8_t> out(ct.size() - aead_tag_size, 0xaa);
        BOOST_TEST(
            !aead_decrypt(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), v.bytes("AD"), bad, out));
        BOOST_TEST(std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }));
    }
    auto ad = v.bytes("AD");
    ad[0] ^= 0x01;
    std::vector<std::uint8_t> out(ct.size() - aead_tag_size);
    BOOST_TEST(!aead_decrypt(v.bytes("KEY"), nonce_of(v.bytes("NONCE")), ad, ct, out));
}

BOOST_AUTO_TEST_CASE(rejects_input_shorter_than_tag)
{
    const std::vector<std::uint8_t> key(32, 1);
    const std::vector<std::uint8_t> short_input(aead_tag_size - 1, 0);
    std::vector<std::uint8_t> out;
    BOOST_TEST(!aead_decrypt(key, noise_nonce(0), {}, short_input, out));
}

BOOST_AUTO_TEST_CASE(round_trips_empty_plaintext_with_tag_only)
{
    const std::vector<std::uint8_t> key(32, 3);
    std::vector<std::uint8_t> out(aead_tag_size);
    aead_encrypt(key, noise_nonce(5), {}, {}, out);
    std::vector<std::uint8_t> none;
    BOOST_TEST(aead_decrypt(key, noise_nonce(5), {}, out, none));
    BOOST_TEST(!aead_decrypt(key, noise_nonce(6), {}, out, none));
}

BOOST_AUTO_TEST_CASE(noise_nonce_is_four_zero_bytes_then_little_endian_counter)
{
    BOOST_TEST(to_hex(noise_nonce(0x0102030405060708ULL)) == "000000000807060504030201");
}

BOOST_AUTO_TEST_SUITE_END()
