#include <vector>

#include <boost/test/unit_test.hpp>

#include "tests/sim/scheduler.h"

using namespace umbra::sim;

BOOST_AUTO_TEST_SUITE(sim_scheduler)

BOOST_AUTO_TEST_CASE(runs_events_by_time_then_insertion_order)
{
    Scheduler s;
    std::vector<int> order;
    s.after(20, [&] { order.push_back(3); });
    s.after(10, [&] { order.push_back(1); });
    s.after(10, [&] { order.push_back(2); });
    s.after(0, [&] {
        order.push_back(0);
        s.after(10, [&] { order.push_back(21); }); // at 10, after the two already queued
    });
    BOOST_TEST(s.run_until(100) == 5u);
    BOOST_TEST(order == (std::vector<int>{0, 1, 2, 21, 3}), boost::test_tools::per_element());
    BOOST_TEST(s.now() == 100);
}

BOOST_AUTO_TEST_CASE(leaves_later_events_queued_and_advances_the_clock_to_the_limit)
{
    Scheduler s;
    int ran = 0;
    s.after(50, [&] { ++ran; });
    s.after(51, [&] { ++ran; });
    s.run_until(50);
    BOOST_TEST(ran == 1);
    BOOST_TEST(s.now() == 50);
    BOOST_TEST(s.pending() == 1u);
    s.after(-5, [&] { ran += 10; }); // a negative delay runs now, not in the past
    s.run_until(50);
    BOOST_TEST(ran == 11);
}

BOOST_AUTO_TEST_SUITE_END()
