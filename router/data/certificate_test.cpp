#include <boost/test/unit_test.hpp>

#include "router/data/certificate.h"
#include "router/data/testing.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::data;
using umbra::data::testing::fails_with;
using umbra::test::from_hex;

namespace {

Result<Certificate> parse_hex(std::string_view hex)
{
    const auto bytes = from_hex(hex);
    ByteReader r(bytes);
    UMBRA_TRY(auto c, Certificate::parse(r));
    UMBRA_TRY_VOID(r.expect_end());
    return c;
}

std::vector<std::uint8_t> written(const Certificate& c)
{
    ByteWriter w;
    c.write(w);
    return w.take();
}

} // namespace

BOOST_AUTO_TEST_SUITE(certificate)

BOOST_AUTO_TEST_CASE(parses_null_certificate_with_default_layout)
{
    const auto c = parse_hex("000000");
    BOOST_REQUIRE(c);
    BOOST_TEST(int(c->type()) == int(CertType::null));
    BOOST_TEST(c->layout().signing_key_size == 128u);
    BOOST_TEST(c->layout().crypto_key_size == 256u);
    BOOST_TEST(int(c->layout().sig_type) == int(crypto::SigType::dsa_sha1));
    BOOST_TEST(written(*c) == from_hex("000000"));
}

BOOST_AUTO_TEST_CASE(rejects_null_and_hidden_certificates_with_payload)
{
    BOOST_TEST(fails_with(parse_hex("00000100"), Errc::invalid_value));
    BOOST_TEST(fails_with(parse_hex("02000100"), Errc::invalid_value));
    BOOST_TEST(parse_hex("020000").has_value());
}

BOOST_AUTO_TEST_CASE(accepts_signed_certificate_of_40_or_72_bytes_only)
{
    BOOST_TEST(parse_hex("030028" + std::string(80, '0')).has_value());
    BOOST_TEST(parse_hex("030048" + std::string(144, '0')).has_value());
    BOOST_TEST(fails_with(parse_hex("030029" + std::string(82, '0')), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(keeps_multiple_and_hashcash_payloads_opaque)
{
    const auto m = parse_hex("040003000000");
    BOOST_REQUIRE(m);
    BOOST_TEST(m->payload().size() == 3u);
    BOOST_TEST(written(*m) == from_hex("040003000000"));
    BOOST_TEST(parse_hex("01000131").has_value());
}

BOOST_AUTO_TEST_CASE(parses_key_certificate_for_ed25519_and_x25519)
{
    const auto c = parse_hex("05000400070004");
    BOOST_REQUIRE(c);
    BOOST_TEST(int(c->layout().sig_type) == 7);
    BOOST_TEST(c->layout().crypto_type == 4);
    BOOST_TEST(c->layout().crypto_key_size == 32u);
    BOOST_TEST(c->layout().signing_key_size == 32u);
    BOOST_TEST(c->layout().signature_size == 64u);
    BOOST_TEST(c->excess_signing_key().empty());
}

BOOST_AUTO_TEST_CASE(key_certificate_for_p521_carries_four_excess_key_bytes)
{
    const auto c = parse_hex("050008000300000a0b0c0d");
    BOOST_REQUIRE(c);
    BOOST_TEST(c->layout().signing_key_size == 132u);
    BOOST_TEST(std::vector<std::uint8_t>(c->excess_signing_key().begin(),
                                         c->excess_signing_key().end()) == from_hex("0a0b0c0d"));
}

BOOST_AUTO_TEST_CASE(rejects_key_certificate_with_excess_data)
{
    BOOST_TEST(fails_with(parse_hex("0500050007000400"), Errc::trailing_data));
    BOOST_TEST(fails_with(parse_hex("050007000300000a0b0c"), Errc::truncated));
    BOOST_TEST(fails_with(parse_hex("050003000700"), Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_key_certificate_with_unknown_types)
{
    BOOST_TEST(fails_with(parse_hex("05000400090000"), Errc::unsupported)); // GOST, reserved
    BOOST_TEST(fails_with(parse_hex("05000400070001"), Errc::unsupported)); // P256 crypto
    BOOST_TEST(fails_with(parse_hex("05000400070005"), Errc::unsupported)); // LS-only type
}

BOOST_AUTO_TEST_CASE(rejects_unknown_certificate_type)
{
    BOOST_TEST(fails_with(parse_hex("060000"), Errc::unsupported));
}

BOOST_AUTO_TEST_CASE(rejects_truncated_certificate)
{
    BOOST_TEST(fails_with(parse_hex("05"), Errc::truncated));
    BOOST_TEST(fails_with(parse_hex("0500"), Errc::truncated));
    BOOST_TEST(fails_with(parse_hex("050004000700"), Errc::truncated));
}

BOOST_AUTO_TEST_CASE(builds_key_certificate_that_parses_back)
{
    const auto layout = key_layout(3, 0);
    BOOST_REQUIRE(layout);
    const auto excess = from_hex("01020304");
    const auto c = Certificate::key(*layout, excess);
    BOOST_TEST(written(c) == from_hex("05000800030000 01020304"));
    const auto back = parse_hex(umbra::test::to_hex(written(c)));
    BOOST_REQUIRE(back);
    BOOST_TEST((*back == c));
}

BOOST_AUTO_TEST_SUITE_END()
