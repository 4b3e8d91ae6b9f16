#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "netdb/floodfill/caps.h"
#include "netdb/floodfill/floodfill_engine.h"
#include "netdb/floodfill/testing.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;
using i2np::DatabaseEntryType;
using i2np::LookupType;

namespace {

const WallTime now{t0.ms + 60'000};

struct Fixture {
    crypto::DeterministicRng rng{21};
    NetDbStore store{{.net_id = test_net_id, .floodfill = true}, t0};
    IdentHash self = random_hash(rng);
    IdentHash requester = random_hash(rng);
    FloodfillEngine engine{store, self, {.floodfill = true}};
    std::vector<IdentHash> floodfills, others;

    Fixture()
    {
        for (int i = 0; i < 20; ++i) {
            const auto r = make_router(rng);
            const bool ff = i % 2 == 0;
            BOOST_REQUIRE(
                store.store_router_info(make_ri_bytes(r, rng, {.caps = ff ? "XfR" : "XR"}), now));
            (ff ? floodfills : others).push_back(r.identity.ident_hash());
        }
    }

    i2np::DatabaseLookup lookup(const IdentHash& key, LookupType type) const
    {
        i2np::DatabaseLookup l;
        l.key = key;
        l.from = requester;
        l.lookup_type = type;
        return l;
    }
};

i2np::DatabaseSearchReply search_reply_of(const OutMessage& m)
{
    BOOST_REQUIRE(m.message.type == i2np::MessageType::database_search_reply);
    auto r = i2np::DatabaseSearchReply::parse(m.message.payload);
    BOOST_REQUIRE(r);
    return *r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(floodfill_lookup)

BOOST_AUTO_TEST_CASE(answers_a_known_router_info_with_a_database_store)
{
    Fixture f;
    const IdentHash key = f.others[3];
    auto l = f.lookup(key, LookupType::router_info);
    l.reply_tunnel = TunnelId(99);
    i2np::EciesReplyKeys keys;
    keys.key.fill(7);
    keys.tags.push_back({1, 2, 3, 4, 5, 6, 7, 8});
    l.reply_encryption = keys;
    const auto out = f.engine.on_database_lookup(f.requester, l, now, f.rng);
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_TEST(out[0].to == f.requester);
    BOOST_REQUIRE(out[0].tunnel);
    BOOST_TEST(out[0].tunnel->value() == 99u);
    BOOST_TEST((out[0].encryption == i2np::ReplyEncryption(keys)));
    BOOST_REQUIRE(out[0].message.type == i2np::MessageType::database_store);
    const auto s = i2np::DatabaseStore::parse(out[0].message.payload);
    BOOST_REQUIRE(s);
    BOOST_TEST(s->key == key);
    BOOST_TEST(!s->reply);
    const auto raw = gzip_decompress(s->data, 65536);
    BOOST_REQUIRE(raw);
    const auto* ri = f.store.find_router_info(key);
    BOOST_TEST((*raw == std::vector<std::uint8_t>(ri->bytes().begin(), ri->bytes().end())));
    BOOST_TEST(f.engine.counters().lookups_answered_with_entry == 1u);
}

BOOST_AUTO_TEST_CASE(answers_an_unknown_key_with_the_closest_floodfills_minus_excluded)
{
    Fixture f;
    const IdentHash key = random_hash(f.rng);
    auto l = f.lookup(key, LookupType::router_info);
    const auto nearest = closest(routing_key(key, now), f.floodfills, 4);
    l.excluded_peers = {nearest[0]};
    const auto out = f.engine.on_database_lookup(f.requester, l, now, f.rng);
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_TEST(!out[0].tunnel);
    const auto r = search_reply_of(out[0]);
    BOOST_TEST(r.key == key);
    BOOST_TEST(r.from == f.self);
    const std::vector<IdentHash> expected(nearest.begin() + 1, nearest.end());
    BOOST_TEST(r.peers == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exploration_returns_only_non_floodfills)
{
    Fixture f;
    const IdentHash key = random_hash(f.rng);
    const auto nearest = closest(routing_key(key, now), f.others, 3);
    for (const bool legacy : {false, true}) {
        auto l = f.lookup(key, legacy ? LookupType::any : LookupType::exploration);
        if (legacy)
            l.excluded_peers = {IdentHash{}}; // "a hash of all zeroes": exploratory
        const auto out = f.engine.on_database_lookup(f.requester, l, now, f.rng);
        BOOST_REQUIRE(out.size() == 1u);
        BOOST_TEST(search_reply_of(out[0]).peers == nearest, boost::test_tools::per_element());
    }
    // Even when the key is a router we know (i2pd does not look it up either).
    const auto out = f.engine.on_database_lookup(
        f.requester, f.lookup(f.others[0], LookupType::exploration), now, f.rng);
    BOOST_TEST((out[0].message.type == i2np::MessageType::database_search_reply));
    BOOST_TEST(f.engine.counters().exploration_lookups == 3u);
}

BOOST_AUTO_TEST_CASE(answers_lease_set_lookups_only_as_a_floodfill)
{
    Fixture f;
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, f.rng);
    const auto ls = make_lease_set2(d, f.rng);
    const IdentHash key = d.destination.ident_hash();
    f.engine.on_database_store(
        f.requester, store_message(key, DatabaseEntryType::lease_set2, ls.bytes()), now, f.rng);
    auto out =
        f.engine.on_database_lookup(f.requester, f.lookup(key, LookupType::lease_set), now, f.rng);
    BOOST_REQUIRE(out.size() == 1u);
    const auto s = i2np::DatabaseStore::parse(out[0].message.payload);
    BOOST_REQUIRE(s);
    BOOST_TEST(int(s->entry_type) == 3);
    BOOST_TEST((s->data == std::vector<std::uint8_t>(ls.bytes().begin(), ls.bytes().end())));
    // A RouterInfo lookup for a LeaseSet key does not return the LeaseSet.
    out = f.engine.on_database_lookup(f.requester, f.lookup(key, LookupType::router_info), now,
                                      f.rng);
    BOOST_TEST((out[0].message.type == i2np::MessageType::database_search_reply));

    f.engine.set_floodfill(false);
    BOOST_TEST(
        f.engine.on_database_lookup(f.requester, f.lookup(key, LookupType::lease_set), now, f.rng)
            .empty());
    BOOST_TEST(f.engine.counters().lease_set_lookups_not_floodfill == 1u);
}

BOOST_AUTO_TEST_CASE(a_lookup_flood_from_one_peer_is_limited_while_others_are_served)
{
    Fixture f;
    const IdentHash attacker = random_hash(f.rng), victim = random_hash(f.rng);
    const auto l = f.lookup(random_hash(f.rng), LookupType::router_info);
    std::size_t answered = 0;
    for (int i = 0; i < 1000; ++i)
        answered += f.engine.on_database_lookup(attacker, l, now, f.rng).size();
    const auto burst = std::size_t(f.engine.config().lookup_limit.burst);
    BOOST_TEST(answered == burst);
    BOOST_TEST(f.engine.counters().lookups_rate_limited == 1000u - burst);
    BOOST_TEST(f.engine.on_database_lookup(victim, l, now, f.rng).size() == 1u);
    // The attacker's bucket refills at per_second.
    const WallTime later{now.ms + 1000};
    std::size_t after = 0;
    for (int i = 0; i < 100; ++i)
        after += f.engine.on_database_lookup(attacker, l, later, f.rng).size();
    BOOST_TEST(after == std::size_t(f.engine.config().lookup_limit.per_second));
}

BOOST_AUTO_TEST_CASE(a_store_flood_from_one_peer_is_limited_while_others_are_served)
{
    Fixture f;
    const IdentHash attacker = random_hash(f.rng), other = random_hash(f.rng);
    const auto junk = store_message(random_hash(f.rng), DatabaseEntryType::lease_set2,
                                    std::vector<std::uint8_t>(10, 1), 1, 0, attacker);
    for (int i = 0; i < 500; ++i)
        f.engine.on_database_store(attacker, junk, now, f.rng);
    const auto burst = std::uint64_t(f.engine.config().store_limit.burst);
    BOOST_TEST(f.engine.counters().stores_rate_limited == 500u - burst);
    const auto r = make_router(f.rng);
    const auto msg = store_message(r.identity.ident_hash(), DatabaseEntryType::router_info,
                                   make_ri_bytes(r, f.rng), 3, 0, other);
    BOOST_TEST(!f.engine.on_database_store(other, msg, now, f.rng).empty());
    BOOST_TEST(f.store.find_router_info(r.identity.ident_hash()));
}

BOOST_AUTO_TEST_CASE(publishes_the_floodfill_cap_and_statistics)
{
    BOOST_TEST(published_caps("XR", true) == "XfR");
    BOOST_TEST(published_caps("XfR", false) == "XR");
    BOOST_TEST(published_caps("XfR", true) == "XfR");
    BOOST_TEST(published_caps("L", true) == "Lf");
    Fixture f;
    const auto opts = floodfill_options(f.store);
    BOOST_REQUIRE(opts.size() == 2u);
    BOOST_TEST(opts[0].first == "netdb.knownLeaseSets");
    BOOST_TEST(opts[1].second == "20");
}

BOOST_AUTO_TEST_SUITE_END()
