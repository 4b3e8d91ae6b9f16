#include <random>
#include <string>

#include <boost/test/unit_test.hpp>

#include "router/base/encoding.h"

using namespace umbra;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s)
{
    return {s.begin(), s.end()};
}

std::vector<std::uint8_t> random_bytes(std::mt19937& rng, std::size_t n)
{
    std::uniform_int_distribution<int> byte(0, 255);
    std::vector<std::uint8_t> out(n);
    for (auto& b : out) {
        b = static_cast<std::uint8_t>(byte(rng));
    }
    return out;
}

bool base64_rejects(std::string_view text)
{
    auto r = base64_decode(text);
    return !r && r.error() == make_error_code(Errc::bad_encoding);
}

bool base32_rejects(std::string_view text)
{
    auto r = base32_decode(text);
    return !r && r.error() == make_error_code(Errc::bad_encoding);
}

struct Vector {
    std::string_view plain;
    std::string_view encoded;
};

// RFC 4648 §10. These contain neither '+' nor '/', so they hold for the I2P alphabet unchanged;
// base32 drops the padding and is lower case.
constexpr Vector rfc4648_base64[] = {{"", ""},
                                     {"f", "Zg=="},
                                     {"fo", "Zm8="},
                                     {"foo", "Zm9v"},
                                     {"foob", "Zm9vYg=="},
                                     {"fooba", "Zm9vYmE="},
                                     {"foobar", "Zm9vYmFy"}};
constexpr Vector rfc4648_base32[] = {{"", ""},
                                     {"f", "my"},
                                     {"fo", "mzxq"},
                                     {"foo", "mzxw6"},
                                     {"foob", "mzxw6yq"},
                                     {"fooba", "mzxw6ytb"},
                                     {"foobar", "mzxw6ytboi"}};

} // namespace

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(base64_matches_rfc4648_vectors)
{
    for (const auto& v : rfc4648_base64) {
        BOOST_TEST(base64_encode(bytes_of(v.plain)) == v.encoded);
        auto decoded = base64_decode(v.encoded);
        BOOST_TEST_REQUIRE(decoded.has_value());
        BOOST_TEST(*decoded == bytes_of(v.plain));
    }
}

BOOST_AUTO_TEST_CASE(base64_uses_dash_and_tilde_for_the_last_two_digits)
{
    // In RFC 4648 these are "++++", "////" and "-~8=" would be "+/8=".
    const std::vector<std::uint8_t> all62 = {0xfb, 0xef, 0xbe};
    const std::vector<std::uint8_t> all63 = {0xff, 0xff, 0xff};
    const std::vector<std::uint8_t> mixed = {0xfb, 0xff};
    BOOST_TEST(base64_encode(all62) == "----");
    BOOST_TEST(base64_encode(all63) == "~~~~");
    BOOST_TEST(base64_encode(mixed) == "-~8=");
    BOOST_TEST(*base64_decode("----") == all62);
    BOOST_TEST(*base64_decode("~~~~") == all63);
    BOOST_TEST(*base64_decode("-~8=") == mixed);
}

BOOST_AUTO_TEST_CASE(base32_matches_rfc4648_vectors_in_lower_case_without_padding)
{
    for (const auto& v : rfc4648_base32) {
        BOOST_TEST(base32_encode(bytes_of(v.plain)) == v.encoded);
        auto decoded = base32_decode(v.encoded);
        BOOST_TEST_REQUIRE(decoded.has_value());
        BOOST_TEST(*decoded == bytes_of(v.plain));
    }
}

BOOST_AUTO_TEST_CASE(base32_decodes_upper_and_mixed_case)
{
    BOOST_TEST(*base32_decode("MZXW6YTBOI") == bytes_of("foobar"));
    BOOST_TEST(*base32_decode("MzXw6YtBoI") == bytes_of("foobar"));
}

BOOST_AUTO_TEST_CASE(round_trips_random_data_of_every_length_up_to_100)
{
    std::mt19937 rng(4648);
    for (std::size_t n = 0; n <= 100; ++n) {
        const auto data = random_bytes(rng, n);
        const std::string b64 = base64_encode(data);
        const std::string b32 = base32_encode(data);
        BOOST_TEST(b64.size() == (n + 2) / 3 * 4);
        BOOST_TEST(b32.size() == (n * 8 + 4) / 5);
        auto d64 = base64_decode(b64);
        auto d32 = base32_decode(b32);
        BOOST_TEST_REQUIRE(d64.has_value());
        BOOST_TEST_REQUIRE(d32.has_value());
        BOOST_TEST(*d64 == data);
        BOOST_TEST(*d32 == data);
    }
}

BOOST_AUTO_TEST_CASE(rejects_base64_with_standard_alphabet_plus_and_slash)
{
    BOOST_TEST(base64_rejects("+/8="));
    BOOST_TEST(base64_rejects("ab+d"));
    BOOST_TEST(base64_rejects("ab/d"));
}

BOOST_AUTO_TEST_CASE(rejects_base64_with_characters_outside_the_alphabet)
{
    for (const std::string_view bad : {"Zm9 ", "Zm9\n", "Zm9.", "Zm9_", "Zm9*"}) {
        BOOST_TEST(base64_rejects(bad), bad);
    }
    BOOST_TEST(base64_rejects(std::string_view("Zm9\0", 4)));
    BOOST_TEST(base64_rejects("Zm9\xc3"));
}

BOOST_AUTO_TEST_CASE(rejects_base64_with_bad_padding)
{
    BOOST_TEST(base64_rejects("Zg="));      // padding short of a whole group
    BOOST_TEST(base64_rejects("Zg"));       // no padding
    BOOST_TEST(base64_rejects("Z==="));     // three '=' cannot end a group
    BOOST_TEST(base64_rejects("===="));     // nothing but padding
    BOOST_TEST(base64_rejects("Zg==Zg==")); // padding in the middle
    BOOST_TEST(base64_rejects("Zg=a"));
    BOOST_TEST(base64_rejects("=Zg="));
}

BOOST_AUTO_TEST_CASE(rejects_base64_with_nonzero_trailing_bits)
{
    // "Zg==" and "Zm8=" are canonical; these differ only in the bits after the last byte.
    BOOST_TEST(base64_rejects("Zh=="));
    BOOST_TEST(base64_rejects("Zm9="));
}

BOOST_AUTO_TEST_CASE(rejects_base64_of_wrong_length)
{
    BOOST_TEST(base64_rejects("Z"));
    BOOST_TEST(base64_rejects("Zm9vY"));
    BOOST_TEST(base64_rejects("Zm9vYmF"));
}

BOOST_AUTO_TEST_CASE(rejects_base32_with_characters_outside_the_alphabet)
{
    for (const std::string_view bad : {"m0", "m1", "m8", "m9", "m-", "m ", "m.", "m\xc3"}) {
        BOOST_TEST(base32_rejects(bad), bad);
    }
}

BOOST_AUTO_TEST_CASE(rejects_base32_with_padding)
{
    BOOST_TEST(base32_rejects("my======"));
    BOOST_TEST(base32_rejects("mzxw6yq="));
}

BOOST_AUTO_TEST_CASE(rejects_base32_of_impossible_length)
{
    // 1, 3 or 6 characters past a multiple of 8 cannot encode whole bytes.
    BOOST_TEST(base32_rejects("m"));
    BOOST_TEST(base32_rejects("mzx"));
    BOOST_TEST(base32_rejects("mzxw6y"));
    BOOST_TEST(base32_rejects("mzxw6ytbo"));
}

BOOST_AUTO_TEST_CASE(rejects_base32_with_nonzero_trailing_bits)
{
    BOOST_TEST(base32_rejects("mz"));      // "my" is 'f'
    BOOST_TEST(base32_rejects("mzxr"));    // "mzxq" is "fo"
    BOOST_TEST(base32_rejects("mzxw6yr")); // "mzxw6yq" is "foob"
}

BOOST_AUTO_TEST_CASE(decodes_a_b32_i2p_address_to_a_32_byte_hash)
{
    // naming.html: the hash of i2p-projekt.i2p's destination.
    const std::string_view name = "udhdrtrcetjm5sxzskjyr5ztpeszydbh4dpl3pl4utgqqw2v4jna";
    auto hash = base32_decode(name);
    BOOST_TEST_REQUIRE(hash.has_value());
    BOOST_TEST(hash->size() == 32u);
    BOOST_TEST(base32_encode(*hash) == name);
}

BOOST_AUTO_TEST_SUITE_END()
