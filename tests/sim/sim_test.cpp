// Scenario tests of the simulated network (issue 5 item 5): 20 umbra routers over in-memory
// links in virtual time build 3-hop exploratory tunnels, carry Data through them, route around a
// router that drops out, keep two routers of one /16 apart, and replay exactly from a seed.
#include <map>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "router/data/i2np/payload.h"
#include "tests/sim/simulation.h"
#include "tests/sim/testing.h"

using namespace umbra;
using namespace umbra::sim;
using sim::testing::established;

namespace {

constexpr VirtualMs kSecond = 1000;
constexpr VirtualMs kMinute = 60 * kSecond;

SimConfig network(std::uint64_t seed)
{
    SimConfig c;
    c.routers = 20;
    c.seed = seed;
    c.hops = 3;
    c.quantity = 2;
    return c;
}

struct Quiet {
    Quiet() { log.set_level(LogLevel::warn); }
    Logger log;
};

// Sends Data messages of the given sizes from `a` to `b`; returns id -> payload.
std::map<std::uint32_t, std::vector<std::uint8_t>>
send_batch(Simulation& s, std::size_t a, std::size_t b, const std::vector<std::size_t>& sizes,
           crypto::Rng& rng, std::vector<tunnels::InboundPath>* paths = nullptr)
{
    std::map<std::uint32_t, std::vector<std::uint8_t>> sent;
    for (const auto size : sizes) {
        std::vector<std::uint8_t> payload(size);
        rng.fill(payload);
        const auto id = rng.u32();
        const auto r = s.send_data(a, b, payload, MessageId(id));
        BOOST_TEST_REQUIRE(r.has_value(),
                           "send_data " << size << " bytes: " << r.error().message());
        if (paths)
            paths->push_back(*r);
        sent.emplace(id, std::move(payload));
    }
    return sent;
}

// How many of `sent` arrived intact at router b (Data messages out of its inbound tunnels).
std::size_t arrived_intact(const Simulation& s, std::size_t b,
                           const std::map<std::uint32_t, std::vector<std::uint8_t>>& sent)
{
    std::size_t n = 0;
    for (const auto& d : s.router(b).delivered()) {
        if (d.message.type != i2np::MessageType::data)
            continue;
        const auto it = sent.find(d.message.id.value());
        const auto data = i2np::Data::parse(d.message.payload);
        if (it != sent.end() && data && data->data == it->second)
            ++n;
    }
    return n;
}

double build_success(const Simulation& s)
{
    const auto t = s.totals().tunnels;
    return t.builds_started ? double(t.builds_succeeded) / double(t.builds_started) : 0.0;
}

void print_totals(const Simulation& s, const char* what)
{
    const auto t = s.totals();
    BOOST_TEST_MESSAGE(
        what << ": builds " << t.tunnels.builds_succeeded << "/" << t.tunnels.builds_started
             << " succeeded (" << 100.0 * build_success(s) << "%), declined "
             << t.tunnels.builds_declined << ", timed out " << t.tunnels.builds_timed_out
             << ", bad reply " << t.tunnels.builds_bad_reply << ", no peers "
             << t.tunnels.builds_no_peers << "; tests " << t.tunnels.tests_passed << "/"
             << t.tunnels.tests_sent << " passed; transit " << t.transit_tunnels
             << "; link messages " << s.network().sent);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_network)

BOOST_AUTO_TEST_CASE(twenty_routers_establish_their_three_hop_exploratory_pools)
{
    Quiet q;
    Simulation s(network(1), q.log);
    s.run_for(4 * kMinute);
    print_totals(s, "20 routers, 4 virtual minutes");
    const auto now = engine_now(s.now());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& lt = s.router(i).tunnels();
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, true, now) >= 2u, "router " << i);
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, false, now) >= 2u, "router " << i);
        for (const bool inbound : {true, false}) {
            std::size_t three_hop = 0;
            for (const auto& t : established(s, i, inbound))
                three_hop += t.hops.size() == 3 ? 1 : 0;
            BOOST_TEST(three_hop >= 2u, "router " << i << (inbound ? " inbound" : " outbound"));
        }
    }
    BOOST_TEST(build_success(s) >= 0.9);
    BOOST_TEST(s.totals().tunnels.tests_passed > 0u);
    BOOST_TEST(s.network().unparsable == 0u);
}

BOOST_AUTO_TEST_CASE(pools_are_rebuilt_through_tunnels_before_their_tunnels_expire)
{
    // Replacement builds go through the pools' own tunnels: inbound builds garlic-wrapped to
    // their gateway through an outbound tunnel, outbound build replies back through an inbound
    // tunnel. Two lifetimes of 10 minutes.
    Quiet q;
    Simulation s(network(8), q.log);
    s.run_for(21 * kMinute);
    print_totals(s, "20 routers, 21 virtual minutes");
    const auto t = s.totals();
    BOOST_TEST(t.tunnels.tunnels_expired >= 2u * 20u * 4u); // the first two generations
    BOOST_TEST(t.tunnels.builds_succeeded >= 3u * 20u * 4u);
    BOOST_TEST(build_success(s) >= 0.9);
    BOOST_TEST(t.routers.cloves_local > 0u);    // inbound builds reached gateways in garlic
    BOOST_TEST(t.transit_wrong_previous == 0u); // every hop hears only from its previous hop
    BOOST_TEST(t.routers.builds_rate_limited == 0u);
    BOOST_TEST(t.routers.malformed == 0u);
    const auto now = engine_now(s.now());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& lt = s.router(i).tunnels();
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, true, now) >= 2u, "router " << i);
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, false, now) >= 2u, "router " << i);
    }
}

BOOST_AUTO_TEST_CASE(data_of_every_size_crosses_three_hop_tunnels_intact)
{
    Quiet q;
    Simulation s(network(2), q.log);
    s.run_for(4 * kMinute);
    const std::size_t a = 3;
    const std::size_t b = 11;
    // Zero-hop fallback tunnels may still be listed; LocalTunnels sends through real tunnels
    // whenever it has one, and every real tunnel has the 3 hops asked for.
    for (const auto& t : established(s, a, false))
        BOOST_TEST((t.hops.empty() || t.hops.size() == 3u));
    for (const auto& t : established(s, b, true))
        BOOST_TEST((t.hops.empty() || t.hops.size() == 3u));
    crypto::DeterministicRng rng(99);
    std::vector<tunnels::InboundPath> paths;
    // One byte to several fragments (a tunnel message carries about 1 KB) and beyond 10 KB.
    const auto sent =
        send_batch(s, a, b, {1, 100, 960, 1003, 2000, 4500, 10'000, 10'240, 20'000}, rng, &paths);
    for (const auto& p : paths) { // the inbound tunnel used at b: one of its 3-hop tunnels
        std::size_t hops = 0;
        for (const auto& t : established(s, b, true)) {
            if (t.id == p.tunnel && !t.hops.empty() && t.hops.front() == p.gateway)
                hops = t.hops.size();
        }
        BOOST_TEST(hops == 3u);
    }
    s.run_for(10 * kSecond);
    BOOST_TEST(arrived_intact(s, b, sent) == sent.size());
    BOOST_TEST(s.router(a).tunnels().counters().messages_sent >= sent.size());
}

BOOST_AUTO_TEST_CASE(a_router_that_drops_out_is_routed_around)
{
    Quiet q;
    Simulation s(network(3), q.log);
    // Ten seconds before the first wave of replacement builds (10-minute tunnels, replaced 2
    // minutes before they end), so that creators still pick it before its tunnels fail their
    // tests: those builds must time out.
    s.run_for(7 * kMinute + 50 * kSecond);
    const std::size_t a = 4;
    const std::size_t b = 9;
    // The router carrying the most tunnels (not a or b) drops out.
    std::size_t x = 0;
    std::size_t most = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto n = sim::testing::tunnels_through(s, s.router(i).ident());
        if (i != a && i != b && n > most) {
            most = n;
            x = i;
        }
    }
    BOOST_TEST_REQUIRE(most > 0u);
    const IdentHash gone = s.router(x).ident();
    s.take_down(x);
    s.run_for(5 * kMinute);
    print_totals(s, "after a router dropped out");

    BOOST_TEST(sim::testing::tunnels_through(s, gone) == 0u);
    std::uint32_t timed_out = 0;
    std::size_t bad_at = 0;
    const auto wall = engine_now(s.now()).wall;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == x)
            continue;
        if (const auto* p = s.router(i).profiles().find(gone))
            timed_out += p->tunnels_timed_out;
        bad_at += s.router(i).profiles().is_bad(gone, wall) ? 1 : 0;
    }
    BOOST_TEST_MESSAGE("router " << x << " (in " << most << " tunnels) down: " << timed_out
                                 << " hop timeouts recorded, bad at " << bad_at << " routers");
    BOOST_TEST(timed_out > 0u);
    BOOST_TEST(bad_at > 0u);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == x)
            continue;
        BOOST_TEST(established(s, i, true).size() >= 1u, "router " << i);
        BOOST_TEST(established(s, i, false).size() >= 1u, "router " << i);
    }
    crypto::DeterministicRng rng(7);
    const auto sent = send_batch(s, a, b, {50, 3000, 10'000}, rng);
    s.run_for(10 * kSecond);
    BOOST_TEST(arrived_intact(s, b, sent) == sent.size());
}

BOOST_AUTO_TEST_CASE(a_router_back_up_is_chosen_again_once_its_profile_recovers)
{
    Quiet q;
    Simulation s(network(9), q.log);
    s.run_for(3 * kMinute);
    const std::size_t x = 7;
    const IdentHash ident = s.router(x).ident();
    s.take_down(x);
    s.run_for(3 * kMinute);
    BOOST_TEST(sim::testing::tunnels_through(s, ident) == 0u);
    s.bring_up(x);
    // Unreachable marks and the avoided hops of failed tunnels last 10 minutes.
    s.run_for(15 * kMinute);
    BOOST_TEST(sim::testing::tunnels_through(s, ident) > 0u);
    const auto now = engine_now(s.now());
    BOOST_TEST(s.router(x).tunnels().established(tunnels::kExploratoryPool, true, now) >= 2u);
    BOOST_TEST(s.router(x).tunnels().established(tunnels::kExploratoryPool, false, now) >= 2u);
}

BOOST_AUTO_TEST_CASE(pools_survive_one_percent_message_loss)
{
    // No retransmission below I2NP here: lost build messages time out, lost test messages fail
    // tests, and the pools rebuild.
    Quiet q;
    auto config = network(10);
    config.loss = 0.01;
    Simulation s(config, q.log);
    s.run_for(12 * kMinute); // through one wave of replacements
    print_totals(s, "1% loss, 12 virtual minutes");
    BOOST_TEST(s.network().lost > 0u);
    BOOST_TEST(s.totals().tunnels.builds_timed_out > 0u);
    BOOST_TEST(build_success(s) >= 0.85);
    for (std::size_t i = 0; i < s.size(); ++i) {
        BOOST_TEST(established(s, i, true).size() >= 1u, "router " << i);
        BOOST_TEST(established(s, i, false).size() >= 1u, "router " << i);
    }
}

BOOST_AUTO_TEST_CASE(a_full_router_publishes_congestion_and_is_no_longer_asked)
{
    // Router 5 takes at most 4 transit tunnels: at 100% of its limit it publishes E (proposal
    // 162), the others see it at their next candidate refresh and stop asking it.
    Quiet q;
    auto config = network(11);
    config.max_transit[5] = 4;
    Simulation s(config, q.log);
    s.run_for(2 * kMinute);
    const auto declined_early = s.totals().tunnels.builds_declined;
    BOOST_TEST(declined_early > 0u);
    BOOST_TEST(s.router(5).transit().size() <= 4u);
    BOOST_TEST(s.router(5).info().congestion == 'E');
    // The first replacement wave (tunnels end at 10 minutes, are replaced 2 minutes before).
    s.run_for(7 * kMinute + 30 * kSecond);
    print_totals(s, "router 5 limited to 4 transit tunnels");
    BOOST_TEST(s.router(5).info().congestion == 'E');
    BOOST_TEST(s.totals().tunnels.builds_declined == declined_early);
    BOOST_TEST(s.totals().tunnels.builds_succeeded >= 2u * 20u * 4u);
    const auto now = engine_now(s.now());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& lt = s.router(i).tunnels();
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, true, now) >= 2u, "router " << i);
        BOOST_TEST(lt.established(tunnels::kExploratoryPool, false, now) >= 2u, "router " << i);
    }
}

BOOST_AUTO_TEST_CASE(routers_of_one_16_never_share_a_tunnel)
{
    Quiet q;
    Simulation s(network(4), q.log);
    BOOST_TEST_REQUIRE((router_ipv4(1) >> 16) == (s.peers()[2].ipv4 >> 16));
    const IdentHash r1 = s.router(1).ident();
    const IdentHash r2 = s.router(2).ident();
    std::size_t together = 0;
    std::size_t r1_used = 0;
    std::size_t r2_used = 0;
    for (int second = 0; second < 5 * 60; ++second) {
        s.run_for(kSecond);
        together += sim::testing::tunnels_with_both(s, r1, r2);
        r1_used += sim::testing::tunnels_through(s, r1);
        r2_used += sim::testing::tunnels_through(s, r2);
    }
    BOOST_TEST_MESSAGE("tunnel-seconds through router 1: " << r1_used << ", router 2: " << r2_used);
    BOOST_TEST(r1_used > 0u); // both are used as hops, just never together
    BOOST_TEST(r2_used > 0u);
    BOOST_TEST(together == 0u);
}

BOOST_AUTO_TEST_CASE(the_16_check_sees_shared_tunnels_when_the_rule_is_off)
{
    // The previous test's check can fail: without the rule the pair does end up together.
    Quiet q;
    auto config = network(4);
    config.restrict_subnet = false;
    Simulation s(config, q.log);
    std::size_t together = 0;
    for (int second = 0; second < 5 * 60 && together == 0; ++second) {
        s.run_for(kSecond);
        together += sim::testing::tunnels_with_both(s, s.router(1).ident(), s.router(2).ident());
    }
    BOOST_TEST(together > 0u);
}

BOOST_AUTO_TEST_CASE(a_seed_replays_the_same_trace_and_another_seed_does_not)
{
    Quiet q;
    // With loss and a router dropping out, so loss draws, timeouts and connect failures are
    // part of what must replay.
    const auto run = [&](std::uint64_t seed) {
        auto config = network(seed);
        config.loss = 0.005;
        Simulation s(config, q.log);
        s.run_for(2 * kMinute);
        s.take_down(13);
        crypto::DeterministicRng rng(seed);
        send_batch(s, 0, 5, {100, 5000}, rng);
        s.run_for(kMinute);
        BOOST_TEST(s.trace().events() > 0u);
        BOOST_TEST(s.network().lost > 0u);
        BOOST_TEST(s.network().to_down > 0u);
        return s.trace().digest_hex();
    };
    const auto first = run(5);
    BOOST_TEST_MESSAGE("seed 5 trace digest " << first);
    BOOST_TEST(run(5) == first);
    BOOST_TEST(run(6) != first);
}

BOOST_AUTO_TEST_SUITE_END()
