#include <vector>

#include <boost/test/unit_test.hpp>

#include "router/dispatch/dispatcher.h"

using namespace umbra;
using namespace umbra::dispatch;

namespace {

constexpr std::int64_t t0 = 1'790'000'000'000; // 2026-09

i2np::Message msg(i2np::MessageType type, std::uint32_t id, std::int64_t expires)
{
    return i2np::Message{type, MessageId(id), WallTime{expires}, {1, 2, 3}};
}

struct Recorder final : NetDbLayer, TunnelLayer, GarlicLayer {
    std::vector<i2np::MessageType> netdb, tunnels, garlic;
    bool netdb_takes_status = true;
    int router_infos = 0;
    bool on_netdb_message(const IdentHash&, const i2np::Message& m) override
    {
        if (m.type == i2np::MessageType::delivery_status && !netdb_takes_status) {
            return false;
        }
        netdb.push_back(m.type);
        return true;
    }
    void on_peer_router_info(const IdentHash&, const data::RouterInfo&) override { ++router_infos; }
    void on_tunnel_message(const IdentHash&, i2np::Message m) override
    {
        tunnels.push_back(m.type);
    }
    void on_garlic(const IdentHash&, i2np::Message m) override { garlic.push_back(m.type); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(message_filter)

BOOST_AUTO_TEST_CASE(accepts_a_fresh_message_once)
{
    MessageFilter f;
    BOOST_TEST((f.check(MessageId(7), WallTime{t0 + 10'000}, WallTime{t0}) == Verdict::accept));
    BOOST_TEST(
        (f.check(MessageId(7), WallTime{t0 + 10'000}, WallTime{t0 + 1}) == Verdict::duplicate));
    BOOST_TEST((f.check(MessageId(8), WallTime{t0 + 10'000}, WallTime{t0 + 1}) == Verdict::accept));
    BOOST_TEST(f.counters().duplicates == 1u);
    BOOST_TEST(f.counters().accepted == 2u);
}

BOOST_AUTO_TEST_CASE(expired_beyond_the_allowed_skew_is_refused)
{
    MessageFilter f(FilterConfig{.allowed_skew = 60s});
    BOOST_TEST((f.check(MessageId(1), WallTime{t0 - 59'000}, WallTime{t0}) == Verdict::accept));
    BOOST_TEST((f.check(MessageId(2), WallTime{t0 - 61'000}, WallTime{t0}) == Verdict::expired));
    BOOST_TEST(f.counters().expired == 1u);
}

BOOST_AUTO_TEST_CASE(too_far_ahead_is_refused)
{
    MessageFilter f(FilterConfig{.max_future = 5min});
    BOOST_TEST((f.check(MessageId(1), WallTime{t0 + 300'000}, WallTime{t0}) == Verdict::accept));
    BOOST_TEST(
        (f.check(MessageId(2), WallTime{t0 + 300'001}, WallTime{t0}) == Verdict::too_far_ahead));
}

BOOST_AUTO_TEST_CASE(ids_are_forgotten_once_their_message_expired)
{
    MessageFilter f(FilterConfig{.allowed_skew = 60s});
    BOOST_TEST((f.check(MessageId(5), WallTime{t0 + 1'000}, WallTime{t0}) == Verdict::accept));
    BOOST_TEST(f.size() == 1u);
    // Past expiration + skew the id is gone, and a copy is refused as expired instead.
    BOOST_TEST(
        (f.check(MessageId(5), WallTime{t0 + 1'000}, WallTime{t0 + 61'001}) == Verdict::expired));
    BOOST_TEST(f.size() == 0u);
    // A new message that reuses the id later is accepted.
    BOOST_TEST(
        (f.check(MessageId(5), WallTime{t0 + 70'000}, WallTime{t0 + 61'001}) == Verdict::accept));
}

BOOST_AUTO_TEST_CASE(a_flood_of_ids_stays_within_the_capacity)
{
    MessageFilter f(FilterConfig{.capacity = 1000});
    for (std::uint32_t i = 1; i <= 100'000; ++i) {
        BOOST_REQUIRE(
            (f.check(MessageId(i), WallTime{t0 + 100'000 + i}, WallTime{t0}) == Verdict::accept));
        BOOST_REQUIRE(f.size() <= 1000u);
    }
    BOOST_TEST(f.counters().evicted_early == 99'000u);
    // The newest ids are still remembered: the ones expiring first were evicted.
    BOOST_TEST(
        (f.check(MessageId(100'000), WallTime{t0 + 200'000}, WallTime{t0}) == Verdict::duplicate));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dispatcher)

BOOST_AUTO_TEST_CASE(routes_each_type_to_its_layer)
{
    ManualClock clock(WallTime{t0});
    Dispatcher d(clock);
    Recorder r;
    d.attach_netdb(r);
    d.attach_tunnels(r);
    d.attach_garlic(r);
    using T = i2np::MessageType;
    std::uint32_t id = 1;
    for (auto t : {T::database_store, T::database_lookup, T::database_search_reply,
                   T::delivery_status, T::garlic, T::tunnel_data, T::tunnel_gateway,
                   T::short_tunnel_build, T::outbound_tunnel_build_reply, T::variable_tunnel_build,
                   T::variable_tunnel_build_reply, T::data}) {
        d.on_i2np(IdentHash{}, msg(t, id++, t0 + 5'000));
    }
    BOOST_TEST(r.netdb.size() == 4u);
    BOOST_TEST(r.garlic.size() == 1u);
    BOOST_TEST(r.tunnels.size() == 6u);
    BOOST_TEST(d.counters().unhandled == 1u); // Data has no router-level consumer
    BOOST_TEST(d.counters().received_by_type[11] == 1u);
}

BOOST_AUTO_TEST_CASE(delivery_status_not_taken_by_the_netdb_goes_to_the_tunnels)
{
    ManualClock clock(WallTime{t0});
    Dispatcher d(clock);
    Recorder r;
    r.netdb_takes_status = false;
    d.attach_netdb(r);
    d.attach_tunnels(r);
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::delivery_status, 9, t0 + 5'000));
    BOOST_TEST(r.netdb.empty());
    BOOST_TEST(r.tunnels.size() == 1u);
}

BOOST_AUTO_TEST_CASE(drops_duplicates_and_expired_before_any_layer)
{
    ManualClock clock(WallTime{t0});
    Dispatcher d(clock);
    Recorder r;
    d.attach_netdb(r);
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::database_store, 42, t0 + 5'000));
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::database_store, 42, t0 + 5'000));
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::database_store, 43, t0 - 120'000));
    BOOST_TEST(r.netdb.size() == 1u);
    BOOST_TEST(d.counters().dropped_by_filter == 2u);
    BOOST_TEST(d.filter().counters().duplicates == 1u);
    BOOST_TEST(d.filter().counters().expired == 1u);
}

BOOST_AUTO_TEST_CASE(messages_for_a_missing_layer_are_counted_as_unhandled)
{
    ManualClock clock(WallTime{t0});
    Dispatcher d(clock);
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::garlic, 1, t0 + 5'000));
    d.on_i2np(IdentHash{}, msg(i2np::MessageType::tunnel_data, 2, t0 + 5'000));
    BOOST_TEST(d.counters().unhandled == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
