#include <set>

#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_testing.h"

using namespace umbra;
using namespace umbra::ntcp2;

BOOST_AUTO_TEST_SUITE(ntcp2_ephemeral_keys)

BOOST_AUTO_TEST_CASE(hands_out_each_prepared_pair_once_then_generates)
{
    crypto::OsRng rng;
    EphemeralKeys pool(20);
    BOOST_TEST(pool.size() == 0u);
    BOOST_TEST(pool.refill(rng)); // a batch
    BOOST_TEST(pool.size() == EphemeralKeys::batch_size);
    while (pool.refill(rng)) {
    }
    BOOST_TEST(pool.size() == 20u); // the last batch only up to the capacity
    BOOST_TEST(pool.full());
    BOOST_TEST(!pool.refill(rng)); // full: nothing done
    std::set<crypto::X25519Public> seen;
    for (int i = 0; i < 25; ++i) {
        const auto k = pool.take(rng);
        // A real pair: the public key belongs to the private key.
        BOOST_TEST((crypto::x25519_public_from_private(k.private_key.bytes()) == k.public_key));
        BOOST_TEST(seen.insert(k.public_key).second); // never the same pair twice
    }
    // The 21st take found the pool empty: it made a batch, took one and kept the rest.
    BOOST_TEST(pool.misses() == 1u);
    BOOST_TEST(pool.size() == EphemeralKeys::batch_size - 5);
}

BOOST_AUTO_TEST_CASE(a_small_pool_makes_batches_of_its_capacity)
{
    crypto::OsRng rng;
    EphemeralKeys pool(3);
    BOOST_TEST(pool.refill(rng));
    BOOST_TEST(pool.size() == 3u);
    BOOST_TEST(!pool.refill(rng));
    for (int i = 0; i < 4; ++i) {
        const auto k = pool.take(rng);
        BOOST_TEST((crypto::x25519_public_from_private(k.private_key.bytes()) == k.public_key));
    }
    BOOST_TEST(pool.misses() == 1u);
    BOOST_TEST(pool.size() == 2u); // a batch of 3, one taken
}

BOOST_AUTO_TEST_CASE(both_handshake_sides_take_their_ephemeral_key_from_the_pool)
{
    crypto::OsRng rng;
    const auto alice = testing::make_router(rng);
    const auto bob = testing::make_router(rng);
    const auto alice_local = alice.local();
    const auto bob_local = bob.local();
    EphemeralKeys alice_keys(1), bob_keys(1);
    alice_keys.refill(rng);
    bob_keys.refill(rng);
    ReplayCache replay;
    Initiator init(alice_local, bob.remote(), &alice_keys);
    Responder resp(bob_local, replay, nullptr, &bob_keys);
    const auto m1 = init.start(testing::test_now, rng);
    BOOST_TEST(alice_keys.size() == 0u); // X came from the pool
    auto m2 = testing::feed(resp, m1, rng, testing::test_now, SteadyTime{});
    BOOST_TEST_REQUIRE(m2.has_value());
    BOOST_TEST(bob_keys.size() == 0u); // Y too
    auto m3 = testing::feed(init, *m2, rng, testing::test_now);
    BOOST_TEST_REQUIRE(m3.has_value());
    BOOST_TEST_REQUIRE(testing::feed(resp, *m3, rng, testing::test_now, SteadyTime{}).has_value());
    BOOST_TEST_REQUIRE((init.established() && resp.established()));
    const auto a = init.take_established();
    const auto b = resp.take_established();
    BOOST_TEST((a.keys.send.cipher_key.bytes()[0] == b.keys.receive.cipher_key.bytes()[0]));
    BOOST_TEST((alice_keys.misses() == 0u && bob_keys.misses() == 0u));
}

BOOST_AUTO_TEST_SUITE_END()
