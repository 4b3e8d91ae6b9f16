#include <boost/test/unit_test.hpp>

#include "router/base/clock.h"

using namespace umbra;

namespace {
std::int64_t system_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
} // namespace

BOOST_AUTO_TEST_SUITE(clocks)

BOOST_AUTO_TEST_CASE(manual_clock_moves_both_times_by_the_same_step)
{
    ManualClock c(WallTime{5000});
    const SteadyTime s0 = c.steady();
    BOOST_TEST(c.wall().ms == 5000);
    c.advance(Milliseconds(1500));
    BOOST_TEST(c.wall().ms == 6500);
    BOOST_TEST(c.wall().seconds() == 6);
    BOOST_TEST((c.steady() - s0 == Milliseconds(1500)));
    c.advance(Milliseconds(0));
    BOOST_TEST(c.wall().ms == 6500);
}

BOOST_AUTO_TEST_CASE(manual_clock_starts_at_a_fixed_date)
{
    BOOST_TEST(ManualClock().wall().ms == 1'700'000'000'000);
}

BOOST_AUTO_TEST_CASE(system_clock_wall_time_follows_the_system_clock)
{
    SystemClock c;
    const std::int64_t before = system_ms();
    const WallTime w = c.wall();
    const std::int64_t after = system_ms();
    BOOST_TEST(c.skew() == 0);
    BOOST_TEST(w.ms >= before);
    BOOST_TEST(w.ms <= after);
}

BOOST_AUTO_TEST_CASE(system_clock_applies_the_skew_offset)
{
    SystemClock c;
    for (const std::int64_t skew : {std::int64_t{3'600'000}, std::int64_t{-90'000}}) {
        c.set_skew(skew);
        BOOST_TEST(c.skew() == skew);
        const std::int64_t before = system_ms();
        const WallTime w = c.wall();
        const std::int64_t after = system_ms();
        BOOST_TEST(w.ms >= before + skew);
        BOOST_TEST(w.ms <= after + skew);
    }
}

BOOST_AUTO_TEST_CASE(system_clock_steady_time_never_goes_back)
{
    SystemClock c;
    c.set_skew(-3'600'000); // skew corrects wall time only
    const SteadyTime a = c.steady();
    const SteadyTime b = c.steady();
    BOOST_TEST((b >= a));
}

BOOST_AUTO_TEST_SUITE_END()
