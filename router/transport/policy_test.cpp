#include <boost/test/unit_test.hpp>

#include "router/transport/policy.h"

using namespace umbra;
using namespace umbra::transport;

namespace {

IdentHash hash_of(std::uint8_t first)
{
    std::array<std::uint8_t, 32> b{};
    b[0] = first;
    return IdentHash(b);
}

i2np::Message message(std::size_t payload)
{
    return i2np::Message{i2np::MessageType::data, MessageId(1), WallTime{0},
                         std::vector<std::uint8_t>(payload, 0x42)};
}

const SteadyTime t0{};
constexpr auto s = [](int n) {
    return Milliseconds(n * 1000);
};

} // namespace

BOOST_AUTO_TEST_SUITE(simultaneous_connect)

BOOST_AUTO_TEST_CASE(both_routers_keep_the_connection_of_the_smaller_hash)
{
    const auto small = hash_of(1);
    const auto large = hash_of(2);
    // `small` dialled `large` and `large` dialled `small` at the same time. At `small` the
    // session it initiated is outbound; at `large` the same connection is inbound.
    BOOST_TEST(keep_new_session(small, large, Direction::inbound, Direction::outbound));
    BOOST_TEST(!keep_new_session(small, large, Direction::outbound, Direction::inbound));
    BOOST_TEST(keep_new_session(large, small, Direction::outbound, Direction::inbound));
    BOOST_TEST(!keep_new_session(large, small, Direction::inbound, Direction::outbound));
}

BOOST_AUTO_TEST_CASE(newer_session_of_the_same_direction_replaces_the_older)
{
    BOOST_TEST(keep_new_session(hash_of(1), hash_of(2), Direction::inbound, Direction::inbound));
    BOOST_TEST(keep_new_session(hash_of(2), hash_of(1), Direction::outbound, Direction::outbound));
}

BOOST_AUTO_TEST_CASE(peer_table_closes_the_losing_session_and_keeps_the_queue)
{
    const auto self = hash_of(1);
    const auto peer = hash_of(2);
    PeerTable table(self, {});
    BOOST_TEST((table.enqueue(peer, message(10)) == PeerTable::Enqueued::needs_dial));
    table.dial_started(peer);
    BOOST_TEST((table.enqueue(peer, message(10)) == PeerTable::Enqueued::dial_pending));
    // The peer's own connection arrives first and carries the queue for now...
    auto r = table.established(peer, 7, Direction::inbound);
    BOOST_TEST(r.keep_new);
    BOOST_TEST(!r.close.has_value());
    BOOST_TEST(table.dialing(peer));
    // ...then ours completes: we have the smaller hash, so ours wins and 7 is closed.
    r = table.established(peer, 8, Direction::outbound);
    BOOST_TEST(r.keep_new);
    BOOST_TEST((r.close == std::optional<SessionId>(7)));
    BOOST_TEST(table.sessions() == 1u);
    BOOST_TEST(table.take(peer, 7, 1000).empty()); // the loser gets nothing
    BOOST_TEST(table.take(peer, 8, 1000).size() == 2u);
    BOOST_TEST(table.closed(peer, 7) == 0u); // closing the loser leaves the winner
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(8)));
}

BOOST_AUTO_TEST_CASE(larger_hash_side_refuses_its_own_late_outbound_session)
{
    PeerTable table(hash_of(9), {});
    const auto peer = hash_of(3);
    table.dial_started(peer);
    BOOST_TEST(table.established(peer, 1, Direction::inbound).keep_new);
    const auto r = table.established(peer, 2, Direction::outbound);
    BOOST_TEST(!r.keep_new);
    BOOST_TEST(!table.dialing(peer));
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(1)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(queues)

BOOST_AUTO_TEST_CASE(drops_when_the_per_peer_message_count_is_reached)
{
    PeerTable table(hash_of(1), QueueLimits{3, 1'000'000});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound);
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::to_session));
    }
    BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::dropped_full));
    BOOST_TEST(table.take(peer, 1, 1 << 20).size() == 3u);
    BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::to_session));
}

BOOST_AUTO_TEST_CASE(drops_when_the_per_peer_byte_budget_is_reached)
{
    PeerTable table(hash_of(1), QueueLimits{100, 1000});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound);
    BOOST_TEST((table.enqueue(peer, message(600)) == PeerTable::Enqueued::to_session));
    BOOST_TEST((table.enqueue(peer, message(600)) == PeerTable::Enqueued::dropped_full));
    BOOST_TEST((table.enqueue(peer, message(400)) == PeerTable::Enqueued::to_session));
}

BOOST_AUTO_TEST_CASE(take_coalesces_up_to_the_frame_budget_but_always_one)
{
    PeerTable table(hash_of(1), {});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound);
    for (int i = 0; i < 4; ++i) {
        table.enqueue(peer, message(88)); // 3 + 9 + 88 = 100 bytes of blocks each
    }
    BOOST_TEST(table.take(peer, 1, 250).size() == 2u);
    BOOST_TEST(table.take(peer, 1, 10).size() == 1u);
    BOOST_TEST(table.take(peer, 1, 10).size() == 1u);
    BOOST_TEST(table.take(peer, 1, 10).empty());
}

BOOST_AUTO_TEST_CASE(failed_dial_drops_the_queue_unless_a_session_serves_the_peer)
{
    PeerTable table(hash_of(1), {});
    const auto a = hash_of(2);
    table.enqueue(a, message(1));
    table.dial_started(a);
    table.enqueue(a, message(1));
    BOOST_TEST(table.dial_failed(a) == 2u);
    BOOST_TEST(!table.has_queued(a));

    const auto b = hash_of(3);
    table.dial_started(b);
    table.established(b, 5, Direction::inbound);
    table.enqueue(b, message(1));
    BOOST_TEST(table.dial_failed(b) == 0u);
    BOOST_TEST(table.has_queued(b));
    BOOST_TEST(table.closed(b, 5) == 1u);
    BOOST_TEST(table.sessions() == 0u);
}

BOOST_AUTO_TEST_CASE(failed_dials_are_retried_with_doubling_delays_then_given_up)
{
    PeerTable table(hash_of(1), {});
    const DialRetryPolicy policy{4, s(1), s(3)};
    const auto a = hash_of(2);
    BOOST_TEST((table.enqueue(a, message(1)) == PeerTable::Enqueued::needs_dial));
    table.dial_started(a);
    BOOST_TEST((table.retry_after(a, policy) == s(1)));
    // While a retry is pending, new messages queue without starting another dial.
    BOOST_TEST((table.enqueue(a, message(1)) == PeerTable::Enqueued::dial_pending));
    table.dial_started(a);
    BOOST_TEST((table.retry_after(a, policy) == s(2)));
    table.dial_started(a);
    BOOST_TEST((table.retry_after(a, policy) == s(3))); // capped at max_delay
    table.dial_started(a);
    BOOST_TEST(!table.retry_after(a, policy).has_value()); // the 4th dial failed: give up
    BOOST_TEST(table.dial_failed(a) == 2u);
    BOOST_TEST(!table.has_queued(a));
}

BOOST_AUTO_TEST_CASE(no_retry_without_messages_or_with_a_session_and_a_session_resets_count)
{
    PeerTable table(hash_of(1), {});
    const DialRetryPolicy policy{2, s(1), s(30)};
    const auto a = hash_of(2);
    table.dial_started(a);
    BOOST_TEST(!table.retry_after(a, policy).has_value()); // nothing waits
    const auto b = hash_of(3);
    table.enqueue(b, message(1));
    table.dial_started(b);
    table.established(b, 7, Direction::inbound);
    BOOST_TEST(!table.retry_after(b, policy).has_value()); // a session serves the queue
    const auto c = hash_of(4);
    table.enqueue(c, message(1));
    table.dial_started(c);
    BOOST_TEST((table.retry_after(c, policy) == s(1)));
    table.dial_started(c);
    table.established(c, 8, Direction::outbound); // the retry worked
    BOOST_TEST(table.closed(c, 8) == 1u);         // nothing dials: the queue goes
    table.enqueue(c, message(1));
    table.dial_started(c);
    BOOST_TEST((table.retry_after(c, policy) == s(1))); // counting starts again
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bans)

BOOST_AUTO_TEST_CASE(bans_an_ip_after_repeated_failures_within_the_window)
{
    BanList bans(BanPolicy{3, s(60), s(600), 100});
    BOOST_TEST(!bans.record_failure("10.0.0.1", t0));
    BOOST_TEST(!bans.record_failure("10.0.0.1", t0 + s(1)));
    BOOST_TEST(!bans.banned("10.0.0.1", t0 + s(1)));
    BOOST_TEST(bans.record_failure("10.0.0.1", t0 + s(2)));
    BOOST_TEST(bans.banned("10.0.0.1", t0 + s(3)));
    BOOST_TEST(!bans.banned("10.0.0.2", t0 + s(3)));
    BOOST_TEST(!bans.banned("10.0.0.1", t0 + s(603))); // the ban expires
}

BOOST_AUTO_TEST_CASE(failures_spread_beyond_the_window_do_not_ban)
{
    BanList bans(BanPolicy{3, s(60), s(600), 100});
    for (int i = 0; i < 10; ++i) {
        BOOST_TEST(!bans.record_failure("10.0.0.1", t0 + s(61 * i)));
    }
    BOOST_TEST(!bans.banned("10.0.0.1", t0 + s(61 * 10)));
}

BOOST_AUTO_TEST_CASE(a_successful_handshake_clears_the_failures)
{
    BanList bans(BanPolicy{2, s(60), s(600), 100});
    bans.record_failure("10.0.0.1", t0);
    bans.record_success("10.0.0.1");
    BOOST_TEST(!bans.record_failure("10.0.0.1", t0 + s(1)));
}

BOOST_AUTO_TEST_CASE(tracked_addresses_stay_bounded)
{
    BanList bans(BanPolicy{2, s(60), s(600), 16});
    for (int i = 0; i < 1000; ++i) {
        bans.record_failure("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256),
                            t0 + Milliseconds(i));
    }
    BOOST_TEST(bans.size() <= 16u);
}

BOOST_AUTO_TEST_SUITE_END()
