#include <boost/test/unit_test.hpp>

#include "netdb/lookup/client.h"
#include "netdb/lookup/testing.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

BOOST_AUTO_TEST_SUITE(explorer)

BOOST_AUTO_TEST_CASE(explores_more_often_when_few_routers_are_known)
{
    NetDbStore db(NetDbConfig{test_net_id, false, 10'000, 10'000}, t0);
    Explorer e(db, hash_of(0), ExploreConfig{});
    BOOST_TEST(e.interval(0).count() == 15'000);
    BOOST_TEST(e.interval(89).count() == 15'000);
    BOOST_TEST(e.interval(90).count() == 60'000);
    BOOST_TEST(e.interval(999).count() == 60'000);
    BOOST_TEST(e.interval(1000).count() == 300'000);
}

BOOST_AUTO_TEST_CASE(exploration_adds_the_routers_a_floodfill_names)
{
    crypto::DeterministicRng rng(3);
    const IdentHash self = hash_of(0);
    NetDbStore db(NetDbConfig{test_net_id, false, 10'000, 10'000}, WallTime{t0.ms - 7'200'000});
    BOOST_REQUIRE(db.store_router_info(pool_ri(1, true), t0));
    FakeFloodfill ff(hash_of(1), WallTime{t0.ms - 7'200'000});
    for (std::size_t i = 10; i < 16; ++i) {
        BOOST_REQUIRE(ff.db.store_router_info(pool_ri(i, false), t0));
    }
    BOOST_REQUIRE(ff.db.store_router_info(pool_ri(1, true), t0));
    Net net(self);
    net.floodfills[hash_of(1)] = &ff;
    ClientConfig config;
    config.explore.few_floodfills = 0; // only exploration lookups (floodfill discovery below)
    NetDbClient client(db, self, config);

    auto out = client.start(t0, rng);
    BOOST_TEST(out.size() == 3u); // few routers known: 3 explorations a round
    for (const auto& m : out) {
        const auto dl = as_lookup(m);
        BOOST_TEST((dl.lookup_type == i2np::LookupType::exploration));
        BOOST_TEST(m.to == hash_of(1));
        BOOST_TEST(dl.excluded_peers.empty()); // we know no non-floodfill yet
    }
    net.run(client, std::move(out), t0, rng);
    BOOST_TEST(db.size() > 1u);
    BOOST_TEST(client.table().size() == 0u);

    WallTime now = t0;
    for (int round = 0; round < 20 && db.size() < 7; ++round) {
        BOOST_TEST((client.next_deadline() == WallTime{now.ms + 15'000}));
        now.ms += 15'000;
        net.run(client, client.on_timer(now, rng), now, rng);
    }
    BOOST_TEST(db.size() == 7u);                                // the floodfill and its 6 routers
    BOOST_TEST(client.take_stored_router_infos().size() == 6u); // for the owner to persist
    BOOST_TEST(client.take_stored_router_infos().empty());
    for (std::size_t i = 10; i < 16; ++i) {
        BOOST_TEST(db.find_router_info(hash_of(i)) != nullptr);
    }
    // Later explorations tell the floodfill what we know.
    now.ms += 15'000;
    net.run(client, client.on_timer(now, rng), now, rng);
    bool excluded_some = false;
    for (const auto& m : net.sent) {
        const auto dl = as_lookup(m);
        if (dl.lookup_type == i2np::LookupType::exploration && !dl.excluded_peers.empty()) {
            excluded_some = true;
            for (const auto& h : dl.excluded_peers) {
                BOOST_TEST(db.find_router_info(h) != nullptr);
                BOOST_TEST(h != hash_of(1)); // floodfills are not excluded: never returned
            }
        }
    }
    BOOST_TEST(excluded_some);
    BOOST_TEST(client.explorer().counters().no_floodfill == 0u);
}

BOOST_AUTO_TEST_CASE(knowing_few_floodfills_explores_for_floodfills_too)
{
    crypto::DeterministicRng rng(5);
    const IdentHash self = hash_of(0);
    NetDbStore db(NetDbConfig{test_net_id, false, 10'000, 10'000}, WallTime{t0.ms - 7'200'000});
    BOOST_REQUIRE(db.store_router_info(pool_ri(1, true), t0));
    FakeFloodfill ff(hash_of(1), WallTime{t0.ms - 7'200'000});
    BOOST_REQUIRE(ff.db.store_router_info(pool_ri(1, true), t0));
    for (std::size_t i = 2; i < 5; ++i) { // other floodfills, which exploration never names
        BOOST_REQUIRE(ff.db.store_router_info(pool_ri(i, true), t0));
    }
    for (std::size_t i = 10; i < 13; ++i) {
        BOOST_REQUIRE(ff.db.store_router_info(pool_ri(i, false), t0));
    }
    Net net(self);
    net.floodfills[hash_of(1)] = &ff;
    NetDbClient client(db, self); // few_floodfills = 10 by default

    auto out = client.start(t0, rng);
    std::size_t ri_lookups = 0;
    for (const auto& m : out) {
        ri_lookups += as_lookup(m).lookup_type == i2np::LookupType::router_info;
    }
    BOOST_TEST(ri_lookups >= 1u); // alternating: at least one of the round's three
    BOOST_TEST(ri_lookups < out.size());
    net.run(client, std::move(out), t0, rng);
    WallTime now = t0;
    for (int round = 0; round < 20 && db.size() < 7; ++round) {
        now.ms += 15'000;
        net.run(client, client.on_timer(now, rng), now, rng);
    }
    BOOST_TEST(db.size() == 7u); // every floodfill and every other router
    for (std::size_t i = 2; i < 5; ++i) {
        BOOST_TEST(db.find_router_info(hash_of(i)) != nullptr);
    }
    BOOST_TEST(client.explorer().counters().floodfill_lookups >= 1u);
}

BOOST_AUTO_TEST_CASE(no_floodfill_known_means_no_exploration)
{
    crypto::DeterministicRng rng(3);
    NetDbStore db(NetDbConfig{test_net_id, false, 10'000, 10'000}, t0);
    NetDbClient client(db, hash_of(0));
    BOOST_TEST(client.start(t0, rng).empty());
    BOOST_TEST(client.explorer().counters().no_floodfill == 3u);
    BOOST_TEST((client.next_deadline() == WallTime{t0.ms + 15'000}));
}

BOOST_AUTO_TEST_SUITE_END()
