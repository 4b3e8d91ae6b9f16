#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "netdb/floodfill/floodfill_engine.h"
#include "netdb/floodfill/testing.h"
#include "router/data/i2np/payload.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;
using namespace std::chrono_literals;
using i2np::DatabaseEntryType;

namespace {

const WallTime now{t0.ms + 60'000};

// A floodfill with `floodfills` other floodfills and `others` plain routers in its store.
struct Fixture {
    crypto::DeterministicRng rng{7};
    NetDbStore store{{.net_id = test_net_id, .floodfill = true}, t0};
    IdentHash self = random_hash(rng);
    IdentHash sender = random_hash(rng);
    FloodfillEngine engine{store, self, {.floodfill = true}};
    std::vector<IdentHash> floodfills;

    explicit Fixture(int n_floodfills = 8)
    {
        for (int i = 0; i < n_floodfills; ++i) {
            const auto r = make_router(rng);
            BOOST_REQUIRE(store.store_router_info(make_ri_bytes(r, rng, {.caps = "XfR"}), now));
            floodfills.push_back(r.identity.ident_hash());
        }
    }

    Outbox store_ri(const TestRouter& r, std::uint32_t token, RiOptions o = {},
                    StoreArrival arrival = StoreArrival::direct)
    {
        const auto bytes = make_ri_bytes(r, rng, o);
        const auto msg = store_message(r.identity.ident_hash(), DatabaseEntryType::router_info,
                                       bytes, token, 0, sender);
        return engine.on_database_store(sender, msg, now, rng, arrival);
    }
};

std::size_t count_type(const Outbox& out, i2np::MessageType t)
{
    return std::size_t(std::count_if(out.begin(), out.end(),
                                     [&](const OutMessage& m) { return m.message.type == t; }));
}

} // namespace

BOOST_AUTO_TEST_SUITE(floodfill_store)

BOOST_AUTO_TEST_CASE(stores_a_router_info_and_acknowledges_its_reply_token_directly)
{
    Fixture f(0);
    const auto r = make_router(f.rng);
    const auto out = f.store_ri(r, 1234);
    BOOST_TEST(f.store.find_router_info(r.identity.ident_hash()));
    BOOST_REQUIRE(out.size() == 1u); // no floodfill known: nothing to flood
    BOOST_TEST(out[0].to == f.sender);
    BOOST_TEST(!out[0].tunnel);
    BOOST_TEST(std::holds_alternative<std::monostate>(out[0].encryption));
    BOOST_REQUIRE(out[0].message.type == i2np::MessageType::delivery_status);
    const auto ds = i2np::DeliveryStatus::parse(out[0].message.payload);
    BOOST_REQUIRE(ds);
    BOOST_TEST(ds->acked_id.value() == 1234u);
    BOOST_TEST(f.engine.counters().stores_accepted == 1u);
    BOOST_TEST(f.engine.counters().delivery_statuses_sent == 1u);
}

BOOST_AUTO_TEST_CASE(delivery_status_goes_into_the_reply_tunnel_when_one_is_given)
{
    Fixture f(0);
    const auto r = make_router(f.rng);
    const auto gw = random_hash(f.rng);
    const auto msg = store_message(r.identity.ident_hash(), DatabaseEntryType::router_info,
                                   make_ri_bytes(r, f.rng), 55, 777, gw);
    const auto out = f.engine.on_database_store(f.sender, msg, now, f.rng);
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_TEST(out[0].to == gw);
    BOOST_REQUIRE(out[0].tunnel);
    BOOST_TEST(out[0].tunnel->value() == 777u);
}

BOOST_AUTO_TEST_CASE(floods_a_new_entry_to_the_three_floodfills_closest_to_its_routing_key)
{
    Fixture f(10);
    const auto r = make_router(f.rng);
    const IdentHash key = r.identity.ident_hash();
    const auto out = f.store_ri(r, 9);
    BOOST_REQUIRE(out.size() == 4u);
    BOOST_TEST(count_type(out, i2np::MessageType::delivery_status) == 1u);
    // Independently: the 3 of our floodfills nearest SHA256(key || date).
    const auto expected = closest(routing_key(key, now), f.floodfills, 3);
    std::vector<IdentHash> got;
    for (const auto& m : out) {
        if (m.message.type != i2np::MessageType::database_store)
            continue;
        BOOST_TEST(!m.tunnel); // floods never go through tunnels
        const auto s = i2np::DatabaseStore::parse(m.message.payload);
        BOOST_REQUIRE(s);
        BOOST_TEST(!s->reply); // reply token zero: not flooded again
        BOOST_TEST(s->key == key);
        BOOST_TEST((gzip_decompress(s->data, 65536).value() == make_ri_bytes(r, f.rng)));
        got.push_back(m.to);
    }
    BOOST_TEST(got == expected, boost::test_tools::per_element());
    BOOST_TEST(f.engine.counters().floods_sent == 3u);
}

BOOST_AUTO_TEST_CASE(never_floods_to_ourselves_the_sender_or_the_entry_itself)
{
    crypto::DeterministicRng rng(3);
    NetDbStore store({.net_id = test_net_id, .floodfill = true}, t0);
    const auto me = make_router(rng), sender = make_router(rng), subject = make_router(rng),
               other = make_router(rng);
    for (const auto* r : {&me, &sender, &subject, &other})
        BOOST_REQUIRE(store.store_router_info(make_ri_bytes(*r, rng, {.caps = "XfR"}), t0));
    FloodfillEngine engine(store, me.identity.ident_hash(), {.floodfill = true});
    const auto msg = store_message(subject.identity.ident_hash(), DatabaseEntryType::router_info,
                                   make_ri_bytes(subject, rng, {.published = {t0.ms + 1000}}), 1, 0,
                                   sender.identity.ident_hash());
    const auto out = engine.on_database_store(sender.identity.ident_hash(), msg, now, rng);
    BOOST_REQUIRE(out.size() == 2u);
    BOOST_TEST(out[1].to == other.identity.ident_hash());
}

BOOST_AUTO_TEST_CASE(does_not_flood_without_a_token_when_not_floodfill_or_when_not_newer)
{
    Fixture f(5);
    const auto r = make_router(f.rng);
    BOOST_TEST(f.store_ri(r, 0).empty()); // token zero: stored, silent
    BOOST_TEST(f.store.find_router_info(r.identity.ident_hash()));
    const auto again = f.store_ri(r, 5); // same published date: acknowledged, not flooded
    BOOST_TEST(again.size() == 1u);
    BOOST_TEST(f.engine.counters().stores_already_known == 1u);

    f.engine.set_floodfill(false);
    const auto r2 = make_router(f.rng);
    const auto out = f.store_ri(r2, 5);
    BOOST_TEST(out.size() == 1u);
    BOOST_TEST(count_type(out, i2np::MessageType::database_store) == 0u);
}

BOOST_AUTO_TEST_CASE(floods_once_the_router_info_a_handshake_gave_when_its_router_publishes_it)
{
    Fixture f(5);
    const auto r = make_router(f.rng);
    const IdentHash key = r.identity.ident_hash();
    // The transport stored it (its RouterInfo block) and marked it: no flood yet.
    BOOST_REQUIRE(f.store.store_router_info(make_ri_bytes(r, f.rng), now));
    f.engine.note_unflooded(key);
    const auto first = f.store_ri(r, 7); // its router publishes the same RouterInfo
    BOOST_TEST(count_type(first, i2np::MessageType::delivery_status) == 1u);
    BOOST_TEST(count_type(first, i2np::MessageType::database_store) == 3u);
    const auto second = f.store_ri(r, 8); // flooded once only
    BOOST_TEST(count_type(second, i2np::MessageType::database_store) == 0u);
    // Without the mark (an entry we flooded or got from elsewhere), a repeat is not flooded.
    const auto other = make_router(f.rng);
    BOOST_REQUIRE(f.store.store_router_info(make_ri_bytes(other, f.rng), now));
    BOOST_TEST(count_type(f.store_ri(other, 9), i2np::MessageType::database_store) == 0u);
}

BOOST_AUTO_TEST_CASE(does_not_flood_a_router_info_published_over_an_hour_ago)
{
    Fixture f(5);
    const auto r = make_router(f.rng);
    const auto out = f.store_ri(r, 5, {.published = {now.ms - 2 * 3'600'000}});
    BOOST_TEST(f.store.find_router_info(r.identity.ident_hash())); // still valid to keep
    BOOST_TEST(out.size() == 1u);
}

BOOST_AUTO_TEST_CASE(ignores_reply_fields_of_a_store_that_came_down_a_tunnel)
{
    Fixture f(5);
    const auto r = make_router(f.rng);
    BOOST_TEST(f.store_ri(r, 5, {}, StoreArrival::tunnel).empty());
    BOOST_TEST(f.store.find_router_info(r.identity.ident_hash()));
}

BOOST_AUTO_TEST_CASE(rejects_and_counts_bad_router_infos_without_replying)
{
    Fixture f(5);
    const auto r = make_router(f.rng), other = make_router(f.rng);
    // Key of another router.
    auto msg = store_message(other.identity.ident_hash(), DatabaseEntryType::router_info,
                             make_ri_bytes(r, f.rng), 5, 0, f.sender);
    BOOST_TEST(f.engine.on_database_store(f.sender, msg, now, f.rng).empty());
    // Not gzip.
    msg = store_message(r.identity.ident_hash(), DatabaseEntryType::router_info,
                        make_ri_bytes(r, f.rng), 5, 0, f.sender);
    msg.data[0] ^= 0xff;
    BOOST_TEST(f.engine.on_database_store(f.sender, msg, now, f.rng).empty());
    BOOST_TEST(f.engine.counters().stores_bad_router_info == 2u);
    // Bad signature, wrong network: refused by the store.
    auto bytes = make_ri_bytes(r, f.rng);
    bytes[bytes.size() - 3] ^= 1;
    msg = store_message(r.identity.ident_hash(), DatabaseEntryType::router_info, bytes, 5, 0,
                        f.sender);
    BOOST_TEST(f.engine.on_database_store(f.sender, msg, now, f.rng).empty());
    BOOST_TEST(f.store_ri(r, 5, {.net_id = "2"}).empty());
    BOOST_TEST(f.engine.counters().stores_rejected == 2u);
    BOOST_TEST(f.store.counters().rejections(StoreErrc::bad_signature) == 1u);
    BOOST_TEST(f.store.counters().rejections(StoreErrc::wrong_network) == 1u);
    BOOST_TEST(!f.store.find_router_info(r.identity.ident_hash()));
}

BOOST_AUTO_TEST_CASE(stores_and_floods_a_lease_set2_under_its_destination_hash)
{
    Fixture f(5);
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, f.rng);
    const auto ls = make_lease_set2(d, f.rng);
    const IdentHash key = d.destination.ident_hash();
    const auto out = f.engine.on_database_store(
        f.sender, store_message(key, DatabaseEntryType::lease_set2, ls.bytes(), 8, 4, f.sender),
        now, f.rng);
    BOOST_REQUIRE(f.store.find_lease_set(key, now));
    BOOST_TEST(f.store.find_lease_set(key, now)->store_type == 3);
    BOOST_TEST(out.size() == 4u);
    BOOST_TEST(out[0].tunnel->value() == 4u);

    // Under any other key, or with a flipped signature bit: refused and counted by reason.
    const auto wrong = random_hash(f.rng);
    f.engine.on_database_store(
        f.sender, store_message(wrong, DatabaseEntryType::lease_set2, ls.bytes(), 8, 4, f.sender),
        now, f.rng);
    auto bad = std::vector<std::uint8_t>(ls.bytes().begin(), ls.bytes().end());
    bad.back() ^= 1;
    f.engine.on_database_store(
        f.sender, store_message(key, DatabaseEntryType::lease_set2, bad, 8, 4, f.sender), now,
        f.rng);
    BOOST_TEST(f.engine.bad_lease_sets(LeaseSetErrc::key_mismatch) == 1u);
    BOOST_TEST(f.engine.bad_lease_sets(LeaseSetErrc::bad_signature) == 1u);
    BOOST_TEST(!f.store.find_lease_set(wrong, now));
}

BOOST_AUTO_TEST_CASE(checks_every_lease_set_type)
{
    crypto::DeterministicRng rng(11);
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const IdentHash key = d.destination.ident_hash();
    // LeaseSet (type 1): ordered by earliest lease expiration.
    const auto ls1 = make_lease_set1(d, rng, now.ms + 300'000);
    const auto rec = check_lease_set(key, DatabaseEntryType::lease_set, ls1.bytes(), now);
    BOOST_REQUIRE(rec);
    BOOST_TEST(rec->expires.ms == now.ms + 300'000);
    BOOST_TEST(rec->published.ms <= now.ms);
    const auto old = make_lease_set1(d, rng, now.ms - 1);
    BOOST_TEST(check_lease_set(key, DatabaseEntryType::lease_set, old.bytes(), now).error() ==
               make_error_code(LeaseSetErrc::expired));
    // EncryptedLeaseSet (type 5): keyed by SHA-256(sig type || blinded key).
    const auto blinded = crypto::SigningKey::generate(crypto::SigType::redsa_sha512_ed25519, rng);
    const auto els = make_encrypted_lease_set(blinded, rng);
    const auto bkey = data::blinded_key_hash(11, blinded.public_key());
    BOOST_TEST(check_lease_set(bkey, DatabaseEntryType::encrypted_lease_set, els.bytes(), now)
                   .has_value());
    BOOST_TEST(
        check_lease_set(key, DatabaseEntryType::encrypted_lease_set, els.bytes(), now).error() ==
        make_error_code(LeaseSetErrc::key_mismatch));
    // A LeaseSet2 flagged unpublished, an expired one, one parsed as the wrong type.
    const auto unpub = make_lease_set2(d, rng, t0_seconds(), 2);
    BOOST_TEST(check_lease_set(key, DatabaseEntryType::lease_set2, unpub.bytes(), now).error() ==
               make_error_code(LeaseSetErrc::unpublished));
    const auto ls2 = make_lease_set2(d, rng, t0_seconds() - 3600);
    BOOST_TEST(check_lease_set(key, DatabaseEntryType::lease_set2, ls2.bytes(), now).error() ==
               make_error_code(LeaseSetErrc::expired));
    BOOST_TEST(check_lease_set(key, DatabaseEntryType::meta_lease_set, ls2.bytes(), now).error() ==
               make_error_code(LeaseSetErrc::malformed));
}

BOOST_AUTO_TEST_CASE(a_non_floodfill_drops_lease_set_stores)
{
    Fixture f(5);
    f.engine.set_floodfill(false);
    const auto d = data::testing::make_destination(crypto::SigType::eddsa_sha512_ed25519, f.rng);
    const auto ls = make_lease_set2(d, f.rng);
    const IdentHash key = d.destination.ident_hash();
    BOOST_TEST(f.engine
                   .on_database_store(f.sender,
                                      store_message(key, DatabaseEntryType::lease_set2, ls.bytes(),
                                                    8, 0, f.sender),
                                      now, f.rng)
                   .empty());
    BOOST_TEST(!f.store.find_lease_set(key, now));
    BOOST_TEST(f.engine.counters().lease_set_stores_not_floodfill == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
