#include <boost/test/unit_test.hpp>

#include "router/data/i2np/payload.h"
#include "router/garlic/error.h"
#include "router/garlic/inbox.h"
#include "router/garlic/testing.h"

using namespace umbra;
using namespace umbra::garlic;

namespace {

constexpr WallTime kNow{1'700'000'000'000};
constexpr WallTime kLater{kNow.ms + 60'000};

struct Fixture {
    crypto::X25519Keypair keys = testing::router_keys();
    GarlicRouterInbox inbox{keys.private_key.clone()};
    crypto::DeterministicRng rng{21};
};

} // namespace

BOOST_AUTO_TEST_SUITE(garlic_inbox)

// What an i2pd floodfill client sends (WrapECIESX25519MessageForRouter): a DatabaseLookup in a
// LOCAL clove, encrypted to our static key.
BOOST_FIXTURE_TEST_CASE(delivers_a_lookup_sent_to_our_static_key, Fixture)
{
    const auto lookup = i2np::make_message(i2np::samples::sample_lookup_ecies(), MessageId(77),
                                           testing::kSampleExpiration);
    const std::vector<GarlicClove> cloves{{CloveDelivery::to_local(), lookup}};
    const auto garlic = encrypt_for_router(keys.public_key, cloves, kNow, rng);
    BOOST_REQUIRE(garlic);
    const auto out = inbox.on_garlic(*garlic, kNow);
    BOOST_REQUIRE(out);
    BOOST_TEST((*out == cloves));
    const auto parsed = i2np::parse_payload(out->at(0).message);
    BOOST_REQUIRE(parsed);
    BOOST_TEST((std::get<i2np::DatabaseLookup>(*parsed) == i2np::samples::sample_lookup_ecies()));
    BOOST_TEST(inbox.counters().router_messages == 1u);
}

BOOST_FIXTURE_TEST_CASE(wrap_for_router_makes_a_garlic_message_the_inbox_opens, Fixture)
{
    const auto store = i2np::make_message(i2np::samples::sample_store_lease_set2_with_reply(),
                                          MessageId(79), testing::kSampleExpiration);
    const auto wrapped = wrap_for_router(keys.public_key, store, MessageId(80), kNow, rng);
    BOOST_REQUIRE(wrapped);
    BOOST_TEST((wrapped->type == i2np::MessageType::garlic));
    BOOST_TEST((wrapped->id == MessageId(80)));
    BOOST_TEST((wrapped->expiration == store.expiration));
    // Through the standard header and back, as a tunnel endpoint would hand it over.
    const auto received = i2np::Message::parse_standard(wrapped->serialize_standard());
    BOOST_REQUIRE(received);
    const auto garlic = i2np::Garlic::parse(received->payload);
    BOOST_REQUIRE(garlic);
    const auto out = inbox.on_garlic(*garlic, kNow);
    BOOST_REQUIRE(out);
    BOOST_REQUIRE(out->size() == 1u);
    BOOST_TEST((out->at(0).delivery == CloveDelivery::to_local()));
    BOOST_TEST((out->at(0).message == store));
}

BOOST_FIXTURE_TEST_CASE(delivers_a_reply_to_our_lookup, Fixture)
{
    const auto keys_for_lookup = inbox.reply_keys().create(rng, kLater, kNow);
    BOOST_REQUIRE(keys_for_lookup);
    const auto reply = i2np::make_message(i2np::samples::sample_store_router_info(), MessageId(78),
                                          testing::kSampleExpiration);
    const auto garlic = encrypt_reply(*keys_for_lookup, reply, rng);
    const auto out = inbox.on_garlic(*garlic, kNow);
    BOOST_REQUIRE(out);
    BOOST_TEST((out->at(0).message == reply));
    BOOST_TEST(inbox.counters().replies == 1u);
    // A second copy is neither a reply (tag used) nor a valid message to our key.
    BOOST_TEST(!inbox.on_garlic(*garlic, kNow));
    BOOST_TEST(inbox.counters().rejected == 1u);
}

BOOST_FIXTURE_TEST_CASE(counts_replays_and_failures, Fixture)
{
    const auto garlic = encrypt_for_router(keys.public_key, testing::sample_cloves(), kNow, rng);
    BOOST_TEST(inbox.on_garlic(*garlic, kNow).has_value());
    BOOST_TEST((inbox.on_garlic(*garlic, kNow).error() == make_error_code(Error::replayed)));
    BOOST_TEST(!inbox.on_garlic(i2np::Garlic{{1, 2, 3}}, kNow));
    BOOST_TEST(inbox.counters().router_messages == 1u);
    BOOST_TEST(inbox.counters().replayed == 1u);
    BOOST_TEST(inbox.counters().rejected == 1u);
}

BOOST_FIXTURE_TEST_CASE(returns_every_clove_with_its_delivery, Fixture)
{
    const auto cloves = testing::sample_cloves();
    const auto garlic = encrypt_for_router(inbox.public_key(), cloves, kNow, rng);
    const auto out = inbox.on_garlic(*garlic, kNow);
    BOOST_REQUIRE(out);
    BOOST_TEST((*out == cloves));
}

BOOST_AUTO_TEST_SUITE_END()
