#include <algorithm>
#include <fstream>
#include <map>

#include <boost/test/unit_test.hpp>

#include "netdb/store/persistence.h"
#include "netdb/store/testing.h"
#include "router/base/file.h"
#include "tests/support/vector_file.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;
namespace fs = std::filesystem;

namespace {

// The names i2pd gives the fixtures: I2P base64 (alphabet '-~') of SHA-256 over each file's
// RouterIdentity (391 bytes: 384 key bytes and a 7-byte key certificate), computed
// independently with Python's hashlib and base64.
const std::map<std::string, std::string> i2pd_names = {
    {"router1", "rA/routerInfo-AG4jwwJWs50gNbna68MebmGcdRCNnzwjb1f0DWFXR70=.dat"},
    {"router2-floodfill", "rA/routerInfo-Aq6G7S8QkxjTlpsTaaP2jKNKdk~6hP2Nb8LJi6BYEp8=.dat"},
    {"router3-ntcp2only", "r4/routerInfo-42wl-qRbzZgsstbook0ei22oZGuFYRY~LKRbHyH9M40=.dat"},
};

std::vector<std::uint8_t> fixture(const std::string& name)
{
    return test::read_file("tests/fixtures/i2pd/" + name + ".info");
}

void write(const fs::path& p, const std::vector<std::uint8_t>& bytes)
{
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// i2pd creates r<C> for all 64 characters of the alphabet up front.
void make_i2pd_subdirs(const fs::path& netdb)
{
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
    for (char c : alphabet) {
        fs::create_directories(netdb / (std::string("r") + c));
    }
}

// After every fixture was published, within 72 h of each.
WallTime fixtures_now()
{
    std::int64_t newest = 0, oldest = INT64_MAX;
    for (const auto& [name, file] : i2pd_names) {
        const auto ri = data::RouterInfo::parse(fixture(name));
        BOOST_REQUIRE(ri);
        newest = std::max(newest, ri->published().ms);
        oldest = std::min(oldest, ri->published().ms);
    }
    BOOST_REQUIRE(newest - oldest < 72 * 3'600'000LL);
    return {newest + 60'000};
}

} // namespace

BOOST_AUTO_TEST_SUITE(persistence)

BOOST_AUTO_TEST_CASE(router_info_paths_are_the_names_i2pd_uses)
{
    for (const auto& [name, file] : i2pd_names) {
        const auto ri = data::RouterInfo::parse(fixture(name));
        BOOST_REQUIRE(ri);
        BOOST_TEST(router_info_path("netDb", ri->ident_hash()) == fs::path("netDb") / file);
    }
}

BOOST_AUTO_TEST_CASE(loads_an_i2pd_netdb_folder_and_deletes_bad_files)
{
    crypto::DeterministicRng rng(1);
    TempDir tmp(rng);
    const fs::path netdb = tmp.path() / "netDb";
    make_i2pd_subdirs(netdb);
    for (const auto& [name, file] : i2pd_names) {
        write(netdb / file, fixture(name));
    }
    // A RouterInfo whose signature no longer verifies, under its own name: deleted.
    const auto r = make_router(rng);
    auto broken = make_ri_bytes(r, rng, {.published = fixtures_now()});
    broken.back() ^= 1;
    const auto broken_path = router_info_path(netdb, r.identity.ident_hash());
    write(broken_path, broken);
    // router1's content under another hash's name: deleted, never stored.
    const auto misnamed_path = router_info_path(netdb, make_router(rng).identity.ident_hash());
    write(misnamed_path, fixture("router1"));
    // Oversized: deleted without being read past the bound.
    const auto big_path = router_info_path(netdb, make_router(rng).identity.ident_hash());
    write(big_path, std::vector<std::uint8_t>(data::max_router_info_size + 100, 7));
    // Not ours: left alone.
    write(netdb / "rA" / "routerInfo-x.dat.tmp-123456", {1});
    write(netdb / "README", {1});

    NetDbStore store(NetDbConfig{test_net_id}, fixtures_now());
    const auto report = load_router_infos(netdb, store, fixtures_now());
    BOOST_TEST(report.loaded == 3u);
    BOOST_TEST(report.deleted == 3u);
    BOOST_TEST(report.ignored == 1u); // README sits in netdb itself, outside every r?/ folder
    BOOST_TEST(store.size() == 3u);
    BOOST_TEST(!fs::exists(broken_path));
    BOOST_TEST(!fs::exists(misnamed_path));
    BOOST_TEST(!fs::exists(big_path));
    BOOST_TEST(fs::exists(netdb / "rA" / "routerInfo-x.dat.tmp-123456"));
    for (const auto& [name, file] : i2pd_names) {
        BOOST_TEST(fs::exists(netdb / file));
        const auto ri = data::RouterInfo::parse(fixture(name));
        const auto* held = store.find_router_info(ri->ident_hash());
        BOOST_REQUIRE(held);
        BOOST_TEST(std::ranges::equal(held->bytes(), fixture(name)));
    }
    BOOST_TEST(store.find_router_info(r.identity.ident_hash()) == nullptr);
}

BOOST_AUTO_TEST_CASE(keeps_valid_files_it_cannot_load_for_lack_of_room)
{
    crypto::DeterministicRng rng(1);
    TempDir tmp(rng);
    for (const auto& [name, file] : i2pd_names) {
        write(tmp.path() / file, fixture(name));
    }
    NetDbStore store(NetDbConfig{test_net_id, false, 2, 2}, fixtures_now());
    const auto report = load_router_infos(tmp.path(), store, fixtures_now());
    BOOST_TEST(report.loaded == 2u);
    BOOST_TEST(report.kept == 1u);
    BOOST_TEST(report.deleted == 0u);
    for (const auto& [name, file] : i2pd_names) {
        BOOST_TEST(fs::exists(tmp.path() / file));
    }
}

BOOST_AUTO_TEST_CASE(saved_router_infos_load_back_unchanged)
{
    crypto::DeterministicRng rng(2);
    TempDir tmp(rng);
    NetDbStore a(NetDbConfig{test_net_id}, t0);
    std::vector<TestRouter> routers;
    for (int i = 0; i < 12; ++i) {
        routers.push_back(make_router(rng));
        BOOST_REQUIRE(a.store_router_info(make_ri_bytes(routers.back(), rng), t0));
    }
    const auto written = save_all(tmp.path(), a);
    BOOST_REQUIRE(written);
    BOOST_TEST(*written == 12u);

    // A newer copy replaces the file in place.
    const auto newer = make_ri_bytes(routers[0], rng, {.published = {t0.ms + 1000}});
    BOOST_REQUIRE(a.store_router_info(newer, {t0.ms + 1000}));
    BOOST_REQUIRE(
        save_router_info(tmp.path(), *a.find_router_info(routers[0].identity.ident_hash())));

    NetDbStore b(NetDbConfig{test_net_id}, {t0.ms + 2000});
    const auto report = load_router_infos(tmp.path(), b, {t0.ms + 2000});
    BOOST_TEST(report.loaded == 12u);
    BOOST_TEST(report.deleted + report.ignored + report.kept == 0u);
    a.for_each_router_info([&](const data::RouterInfo& ri) {
        const auto* back = b.find_router_info(ri.ident_hash());
        BOOST_REQUIRE(back);
        BOOST_TEST(std::ranges::equal(back->bytes(), ri.bytes()));
        BOOST_TEST(fs::exists(router_info_path(tmp.path(), ri.ident_hash())));
    });

    BOOST_REQUIRE(remove_router_info_file(tmp.path(), routers[1].identity.ident_hash()));
    BOOST_TEST(!fs::exists(router_info_path(tmp.path(), routers[1].identity.ident_hash())));
    BOOST_TEST(remove_router_info_file(tmp.path(), routers[1].identity.ident_hash()).has_value());
}

BOOST_AUTO_TEST_CASE(a_missing_folder_loads_nothing)
{
    NetDbStore store(NetDbConfig{test_net_id}, t0);
    const auto report = load_router_infos("/nonexistent/umbra/netDb", store, t0);
    BOOST_TEST(report.loaded + report.deleted + report.ignored + report.kept == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
