#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "netdb/store/testing.h"
#include "router/app/netdb_service.h"
#include "router/app/reseed_file.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

using namespace umbra;
using namespace umbra::app;
namespace nt = umbra::netdb::testing;
namespace fs = std::filesystem;

namespace {

// A DatabaseStore of a RouterInfo as the transport hands it over (no reply requested).
i2np::Message database_store_message(const std::vector<std::uint8_t>& ri_bytes,
                                     const IdentHash& key, WallTime now)
{
    i2np::DatabaseStore store;
    store.key = key;
    store.entry_type = i2np::DatabaseEntryType::router_info;
    store.data = gzip_compress(ri_bytes);
    return i2np::make_message(store, MessageId(1234), WallTime{now.ms + 60'000});
}

struct Fixture {
    crypto::OsRng rng;
    nt::TempDir dir{rng};
    ManualClock clock{WallTime{nt::t0.ms + 60'000}};
    Logger log;
    Fixture() { log.set_level(LogLevel::none); }
    fs::path netdb_dir() const { return dir.path() / "netDb"; }
    NetDbOptions options(bool floodfill = false) const
    {
        return NetDbOptions{.net_id = nt::test_net_id,
                            .floodfill = floodfill,
                            .netdb_dir = netdb_dir(),
                            .profiles_dir = dir.path() / "peerProfiles",
                            .client = {}};
    }
    IdentHash self{std::array<std::uint8_t, 32>{0x55}};
};

} // namespace

BOOST_AUTO_TEST_SUITE(netdb_service)

BOOST_FIXTURE_TEST_CASE(database_store_is_persisted_and_reloaded, Fixture)
{
    const auto router = nt::make_router(rng);
    const auto bytes = nt::make_ri_bytes(router, rng);
    const IdentHash h = router.identity.ident_hash();
    {
        NetDbService netdb(options(), self, clock, rng, log);
        BOOST_TEST(netdb.load().loaded == 0u);
        netdb.on_netdb_message(IdentHash{}, database_store_message(bytes, h, clock.wall()));
        BOOST_TEST(netdb.size() == 1u);
        BOOST_TEST_REQUIRE(netdb.find(h) != nullptr);
    }
    // i2pd's layout: netDb/r<C>/routerInfo-<B64>.dat, the bytes as received.
    const std::string b64 = h.to_base64();
    const fs::path file =
        netdb_dir() / (std::string("r") + b64[0]) / ("routerInfo-" + b64 + ".dat");
    BOOST_TEST_REQUIRE(fs::is_regular_file(file));
    BOOST_TEST(fs::file_size(file) == bytes.size());

    NetDbService restarted(options(), self, clock, rng, log);
    const auto report = restarted.load();
    BOOST_TEST(report.loaded == 1u);
    BOOST_TEST(report.deleted == 0u);
    BOOST_TEST_REQUIRE(restarted.find(h) != nullptr);
    BOOST_TEST(restarted.find(h)->published().ms == nt::t0.ms);
}

BOOST_FIXTURE_TEST_CASE(invalid_store_is_counted_and_not_saved, Fixture)
{
    const auto router = nt::make_router(rng);
    const auto other_net = nt::make_ri_bytes(router, rng, {.net_id = "2"});
    NetDbService netdb(options(), self, clock, rng, log);
    netdb.on_netdb_message(
        IdentHash{}, database_store_message(other_net, router.identity.ident_hash(), clock.wall()));
    BOOST_TEST(netdb.size() == 0u);
    BOOST_TEST(netdb.store().counters().rejections(netdb::StoreErrc::wrong_network) == 1u);
    BOOST_TEST(!fs::exists(netdb_dir()));
}

BOOST_FIXTURE_TEST_CASE(newer_router_info_replaces_file, Fixture)
{
    const auto router = nt::make_router(rng);
    NetDbService netdb(options(), self, clock, rng, log);
    BOOST_TEST(netdb.add(nt::make_ri_bytes(router, rng)).has_value());
    const auto newer = nt::make_ri_bytes(router, rng, {.published = WallTime{nt::t0.ms + 1000}});
    BOOST_TEST(netdb.add(newer).has_value());
    BOOST_TEST(netdb.add(nt::make_ri_bytes(router, rng)).has_value()); // older: kept ours
    NetDbService restarted(options(), self, clock, rng, log);
    BOOST_TEST(restarted.load().loaded == 1u);
    BOOST_TEST(restarted.find(router.identity.ident_hash())->published().ms == nt::t0.ms + 1000);
}

BOOST_FIXTURE_TEST_CASE(reseed_zip_needs_verify_off, Fixture)
{
    const fs::path zip = fs::path("tests/fixtures/reseed/test-only-reseed.zip");
    NetDbService netdb(options(), self, clock, rng, log);
    std::string error;
    BOOST_TEST(!reseed_from_file(netdb, zip, {}, dir.path(), true, error, log));
    BOOST_TEST(error.find("reseed.verify=false") != std::string::npos);
    error.clear();
    const auto report = reseed_from_file(netdb, zip, {}, dir.path(), false, error, log);
    BOOST_TEST_REQUIRE(report.has_value());
    BOOST_TEST(report->router_infos == 2u); // the fixture's RouterInfos are of another date
    BOOST_TEST(report->stored + report->rejected == 2u);
    BOOST_TEST(error.empty());
}

BOOST_FIXTURE_TEST_CASE(reseed_su3_checks_signer_certificate, Fixture)
{
    const fs::path fixtures = fs::path("tests/fixtures/reseed");
    const fs::path certs_dir = dir.path() / "certs";
    fs::create_directories(certs_dir);
    NetDbService netdb(options(), self, clock, rng, log);
    std::string error;
    BOOST_TEST(!reseed_from_file(netdb, fixtures / "test-only-reseed.su3", {}, certs_dir, true,
                                 error, log));
    BOOST_TEST(error.find("test-only_at_reseed.umbra.invalid.crt") != std::string::npos);

    fs::copy_file(fixtures / "test-only-signer.crt.pem",
                  certs_dir / "test-only_at_reseed.umbra.invalid.crt");
    std::ofstream(certs_dir / "notes.txt") << "not a certificate\n";
    const auto certs = load_reseed_certs(certs_dir);
    BOOST_TEST(certs.size() == 1u);
    BOOST_TEST(certs.count("test-only@reseed.umbra.invalid") == 1u);
    error.clear();
    const auto report = reseed_from_file(netdb, fixtures / "test-only-reseed.su3", certs, certs_dir,
                                         true, error, log);
    BOOST_TEST_REQUIRE(report.has_value(), error);
    BOOST_TEST(report->router_infos == 2u);

    error.clear();
    BOOST_TEST(
        !reseed_from_file(netdb, dir.path() / "missing.su3", certs, certs_dir, true, error, log));
    BOOST_TEST(error.find("cannot read") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(floodfill_answers_a_lookup_with_the_entry, Fixture)
{
    const auto router = nt::make_router(rng);
    const IdentHash h = router.identity.ident_hash();
    NetDbService netdb(options(true), self, clock, rng, log);
    std::vector<netdb::OutMessage> sent;
    netdb.set_sender([&](netdb::OutMessage m) { sent.push_back(std::move(m)); });
    BOOST_TEST(netdb.add(nt::make_ri_bytes(router, rng)).has_value());

    const IdentHash asker(std::array<std::uint8_t, 32>{0x77});
    i2np::DatabaseLookup lookup;
    lookup.key = h;
    lookup.from = asker;
    lookup.lookup_type = i2np::LookupType::router_info;
    BOOST_TEST(netdb.on_netdb_message(
        asker, i2np::make_message(lookup, MessageId(99), WallTime{clock.wall().ms + 10'000})));
    BOOST_TEST_REQUIRE(sent.size() == 1u);
    BOOST_TEST((sent[0].to == asker));
    BOOST_TEST(!sent[0].tunnel.has_value());
    BOOST_TEST((sent[0].message.type == i2np::MessageType::database_store));
    const auto reply = i2np::DatabaseStore::parse(sent[0].message.payload);
    BOOST_TEST_REQUIRE(reply.has_value());
    BOOST_TEST((reply->key == h));
}

BOOST_FIXTURE_TEST_CASE(start_publishes_to_the_known_floodfill_and_counts_its_confirmation, Fixture)
{
    const auto ff = nt::make_router(rng);
    const IdentHash ff_hash = ff.identity.ident_hash();
    const auto ours = nt::make_router(rng);
    const auto ours_ri = data::RouterInfo::parse(nt::make_ri_bytes(ours, rng)).value();
    NetDbService netdb(options(false), ours_ri.ident_hash(), clock, rng, log);
    std::vector<netdb::OutMessage> sent;
    netdb.set_sender([&](netdb::OutMessage m) { sent.push_back(std::move(m)); });
    BOOST_TEST(netdb.add(nt::make_ri_bytes(ff, rng, {.caps = "XfR"})).has_value());

    netdb.start(ours_ri);
    netdb.on_timer();
    std::optional<i2np::DatabaseStore> store;
    for (const auto& m : sent) {
        if (m.to == ff_hash && m.message.type == i2np::MessageType::database_store) {
            store = i2np::DatabaseStore::parse(m.message.payload).value();
        }
    }
    BOOST_TEST_REQUIRE(store.has_value());
    BOOST_TEST((store->key == ours_ri.ident_hash()));
    BOOST_TEST_REQUIRE(store->reply.has_value());
    BOOST_TEST(store->reply->token.value() != 0u);

    const i2np::DeliveryStatus status{store->reply->token, clock.wall()};
    BOOST_TEST(netdb.on_netdb_message(
        ff_hash, i2np::make_message(status, MessageId(5), WallTime{clock.wall().ms + 10'000})));
    BOOST_TEST(netdb.client().publisher().counters().confirmed == 1u);
    // A DeliveryStatus nobody asked for is not the netdb's (the dispatcher offers it to tunnels).
    const i2np::DeliveryStatus other{MessageId(12345), clock.wall()};
    BOOST_TEST(!netdb.on_netdb_message(
        ff_hash, i2np::make_message(other, MessageId(6), WallTime{clock.wall().ms + 10'000})));
}

BOOST_AUTO_TEST_SUITE_END()
