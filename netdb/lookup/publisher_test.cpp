#include <memory>

#include <boost/test/unit_test.hpp>

#include "netdb/lookup/client.h"
#include "netdb/lookup/testing.h"
#include "netdb/profiles/profiles.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

namespace {

constexpr std::int64_t day_ms = 86'400'000;

// Us (pool 0, not a floodfill) publishing to floodfill responders 1..n that flood to each other.
struct PublishFixture {
    crypto::DeterministicRng rng{9};
    IdentHash self = hash_of(0);
    NetDbStore db{NetDbConfig{test_net_id, false, 10'000, 10'000}, WallTime{t0.ms - 7'200'000}};
    PeerProfiles profiles;
    std::map<std::size_t, std::unique_ptr<FakeFloodfill>> ffs;
    std::vector<IdentHash> ff_hashes;
    Net net{self};
    std::unique_ptr<NetDbClient> client;

    explicit PublishFixture(std::size_t n = 4, WallTime now = t0)
    {
        for (std::size_t i = 1; i <= n; ++i) {
            ff_hashes.push_back(hash_of(i));
        }
        for (std::size_t i = 1; i <= n; ++i) {
            auto& f = ffs[i];
            f = std::make_unique<FakeFloodfill>(hash_of(i), WallTime{now.ms - 7'200'000});
            for (std::size_t j = 1; j <= n; ++j) {
                BOOST_REQUIRE(f->db.store_router_info(pool_ri(j, true, now), now));
            }
            f->flood_to = ff_hashes;
            net.floodfills[hash_of(i)] = f.get();
            BOOST_REQUIRE(db.store_router_info(pool_ri(i, true, now), now));
        }
        ClientConfig c;
        c.explore.enabled = false;
        client = std::make_unique<NetDbClient>(db, self, c, &profiles);
    }
    // The floodfills nearest our routing key at `now`, nearest first.
    std::vector<IdentHash> nearest(WallTime now) const
    {
        return closest(routing_key(self, now), ff_hashes, ff_hashes.size());
    }
    FakeFloodfill& ff(const IdentHash& h) { return *net.floodfills.at(h); }
    Outbox publish(WallTime now)
    {
        return client->set_router_info(pool_ri(0, false, now), now, now, rng);
    }
};

std::optional<i2np::DatabaseStore> as_store(const OutMessage& m)
{
    auto p = payload_of(m);
    if (auto* s = std::get_if<i2np::DatabaseStore>(&p)) {
        return *s;
    }
    return std::nullopt;
}

} // namespace

BOOST_AUTO_TEST_SUITE(publisher)

BOOST_AUTO_TEST_CASE(next_midnight_is_the_next_utc_day)
{
    BOOST_TEST(next_utc_midnight(WallTime{0}).ms == day_ms);
    BOOST_TEST(next_utc_midnight(WallTime{day_ms - 1}).ms == day_ms);
    BOOST_TEST(next_utc_midnight(WallTime{day_ms}).ms == 2 * day_ms);
    BOOST_TEST(next_utc_midnight(WallTime{-1}).ms == 0);
}

BOOST_AUTO_TEST_CASE(stores_to_the_nearest_floodfill_then_verifies_at_another)
{
    PublishFixture f;
    const auto order = f.nearest(t0);
    auto out = f.publish(t0);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(out[0].to == order[0]);
    const auto store = as_store(out[0]);
    BOOST_REQUIRE(store);
    BOOST_TEST(store->key == f.self);
    BOOST_REQUIRE(store->reply);
    BOOST_TEST(store->reply->token.value() != 0u);
    BOOST_TEST(store->reply->tunnel.value() == 0u);
    BOOST_TEST(store->reply->gateway == f.self);

    f.net.run(*f.client, std::move(out), t0, f.rng); // store, DeliveryStatus, floods
    BOOST_TEST(f.client->publisher().counters().confirmed == 1u);
    BOOST_TEST(f.profiles.find(order[0])->stores_confirmed == 1u);
    // "waits about 10 seconds, then sends a lookup to another floodfill router"
    const WallTime verify_at{t0.ms + 10'000};
    BOOST_TEST((f.client->next_deadline() == verify_at));
    BOOST_TEST(f.client->on_timer(WallTime{verify_at.ms - 1}, f.rng).empty());
    auto check = f.client->on_timer(verify_at, f.rng);
    BOOST_REQUIRE_EQUAL(check.size(), 1u);
    BOOST_TEST(check[0].to == order[1]);
    const auto dl = as_lookup(check[0]);
    BOOST_TEST(dl.key == f.self);
    BOOST_TEST((dl.lookup_type == i2np::LookupType::router_info));
    f.net.run(*f.client, std::move(check), verify_at, f.rng);

    const auto& c = f.client->publisher().counters();
    BOOST_TEST(c.verified == 1u);
    BOOST_TEST(c.rounds_succeeded == 1u);
    BOOST_TEST(c.stores_sent == 1u);
    const WallTime expected = std::min(WallTime{verify_at.ms + 40 * 60'000}, next_utc_midnight(t0));
    BOOST_TEST((f.client->publisher().next_publish() == expected));
    BOOST_TEST(f.client->take_results().empty()); // verifications are not the owner's lookups
}

BOOST_AUTO_TEST_CASE(a_missing_delivery_status_moves_to_the_next_floodfill)
{
    PublishFixture f;
    const auto order = f.nearest(t0);
    f.ff(order[0]).silent = true;
    f.net.run(*f.client, f.publish(t0), t0, f.rng);
    BOOST_TEST(f.client->publisher().counters().confirmed == 0u);
    const WallTime timeout{t0.ms + 10'000};
    auto out = f.client->on_timer(timeout, f.rng);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(out[0].to == order[1]);
    BOOST_TEST(as_store(out[0]).has_value());
    f.net.run(*f.client, std::move(out), timeout, f.rng);
    BOOST_TEST(f.client->publisher().counters().confirm_timeouts == 1u);
    BOOST_TEST(f.client->publisher().counters().confirmed == 1u);
    BOOST_TEST((f.client->publisher().current_floodfill() == order[1]));
}

BOOST_AUTO_TEST_CASE(a_failed_verification_stores_at_the_next_floodfill)
{
    PublishFixture f;
    const auto order = f.nearest(t0);
    for (auto& [i, ff] : f.ffs) {
        ff->flood_to.clear(); // nobody floods: the verifier will not have it
    }
    f.net.run(*f.client, f.publish(t0), t0, f.rng);
    const WallTime verify_at{t0.ms + 10'000};
    auto check = f.client->on_timer(verify_at, f.rng);
    BOOST_REQUIRE_EQUAL(check.size(), 1u);
    BOOST_TEST(check[0].to == order[1]);
    // order[1] answers with a search reply; the next store goes to order[1] (nearest untried).
    Outbox next;
    for (auto& s : f.ff(order[1]).handle(payload_of(check[0]), verify_at)) {
        auto h = deliver(*f.client, order[1], s.payload, verify_at, f.rng);
        BOOST_TEST(h.consumed);
        next = std::move(h.out);
    }
    BOOST_TEST(f.client->publisher().counters().verify_failures == 1u);
    BOOST_REQUIRE_EQUAL(next.size(), 1u);
    BOOST_TEST(next[0].to == order[1]);
    BOOST_TEST(as_store(next[0]).has_value());
    BOOST_TEST(f.client->publisher().counters().stores_sent == 2u);
}

BOOST_AUTO_TEST_CASE(gives_up_a_round_after_max_attempts_and_retries_later)
{
    PublishFixture f;
    for (auto& [i, ff] : f.ffs) {
        ff->silent = true;
    }
    f.net.run(*f.client, f.publish(t0), t0, f.rng);
    WallTime now = t0;
    for (int i = 0; i < 3; ++i) { // 4 floodfills: 4 attempts, then none left
        now.ms += 10'000;
        f.net.run(*f.client, f.client->on_timer(now, f.rng), now, f.rng);
    }
    BOOST_TEST(f.client->publisher().counters().stores_sent == 4u);
    now.ms += 10'000;
    BOOST_TEST(f.client->on_timer(now, f.rng).empty());
    BOOST_TEST(f.client->publisher().counters().rounds_failed == 1u);
    BOOST_TEST((f.client->publisher().next_publish() == WallTime{now.ms + 60'000}));
    BOOST_TEST(f.client->on_timer(WallTime{now.ms + 60'000}, f.rng).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_new_router_info_is_published_at_once)
{
    PublishFixture f;
    f.net.run(*f.client, f.publish(t0), t0, f.rng);
    f.net.run(*f.client, f.client->on_timer(WallTime{t0.ms + 10'000}, f.rng),
              WallTime{t0.ms + 10'000}, f.rng);
    BOOST_TEST(f.client->publisher().counters().rounds_succeeded == 1u);
    const WallTime later{t0.ms + 60'000};
    auto out = f.publish(later);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(as_store(out[0]).has_value());
}

// The keyspace rotates at 00:00 UTC: a round that ends before midnight publishes again at
// midnight, to the floodfill nearest the new day's routing key.
BOOST_AUTO_TEST_CASE(republishes_at_midnight_to_the_nearest_by_the_new_routing_key)
{
    // A day on which midnight changes our nearest floodfill (8 floodfills).
    std::vector<IdentHash> hashes;
    for (std::size_t i = 1; i <= 8; ++i) {
        hashes.push_back(hash_of(i));
    }
    const IdentHash self = hash_of(0);
    WallTime midnight = next_utc_midnight(t0);
    for (int d = 0; d < 60; ++d, midnight.ms += day_ms) {
        if (closest(routing_key(self, WallTime{midnight.ms - 1}), hashes, 1) !=
            closest(routing_key(self, midnight), hashes, 1)) {
            break;
        }
    }
    const WallTime start{midnight.ms - 20 * 60'000}; // 23:40
    PublishFixture f(8, start);
    const auto before = f.nearest(start);
    const auto after = f.nearest(midnight);
    BOOST_REQUIRE(before[0] != after[0]);

    auto out = f.publish(start);
    BOOST_TEST(out.at(0).to == before[0]);
    f.net.run(*f.client, std::move(out), start, f.rng);
    const WallTime verify_at{start.ms + 10'000};
    f.net.run(*f.client, f.client->on_timer(verify_at, f.rng), verify_at, f.rng);
    BOOST_TEST(f.client->publisher().counters().rounds_succeeded == 1u);
    // Not 40 minutes later: at midnight.
    BOOST_TEST((f.client->publisher().next_publish() == midnight));
    BOOST_TEST((f.client->next_deadline() == midnight));
    auto again = f.client->on_timer(midnight, f.rng);
    BOOST_REQUIRE_EQUAL(again.size(), 1u);
    BOOST_TEST(again[0].to == after[0]);
    BOOST_TEST(as_store(again[0]).has_value());
}

BOOST_AUTO_TEST_CASE(ignores_a_delivery_status_with_another_token_or_sender)
{
    PublishFixture f;
    auto out = f.publish(t0);
    const auto store = as_store(out.at(0));
    BOOST_REQUIRE(store);
    i2np::DeliveryStatus wrong_token{MessageId(store->reply->token.value() + 1), t0};
    BOOST_TEST(!f.client->on_delivery_status(out[0].to, wrong_token, t0, f.rng).consumed);
    i2np::DeliveryStatus right{store->reply->token, t0};
    BOOST_TEST(!f.client->on_delivery_status(hash_of(30), right, t0, f.rng).consumed);
    BOOST_TEST(f.client->on_delivery_status(out[0].to, right, t0, f.rng).consumed);
    BOOST_TEST(!f.client->on_delivery_status(out[0].to, right, t0, f.rng).consumed); // once
}

BOOST_AUTO_TEST_SUITE_END()
