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

BOOST_AUTO_TEST_CASE(peer_table_keeps_the_losing_session_as_standby_and_keeps_the_queue)
{
    const auto self = hash_of(1);
    const auto peer = hash_of(2);
    PeerTable table(self, {});
    BOOST_TEST((table.enqueue(peer, message(10)) == PeerTable::Enqueued::needs_dial));
    table.dial_started(peer);
    BOOST_TEST((table.enqueue(peer, message(10)) == PeerTable::Enqueued::dial_pending));
    // The peer's own connection arrives first and carries the queue for now...
    auto r = table.established(peer, 7, Direction::inbound, t0);
    BOOST_TEST(r.keep_new);
    BOOST_TEST(!r.close.has_value());
    BOOST_TEST(table.dialing(peer));
    // ...then ours completes: we have the smaller hash, so ours wins and 7 waits as standby.
    r = table.established(peer, 8, Direction::outbound, t0);
    BOOST_TEST(r.keep_new);
    BOOST_TEST(!r.close.has_value());
    BOOST_TEST((r.standby == std::optional<SessionId>(7)));
    BOOST_TEST(table.sessions() == 1u);
    BOOST_TEST(table.take(peer, 7, 1000, t0).empty()); // the loser gets nothing
    BOOST_TEST(table.take(peer, 8, 1000, t0).size() == 2u);
    const auto c = table.closed(peer, 7, false, t0); // closing the loser leaves the winner
    BOOST_TEST(c.dropped == 0u);
    BOOST_TEST(!c.promoted);
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(8)));
    BOOST_TEST(!table.standby(peer).has_value());
}

BOOST_AUTO_TEST_CASE(larger_hash_side_refuses_its_own_late_outbound_session)
{
    PeerTable table(hash_of(9), {});
    const auto peer = hash_of(3);
    table.dial_started(peer);
    BOOST_TEST(table.established(peer, 1, Direction::inbound, t0).keep_new);
    const auto r = table.established(peer, 2, Direction::outbound, t0);
    BOOST_TEST(!r.keep_new);
    BOOST_TEST((r.standby == std::optional<SessionId>(2)));
    BOOST_TEST(!table.dialing(peer));
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(1)));
}

// i2pd 2.45.1 keeps the newest inbound session: with a larger hash we kept the session i2pd
// ends. When it does, our standby (the session i2pd kept) takes over, and what we wrote on the
// ended session is queued again, ahead of newer messages.
BOOST_AUTO_TEST_CASE(standby_takes_over_when_the_peer_ends_the_winner_and_its_messages_return)
{
    PeerTable table(hash_of(9), {});
    const auto peer = hash_of(3);
    table.enqueue(peer, message(1));
    table.dial_started(peer);
    table.established(peer, 1, Direction::inbound, t0); // the peer's dial, ours in progress
    BOOST_TEST(table.take(peer, 1, 1000, t0).size() == 1u);
    BOOST_TEST(!table.established(peer, 2, Direction::outbound, t0 + s(1)).keep_new);
    BOOST_TEST((table.enqueue(peer, message(2)) == PeerTable::Enqueued::to_session));
    const auto c = table.closed(peer, 1, true, t0 + s(1)); // the peer ended 1, no Termination
    BOOST_TEST(c.promoted);
    BOOST_TEST(c.requeued == 1u);
    BOOST_TEST(c.dropped == 0u);
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(2)));
    BOOST_TEST(table.sessions() == 1u);
    const auto out = table.take(peer, 2, 1000, t0 + s(1));
    BOOST_REQUIRE(out.size() == 2u);
    BOOST_TEST(out[0].payload.size() == 1u); // the repeat first, then the newer message
    BOOST_TEST(out[1].payload.size() == 2u);
}

// With a smaller hash we keep what i2pd keeps; it ends our standby, on which we had written
// before the winner came: those messages are sent again on the winner.
BOOST_AUTO_TEST_CASE(messages_of_a_standby_the_peer_ends_unacknowledged_are_sent_again)
{
    PeerTable table(hash_of(1), {});
    const auto peer = hash_of(3);
    table.enqueue(peer, message(5));
    table.dial_started(peer);
    table.established(peer, 1, Direction::inbound, t0);
    BOOST_TEST(table.take(peer, 1, 1000, t0).size() == 1u);
    BOOST_TEST(table.established(peer, 2, Direction::outbound, t0).keep_new);
    const auto c = table.closed(peer, 1, true, t0 + s(2));
    BOOST_TEST(!c.promoted);
    BOOST_TEST(c.requeued == 1u);
    BOOST_TEST(table.take(peer, 2, 1000, t0 + s(2)).size() == 1u);
}

BOOST_AUTO_TEST_CASE(no_repeat_when_we_ended_it_or_after_probation)
{
    DuplicatePolicy d;
    d.probation = s(10);
    PeerTable table(hash_of(1), {}, d);
    const auto peer = hash_of(3);
    table.established(peer, 1, Direction::outbound, t0);
    table.enqueue(peer, message(1));
    BOOST_TEST(table.take(peer, 1, 1000, t0).size() == 1u);
    BOOST_TEST(table.closed(peer, 1, false, t0).requeued == 0u); // acknowledged or ours
    table.enqueue(peer, message(1));
    table.established(peer, 2, Direction::outbound, t0);
    BOOST_TEST(table.take(peer, 2, 1000, t0 + s(11)).size() == 1u); // past probation
    BOOST_TEST(table.closed(peer, 2, true, t0 + s(11)).requeued == 0u);
    table.enqueue(peer, message(1));
    table.established(peer, 3, Direction::outbound, t0);
    BOOST_TEST(table.take(peer, 3, 1000, t0 + s(1)).size() == 1u);
    BOOST_TEST(table.closed(peer, 3, true, t0 + s(11)).requeued == 0u); // lost too late
}

BOOST_AUTO_TEST_CASE(a_lost_session_with_nothing_left_to_serve_the_peer_drops_its_repeats)
{
    PeerTable table(hash_of(1), {});
    const auto peer = hash_of(3);
    table.established(peer, 1, Direction::outbound, t0);
    table.enqueue(peer, message(1));
    BOOST_TEST(table.take(peer, 1, 1000, t0).size() == 1u);
    const auto c = table.closed(peer, 1, true, t0);
    BOOST_TEST(c.requeued == 1u);
    BOOST_TEST(c.dropped == 1u); // counted, not kept forever
    BOOST_TEST(!table.has_queued(peer));
}

BOOST_AUTO_TEST_CASE(a_third_session_displaces_the_standby)
{
    PeerTable table(hash_of(1), {});
    const auto peer = hash_of(3);
    table.established(peer, 1, Direction::inbound, t0);
    table.established(peer, 2, Direction::outbound, t0); // 1 on standby
    const auto r = table.established(peer, 3, Direction::outbound, t0);
    BOOST_TEST(r.keep_new);
    BOOST_TEST((r.close == std::optional<SessionId>(1)));
    BOOST_TEST((r.standby == std::optional<SessionId>(2)));
    BOOST_TEST(table.sessions() == 1u);
}

BOOST_AUTO_TEST_CASE(mimic_i2pd_keeps_the_newest_inbound_and_drops_a_late_outbound)
{
    DuplicatePolicy d;
    d.mimic_i2pd = true;
    PeerTable table(hash_of(1), {}, d);
    const auto peer = hash_of(3);
    table.established(peer, 1, Direction::outbound, t0);
    auto r = table.established(peer, 2, Direction::inbound, t0);
    BOOST_TEST(r.keep_new);
    BOOST_TEST(r.abrupt);
    BOOST_TEST((r.close == std::optional<SessionId>(1)));
    r = table.established(peer, 3, Direction::outbound, t0);
    BOOST_TEST(!r.keep_new);
    BOOST_TEST((r.close == std::optional<SessionId>(3)));
    BOOST_TEST((table.active(peer) == std::optional<SessionId>(2)));
    BOOST_TEST(!table.standby(peer).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(queues)

BOOST_AUTO_TEST_CASE(drops_when_the_per_peer_message_count_is_reached)
{
    PeerTable table(hash_of(1), QueueLimits{3, 1'000'000});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound, t0);
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::to_session));
    }
    BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::dropped_full));
    BOOST_TEST(table.take(peer, 1, 1 << 20, t0).size() == 3u);
    BOOST_TEST((table.enqueue(peer, message(1)) == PeerTable::Enqueued::to_session));
}

BOOST_AUTO_TEST_CASE(drops_when_the_per_peer_byte_budget_is_reached)
{
    PeerTable table(hash_of(1), QueueLimits{100, 1000});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound, t0);
    BOOST_TEST((table.enqueue(peer, message(600)) == PeerTable::Enqueued::to_session));
    BOOST_TEST((table.enqueue(peer, message(600)) == PeerTable::Enqueued::dropped_full));
    BOOST_TEST((table.enqueue(peer, message(400)) == PeerTable::Enqueued::to_session));
}

BOOST_AUTO_TEST_CASE(take_coalesces_up_to_the_frame_budget_but_always_one)
{
    PeerTable table(hash_of(1), {});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound, t0);
    for (int i = 0; i < 4; ++i) {
        table.enqueue(peer, message(88)); // 3 + 9 + 88 = 100 bytes of blocks each
    }
    BOOST_TEST(table.take(peer, 1, 250, t0).size() == 2u);
    BOOST_TEST(table.take(peer, 1, 10, t0).size() == 1u);
    BOOST_TEST(table.take(peer, 1, 10, t0).size() == 1u);
    BOOST_TEST(table.take(peer, 1, 10, t0).empty());
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
    table.established(b, 5, Direction::inbound, t0);
    table.enqueue(b, message(1));
    BOOST_TEST(table.dial_failed(b) == 0u);
    BOOST_TEST(table.has_queued(b));
    BOOST_TEST(table.closed(b, 5, false, t0).dropped == 1u);
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
    table.established(b, 7, Direction::inbound, t0);
    BOOST_TEST(!table.retry_after(b, policy).has_value()); // a session serves the queue
    const auto c = hash_of(4);
    table.enqueue(c, message(1));
    table.dial_started(c);
    BOOST_TEST((table.retry_after(c, policy) == s(1)));
    table.dial_started(c);
    table.established(c, 8, Direction::outbound, t0);        // the retry worked
    BOOST_TEST(table.closed(c, 8, false, t0).dropped == 1u); // nothing dials: the queue goes
    table.enqueue(c, message(1));
    table.dial_started(c);
    BOOST_TEST((table.retry_after(c, policy) == s(1))); // counting starts again
}

BOOST_AUTO_TEST_CASE(a_message_over_the_byte_budget_is_dropped_even_into_an_empty_queue)
{
    PeerTable table(hash_of(1), QueueLimits{100, 100});
    const auto peer = hash_of(2);
    BOOST_TEST((table.enqueue(peer, message(101)) == PeerTable::Enqueued::dropped_full));
    BOOST_TEST(!table.has_queued(peer));
    BOOST_TEST(!table.dialing(peer));
    BOOST_TEST((table.enqueue(peer, message(100)) == PeerTable::Enqueued::needs_dial));
}

BOOST_AUTO_TEST_CASE(copies_kept_for_a_repeat_stop_at_the_byte_budget)
{
    // During probation a session's messages are copied, at most QueueLimits::max_bytes of them;
    // a lost session gives back only what was copied.
    PeerTable table(hash_of(1), QueueLimits{100, 1000});
    const auto peer = hash_of(2);
    table.established(peer, 1, Direction::outbound, t0);
    for (const std::size_t size : {600, 300, 200, 50}) {
        table.enqueue(peer, message(size));
        BOOST_TEST(table.take(peer, 1, 1 << 20, t0).size() == 1u);
    }
    const auto c = table.closed(peer, 1, true, t0 + s(1));
    BOOST_TEST(c.requeued == 2u); // 600 + 300; the 200 went over, and nothing after it
    BOOST_TEST(c.dropped == 2u);  // no session and no dial left to send them
}

BOOST_AUTO_TEST_CASE(calls_about_unknown_peers_or_sessions_change_nothing)
{
    PeerTable table(hash_of(1), {});
    const auto known = hash_of(2);
    const auto unknown = hash_of(3);
    table.established(known, 1, Direction::inbound, t0);
    table.enqueue(known, message(1));
    BOOST_TEST(table.dial_failed(unknown) == 0u);
    const auto c = table.closed(unknown, 1, true, t0);
    BOOST_TEST((c.dropped == 0u && c.requeued == 0u && !c.promoted));
    BOOST_TEST(!table.standby(unknown).has_value());
    BOOST_TEST(table.take(unknown, 1, 1000, t0).empty());
    BOOST_TEST(table.take(known, 2, 1000, t0).empty()); // not its active session
    BOOST_TEST(table.closed(known, 2, true, t0).requeued == 0u);
    BOOST_TEST(table.sessions() == 1u);
    BOOST_TEST(table.take(known, 1, 1000, t0).size() == 1u);
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

BOOST_AUTO_TEST_CASE(an_immediate_ban_keeps_the_tracked_addresses_bounded)
{
    BanList bans(BanPolicy{5, s(60), s(600), 4});
    for (int i = 0; i < 4; ++i) {
        bans.record_failure("10.0.0." + std::to_string(i), t0);
    }
    bans.ban("10.0.1.1", t0 + s(1)); // e.g. clock skew: at once, without failures
    BOOST_TEST(bans.size() <= 4u);
    BOOST_TEST(bans.banned("10.0.1.1", t0 + s(2)));
    BOOST_TEST(!bans.banned("10.0.1.1", t0 + s(602)));
}

BOOST_AUTO_TEST_SUITE_END()
