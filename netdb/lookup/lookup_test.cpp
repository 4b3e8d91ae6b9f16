#include <memory>

#include <boost/test/unit_test.hpp>

#include "netdb/lookup/client.h"
#include "netdb/lookup/testing.h"
#include "netdb/profiles/profiles.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

namespace {

WallTime at(std::int64_t offset_ms)
{
    return {t0.ms + offset_ms};
}

// Us (pool 0) with a store, floodfill responders by pool index, and a client (exploration off).
struct Fixture {
    crypto::DeterministicRng rng{5};
    IdentHash self = hash_of(0);
    NetDbStore db{NetDbConfig{test_net_id, false, 10'000, 10'000}, at(-7'200'000)};
    PeerProfiles profiles;
    std::map<std::size_t, std::unique_ptr<FakeFloodfill>> ffs;
    Net net{self};
    ClientConfig config = [] {
        ClientConfig c;
        c.explore.enabled = false;
        return c;
    }();
    std::unique_ptr<NetDbClient> client =
        std::make_unique<NetDbClient>(db, self, config, &profiles);

    void reconfigure(ClientConfig c)
    {
        config = c;
        client = std::make_unique<NetDbClient>(db, self, config, &profiles);
    }
    // A floodfill responder for pool[i]; known: its RouterInfo is in our store.
    FakeFloodfill& floodfill(std::size_t i, bool known = true)
    {
        auto& f = ffs[i];
        f = std::make_unique<FakeFloodfill>(hash_of(i), at(-7'200'000));
        net.floodfills[hash_of(i)] = f.get();
        BOOST_REQUIRE(f->db.store_router_info(pool_ri(i, true), t0));
        if (known) {
            BOOST_REQUIRE(db.store_router_info(pool_ri(i, true), t0));
        }
        return *f;
    }
    Outbox lookup(std::size_t target, WallTime now = t0)
    {
        auto s = client->lookup(hash_of(target), i2np::LookupType::router_info, now, rng);
        BOOST_REQUIRE(s.id);
        return std::move(s.out);
    }
};

std::vector<IdentHash> targets(const Outbox& out)
{
    std::vector<IdentHash> v;
    for (const auto& m : out) {
        v.push_back(m.to);
    }
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lookup)

BOOST_FIXTURE_TEST_CASE(succeeds_through_two_search_replies, Fixture)
{
    auto& a = floodfill(1);
    auto& d = floodfill(2, false);
    auto& e = floodfill(3, false);
    a.referrals = std::vector{hash_of(2)};
    BOOST_REQUIRE(a.db.store_router_info(pool_ri(2, true), t0)); // A can give D's RouterInfo
    d.referrals = std::vector{hash_of(3)};
    BOOST_REQUIRE(d.db.store_router_info(pool_ri(3, true), t0));
    BOOST_REQUIRE(e.db.store_router_info(pool_ri(10, false), t0)); // only E holds the target

    net.run(*client, lookup(10), t0, rng);

    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::found));
    BOOST_TEST(results[0].key == hash_of(10));
    BOOST_TEST(results[0].asked == 3u);
    BOOST_TEST(db.find_router_info(hash_of(10)) != nullptr);
    BOOST_TEST(client->table().counters().search_replies == 2u);
    BOOST_TEST(client->table().size() == 0u);
    // Lookups in order: T at A, D's RouterInfo at A, T at D, E's at D, T at E.
    const std::vector<std::pair<IdentHash, IdentHash>> expected = {{hash_of(1), hash_of(10)},
                                                                   {hash_of(1), hash_of(2)},
                                                                   {hash_of(2), hash_of(10)},
                                                                   {hash_of(2), hash_of(3)},
                                                                   {hash_of(3), hash_of(10)}};
    BOOST_REQUIRE_EQUAL(net.sent.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto dl = as_lookup(net.sent[i]);
        BOOST_TEST(net.sent[i].to == expected[i].first);
        BOOST_TEST(dl.key == expected[i].second);
        BOOST_TEST(dl.from == self); // direct reply, no tunnel, no encryption
        BOOST_TEST(!dl.reply_tunnel);
        BOOST_TEST(std::holds_alternative<std::monostate>(dl.reply_encryption));
        BOOST_TEST((dl.lookup_type == i2np::LookupType::router_info));
    }
    BOOST_TEST(profiles.find(hash_of(1))->lookups_answered == 2u);
}

BOOST_FIXTURE_TEST_CASE(times_out_at_each_floodfill_then_fails, Fixture)
{
    for (std::size_t i = 1; i <= 4; ++i) {
        floodfill(i).silent = true;
    }
    net.run(*client, lookup(10), t0, rng);
    BOOST_TEST(net.sent.size() == 3u); // parallelism
    BOOST_TEST((client->next_deadline() == at(5'000)));

    net.run(*client, client->on_timer(at(5'000), rng), at(5'000), rng);
    BOOST_TEST(net.sent.size() == 4u);
    BOOST_TEST(client->take_results().empty());

    net.run(*client, client->on_timer(at(10'000), rng), at(10'000), rng);
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::timed_out));
    BOOST_TEST(results[0].asked == 4u);
    BOOST_TEST(client->table().counters().request_timeouts == 4u);
    BOOST_TEST(!client->next_deadline());
    for (std::size_t i = 1; i <= 4; ++i) {
        BOOST_TEST(ffs[i]->lookups_seen == 1u);
        BOOST_TEST(profiles.find(hash_of(i))->lookups_timed_out == 1u);
    }
}

BOOST_FIXTURE_TEST_CASE(respects_parallelism_and_asks_nearest_first, Fixture)
{
    std::vector<IdentHash> all;
    for (std::size_t i = 1; i <= 10; ++i) {
        floodfill(i).silent = true;
        all.push_back(hash_of(i));
    }
    const auto order = closest(routing_key(hash_of(20), t0), all, 10);
    auto out = lookup(20);
    BOOST_TEST(targets(out) == std::vector(order.begin(), order.begin() + 3),
               boost::test_tools::per_element());
    // A reply from one of them frees exactly one slot.
    i2np::DatabaseSearchReply r{hash_of(20), {}, order[0]};
    auto h = client->on_search_reply(order[0], r, at(1'000), rng);
    BOOST_TEST(h.consumed);
    BOOST_TEST(targets(h.out) == std::vector{order[3]}, boost::test_tools::per_element());
    // Timeouts free the other two at 5 s, the one asked at 1 s at 6 s.
    auto t5 = client->on_timer(at(5'000), rng);
    BOOST_TEST(targets(t5) == std::vector(order.begin() + 4, order.begin() + 6),
               boost::test_tools::per_element());
    auto t6 = client->on_timer(at(6'000), rng);
    BOOST_TEST(targets(t6) == std::vector{order[6]}, boost::test_tools::per_element());
    auto t10 = client->on_timer(at(10'000), rng);
    BOOST_TEST(targets(t10) == std::vector{order[7]}, boost::test_tools::per_element());
    // max_floodfills_asked (8) reached: nothing more, and the 15 s deadline ends it.
    BOOST_TEST(client->on_timer(at(11'000), rng).empty());
    BOOST_TEST(client->take_results().empty());
    BOOST_TEST(client->on_timer(at(15'000), rng).empty());
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::timed_out));
    BOOST_TEST(results[0].asked == 8u);
}

BOOST_FIXTURE_TEST_CASE(excludes_the_floodfills_already_asked, Fixture)
{
    for (std::size_t i = 1; i <= 4; ++i) {
        floodfill(i).silent = true;
    }
    lookup(20);
    auto out = client->on_timer(at(5'000), rng);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(as_lookup(out[0]).excluded_peers.size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(never_asks_a_named_peer_whose_router_info_cannot_be_fetched, Fixture)
{
    auto& a = floodfill(1);
    floodfill(2, false); // D: A names it but cannot give its RouterInfo
    a.referrals = std::vector{hash_of(2)};
    net.run(*client, lookup(10), t0, rng);
    BOOST_REQUIRE_EQUAL(net.sent.size(), 2u);
    BOOST_TEST(as_lookup(net.sent[1]).key == hash_of(2)); // the fetch, at A
    BOOST_TEST(net.sent[1].to == hash_of(1));
    BOOST_TEST(ffs[2]->lookups_seen == 0u);
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::not_found));
    BOOST_TEST(client->table().size() == 0u);
}

BOOST_FIXTURE_TEST_CASE(joins_a_running_lookup_of_the_same_key, Fixture)
{
    floodfill(1).silent = true;
    auto first = client->lookup(hash_of(10), i2np::LookupType::router_info, t0, rng);
    auto second = client->lookup(hash_of(10), i2np::LookupType::router_info, t0, rng);
    BOOST_TEST(first.out.size() == 1u);
    BOOST_TEST(second.out.empty());
    BOOST_TEST((first.id == second.id));
    BOOST_TEST(client->table().counters().joined == 1u);
    auto other = client->lookup(hash_of(10), i2np::LookupType::lease_set, t0, rng);
    BOOST_TEST(other.out.size() == 1u); // another type is another lookup
    BOOST_TEST(client->table().size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(ignores_and_counts_unsolicited_search_replies, Fixture)
{
    floodfill(1);
    floodfill(2);
    for (int i = 0; i < 2000; ++i) {
        std::array<std::uint8_t, 32> k{}, f{};
        rng.fill(k);
        rng.fill(f);
        i2np::DatabaseSearchReply r{IdentHash(k), {IdentHash(f)}, IdentHash(f)};
        BOOST_TEST(!client->on_search_reply(IdentHash(f), r, t0, rng).consumed);
    }
    BOOST_TEST(client->table().counters().unsolicited_replies == 2000u);
    BOOST_TEST(client->table().size() == 0u);

    lookup(10); // asks 1 and 2
    // The right key from a peer not asked; then a reply from 1 naming 255 unknown peers.
    i2np::DatabaseSearchReply wrong{hash_of(10), {}, hash_of(5)};
    BOOST_TEST(!client->on_search_reply(hash_of(5), wrong, t0, rng).consumed);
    i2np::DatabaseSearchReply flood{hash_of(10), {}, hash_of(1)};
    for (int i = 0; i < 255; ++i) {
        std::array<std::uint8_t, 32> k{};
        rng.fill(k);
        flood.peers.push_back(IdentHash(k));
    }
    auto h = client->on_search_reply(hash_of(1), flood, t0, rng);
    BOOST_TEST(h.consumed);
    const auto& cfg = client->table().config();
    BOOST_TEST(h.out.size() == cfg.max_fetches_per_lookup); // fetches, all at 1
    BOOST_TEST(client->table().size() == 1 + cfg.max_fetches_per_lookup);
    BOOST_TEST(client->table().candidate_count() <= 2 * cfg.max_candidates);
    // The same peer again: it already answered.
    BOOST_TEST(!client->on_search_reply(hash_of(1), flood, t0, rng).consumed);
    BOOST_TEST(client->table().counters().unsolicited_replies == 2002u);
}

BOOST_FIXTURE_TEST_CASE(bounds_the_lookups_in_flight, Fixture)
{
    floodfill(1).silent = true;
    std::size_t refused = 0;
    for (int i = 0; i < 200; ++i) {
        std::array<std::uint8_t, 32> k{};
        rng.fill(k);
        if (!client->lookup(IdentHash(k), i2np::LookupType::lease_set, t0, rng).id) {
            ++refused;
        }
    }
    BOOST_TEST(client->table().size() == client->table().config().max_lookups);
    BOOST_TEST(refused == 200 - client->table().config().max_lookups);
    const auto results = client->take_results();
    BOOST_TEST(results.size() == refused);
    BOOST_TEST((results.front().outcome == LookupOutcome::refused));
}

BOOST_FIXTURE_TEST_CASE(a_bad_entry_fails_that_floodfill_and_the_lookup_goes_on, Fixture)
{
    floodfill(1).silent = true;
    floodfill(2).silent = true;
    auto out = lookup(10);
    BOOST_REQUIRE_EQUAL(out.size(), 2u);
    // Another router's RouterInfo under the key: refused, but an answer.
    auto bad = ri_store(hash_of(10), pool_ri(11, false));
    auto h = client->on_database_store(out[0].to, bad, t0, rng);
    BOOST_TEST(h.consumed);
    BOOST_TEST(client->table().counters().bad_entries == 1u);
    BOOST_TEST(db.find_router_info(hash_of(11)) == nullptr);
    BOOST_TEST(client->take_results().empty());
    // A store with a reply token is a publication, and one from a peer we did not ask is not
    // an answer either.
    auto published = ri_store(hash_of(10), pool_ri(10, false));
    published.reply = i2np::StoreReply{MessageId(7), TunnelId(0), hash_of(3)};
    BOOST_TEST(!client->on_database_store(out[1].to, published, t0, rng).consumed);
    BOOST_TEST(
        !client->on_database_store(hash_of(3), ri_store(hash_of(10), pool_ri(10, false)), t0, rng)
             .consumed);
    // The good one from the other floodfill ends it.
    h = client->on_database_store(out[1].to, ri_store(hash_of(10), pool_ri(10, false)), t0, rng);
    BOOST_TEST(h.consumed);
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::found));
    BOOST_TEST((results[0].published == t0));
}

BOOST_FIXTURE_TEST_CASE(a_late_answer_after_a_request_timeout_still_counts, Fixture)
{
    for (std::size_t i = 1; i <= 4; ++i) {
        floodfill(i).silent = true;
    }
    auto out = lookup(10);
    BOOST_TEST(client->on_timer(at(5'000), rng).size() == 1u); // the 4th, still running
    auto h = client->on_database_store(out[0].to, ri_store(hash_of(10), pool_ri(10, false)),
                                       at(6'000), rng);
    BOOST_TEST(h.consumed);
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::found));
}

BOOST_FIXTURE_TEST_CASE(without_floodfills_a_lookup_fails_at_once, Fixture)
{
    auto out = lookup(10);
    BOOST_TEST(out.empty());
    const auto results = client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::not_found));
    BOOST_TEST(results[0].asked == 0u);
}

BOOST_FIXTURE_TEST_CASE(seeds_with_the_routing_key_of_the_day, Fixture)
{
    std::vector<IdentHash> all;
    for (std::size_t i = 1; i <= 12; ++i) {
        floodfill(i).silent = true;
        all.push_back(hash_of(i));
    }
    // A day whose midnight changes the nearest floodfill to the key.
    const WallTime midnight = next_utc_midnight(t0);
    WallTime before{}, after{};
    for (int day = 0; day < 60; ++day) {
        before = WallTime{midnight.ms + day * 86'400'000LL - 1'000};
        after = WallTime{before.ms + 2'000};
        if (closest(routing_key(hash_of(30), before), all, 1) !=
            closest(routing_key(hash_of(30), after), all, 1)) {
            break;
        }
    }
    BOOST_REQUIRE(closest(routing_key(hash_of(30), before), all, 1) !=
                  closest(routing_key(hash_of(30), after), all, 1));
    // (The store's clock does not matter to seeding; only the lookup's `now`.)
    auto first = client->lookup(hash_of(30), i2np::LookupType::router_info, before, rng);
    BOOST_TEST(first.out.front().to == closest(routing_key(hash_of(30), before), all, 1).front());
    client->on_timer(WallTime{before.ms + 20'000}, rng);
    client->take_results();
    auto second = client->lookup(hash_of(30), i2np::LookupType::router_info, after, rng);
    BOOST_TEST(second.out.front().to == closest(routing_key(hash_of(30), after), all, 1).front());
}

BOOST_AUTO_TEST_SUITE_END()
