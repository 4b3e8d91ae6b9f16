// select_hops (peer_selection.h): the hard rules never bend, and the weighting shows in counts.
#include <map>
#include <set>

#include <boost/test/unit_test.hpp>

#include "tunnels/pool/peer_selection.h"

using namespace umbra;
using namespace umbra::tunnels;

namespace {

IdentHash ident(std::uint8_t n)
{
    std::array<std::uint8_t, 32> b{};
    b[0] = n;
    return IdentHash(b);
}

PeerCandidate candidate(std::uint8_t n, char bw = 'O', double score = 0.5)
{
    PeerCandidate c;
    c.ident = ident(n);
    c.ipv4 = (10u << 24) | (std::uint32_t(n) << 16) | 1u; // each in its own /16
    c.bandwidth = bw;
    c.score = score;
    return c;
}

std::map<std::uint8_t, int> draw_counts(const std::vector<PeerCandidate>& cands, int draws)
{
    crypto::DeterministicRng rng(42);
    std::map<std::uint8_t, int> counts;
    for (int i = 0; i < draws; ++i) {
        auto hops = select_hops(cands, 1, ident(0), {}, {}, rng);
        BOOST_REQUIRE(hops.has_value());
        ++counts[hops->front().ident.bytes()[0]];
    }
    return counts;
}

} // namespace

BOOST_AUTO_TEST_SUITE(peer_selection)

BOOST_AUTO_TEST_CASE(never_picks_self_excluded_bad_rejecting_or_unreachable)
{
    std::vector<PeerCandidate> cands;
    for (std::uint8_t n = 0; n < 8; ++n) {
        cands.push_back(candidate(n));
    }
    cands[2].bad = true;
    cands[3].rejecting = true;
    cands[4].reachable = false;
    const std::vector<IdentHash> exclude{ident(5)};
    crypto::DeterministicRng rng(1);
    for (int i = 0; i < 200; ++i) {
        auto hops = select_hops(cands, 3, ident(0), exclude, {}, rng);
        BOOST_REQUIRE(hops.has_value());
        BOOST_REQUIRE(hops->size() == 3u);
        std::set<std::uint8_t> seen;
        for (const auto& h : *hops) {
            const auto n = h.ident.bytes()[0];
            BOOST_TEST((n == 1 || n == 6 || n == 7));
            seen.insert(n);
        }
        BOOST_TEST(seen.size() == 3u); // distinct
    }
    // A fourth hop is not there: nothing is returned.
    auto four = select_hops(cands, 4, ident(0), exclude, {}, rng);
    BOOST_TEST((four.error() == make_error_code(Errc::unavailable)));
}

BOOST_AUTO_TEST_CASE(never_two_hops_in_one_slash16_unless_the_rule_is_off)
{
    std::vector<PeerCandidate> cands{candidate(1), candidate(2), candidate(3)};
    cands[1].ipv4 = cands[0].ipv4 + 7; // same /16 as 1
    cands[2].ipv4 = 0;                 // no IPv4: no subnet to share
    crypto::DeterministicRng rng(2);
    for (int i = 0; i < 100; ++i) {
        auto hops = select_hops(cands, 2, ident(0), {}, {}, rng);
        BOOST_REQUIRE(hops.has_value());
        const auto a = (*hops)[0].ident.bytes()[0];
        const auto b = (*hops)[1].ident.bytes()[0];
        BOOST_TEST(!((a == 1 && b == 2) || (a == 2 && b == 1)));
    }
    BOOST_TEST(!select_hops(cands, 3, ident(0), {}, {}, rng).has_value());
    SelectionRules off;
    off.restrict_subnet = false;
    BOOST_TEST(select_hops(cands, 3, ident(0), {}, off, rng).has_value());
}

BOOST_AUTO_TEST_CASE(duplicate_candidates_are_one_router)
{
    std::vector<PeerCandidate> cands{candidate(1), candidate(1), candidate(1)};
    crypto::DeterministicRng rng(3);
    BOOST_TEST(!select_hops(cands, 2, ident(0), {}, {}, rng).has_value());
    BOOST_TEST(select_hops(cands, 1, ident(0), {}, {}, rng).has_value());
}

BOOST_AUTO_TEST_CASE(fast_well_scored_routers_are_preferred_but_not_exclusively)
{
    // Weights: X score 1.0 -> 6 * 1.1; K score 0 -> 1 * 0.1: a ratio of 66.
    const auto counts = draw_counts({candidate(1, 'X', 1.0), candidate(2, 'K', 0.0)}, 6000);
    BOOST_TEST(counts.at(1) > 5700);
    BOOST_TEST(counts.count(2) == 1u); // drawn at least once
    BOOST_TEST(counts.at(2) < 300);
}

BOOST_AUTO_TEST_CASE(bandwidth_tiers_and_congestion_weigh_as_documented)
{
    // Same score: M is 3x L; D halves.
    const auto tiers = draw_counts({candidate(1, 'L'), candidate(2, 'M')}, 8000);
    const double ratio = double(tiers.at(2)) / tiers.at(1);
    BOOST_TEST(ratio > 2.5);
    BOOST_TEST(ratio < 3.5);

    auto congested = candidate(2, 'O');
    congested.congested = true;
    const auto d = draw_counts({candidate(1, 'O'), congested}, 8000);
    const double half = double(d.at(2)) / d.at(1);
    BOOST_TEST(half > 0.4);
    BOOST_TEST(half < 0.6);
}

BOOST_AUTO_TEST_CASE(empty_or_zero_count)
{
    crypto::DeterministicRng rng(4);
    BOOST_TEST(!select_hops({}, 1, ident(0), {}, {}, rng).has_value());
    auto none = select_hops({}, 0, ident(0), {}, {}, rng);
    BOOST_REQUIRE(none.has_value());
    BOOST_TEST(none->empty());
}

BOOST_AUTO_TEST_SUITE_END()
