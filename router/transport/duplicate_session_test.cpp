// Simultaneous connects against a peer that resolves them its own way: one manager follows
// umbra's rule, the other mimics i2pd 2.45.1 (DuplicatePolicy::mimic_i2pd: the newest inbound
// session wins, the loser ends without Termination). Both dial each other at once over real
// sockets on 127.0.0.1 with messages queued both ways; none may be lost, and one session must
// survive on both sides.
#include <memory>

#include "router/transport/manager_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;

namespace {

constexpr std::uint32_t burst = 20;

struct Pair {
    std::unique_ptr<Node> umbra;
    std::unique_ptr<Node> i2pd;
};

// Nodes until umbra's hash compares to the mimic's as asked (each draw is a coin flip).
Pair make_pair(asio::io_context& io, crypto::Rng& rng, Logger& log, bool umbra_smaller)
{
    Ntcp2Options mimic = test_options();
    mimic.duplicates.mimic_i2pd = true;
    Ntcp2Options ours = test_options();
    ours.duplicates.grace = Milliseconds(1'000);
    for (int i = 0; i < 64; ++i) {
        Pair p{std::make_unique<Node>(io, rng, log, ours),
               std::make_unique<Node>(io, rng, log, mimic)};
        if ((p.umbra->hash() < p.i2pd->hash()) == umbra_smaller) {
            p.umbra->learn(*p.i2pd, rng);
            p.i2pd->learn(*p.umbra, rng);
            return p;
        }
        p.umbra->manager.stop();
        p.i2pd->manager.stop();
        io.restart();
        io.run_for(std::chrono::milliseconds(50));
    }
    BOOST_FAIL("no pair of identities in the wanted order");
    return {};
}

bool all_delivered(const Recorder& r, std::uint32_t first)
{
    for (std::uint32_t id = first; id < first + burst; ++id) {
        if (r.count_id(id) == 0) {
            return false;
        }
    }
    return true;
}

void race(asio::io_context& io, crypto::Rng& rng, Logger& log, bool umbra_smaller)
{
    Pair p = make_pair(io, rng, log, umbra_smaller);
    Node* u = p.umbra.get();
    Node* m = p.i2pd.get();
    for (std::uint32_t i = 0; i < burst; ++i) { // both queues fill, both sides dial
        u->manager.send(m->hash(), data_message(1000 + i));
        m->manager.send(u->hash(), data_message(2000 + i));
    }
    BOOST_TEST(run_until(io, [&] {
        return all_delivered(m->recorder, 1000) && all_delivered(u->recorder, 2000) &&
               u->manager.handshakes_in_progress() == 0 && m->manager.handshakes_in_progress() == 0;
    }));
    // Both connections completed: the mimic ended one of them.
    BOOST_TEST(u->manager.stats().handshakes_ok_inbound == 1u);
    BOOST_TEST(u->manager.stats().handshakes_ok_outbound == 1u);
    BOOST_TEST(m->manager.stats().duplicate_sessions_closed == 1u);
    run_until(
        io, [] { return false; }, Milliseconds(1'500)); // past the grace period
    BOOST_TEST(u->manager.session_count() == 1u);
    BOOST_TEST(m->manager.session_count() == 1u);
    BOOST_TEST(u->manager.connected(m->hash()));
    // The one session left carries new messages both ways, no new dial.
    u->manager.send(m->hash(), data_message(3000));
    m->manager.send(u->hash(), data_message(4000));
    BOOST_TEST(run_until(
        io, [&] { return m->recorder.count_id(3000) == 1 && u->recorder.count_id(4000) == 1; }));
    BOOST_TEST(u->manager.stats().handshakes_ok_outbound == 1u);
    BOOST_TEST(m->manager.stats().handshakes_ok_outbound == 1u);
    BOOST_TEST(u->manager.stats().dropped_no_session == 0u);
    BOOST_TEST_MESSAGE("umbra promotions " << u->manager.stats().standby_promotions << ", repeats "
                                           << u->manager.stats().requeued_messages);
    finish(io, *u, *m);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(duplicate_sessions, Fixture)

// umbra keeps the connection it received (its hash is larger); the mimic ends that one.
BOOST_AUTO_TEST_CASE(larger_hash_against_keep_newest_inbound_loses_no_message)
{
    race(io, rng, log, false);
}

// Both keep umbra's outbound; the mimic ends the other, on which umbra may have written.
BOOST_AUTO_TEST_CASE(smaller_hash_against_keep_newest_inbound_loses_no_message)
{
    race(io, rng, log, true);
}

BOOST_AUTO_TEST_SUITE_END()
