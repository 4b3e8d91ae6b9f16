#include <algorithm>
#include <set>

#include <boost/test/unit_test.hpp>

#include "netdb/store/store.h"
#include "netdb/store/testing.h"
#include "tests/support/vector_file.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;
using std::chrono::milliseconds;

namespace {

constexpr std::int64_t hour_ms = 3'600'000;

NetDbConfig config(bool floodfill = false, std::size_t cap = 10'000)
{
    return NetDbConfig{test_net_id, floodfill, cap, cap};
}

WallTime at(std::int64_t offset_ms)
{
    return {t0.ms + offset_ms};
}

// Routers are costly to make under sanitizers; the suite shares one deterministic pool.
const std::vector<TestRouter>& pool()
{
    static const std::vector<TestRouter> routers = [] {
        crypto::DeterministicRng rng(7);
        std::vector<TestRouter> v;
        for (int i = 0; i < 301; ++i) {
            v.push_back(make_router(rng));
        }
        return v;
    }();
    return routers;
}

// A store (started at t0 - 2 h, so the first-hour rule is over) holding pool()[0..count).
NetDbStore filled_store(std::size_t count, NetDbConfig c = config())
{
    crypto::DeterministicRng rng(8);
    NetDbStore store(c, at(-2 * hour_ms));
    for (std::size_t i = 0; i < count; ++i) {
        BOOST_REQUIRE(store.store_router_info(make_ri_bytes(pool()[i], rng), t0));
    }
    return store;
}

} // namespace

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(accepts_every_i2pd_router_info)
{
    NetDbStore store(config(), t0);
    for (const auto* name : {"router1", "router2-floodfill", "router3-ntcp2only"}) {
        const auto bytes = test::read_file(std::string("tests/fixtures/i2pd/") + name + ".info");
        const auto ri = data::RouterInfo::parse(bytes);
        BOOST_REQUIRE(ri);
        const WallTime now{ri->published().ms + 60'000};
        BOOST_TEST_CONTEXT(name)
        {
            const auto r = store.store_router_info(bytes, now);
            BOOST_TEST((r && *r == StoreOutcome::added));
            BOOST_TEST(store.find_router_info(ri->ident_hash()) != nullptr);
        }
    }
    BOOST_TEST(store.size() == 3u);
}

BOOST_AUTO_TEST_CASE(rejects_bad_signature_wrong_network_future_date_and_oversize)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    const auto& r = pool()[0];
    auto bad_sig = make_ri_bytes(r, rng);
    bad_sig.back() ^= 0x01;
    BOOST_TEST(fails_with(store.store_router_info(bad_sig, t0), StoreErrc::bad_signature));
    BOOST_TEST(fails_with(store.store_router_info(make_ri_bytes(r, rng, {.net_id = "2"}), t0),
                          StoreErrc::wrong_network));
    BOOST_TEST(
        fails_with(store.store_router_info(make_ri_bytes(r, rng, {.published = at(180'000)}), t0),
                   StoreErrc::published_in_future));
    const std::vector<std::uint8_t> huge(data::max_router_info_size + 1, 0);
    BOOST_TEST(fails_with(store.store_router_info(huge, t0), StoreErrc::too_large));
    auto truncated = make_ri_bytes(r, rng);
    truncated.resize(truncated.size() - 10);
    BOOST_TEST(fails_with(store.store_router_info(truncated, t0), StoreErrc::malformed));

    BOOST_TEST(store.size() == 0u);
    const auto& c = store.counters();
    BOOST_TEST(c.rejections(StoreErrc::bad_signature) == 1u);
    BOOST_TEST(c.rejections(StoreErrc::wrong_network) == 1u);
    BOOST_TEST(c.rejections(StoreErrc::published_in_future) == 1u);
    BOOST_TEST(c.rejections(StoreErrc::too_large) == 1u);
    BOOST_TEST(c.rejections(StoreErrc::malformed) == 1u);
}

BOOST_AUTO_TEST_CASE(accepts_a_date_within_the_two_minute_skew)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    BOOST_TEST(
        store.store_router_info(make_ri_bytes(pool()[0], rng, {.published = at(119'000)}), t0)
            .has_value());
}

BOOST_AUTO_TEST_CASE(rejects_router_info_older_than_seventy_two_hours)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    const auto old = make_ri_bytes(pool()[0], rng, {.published = at(-72 * hour_ms - 1)});
    BOOST_TEST(fails_with(store.store_router_info(old, t0), StoreErrc::too_old));
    const auto edge = make_ri_bytes(pool()[0], rng, {.published = at(-72 * hour_ms)});
    BOOST_TEST(store.store_router_info(edge, t0).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_host_names_and_bad_ports_but_accepts_no_addresses)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    const auto& r = pool()[0];
    BOOST_TEST(
        fails_with(store.store_router_info(
                       make_ri_bytes(r, rng, {.addresses = {ntcp2_address("example.com")}}), t0),
                   StoreErrc::bad_address));
    BOOST_TEST(
        fails_with(store.store_router_info(
                       make_ri_bytes(r, rng, {.addresses = {ntcp2_address("::1", "0")}}), t0),
                   StoreErrc::bad_address));
    BOOST_TEST(fails_with(
        store.store_router_info(
            make_ri_bytes(r, rng, {.addresses = {ntcp2_address("10.0.0.1", "65536")}}), t0),
        StoreErrc::bad_address));
    BOOST_TEST(store.store_router_info(make_ri_bytes(r, rng, {.addresses = {}}), t0).has_value());
}

BOOST_AUTO_TEST_CASE(keeps_the_newer_of_two_router_infos)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    const auto& r = pool()[0];
    const auto older = make_ri_bytes(r, rng, {.published = at(-1000)});
    const auto newer = make_ri_bytes(r, rng, {.published = t0});
    BOOST_TEST((*store.store_router_info(older, t0) == StoreOutcome::added));
    BOOST_TEST((*store.store_router_info(newer, t0) == StoreOutcome::replaced));
    BOOST_TEST(fails_with(store.store_router_info(older, t0), StoreErrc::not_newer));
    BOOST_TEST(fails_with(store.store_router_info(newer, t0), StoreErrc::not_newer));
    const auto* held = store.find_router_info(r.identity.ident_hash());
    BOOST_REQUIRE(held);
    BOOST_TEST(held->published().ms == t0.ms);
    BOOST_TEST(store.size() == 1u);
    BOOST_TEST(store.counters().router_infos_replaced == 1u);
}

BOOST_AUTO_TEST_CASE(refuses_new_routers_when_full_but_still_replaces)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(false, 2), t0);
    BOOST_TEST(store.store_router_info(make_ri_bytes(pool()[0], rng, {.published = at(-1)}), t0));
    BOOST_TEST(store.store_router_info(make_ri_bytes(pool()[1], rng), t0));
    BOOST_TEST(
        fails_with(store.store_router_info(make_ri_bytes(pool()[2], rng), t0), StoreErrc::full));
    BOOST_TEST(store.store_router_info(make_ri_bytes(pool()[0], rng), t0));
    BOOST_TEST(store.size() == 2u);
}

BOOST_AUTO_TEST_CASE(expiry_age_follows_the_spec_curve)
{
    BOOST_TEST(!filled_store(25).router_info_max_age(t0));
    BOOST_TEST((*filled_store(26).router_info_max_age(t0) == milliseconds(72 * hour_ms)));
    BOOST_TEST((*filled_store(119).router_info_max_age(t0) == milliseconds(72 * hour_ms)));
    BOOST_TEST((*filled_store(210).router_info_max_age(t0) == milliseconds(51 * hour_ms)));
    BOOST_TEST((*filled_store(300).router_info_max_age(t0) == milliseconds(30 * hour_ms)));
    BOOST_TEST(
        (*filled_store(301).router_info_max_age(t0) == milliseconds(30 * hour_ms * 300 / 301)));
    BOOST_TEST((*filled_store(30, config(true)).router_info_max_age(t0) == milliseconds(hour_ms)));
}

BOOST_AUTO_TEST_CASE(nothing_expires_in_the_first_hour_or_with_25_routers)
{
    crypto::DeterministicRng rng(1);
    NetDbStore young(config(true), t0);
    for (std::size_t i = 0; i < 30; ++i) {
        BOOST_REQUIRE(young.store_router_info(make_ri_bytes(pool()[i], rng), t0));
    }
    BOOST_TEST(young.expire(at(hour_ms - 1)).empty());
    BOOST_TEST(young.expire(at(hour_ms + 1)).size() == 30u); // floodfill: 1 hour

    auto small = filled_store(25);
    BOOST_TEST(small.expire(at(1000 * hour_ms)).empty());
}

BOOST_AUTO_TEST_CASE(expires_router_infos_past_the_policy_age)
{
    crypto::DeterministicRng rng(1);
    auto store = filled_store(30); // published at t0, 72 h policy
    const auto fresh = make_ri_bytes(pool()[0], rng, {.published = at(10 * hour_ms)});
    BOOST_REQUIRE(store.store_router_info(fresh, at(10 * hour_ms)));
    BOOST_TEST(store.expire(at(72 * hour_ms)).empty());
    const auto dropped = store.expire(at(72 * hour_ms + 1));
    BOOST_TEST(dropped.size() == 29u);
    BOOST_TEST(store.size() == 1u);
    BOOST_TEST(store.find_router_info(pool()[0].identity.ident_hash()) != nullptr);
    BOOST_TEST(store.counters().router_infos_expired == 29u);
}

BOOST_AUTO_TEST_CASE(router_infos_with_introducers_expire_after_an_hour)
{
    crypto::DeterministicRng rng(1);
    auto store = filled_store(30);
    data::RouterAddress ssu2;
    ssu2.cost = 8;
    ssu2.transport_style = "SSU2";
    BOOST_REQUIRE(ssu2.options.set("ih0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    BOOST_REQUIRE(ssu2.options.set("v", "2"));
    const auto& r = pool()[100];
    BOOST_REQUIRE(
        store.store_router_info(make_ri_bytes(r, rng, {.caps = "XU", .addresses = {ssu2}}), t0));
    BOOST_TEST(store.expire(at(hour_ms)).empty());
    const auto dropped = store.expire(at(hour_ms + 1));
    BOOST_REQUIRE(dropped.size() == 1u);
    BOOST_TEST((dropped[0] == r.identity.ident_hash()));
}

BOOST_AUTO_TEST_CASE(closest_floodfills_considers_only_floodfills_and_honours_exclude)
{
    crypto::DeterministicRng rng(1);
    NetDbStore store(config(), t0);
    std::vector<IdentHash> floodfills;
    for (std::size_t i = 0; i < 40; ++i) {
        const bool ff = i % 2 == 0;
        BOOST_REQUIRE(store.store_router_info(
            make_ri_bytes(pool()[i], rng, {.caps = ff ? "XfR" : "XR"}), t0));
        if (ff) {
            floodfills.push_back(pool()[i].identity.ident_hash());
        }
    }
    const auto key = routing_key(pool()[200].identity.ident_hash(), t0);
    const auto want = closest(key, floodfills, 4);
    BOOST_TEST((store.closest_floodfills(key, 4) == want));
    const std::vector<IdentHash> exclude = {want[0]};
    const auto without = store.closest_floodfills(key, 3, exclude);
    BOOST_TEST((without == std::vector<IdentHash>(want.begin() + 1, want.end())));
    BOOST_TEST(store.closest_floodfills(key, 100).size() == 20u);
}

BOOST_AUTO_TEST_CASE(random_routers_are_distinct_filtered_and_reproducible)
{
    const auto store = filled_store(50);
    const auto odd = [](const data::RouterInfo& ri) {
        return ri.ident_hash().bytes()[0] % 2 == 1;
    };
    crypto::DeterministicRng a(5), b(5);
    const auto pick = store.random_routers(10, odd, a);
    BOOST_TEST(pick.size() == 10u);
    BOOST_TEST(std::set<const data::RouterInfo*>(pick.begin(), pick.end()).size() == 10u);
    BOOST_TEST(std::all_of(pick.begin(), pick.end(), [&](const auto* ri) { return odd(*ri); }));
    BOOST_TEST((store.random_routers(10, odd, b) == pick));
    crypto::DeterministicRng c(6);
    BOOST_TEST(store.random_routers(1000, nullptr, c).size() == 50u);
}

BOOST_AUTO_TEST_CASE(lease_sets_are_kept_until_they_expire)
{
    NetDbStore store(config(), t0);
    const IdentHash key = pool()[0].identity.ident_hash();
    LeaseSetRecord ls{3, {1, 2, 3}, t0, at(600'000)};
    BOOST_TEST((*store.store_lease_set(key, ls, t0) == StoreOutcome::added));
    BOOST_TEST(fails_with(store.store_lease_set(key, ls, t0), StoreErrc::not_newer));
    LeaseSetRecord newer{3, {4}, at(1000), at(601'000)};
    BOOST_TEST((*store.store_lease_set(key, newer, t0) == StoreOutcome::replaced));
    BOOST_REQUIRE(store.find_lease_set(key, at(600'999)));
    BOOST_TEST(store.find_lease_set(key, at(600'999))->bytes == std::vector<std::uint8_t>{4});
    BOOST_TEST(!store.find_lease_set(key, at(601'000)));
    BOOST_TEST(store.expire(at(601'000)).empty());
    BOOST_TEST(store.lease_set_count() == 0u);
    BOOST_TEST(store.counters().lease_sets_expired == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_expired_far_future_and_oversized_lease_sets)
{
    NetDbStore store(config(), t0);
    const IdentHash key = pool()[0].identity.ident_hash();
    BOOST_TEST(
        fails_with(store.store_lease_set(key, {3, {1}, at(-10'000), t0}, t0), StoreErrc::too_old));
    BOOST_TEST(fails_with(store.store_lease_set(key, {3, {1}, t0, at(65'536'000)}, t0),
                          StoreErrc::published_in_future));
    BOOST_TEST(fails_with(
        store.store_lease_set(
            key, {3, std::vector<std::uint8_t>(max_lease_set_size + 1), t0, at(1000)}, t0),
        StoreErrc::too_large));
    BOOST_TEST(store.store_lease_set(key, {3, {1}, t0, at(65'535'000)}, t0).has_value());
}

BOOST_AUTO_TEST_CASE(store_errors_have_messages)
{
    BOOST_TEST(make_error_code(StoreErrc::not_newer).message() ==
               "not newer than the stored entry");
    BOOST_TEST(make_error_code(StoreErrc::full).category().name() ==
               std::string("umbra.netdb.store"));
}

BOOST_AUTO_TEST_SUITE_END()
