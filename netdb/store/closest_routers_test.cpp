#include <boost/test/unit_test.hpp>

#include "netdb/store/testing.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

BOOST_AUTO_TEST_SUITE(netdb_closest_routers)

BOOST_AUTO_TEST_CASE(matches_closest_over_the_routers_the_filter_keeps)
{
    crypto::DeterministicRng rng(77);
    NetDbStore store({.net_id = test_net_id}, t0);
    std::vector<IdentHash> floodfills, all;
    for (int i = 0; i < 24; ++i) {
        const auto r = make_router(rng);
        const bool ff = i % 3 == 0;
        BOOST_REQUIRE(
            store.store_router_info(make_ri_bytes(r, rng, {.caps = ff ? "XfR" : "XR"}), t0));
        all.push_back(r.identity.ident_hash());
        if (ff)
            floodfills.push_back(r.identity.ident_hash());
    }
    std::array<std::uint8_t, 32> k{};
    rng.fill(k);
    const auto key = routing_key(IdentHash(k), t0);
    for (const std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(5), std::size_t(40)}) {
        const auto ff = store.closest_routers(key, n, [](const IdentHash&, bool f) { return f; });
        const auto expected = closest(key, floodfills, n);
        BOOST_TEST(ff == expected);
        BOOST_TEST(store.closest_routers(key, n, {}) == closest(key, all, n));
        BOOST_TEST(ff == store.closest_floodfills(key, n));
    }
}

BOOST_AUTO_TEST_CASE(stays_consistent_after_removals_replacements_and_expiry)
{
    crypto::DeterministicRng rng(78);
    NetDbStore store({.net_id = test_net_id, .floodfill = true}, t0); // expiry: 1 hour
    std::vector<TestRouter> routers;
    for (int i = 0; i < 30; ++i) { // over 25: the expiry policy applies
        routers.push_back(make_router(rng));
        BOOST_REQUIRE(store.store_router_info(make_ri_bytes(routers.back(), rng), t0));
    }
    // Remove the first, a middle and the last one added; turn two others into floodfills.
    for (const int i : {0, 15, 29})
        BOOST_REQUIRE(store.remove_router_info(routers[std::size_t(i)].identity.ident_hash()));
    for (const int i : {3, 7})
        BOOST_REQUIRE(
            store.store_router_info(make_ri_bytes(routers[std::size_t(i)], rng,
                                                  {.published = {t0.ms + 1000}, .caps = "XfR"}),
                                    t0));
    std::vector<IdentHash> left, floodfills;
    store.for_each_router_info([&](const data::RouterInfo& ri) {
        left.push_back(ri.ident_hash());
        if (ri.caps().floodfill)
            floodfills.push_back(ri.ident_hash());
    });
    BOOST_TEST(left.size() == 27u);
    BOOST_TEST(floodfills.size() == 2u);
    const auto key = routing_key(routers[0].identity.ident_hash(), t0);
    BOOST_TEST(store.closest_routers(key, 20, {}) == closest(key, left, 20));
    BOOST_TEST(store.closest_floodfills(key, 20) == closest(key, floodfills, 20));
    // Two hours later everything expires; the index empties with the table.
    BOOST_TEST(store.expire(WallTime{t0.ms + 2 * 3600 * 1000}).size() == 27u);
    BOOST_TEST(store.size() == 0u);
    BOOST_TEST(store.closest_routers(key, 20, {}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
