#include <boost/test/unit_test.hpp>

#include "netdb/reseed/reseed.h"
#include "router/base/file.h"
#include "router/data/router_info.h"

using namespace umbra;
using namespace umbra::reseed;

namespace {

const std::string signer = "test-only@reseed.umbra.invalid";

std::vector<std::uint8_t> fixture(const std::string& name)
{
    auto data = read_file("tests/fixtures/reseed/" + name, 1 << 20);
    BOOST_REQUIRE(data);
    return *data;
}

std::string pem()
{
    const auto b = fixture("test-only-signer.crt.pem");
    return {b.begin(), b.end()};
}

CertMap certs()
{
    return {{signer, pem()}};
}

template <class T> void check_error(const Result<T>& r, Errc expected)
{
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error() == make_error_code(expected), r.error().message());
}

// Header field offsets (updates.rst, "SU3 File Specification").
constexpr std::size_t at_format = 7;
constexpr std::size_t at_sig_type = 8;
constexpr std::size_t at_sig_size = 10;
constexpr std::size_t at_version_size = 13;
constexpr std::size_t at_signer_size = 15;
constexpr std::size_t at_content_size = 16;
constexpr std::size_t at_file_type = 25;
constexpr std::size_t at_content_type = 27;

} // namespace

BOOST_AUTO_TEST_SUITE(su3)

BOOST_AUTO_TEST_CASE(parses_the_fixture_header)
{
    const auto file = fixture("test-only-reseed.su3");
    auto su3 = parse_su3(file);
    BOOST_REQUIRE(su3);
    BOOST_TEST(su3->sig_type == 6);
    BOOST_TEST((su3->file_type == Su3FileType::zip));
    BOOST_TEST((su3->content_type == Su3ContentType::reseed));
    BOOST_TEST(su3->version == "1700000000");
    BOOST_TEST(su3->signer_id == signer);
    BOOST_TEST(su3->signature.size() == 512u);
    BOOST_TEST(su3->signed_part.size() == file.size() - 512);
    const auto zip = fixture("test-only-reseed.zip");
    BOOST_TEST(std::equal(su3->content.begin(), su3->content.end(), zip.begin(), zip.end()));
}

BOOST_AUTO_TEST_CASE(verifies_the_fixture_with_its_certificate)
{
    const auto file = fixture("test-only-reseed.su3");
    auto su3 = parse_su3(file);
    BOOST_REQUIRE(su3);
    BOOST_TEST(verify_su3(*su3, certs()).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_a_flipped_bit_in_signature_or_signed_part)
{
    const auto good = fixture("test-only-reseed.su3");
    const std::size_t bits[] = {good.size() - 1, good.size() - 512, good.size() - 600, 45};
    for (const std::size_t at : bits) {
        auto file = good;
        file[at] ^= 0x01;
        auto su3 = parse_su3(file);
        BOOST_REQUIRE(su3);
        check_error(verify_su3(*su3, certs()), Errc::bad_signature);
    }
}

BOOST_AUTO_TEST_CASE(rejects_an_unknown_signer_or_a_certificate_that_does_not_parse)
{
    const auto file = fixture("test-only-reseed.su3");
    auto su3 = parse_su3(file);
    BOOST_REQUIRE(su3);
    check_error(verify_su3(*su3, {}), Errc::bad_signature);
    check_error(verify_su3(*su3, {{"someone-else@mail.i2p", pem()}}), Errc::bad_signature);
    check_error(verify_su3(*su3, {{signer, "not a certificate"}}), Errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(rejects_signature_types_without_certificate_verification)
{
    auto file = fixture("test-only-reseed.su3");
    // Re-type as ECDSA-P521 (132-byte signature): parses, but cannot be checked here.
    file[at_sig_type + 1] = 3;
    file[at_sig_size] = 0;
    file[at_sig_size + 1] = 132;
    file.resize(file.size() - 512 + 132);
    auto su3 = parse_su3(file);
    BOOST_REQUIRE(su3);
    check_error(verify_su3(*su3, certs()), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    const auto file = fixture("test-only-reseed.su3");
    for (std::size_t n = 0; n < file.size(); ++n) {
        BOOST_TEST(!parse_su3(Bytes(file).first(n)), "accepted " << n << " bytes");
    }
}

BOOST_AUTO_TEST_CASE(rejects_a_trailing_byte)
{
    auto file = fixture("test-only-reseed.su3");
    file.push_back(0);
    check_error(parse_su3(file), Errc::trailing_data);
}

BOOST_AUTO_TEST_CASE(rejects_inconsistent_lengths)
{
    const auto good = fixture("test-only-reseed.su3");
    auto with = [&](std::size_t at, std::uint8_t v) {
        auto f = good;
        f[at] = v;
        return parse_su3(f);
    };
    check_error(with(at_sig_size + 1, 1), Errc::invalid_value);    // 513 for type 6
    check_error(with(at_version_size, 15), Errc::invalid_value);   // below 16
    check_error(with(at_signer_size, 0), Errc::invalid_value);     // no signer
    check_error(with(at_signer_size, 31), Errc::truncated);        // one byte more than present
    check_error(with(at_signer_size, 29), Errc::trailing_data);    // one byte less
    check_error(with(at_content_size + 7, 0xff), Errc::truncated); // content past the end
    check_error(with(at_content_size, 0xff), Errc::too_large);     // 2^63 and more
    check_error(with(at_content_size + 4, 0x01), Errc::too_large); // 16 MiB and more
    check_error(with(at_sig_type + 1, 9), Errc::unsupported);      // no such su3 sig type
    check_error(with(at_format, 1), Errc::unsupported);            // future format
    check_error(with(0, 'J'), Errc::bad_encoding);                 // magic
    check_error(with(at_file_type, 7), Errc::invalid_value);
    check_error(with(at_content_type, 6), Errc::invalid_value);
}

BOOST_AUTO_TEST_CASE(rejects_files_over_the_size_cap)
{
    const std::vector<std::uint8_t> big(su3_max_size + 1, 0);
    check_error(parse_su3(big), Errc::too_large);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(reseed_bundle)

BOOST_AUTO_TEST_CASE(opens_a_signed_bundle_and_returns_only_router_infos)
{
    const auto file = fixture("test-only-reseed.su3");
    auto bundle = open_reseed(file, certs(), true);
    BOOST_REQUIRE(bundle);
    BOOST_TEST(bundle->verified);
    BOOST_TEST(bundle->version == "1700000000");
    BOOST_TEST(bundle->signer_id == signer);
    BOOST_REQUIRE_EQUAL(bundle->router_infos.size(), 2u); // README.txt skipped
    BOOST_TEST(bundle->router_infos[0].first.starts_with("routerInfo-AAAA"));
    // The first one is an i2pd RouterInfo: the netdb's parser takes it as is.
    BOOST_TEST(data::RouterInfo::parse(bundle->router_infos[0].second).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_a_tampered_bundle_when_verifying)
{
    auto file = fixture("test-only-reseed.su3");
    file[file.size() - 1] ^= 0x80;
    check_error(open_reseed(file, certs(), true), Errc::bad_signature);
    BOOST_TEST(open_reseed(file, certs(), false).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_content_types_other_than_reseed)
{
    auto file = fixture("test-only-reseed.su3");
    file[at_content_type] = 4; // news: its signer is trusted for news, not for reseeding
    check_error(open_reseed(file, certs(), true), Errc::invalid_value);
    check_error(open_reseed(file, certs(), false), Errc::invalid_value);
    file[at_content_type] = 3;
    file[at_file_type] = 3; // xml.gz
    check_error(open_reseed(file, certs(), false), Errc::invalid_value);
}

BOOST_AUTO_TEST_CASE(opens_a_bare_zip_only_without_verification)
{
    const auto zip = fixture("test-only-reseed.zip");
    check_error(open_reseed(zip, certs(), true), Errc::bad_signature);
    auto bundle = open_reseed(zip, {}, false);
    BOOST_REQUIRE(bundle);
    BOOST_TEST(!bundle->verified);
    BOOST_TEST(bundle->router_infos.size() == 2u);
}

BOOST_AUTO_TEST_CASE(rejects_truncated_signed_bundles_at_every_offset)
{
    const auto file = fixture("test-only-reseed.su3");
    for (std::size_t n = 0; n < file.size(); ++n) {
        BOOST_TEST(!open_reseed(Bytes(file).first(n), certs(), true), "accepted " << n);
    }
}

BOOST_AUTO_TEST_CASE(recognises_router_info_names)
{
    BOOST_TEST(is_router_info_name("routerInfo-abc=.dat"));
    BOOST_TEST(!is_router_info_name("routerInfo-.dat"));
    BOOST_TEST(!is_router_info_name("dir/routerInfo-a.dat"));
    BOOST_TEST(!is_router_info_name("routerInfo-a.dat.gz"));
    BOOST_TEST(!is_router_info_name("README.txt"));
}

BOOST_AUTO_TEST_SUITE_END()
