// TunnelService driven without sockets: build requests made by tunnels/build's creator, a
// recording Sender, a manual clock, and a real io_context standing in for the network executor
// (polled by the test) so the shards' output takes the same path as in the daemon.
#include <fstream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include "router/app/tunnel_service.h"
#include "router/data/i2np/payload.h"
#include "tunnels/build/testing.h"

using namespace umbra;
using namespace umbra::app;
namespace tt = umbra::tunnels::testing;

namespace {

struct Fixture {
    ManualClock clock;
    crypto::DeterministicRng rng{7};
    boost::asio::io_context io;
    Logger log;
    std::vector<netdb::OutMessage> sent;
    tt::TestRouter next = tt::make_router(2);
    IdentHash self;
    std::unique_ptr<TunnelService> service;

    explicit Fixture(TunnelServiceOptions options = {}, bool start = true)
    {
        log.set_level(LogLevel::none);
        // tt::make_router(1)'s hash and keys, drawn the same way.
        crypto::DeterministicRng keys_rng(1);
        std::array<std::uint8_t, 32> hash{};
        keys_rng.fill(hash);
        self = IdentHash(hash);
        auto keys = crypto::X25519Keypair::generate(keys_rng);
        service = std::make_unique<TunnelService>(
            options, std::move(keys), self, io.get_executor(),
            [this](netdb::OutMessage m) { sent.push_back(std::move(m)); }, clock, rng, log);
        if (start) { // not started: the shards run only in settle(), on this thread
            service->start();
        }
    }
    // A short build request with us as the first hop (participant) and `next` as the second.
    i2np::Message build_request(std::uint32_t first_id)
    {
        tt::TestRouter us = tt::make_router(1);
        auto plan =
            tt::make_plan({&us, &next}, tunnels::RecordFormat::short_ecies, false, next.ident);
        plan.hops[0].receive_tunnel = TunnelId(first_id);
        auto created = tunnels::PendingBuild::create(std::move(plan), clock.wall(), rng);
        BOOST_REQUIRE(created.has_value());
        auto& r = created->second;
        return i2np::Message{r.type, r.message_id, WallTime{clock.wall().ms + 60'000},
                             std::move(r.payload)};
    }
    // Runs the shards' queued work, then the output they posted to the network executor.
    void settle()
    {
        service->transit().drain();
        io.poll();
        io.restart();
    }
};

IdentHash ident(std::uint32_t n)
{
    std::array<std::uint8_t, 32> h{};
    for (int i = 0; i < 4; ++i) {
        h[i] = std::uint8_t(n >> (8 * i));
    }
    h[31] = 0xAB;
    return IdentHash(h);
}

i2np::Message tunnel_data(std::uint32_t id, crypto::Rng& rng)
{
    i2np::TunnelData td;
    td.tunnel = TunnelId(id);
    rng.fill(td.data);
    return i2np::make_message(td, MessageId(rng.u32()), WallTime{1'700'000'060'000});
}

struct Consumer final : OwnTunnelsHook {
    bool on_tunnel_message(const IdentHash&, const i2np::Message& m) override
    {
        ++seen;
        return m.type == i2np::MessageType::tunnel_data;
    }
    int seen = 0;
};

long rss_kib()
{
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stol(line.substr(6));
        }
    }
    return 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tunnel_service)

BOOST_AUTO_TEST_CASE(accepted_participant_forwards_data_from_its_previous_hop_only)
{
    Fixture f;
    const IdentHash previous = ident(1);
    f.service->on_tunnel_message(previous, f.build_request(5000));
    BOOST_TEST(f.service->counters().builds_accepted == 1u);
    BOOST_TEST_REQUIRE(f.sent.size() == 1u); // the build message on to the next hop
    BOOST_TEST((f.sent[0].to == f.next.ident));
    f.sent.clear();
    f.settle();
    BOOST_TEST(f.service->transit_count() == 1u);

    f.service->on_tunnel_message(ident(2), tunnel_data(5000, f.rng)); // a stranger
    f.service->on_tunnel_message(previous, tunnel_data(5000, f.rng));
    f.settle();
    BOOST_TEST_REQUIRE(f.sent.size() == 1u);
    BOOST_TEST((f.sent[0].to == f.next.ident));
    BOOST_TEST((f.sent[0].message.type == i2np::MessageType::tunnel_data));
    f.service->stop();
    BOOST_TEST(f.service->transit().counters().wrong_previous == 1u);
    BOOST_TEST(f.service->transit().counters().forwarded == 1u);
}

BOOST_AUTO_TEST_CASE(own_tunnels_hook_sees_tunnel_messages_first)
{
    Fixture f;
    Consumer hook;
    f.service->set_own_tunnels(&hook);
    f.service->on_tunnel_message(ident(1), tunnel_data(77, f.rng)); // consumed
    f.service->on_tunnel_message(ident(1), f.build_request(5001));  // seen, not consumed
    BOOST_TEST(hook.seen == 2);
    BOOST_TEST(f.service->counters().builds_accepted == 1u);
    f.settle();
    f.service->stop();
    BOOST_TEST(f.service->transit().counters().unknown_tunnel == 0u); // 77 never reached transit
    f.service->set_own_tunnels(nullptr);
}

BOOST_AUTO_TEST_CASE(notransit_refuses_every_request_with_a_reply)
{
    Fixture f(TunnelServiceOptions{.accept_transit = false});
    f.service->on_tunnel_message(ident(1), f.build_request(5002));
    BOOST_TEST(f.service->counters().builds_rejected == 1u);
    BOOST_TEST(f.service->counters().builds_accepted == 0u);
    BOOST_TEST(f.sent.size() == 1u); // the refusal travels on with the build message
    f.settle();
    BOOST_TEST(f.service->transit_count() == 0u);
}

BOOST_AUTO_TEST_CASE(caps_d_then_e_as_the_limit_nears_and_full_refuses)
{
    Fixture f(TunnelServiceOptions{.max_transit = 10, .share_bytes_per_second = 1'000'000});
    std::vector<char> caps;
    f.service->set_caps_listener([&caps](char c) { caps.push_back(c); });
    const auto builds = [&f](std::uint32_t from, std::uint32_t to) {
        for (std::uint32_t i = from; i < to; ++i) { // no settle: queued adds count too
            f.service->on_tunnel_message(ident(100 + i), f.build_request(6000 + i));
        }
    };
    builds(0, 7);
    f.clock.advance(std::chrono::seconds(1));
    f.service->on_timer();
    BOOST_TEST((caps == std::vector<char>{'D'})); // 7 of 10
    builds(7, 12);
    BOOST_TEST(f.service->counters().builds_accepted == 10u);
    BOOST_TEST(f.service->counters().builds_rejected == 2u); // full: code 30
    f.clock.advance(std::chrono::seconds(1));
    f.service->on_timer();
    BOOST_TEST(caps.size() == 1u); // E wanted, but at most one change a minute
    f.clock.advance(std::chrono::minutes(1));
    f.service->on_timer();
    BOOST_TEST((caps == std::vector<char>{'D', 'E'}));
    BOOST_TEST(f.service->counters().cap_changes == 2u);
}

BOOST_AUTO_TEST_CASE(accepts_still_queued_for_their_shard_count_against_the_limit)
{
    Fixture f(TunnelServiceOptions{.max_transit = 3, .share_bytes_per_second = 1'000'000}, false);
    for (std::uint32_t i = 0; i < 5; ++i) {
        f.service->on_tunnel_message(ident(200 + i), f.build_request(7000 + i));
    }
    BOOST_TEST(f.service->transit().tunnel_count() == 0u); // nothing installed yet
    BOOST_TEST(f.service->counters().builds_accepted == 3u);
    BOOST_TEST(f.service->counters().builds_rejected == 2u);
    f.settle();
    BOOST_TEST(f.service->transit_count() == 3u);
}

// Issue 5 item 7: a flood of build requests from one source, and many sources at once.
BOOST_AUTO_TEST_CASE(build_request_flood_stays_bounded_and_other_sources_get_through)
{
    constexpr std::size_t max_transit = 500;
    Fixture f(TunnelServiceOptions{.max_transit = max_transit,
                                   .builds_per_source_per_minute = 120,
                                   .share_bytes_per_second = 1'000'000});
    const long rss_before = rss_kib();
    const IdentHash flooder = ident(0xF100D);
    std::vector<i2np::Message> valid;
    for (std::uint32_t i = 0; i < 50; ++i) {
        valid.push_back(f.build_request(10'000 + i));
    }
    i2np::Message garbage = valid[0];
    for (std::uint32_t i = 0; i < 50'000; ++i) {
        if (i % 2 == 0) {
            f.service->on_tunnel_message(flooder, valid[i / 2 % valid.size()]);
        } else {
            f.rng.fill(garbage.payload);
            f.service->on_tunnel_message(flooder, garbage);
        }
    }
    const auto& c = f.service->counters();
    BOOST_TEST(c.build_requests == 120u); // read: one minute's allowance
    BOOST_TEST(c.builds_rate_limited == 50'000u - 120u);
    BOOST_TEST(c.builds_accepted == 50u); // each valid one once; replays and garbage dropped
    BOOST_TEST(c.builds_dropped == 70u);

    // 1,000 other sources, one good request each, in the same minute.
    for (std::uint32_t i = 0; i < 1000; ++i) {
        f.service->on_tunnel_message(ident(i), f.build_request(20'000 + i));
    }
    f.settle();
    BOOST_TEST(c.build_requests == 1120u);
    BOOST_TEST(c.builds_rate_limited == 50'000u - 120u);
    BOOST_TEST(c.builds_accepted + c.builds_rejected == 1050u);
    // Bounded structures: the transit table exactly at its limit (decisions count accepted
    // tunnels still queued for their shard), the limiter's sources, the replay cache.
    BOOST_TEST(c.builds_accepted == max_transit);
    BOOST_TEST(c.builds_rejected == 1050u - max_transit);
    BOOST_TEST(f.service->transit_count() == max_transit);
    BOOST_TEST(f.service->limiter().size() == 1001u);
    BOOST_TEST(f.service->build_hop().replay_cache().size() <= std::size_t{1} << 17);
    BOOST_TEST(f.service->build_hop().replay_cache().size() == 1050u);

    // More sources than the limiter holds: new ones are dropped unread, never stored.
    for (std::uint32_t i = 0; i < 5000; ++i) {
        f.service->on_tunnel_message(ident(100'000 + i), garbage);
    }
    BOOST_TEST(f.service->limiter().size() == 4096u);
    BOOST_TEST_MESSAGE("flood: RSS grew "
                       << rss_kib() - rss_before << " KiB; " << f.service->transit_count()
                       << " transit tunnels, " << f.service->build_hop().replay_cache().size()
                       << " replay entries, " << f.service->limiter().size() << " limiter sources");
    // A minute later the flooder's allowance is back.
    f.clock.advance(std::chrono::minutes(1));
    f.service->on_tunnel_message(flooder, garbage);
    BOOST_TEST(c.build_requests == 1120u + 1u + (4096u - 1001u));
}

BOOST_AUTO_TEST_SUITE_END()
