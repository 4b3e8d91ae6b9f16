#include <ostream>

#include <boost/test/unit_test.hpp>

#include "tunnels/transit/congestion.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace std::chrono_literals;

namespace {

AdmissionLimits limits(std::size_t max_tunnels, std::uint64_t share)
{
    return AdmissionLimits{.accept_transit = true,
                           .max_tunnels = max_tunnels,
                           .share_bytes_per_second = share,
                           .min_cap_interval = 1min};
}

} // namespace

namespace umbra::tunnels {
std::ostream& operator<<(std::ostream& os, CongestionCap c)
{
    const char l = cap_letter(c);
    return os << (l != 0 ? l : '-');
}
} // namespace umbra::tunnels

BOOST_AUTO_TEST_SUITE(congestion)

BOOST_AUTO_TEST_CASE(meter_averages_over_its_window_and_forgets_old_seconds)
{
    BandwidthMeter meter(10);
    const SteadyTime t0{};
    meter.sample(0, t0);
    for (int s = 1; s <= 10; ++s) {
        meter.sample(std::uint64_t(s) * 1000, t0 + std::chrono::seconds(s));
    }
    // 10 seconds of 1000 bytes (the first second's bucket was rolled out).
    BOOST_TEST(meter.rate(t0 + 10s) == 1000u);
    BOOST_TEST(meter.rate(t0 + 15s) == 500u); // 5 quiet seconds
    BOOST_TEST(meter.rate(t0 + 30s) == 0u);
    meter.sample(20'000, t0 + 31s); // a burst after the silence
    BOOST_TEST(meter.rate(t0 + 31s) == 1000u);
}

BOOST_AUTO_TEST_CASE(meter_works_with_negative_virtual_seconds)
{
    BandwidthMeter meter(4);
    const SteadyTime t0 = SteadyTime{} - 2s;
    meter.sample(0, t0);
    meter.sample(400, t0 + 1s);
    meter.sample(800, t0 + 2s);
    BOOST_TEST(meter.rate(t0 + 2s) == 200u);
}

BOOST_AUTO_TEST_CASE(tunnel_count_raises_d_then_e_and_refuses_at_the_limit)
{
    TransitAdmission a(limits(100, 1'000'000));
    const SteadyTime t0{};
    BOOST_TEST(!a.update(10, 0, t0).has_value());
    BOOST_TEST(a.published() == CongestionCap::none);
    BOOST_TEST(*a.update(70, 0, t0 + 1s) == CongestionCap::medium);
    BOOST_TEST(!a.refuse(70));
    // E is wanted at once, but published only a minute after D.
    BOOST_TEST(!a.update(95, 0, t0 + 2s).has_value());
    BOOST_TEST(a.wanted() == CongestionCap::high);
    BOOST_TEST(a.published() == CongestionCap::medium);
    BOOST_TEST(*a.update(95, 0, t0 + 61s) == CongestionCap::high);
    BOOST_TEST(cap_letter(a.published()) == 'E');
    BOOST_TEST(!a.refuse(99));
    BOOST_TEST(a.refuse(100));
}

BOOST_AUTO_TEST_CASE(caps_fall_only_ten_points_below_where_they_rose)
{
    TransitAdmission a(limits(100, 1'000'000));
    const SteadyTime t0{};
    BOOST_TEST(*a.update(90, 0, t0) == CongestionCap::high);
    BOOST_TEST(!a.update(85, 0, t0 + 2min).has_value()); // above 80: still E
    BOOST_TEST(*a.update(79, 0, t0 + 3min) == CongestionCap::medium);
    BOOST_TEST(!a.update(65, 0, t0 + 5min).has_value()); // above 60: still D
    BOOST_TEST(*a.update(59, 0, t0 + 6min) == CongestionCap::none);
    BOOST_TEST(!a.update(69, 0, t0 + 8min).has_value()); // D takes 70 to rise again
}

BOOST_AUTO_TEST_CASE(bandwidth_share_used_up_refuses_new_tunnels_and_publishes_e)
{
    TransitAdmission a(limits(1000, 10'000)); // 10 KB/s share
    const SteadyTime t0{};
    std::uint64_t total = 0;
    for (int s = 0; s <= 120; ++s) { // two minutes at 12 KB/s
        a.update(5, total, t0 + std::chrono::seconds(s));
        total += 12'000;
    }
    BOOST_TEST(a.over_share());
    BOOST_TEST(a.refuse(5));
    BOOST_TEST(a.published() == CongestionCap::high); // D on the way up, E a minute later
    // Traffic stops: the window empties, tunnels are taken again, the caps fall a minute apart.
    for (int s = 121; s <= 300; ++s) {
        a.update(5, total, t0 + std::chrono::seconds(s));
    }
    BOOST_TEST(!a.over_share());
    BOOST_TEST(!a.refuse(5));
    BOOST_TEST(a.published() == CongestionCap::none);
}

BOOST_AUTO_TEST_CASE(transit_off_publishes_g_from_the_start_for_good)
{
    auto l = limits(100, 1000);
    l.accept_transit = false;
    TransitAdmission a(l);
    BOOST_TEST(a.published() == CongestionCap::rejecting_all);
    BOOST_TEST(cap_letter(a.published()) == 'G');
    BOOST_TEST(a.refuse(0));
    BOOST_TEST(!a.update(0, 0, SteadyTime{} + 10min).has_value());
    TransitAdmission zero_share(limits(100, 0));
    BOOST_TEST(zero_share.refuse(0));
    BOOST_TEST(zero_share.published() == CongestionCap::rejecting_all);
}

BOOST_AUTO_TEST_SUITE_END()
