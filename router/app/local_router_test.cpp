#include <boost/test/unit_test.hpp>

#include "router/app/local_router.h"
#include "router/base/encoding.h"
#include "router/base/file.h"
#include "tests/support/temp_dir.h"

#include <sys/stat.h>

using namespace umbra;
using namespace umbra::app;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p)
{
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

Config test_config()
{
    Config c;
    c.netid = 99;
    c.host = "198.18.0.5";
    c.port = 20005;
    return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(local_router)

BOOST_AUTO_TEST_CASE(creates_identity_once_and_reloads_the_same_one)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(7);
    bool created = false;
    const auto first = LocalRouter::load_or_create(dir.path, rng, created);
    BOOST_TEST(created);
    BOOST_TEST(mode_of(dir.path / "router.keys") == 0600u);
    BOOST_TEST(mode_of(dir.path / "ntcp2.keys") == 0600u);
    const auto second = LocalRouter::load_or_create(dir.path, rng, created);
    BOOST_TEST(!created);
    BOOST_TEST((first.identity().ident_hash() == second.identity().ident_hash()));
    BOOST_TEST((first.ntcp2().static_key.public_key == second.ntcp2().static_key.public_key));
    BOOST_TEST((first.ntcp2().iv == second.ntcp2().iv));
    // The identity is the one new routers use: X25519 (4) and Ed25519 (7).
    BOOST_TEST(first.identity().crypto_type() == 4);
    BOOST_TEST(static_cast<int>(first.identity().sig_type()) == 7);
}

BOOST_AUTO_TEST_CASE(damaged_key_file_is_an_error_not_a_new_identity)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(8);
    bool created = false;
    (void)LocalRouter::load_or_create(dir.path, rng, created);
    auto bytes = *read_file(dir.path / "router.keys", 4096);
    bytes.resize(bytes.size() - 1);
    BOOST_TEST_REQUIRE(write_file_atomic(dir.path / "router.keys", bytes, 0600).has_value());
    BOOST_CHECK_THROW(LocalRouter::load_or_create(dir.path, rng, created), StartupError);
    BOOST_TEST(read_file(dir.path / "router.keys", 4096)->size() == bytes.size()); // untouched
}

BOOST_AUTO_TEST_CASE(mismatched_ntcp2_keys_are_rejected)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(9);
    bool created = false;
    (void)LocalRouter::load_or_create(dir.path, rng, created);
    auto bytes = *read_file(dir.path / "ntcp2.keys", 4096);
    bytes[0] ^= 1; // public key no longer matches the private key
    BOOST_TEST_REQUIRE(write_file_atomic(dir.path / "ntcp2.keys", bytes, 0600).has_value());
    BOOST_CHECK_THROW(LocalRouter::load_or_create(dir.path, rng, created), StartupError);
}

BOOST_AUTO_TEST_CASE(router_info_is_signed_and_carries_the_configuration)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(10);
    bool created = false;
    const auto router = LocalRouter::load_or_create(dir.path, rng, created);
    const WallTime now{1'764'000'000'000};
    const auto ri = router.make_router_info(test_config(), now, rng);
    auto parsed = data::RouterInfo::parse(ri.bytes());
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->validate(99, now).has_value());
    BOOST_TEST(!parsed->validate(2, now).has_value());
    BOOST_TEST((parsed->ident_hash() == router.identity().ident_hash()));
    BOOST_TEST((parsed->published() == now));
    BOOST_TEST(*parsed->options().get("netId") == "99");
    BOOST_TEST(*parsed->options().get("caps") == "LR");
    BOOST_TEST(*parsed->version() == router_api_version);
    const auto ntcp2 = parsed->addresses("NTCP2");
    BOOST_TEST_REQUIRE(ntcp2.size() == 1u);
    BOOST_TEST(*ntcp2[0]->option("host") == "198.18.0.5");
    BOOST_TEST(*ntcp2[0]->option("port") == "20005");
    BOOST_TEST(*ntcp2[0]->option("v") == "2");
    BOOST_TEST(*ntcp2[0]->option("s") == base64_encode(router.ntcp2().static_key.public_key));
    BOOST_TEST(*ntcp2[0]->option("i") == base64_encode(router.ntcp2().iv));
}

BOOST_AUTO_TEST_CASE(without_host_only_the_unpublished_ntcp2_address_and_caps_say_unreachable)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(11);
    bool created = false;
    const auto router = LocalRouter::load_or_create(dir.path, rng, created);
    Config c;
    c.floodfill = true;
    c.bandwidth = 'X';
    const auto ri = router.make_router_info(c, WallTime{1'764'000'000'000}, rng);
    // ntcp2.rst "Unpublished NTCP2 Address": s and v only, so peers can check our static key.
    BOOST_REQUIRE(ri.addresses().size() == 1u);
    const auto& a = ri.addresses()[0];
    BOOST_TEST(a.transport_style == "NTCP2");
    BOOST_TEST(a.cost == 14u);
    BOOST_TEST(*a.option("s") == base64_encode(router.ntcp2().static_key.public_key));
    BOOST_TEST(*a.option("v") == "2");
    BOOST_TEST(!a.option("host"));
    BOOST_TEST(!a.option("port"));
    BOOST_TEST(!a.option("i"));
    BOOST_TEST(*ri.options().get("caps") == "XOfU");
    BOOST_TEST(ri.caps().floodfill);
    BOOST_TEST(ri.caps().unreachable);
}

BOOST_AUTO_TEST_CASE(congestion_cap_goes_last_in_a_newly_signed_router_info)
{
    umbra::test::TempDir dir("umbra-router-test");
    crypto::DeterministicRng rng(12);
    bool created = false;
    const auto router = LocalRouter::load_or_create(dir.path, rng, created);
    const WallTime now{1'764'000'000'000};
    const auto ri = router.make_router_info(test_config(), now, rng, 'E');
    auto parsed = data::RouterInfo::parse(ri.bytes());
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->validate(99, now).has_value()); // signature checks out
    BOOST_TEST(*parsed->options().get("caps") == "LRE");
    BOOST_TEST(caps_for(test_config(), 'G') == "LRG");
    BOOST_TEST(caps_for(test_config()) == "LR");
    auto off = test_config();
    off.notransit = true;
    BOOST_TEST(caps_for(off) == "LRG");
    off.notransit = false;
    off.share = 0;
    BOOST_TEST(caps_for(off, 'D') == "LRG");
}

BOOST_AUTO_TEST_SUITE_END()
