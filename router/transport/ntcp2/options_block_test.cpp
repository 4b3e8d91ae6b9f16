#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "router/transport/ntcp2/options_block.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::ntcp2;
using umbra::test::from_hex;

BOOST_AUTO_TEST_SUITE(ntcp2_options_block)

BOOST_AUTO_TEST_CASE(writes_the_spec_layout_and_reads_it_back)
{
    // ntcp2.rst "Options": tmin tmax rmin rmax (1 byte each), tdmy rdmy tdelay rdelay (2 bytes
    // big endian each).
    const PaddingOptions o{0x01, 0x02, 0x03, 0x10, 0x0405, 0x0607, 0x0809, 0x0a0b};
    const auto body = write_options(o);
    BOOST_TEST((body == from_hex("01 02 03 10 0405 0607 0809 0a0b")));
    BOOST_TEST((parse_options(body).value() == o));
}

BOOST_AUTO_TEST_CASE(ignores_more_options_and_rejects_fewer_than_12_bytes)
{
    auto body = from_hex("00 01 02 03 0000 0000 0000 0000 ffee");
    BOOST_TEST(parse_options(body).value().rmax == 0x03);
    for (std::size_t n = 0; n < options_body_size; ++n) {
        BOOST_TEST(parse_options(Bytes(body).first(n)).error() == make_error_code(Errc::truncated));
    }
}

BOOST_AUTO_TEST_CASE(negotiates_within_our_tmax_and_the_peers_rmax)
{
    const PaddingOptions ours{0x01, 0x04, 0, 0x10, 0, 0, 0, 0};
    // The peer's maximum is honoured; its minimum too while under our maximum.
    BOOST_TEST((negotiate_padding(ours, {0, 0, 0x02, 0x03, 0, 0, 0, 0}) == PaddingRange{2, 3}));
    BOOST_TEST((negotiate_padding(ours, {0, 0, 0x08, 0x10, 0, 0, 0, 0}) == PaddingRange{4, 4}));
    BOOST_TEST((negotiate_padding(ours, {0, 0, 0, 0x10, 0, 0, 0, 0}) == PaddingRange{1, 4}));
    BOOST_TEST((negotiate_padding(ours, {0, 0, 0, 0, 0, 0, 0, 0}) == PaddingRange{0, 0}));
}

BOOST_AUTO_TEST_CASE(owes_no_dummy_traffic_or_delay_it_does_not_advertise)
{
    // Whatever is configured, our block promises no dummy traffic and no delay...
    const PaddingOptions configured{0, 0x02, 0, 0x10, 500, 100, 20, 5};
    const PaddingOptions sent = advertised_options(configured);
    BOOST_TEST((sent == PaddingOptions{0, 0x02, 0, 0x10, 0, 100, 0, 5}));
    // ...so a peer asking for both is owed nothing; the rule itself is min(ours, requested).
    const PaddingOptions greedy{0, 0, 0, 0, 0, 0xffff, 0, 0xffff};
    BOOST_TEST((negotiate_dummy_traffic(sent, greedy) == DummyTraffic{0, 0}));
    BOOST_TEST((negotiate_dummy_traffic(configured, greedy) == DummyTraffic{500, 20}));
    BOOST_TEST(
        (negotiate_dummy_traffic(configured, {0, 0, 0, 0, 0, 300, 0, 7}) == DummyTraffic{300, 7}));
}

BOOST_AUTO_TEST_CASE(padding_length_stays_within_the_ratios_and_the_room)
{
    crypto::OsRng rng;
    bool saw_low = false;
    bool saw_high = false;
    for (int i = 0; i < 2000; ++i) {
        const std::size_t n = padding_length(160, PaddingRange{1, 2}, 1000, rng); // 10..20
        BOOST_TEST_REQUIRE((n >= 10 && n <= 20));
        saw_low = saw_low || n == 10;
        saw_high = saw_high || n == 20;
    }
    BOOST_TEST((saw_low && saw_high));
    BOOST_TEST(padding_length(1600, PaddingRange{16, 16}, 50, rng) == 50u); // room wins
    BOOST_TEST(padding_length(1600, PaddingRange{0, 0}, 50, rng) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
