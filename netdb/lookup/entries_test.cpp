#include <boost/test/unit_test.hpp>

#include "netdb/lookup/entries.h"
#include "netdb/lookup/testing.h"
#include "router/data/lease_set2.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

namespace {

// A LeaseSet2 of d published at t0 for 600 s, with one lease.
i2np::DatabaseStore ls2_store(const data::testing::TestDestination& d, crypto::Rng& rng)
{
    const auto published = std::uint32_t(t0.ms / 1000);
    data::LeaseSet2Content c{{d.destination, published, 600, 0, std::nullopt}, {}, {}, {}};
    c.encryption_keys.push_back({4, std::vector<std::uint8_t>(32, 9)});
    c.leases.push_back({hash_of(5), TunnelId(7), published + 600});
    auto ls = data::LeaseSet2::create(std::move(c), d.signer, rng);
    BOOST_REQUIRE(ls);
    i2np::DatabaseStore s;
    s.key = d.destination.ident_hash();
    s.entry_type = i2np::DatabaseEntryType::lease_set2;
    s.data.assign(ls->bytes().begin(), ls->bytes().end());
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(entries)

BOOST_AUTO_TEST_CASE(keeps_a_valid_lease_set2_under_its_destination_hash)
{
    crypto::DeterministicRng rng(12);
    NetDbStore db(NetDbConfig{test_net_id, false, 100, 100}, t0);
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto store = ls2_store(d, rng);
    const auto now = WallTime{t0.ms + 5'000};
    const auto entry = accept_entry(db, store, now);
    BOOST_REQUIRE(entry);
    BOOST_TEST(!entry->router_info);
    BOOST_TEST(entry->published.ms == t0.ms);
    const auto* held = db.find_lease_set(store.key, now);
    BOOST_REQUIRE(held);
    BOOST_TEST(held->store_type == 3u);
    BOOST_TEST(held->expires.ms == t0.ms + 600'000);
    BOOST_TEST(accept_entry(db, store, now).has_value()); // the same again: not an error
}

BOOST_AUTO_TEST_CASE(refuses_a_lease_set_under_another_key_or_tampered_or_expired)
{
    crypto::DeterministicRng rng(13);
    NetDbStore db(NetDbConfig{test_net_id, false, 100, 100}, t0);
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto store = ls2_store(d, rng);
    const auto now = WallTime{t0.ms + 5'000};
    auto wrong_key = store;
    wrong_key.key = hash_of(3);
    BOOST_TEST(!accept_entry(db, wrong_key, now));
    auto tampered = store;
    tampered.data[tampered.data.size() - 70] ^= 1; // inside the signed part
    BOOST_TEST(!accept_entry(db, tampered, now));
    BOOST_TEST(!accept_entry(db, store, WallTime{t0.ms + 601'000}));
    auto as_ri = store;
    as_ri.entry_type = i2np::DatabaseEntryType::router_info; // not gzip: refused
    BOOST_TEST(!accept_entry(db, as_ri, now));
    BOOST_TEST(db.lease_set_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_lease_set_lookup_ends_with_the_lease_set)
{
    crypto::DeterministicRng rng(14);
    const auto now = WallTime{t0.ms + 5'000};
    NetDbStore db(NetDbConfig{test_net_id, false, 100, 100}, WallTime{t0.ms - 7'200'000});
    BOOST_REQUIRE(db.store_router_info(pool_ri(1, true), t0));
    NetDbClient client(db, hash_of(0));
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto s = client.lookup(d.destination.ident_hash(), i2np::LookupType::lease_set, now, rng);
    BOOST_REQUIRE_EQUAL(s.out.size(), 1u);
    BOOST_TEST((as_lookup(s.out[0]).lookup_type == i2np::LookupType::lease_set));
    // A RouterInfo under that key does not answer a LeaseSet lookup.
    BOOST_TEST(!client
                    .on_database_store(hash_of(1),
                                       ri_store(d.destination.ident_hash(), pool_ri(2, false)), now,
                                       rng)
                    .consumed);
    auto h = client.on_database_store(hash_of(1), ls2_store(d, rng), now, rng);
    BOOST_TEST(h.consumed);
    const auto results = client.take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::found));
    BOOST_TEST(db.find_lease_set(d.destination.ident_hash(), now) != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
