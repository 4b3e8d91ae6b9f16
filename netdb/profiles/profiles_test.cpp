#include <fstream>

#include <boost/test/unit_test.hpp>

#include "netdb/profiles/persistence.h"
#include "netdb/profiles/profiles.h"
#include "tests/support/temp_dir.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr WallTime t0{1'700'000'000'000};

IdentHash hash_of(std::uint8_t b)
{
    std::array<std::uint8_t, 32> a{};
    a.fill(b);
    return IdentHash(a);
}

WallTime at(std::chrono::milliseconds d)
{
    return {t0.ms + d.count()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(peer_profiles)

BOOST_AUTO_TEST_CASE(records_each_event_in_its_counter)
{
    PeerProfiles profiles;
    const auto h = hash_of(1);
    profiles.record(h, PeerEvent::tunnel_agreed, t0);
    profiles.record(h, PeerEvent::tunnel_agreed, t0);
    profiles.record(h, PeerEvent::tunnel_declined, t0);
    profiles.record(h, PeerEvent::tunnel_timed_out, at(1s));
    profiles.record(h, PeerEvent::lookup_answered, t0);
    profiles.record(h, PeerEvent::lookup_timed_out, t0);
    profiles.record(h, PeerEvent::store_confirmed, t0);
    profiles.record(h, PeerEvent::connected, t0);
    profiles.record(h, PeerEvent::used, t0);
    const PeerProfile* p = profiles.find(h);
    BOOST_REQUIRE(p);
    BOOST_TEST(p->tunnels_agreed == 2u);
    BOOST_TEST(p->tunnels_declined == 1u);
    BOOST_TEST(p->tunnels_timed_out == 1u);
    BOOST_TEST(p->lookups_answered == 1u);
    BOOST_TEST(p->lookups_timed_out == 1u);
    BOOST_TEST(p->stores_confirmed == 1u);
    BOOST_TEST(p->connects == 1u);
    BOOST_TEST(p->times_used == 1u);
    BOOST_TEST(p->last_seen.ms == t0.ms); // a timeout is not a sign of life
    BOOST_TEST(p->last_updated.ms == t0.ms);
    BOOST_TEST(!profiles.find(hash_of(2)));
}

BOOST_AUTO_TEST_CASE(score_rewards_agreeing_and_punishes_declining_peers)
{
    PeerProfiles profiles;
    const auto good = hash_of(1), bad = hash_of(2), unknown = hash_of(3);
    for (int i = 0; i < 10; ++i) {
        profiles.record(good, PeerEvent::tunnel_agreed, t0);
        profiles.record(bad, PeerEvent::tunnel_declined, t0);
    }
    BOOST_TEST(profiles.score(unknown, t0) == 0.5);
    BOOST_TEST(profiles.score(good, t0) > 0.5);
    BOOST_TEST(profiles.score(bad, t0) < 0.5);
    BOOST_TEST(profiles.is_bad(bad, t0));
    BOOST_TEST(!profiles.is_bad(good, t0));
    BOOST_TEST(!profiles.is_bad(unknown, t0));
}

BOOST_AUTO_TEST_CASE(a_router_that_stops_replying_turns_bad_after_five_timeouts_in_a_row)
{
    PeerProfiles profiles;
    const auto h = hash_of(1);
    for (int i = 0; i < 30; ++i) {
        profiles.record(h, PeerEvent::tunnel_agreed, t0); // served us well
    }
    for (std::uint32_t i = 1; i < kTimeoutsInRowBad; ++i) {
        profiles.record(h, PeerEvent::tunnel_timed_out, t0);
        BOOST_TEST(!profiles.is_bad(h, t0));
    }
    profiles.record(h, PeerEvent::tunnel_agreed, t0); // a reply breaks the run
    for (std::uint32_t i = 1; i < kTimeoutsInRowBad; ++i) {
        profiles.record(h, PeerEvent::tunnel_timed_out, t0);
    }
    BOOST_TEST(!profiles.is_bad(h, t0));
    profiles.record(h, PeerEvent::tunnel_timed_out, t0); // then it went away
    BOOST_TEST(profiles.is_bad(h, t0));
    profiles.record(h, PeerEvent::tunnel_declined, t0); // back: a decline is a reply
    BOOST_TEST(!profiles.is_bad(h, t0));
}

BOOST_AUTO_TEST_CASE(unreachable_peer_scores_zero_until_the_window_passes)
{
    PeerProfiles profiles;
    const auto h = hash_of(1);
    profiles.record(h, PeerEvent::tunnel_agreed, t0);
    profiles.record(h, PeerEvent::connect_failed, t0);
    BOOST_TEST(profiles.score(h, at(1min)) == 0.0);
    BOOST_TEST(profiles.is_bad(h, at(1min)));
    BOOST_TEST(profiles.score(h, at(11min)) > 0.0);
    profiles.record(h, PeerEvent::connect_failed, at(12min));
    profiles.record(h, PeerEvent::connected, at(13min)); // reachable again
    BOOST_TEST(profiles.score(h, at(13min)) > 0.0);
}

BOOST_AUTO_TEST_CASE(table_is_capped_by_evicting_the_least_recently_updated)
{
    PeerProfiles profiles({.max_profiles = 16});
    for (int i = 0; i < 16; ++i)
        profiles.record(hash_of(std::uint8_t(i)), PeerEvent::connected,
                        at(std::chrono::seconds(i)));
    profiles.record(hash_of(0), PeerEvent::connected, at(100s)); // refreshed: survives
    profiles.record(hash_of(200), PeerEvent::connected, at(101s));
    BOOST_TEST(profiles.size() <= 16u);
    BOOST_TEST(profiles.evicted() >= 1u);
    BOOST_TEST(profiles.find(hash_of(0)));
    BOOST_TEST(profiles.find(hash_of(200)));
    BOOST_TEST(!profiles.find(hash_of(1))); // the oldest
    for (int i = 0; i < 1000; ++i)
        profiles.record(hash_of(std::uint8_t(i)), PeerEvent::used, at(200s));
    BOOST_TEST(profiles.size() <= 16u);
}

BOOST_AUTO_TEST_CASE(expire_drops_stale_profiles)
{
    PeerProfiles profiles;
    profiles.record(hash_of(1), PeerEvent::connected, t0);
    profiles.record(hash_of(2), PeerEvent::connected, at(50h));
    BOOST_TEST(profiles.expire(at(73h)) == 1u);
    BOOST_TEST(!profiles.find(hash_of(1)));
    BOOST_TEST(profiles.find(hash_of(2)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(profile_files)

BOOST_AUTO_TEST_CASE(format_round_trips_through_parse)
{
    PeerProfile p;
    p.tunnels_agreed = 7;
    p.tunnels_declined = 3;
    p.tunnels_timed_out = 2;
    p.tunnels_timed_out_in_row = 2;
    p.lookups_answered = 11;
    p.lookups_timed_out = 4;
    p.stores_confirmed = 5;
    p.connects = 9;
    p.connect_failures = 1;
    p.times_used = 6;
    p.last_seen = {1'700'000'100'000};
    p.last_updated = {1'700'000'200'000};
    p.last_unreachable = {1'700'000'050'000};
    std::size_t bad = 0;
    const auto q = parse_profile(format_profile(p), bad);
    BOOST_REQUIRE(q);
    BOOST_TEST(bad == 0u);
    BOOST_TEST(q->tunnels_agreed == 7u);
    BOOST_TEST(q->tunnels_declined == 3u);
    BOOST_TEST(q->tunnels_timed_out == 2u);
    BOOST_TEST(q->tunnels_timed_out_in_row == 2u);
    BOOST_TEST(q->lookups_answered == 11u);
    BOOST_TEST(q->lookups_timed_out == 4u);
    BOOST_TEST(q->stores_confirmed == 5u);
    BOOST_TEST(q->connects == 9u);
    BOOST_TEST(q->connect_failures == 1u);
    BOOST_TEST(q->times_used == 6u);
    BOOST_TEST(q->last_seen.ms == p.last_seen.ms);
    BOOST_TEST(q->last_updated.ms == p.last_updated.ms);
    BOOST_TEST(q->last_unreachable.ms == p.last_unreachable.ms);
}

BOOST_AUTO_TEST_CASE(reads_an_i2pd_style_profile)
{
    // The key names and layout i2pd writes (boost property_tree INI).
    const std::string text = "lastupdatetimestamp=1700000000\n"
                             "[participation]\nagreed=12\ndeclined=3\nnonreplied=1\n"
                             "[usage]\ntaken=4\nrejected=0\nconnected=true\n";
    std::size_t bad = 0;
    const auto p = parse_profile(text, bad);
    BOOST_REQUIRE(p);
    BOOST_TEST(bad == 0u);
    BOOST_TEST(p->last_updated.ms == 1'700'000'000'000);
    BOOST_TEST(p->tunnels_agreed == 12u);
    BOOST_TEST(p->tunnels_declined == 3u);
    BOOST_TEST(p->tunnels_timed_out == 1u);
    BOOST_TEST(p->times_used == 4u);
    BOOST_TEST(p->connects == 1u);
}

BOOST_AUTO_TEST_CASE(bad_lines_are_skipped_and_counted)
{
    const std::string text = "lastupdatetimestamp=1700000000\n"
                             "garbage line\n"
                             "[participation]\nagreed=-5\ndeclined=99999999999\n"
                             "nonreplied=2\n[broken\n" +
                             std::string(300, 'x') + "=1\n";
    std::size_t bad = 0;
    const auto p = parse_profile(text, bad);
    BOOST_REQUIRE(p);
    BOOST_TEST(bad == 5u);
    BOOST_TEST(p->tunnels_agreed == 0u);
    BOOST_TEST(p->tunnels_timed_out == 2u);
    std::size_t bad2 = 0;
    BOOST_TEST(!parse_profile("nothing=here\n[x]\ny=1\n", bad2));
}

BOOST_AUTO_TEST_CASE(random_bytes_never_break_the_parser)
{
    // Files are hostile: arbitrary bytes (NULs, no newlines, huge numbers) parse or are refused.
    std::uint64_t x = 12345;
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        const std::size_t n = std::size_t(round % 300);
        for (std::size_t i = 0; i < n; ++i) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            const char alphabet[] = "=[]\n\r 0123456789agreedlastupdatetimestamp\0\xff";
            text += alphabet[(x >> 33) % (sizeof alphabet - 1)];
        }
        std::size_t bad = 0;
        (void)parse_profile(text, bad);
        BOOST_TEST_REQUIRE(bad <= text.size());
    }
}

BOOST_AUTO_TEST_CASE(saves_and_loads_in_the_peer_profiles_layout)
{
    test::TempDir dir("umbra-profiles");
    PeerProfiles profiles;
    profiles.record(hash_of(1), PeerEvent::tunnel_agreed, t0);
    profiles.record(hash_of(2), PeerEvent::tunnel_declined, t0);
    auto written = save_profiles(dir.path, profiles);
    BOOST_REQUIRE(written);
    BOOST_TEST(*written == 2u);
    const std::string b64 = hash_of(1).to_base64();
    BOOST_TEST(fs::exists(dir.path / ("p" + b64.substr(0, 1)) / ("profile-" + b64 + ".txt")));

    // A foreign file, an oversized profile and a garbage profile beside them.
    std::ofstream(dir.path / ("p" + b64.substr(0, 1)) / "notes.txt") << "hello";
    const auto big = profile_path(dir.path, hash_of(3));
    fs::create_directories(big.parent_path());
    std::ofstream(big) << std::string(max_profile_file_size + 1, '\n');
    const auto junk = profile_path(dir.path, hash_of(4));
    fs::create_directories(junk.parent_path());
    std::ofstream(junk) << "\x01\x02 nonsense";

    PeerProfiles loaded;
    const auto report = load_profiles(dir.path, loaded, at(1h));
    BOOST_TEST(report.loaded == 2u);
    BOOST_TEST(report.rejected == 2u);
    BOOST_TEST(report.ignored == 1u);
    BOOST_TEST(!fs::exists(big));
    BOOST_TEST(!fs::exists(junk));
    BOOST_REQUIRE(loaded.find(hash_of(1)));
    BOOST_TEST(loaded.find(hash_of(1))->tunnels_agreed == 1u);
    BOOST_TEST(loaded.find(hash_of(2))->tunnels_declined == 1u);
}

BOOST_AUTO_TEST_CASE(load_deletes_expired_profiles)
{
    test::TempDir dir("umbra-profiles");
    PeerProfiles profiles;
    profiles.record(hash_of(1), PeerEvent::connected, t0);
    BOOST_REQUIRE(save_profiles(dir.path, profiles));
    PeerProfiles loaded;
    const auto report = load_profiles(dir.path, loaded, at(100h));
    BOOST_TEST(report.expired == 1u);
    BOOST_TEST(loaded.size() == 0u);
    BOOST_TEST(!fs::exists(profile_path(dir.path, hash_of(1))));
    BOOST_TEST(load_profiles(dir.path / "missing", loaded, t0).loaded == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
