// umbra-sim: runs an in-process network of umbra routers in virtual time and prints progress per
// virtual minute and a summary. Nothing leaves the process (no socket is opened).
//
//   umbra-sim --routers 100 --seed 7 --minutes 10 --hops 3 --drop 5
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include <boost/program_options.hpp>

#include "tests/sim/simulation.h"

namespace po = boost::program_options;
using namespace umbra;

namespace {

struct Options {
    sim::SimConfig sim;
    unsigned minutes = 10;
    unsigned drop = 0; // routers taken down after the first third of the run
    unsigned data_per_minute = 20;
    bool json = false;
};

bool parse(int argc, char** argv, Options& o)
{
    unsigned hops = 3;
    unsigned quantity = 2;
    po::options_description desc("umbra-sim options");
    desc.add_options()("help,h", "this help")(
        "routers", po::value(&o.sim.routers)->default_value(20),
        "number of routers")("seed", po::value(&o.sim.seed)->default_value(1), "the run's seed")(
        "minutes", po::value(&o.minutes)->default_value(10), "virtual minutes to run")(
        "hops", po::value(&hops)->default_value(3), "exploratory tunnel length (0-7)")(
        "quantity", po::value(&quantity)->default_value(2),
        "tunnels per direction (1-16)")("drop", po::value(&o.drop)->default_value(0),
                                        "routers taken down after a third of the run")(
        "loss", po::value(&o.sim.loss)->default_value(0.0), "per-message link loss (0-1)")(
        "data", po::value(&o.data_per_minute)->default_value(20),
        "Data messages sent between random routers per virtual minute")(
        "json", po::bool_switch(&o.json), "also print the summary as one JSON line");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return false;
    }
    // Bounded runs: at most 10,000 routers and one virtual day.
    if (o.sim.routers < 2 || o.sim.routers > 10'000 || o.minutes > 24 * 60 ||
        o.data_per_minute > 60'000 || hops > 7 || quantity < 1 || quantity > 16 || o.sim.loss < 0 ||
        o.sim.loss > 1 || o.drop >= o.sim.routers)
        throw std::invalid_argument("option out of range");
    o.sim.hops = std::uint8_t(hops);
    o.sim.quantity = std::uint8_t(quantity);
    return true;
}

void print_minute(const sim::Simulation& s, unsigned minute, std::uint64_t delivered)
{
    const auto t = s.totals();
    std::size_t ready = 0;
    std::size_t up = 0;
    const auto now = sim::engine_now(s.now());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& r = s.router(i);
        if (!r.up())
            continue;
        ++up;
        const auto& lt = r.tunnels();
        if (lt.established(tunnels::kExploratoryPool, true, now) > 0 &&
            lt.established(tunnels::kExploratoryPool, false, now) > 0)
            ++ready;
    }
    std::printf("minute %3u: builds %llu/%llu ok, tests %llu/%llu ok, transit %llu, up routers "
                "with tunnels both ways %zu/%zu, data delivered %llu (cumulative)\n",
                minute, (unsigned long long)t.tunnels.builds_succeeded,
                (unsigned long long)t.tunnels.builds_started,
                (unsigned long long)t.tunnels.tests_passed,
                (unsigned long long)t.tunnels.tests_sent, (unsigned long long)t.transit_tunnels,
                ready, up, (unsigned long long)delivered);
}

// Counts the Data messages delivered since the last call and forgets them (bounded memory).
std::uint64_t take_delivered_data(sim::Simulation& s)
{
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        for (const auto& d : s.router(i).delivered())
            n += d.message.type == i2np::MessageType::data ? 1 : 0;
        s.router(i).clear_delivered();
    }
    return n;
}

void print_summary(const sim::Simulation& s, const Options& o, double wall_seconds,
                   std::uint64_t data_sent, std::uint64_t data_delivered)
{
    const auto t = s.totals();
    const double pct = t.tunnels.builds_started ? 100.0 * double(t.tunnels.builds_succeeded) /
                                                      double(t.tunnels.builds_started)
                                                : 0.0;
    const double virtual_seconds = double(s.now()) / 1000.0;
    std::printf("\nsummary: %zu routers, seed %llu, %u virtual minutes, %u hops, %u dropped\n",
                s.size(), (unsigned long long)o.sim.seed, o.minutes, unsigned(o.sim.hops), o.drop);
    std::printf("builds started %llu, succeeded %llu (%.1f%%), declined %llu, timed out %llu, "
                "bad reply %llu, no peers %llu\n",
                (unsigned long long)t.tunnels.builds_started,
                (unsigned long long)t.tunnels.builds_succeeded, pct,
                (unsigned long long)t.tunnels.builds_declined,
                (unsigned long long)t.tunnels.builds_timed_out,
                (unsigned long long)t.tunnels.builds_bad_reply,
                (unsigned long long)t.tunnels.builds_no_peers);
    std::printf(
        "tunnel tests sent %llu, passed %llu, failed %llu; tunnels failed %llu, expired "
        "%llu\n",
        (unsigned long long)t.tunnels.tests_sent, (unsigned long long)t.tunnels.tests_passed,
        (unsigned long long)t.tunnels.tests_failed, (unsigned long long)t.tunnels.tunnels_failed,
        (unsigned long long)t.tunnels.tunnels_expired);
    std::printf("data messages sent %llu, delivered %llu; link messages %llu (%.1f MB), lost "
                "%llu, to down routers %llu; %llu events\n",
                (unsigned long long)data_sent, (unsigned long long)data_delivered,
                (unsigned long long)s.network().sent, double(s.network().bytes) / 1e6,
                (unsigned long long)s.network().lost, (unsigned long long)s.network().to_down,
                (unsigned long long)s.events());
    std::printf("wall-clock %.2f s for %.0f virtual s: %.0f router-seconds per wall second\n",
                wall_seconds, virtual_seconds, double(s.size()) * virtual_seconds / wall_seconds);
    std::printf("trace digest %s\n", s.trace().digest_hex().c_str());
    if (!o.json)
        return;
    std::printf("{\"routers\":%zu,\"seed\":%llu,\"minutes\":%u,\"hops\":%u,\"dropped\":%u,"
                "\"loss\":%g,\"builds_started\":%llu,\"builds_succeeded\":%llu,"
                "\"build_success_pct\":%.2f,\"tests_sent\":%llu,\"tests_passed\":%llu,"
                "\"data_sent\":%llu,\"data_delivered\":%llu,\"link_messages\":%llu,"
                "\"wall_seconds\":%.3f,\"router_seconds_per_wall_second\":%.0f,"
                "\"trace_digest\":\"%s\"}\n",
                s.size(), (unsigned long long)o.sim.seed, o.minutes, unsigned(o.sim.hops), o.drop,
                o.sim.loss, (unsigned long long)t.tunnels.builds_started,
                (unsigned long long)t.tunnels.builds_succeeded, pct,
                (unsigned long long)t.tunnels.tests_sent,
                (unsigned long long)t.tunnels.tests_passed, (unsigned long long)data_sent,
                (unsigned long long)data_delivered, (unsigned long long)s.network().sent,
                wall_seconds, double(s.size()) * virtual_seconds / wall_seconds,
                s.trace().digest_hex().c_str());
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    try {
        if (!parse(argc, argv, o))
            return 0;
    } catch (const std::exception& e) {
        std::cerr << "umbra-sim: " << e.what() << "\n";
        return 2;
    }
    Logger log;
    log.set_level(LogLevel::warn);
    const auto start = std::chrono::steady_clock::now();
    sim::Simulation s(o.sim, log);
    crypto::DeterministicRng traffic(o.sim.seed ^ 0xda7au);
    std::uint64_t data_sent = 0;
    std::uint64_t data_delivered = 0;
    for (unsigned minute = 1; minute <= o.minutes; ++minute) {
        if (minute == o.minutes / 3 + 1) {
            for (unsigned k = 0; k < o.drop; ++k)
                s.take_down(s.size() - 1 - k); // the last routers: never router 0, 1 or 2
        }
        for (unsigned k = 0; k < o.data_per_minute; ++k) {
            s.run_for(60'000 / o.data_per_minute);
            const auto from = traffic.uniform(s.size() - o.drop);
            const auto to = traffic.uniform(s.size() - o.drop);
            std::vector<std::uint8_t> payload(1 + traffic.uniform(12'000));
            traffic.fill(payload);
            if (s.send_data(from, to, std::move(payload), MessageId(traffic.u32())))
                ++data_sent;
        }
        if (o.data_per_minute == 0)
            s.run_for(60'000);
        data_delivered += take_delivered_data(s);
        print_minute(s, minute, data_delivered);
    }
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    print_summary(s, o, std::max(wall.count(), 1e-6), data_sent, data_delivered);
    return 0;
}
