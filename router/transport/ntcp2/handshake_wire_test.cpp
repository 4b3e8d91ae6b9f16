// The handshake's internal codecs: options blocks of messages 1 and 2 and the message 3 part 2
// payload ("Block Ordering Rules").
#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/handshake_wire.h"

using namespace umbra;
using namespace umbra::ntcp2;
using namespace umbra::ntcp2::detail;

namespace {

bool is(const ErrorCode& ec, HandshakeErrc e)
{
    return ec == make_error_code(e);
}

void block(std::vector<std::uint8_t>& out, std::uint8_t type, std::size_t size)
{
    out.push_back(type);
    out.push_back(std::uint8_t(size >> 8));
    out.push_back(std::uint8_t(size));
    out.insert(out.end(), size, 0x11);
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_handshake_wire)

BOOST_AUTO_TEST_CASE(options_blocks_have_the_spec_layout)
{
    const auto req = encode(RequestOptions{7, 2, 0x0102, 0x0304, 0x05060708});
    const OptionsBlock16 want_req{7, 2, 1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0};
    BOOST_TEST(req == want_req);
    const auto back = decode_request_options(req);
    BOOST_TEST(back.net_id == 7);
    BOOST_TEST(back.padding_length == 0x0102);
    BOOST_TEST(back.m3p2_length == 0x0304);
    BOOST_TEST(back.timestamp == 0x05060708u);

    const auto created = encode(CreatedOptions{0x0a0b, 0x01020304});
    const OptionsBlock16 want_created{0, 0, 0x0a, 0x0b, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0};
    BOOST_TEST(created == want_created);
    BOOST_TEST(decode_created_options(created).padding_length == 0x0a0b);
}

BOOST_AUTO_TEST_CASE(reserved_option_bytes_are_ignored)
{
    OptionsBlock16 b = encode(RequestOptions{2, 2, 5, 600, 1});
    b[6] = b[7] = b[12] = b[15] = 0xff;
    const auto o = decode_request_options(b);
    BOOST_TEST(o.padding_length == 5);
    BOOST_TEST(o.m3p2_length == 600);
    BOOST_TEST(o.timestamp == 1u);
}

BOOST_AUTO_TEST_CASE(confirmed_payload_round_trips)
{
    crypto::DeterministicRng rng(1);
    const std::vector<std::uint8_t> ri(500, 0x33);
    for (const std::size_t padding : {0, 1, 31}) {
        const auto payload = write_confirmed_payload(ri, padding, rng);
        BOOST_TEST_REQUIRE(payload.has_value());
        BOOST_TEST(payload->size() == 3 + 1 + ri.size() + (padding ? 3 + padding : 0));
        const auto parsed = parse_confirmed_payload(*payload);
        BOOST_TEST_REQUIRE(parsed.has_value());
        BOOST_TEST(*parsed == ri);
    }
}

BOOST_AUTO_TEST_CASE(confirmed_payload_must_fit_the_largest_frame)
{
    crypto::DeterministicRng rng(2);
    const std::vector<std::uint8_t> fits(65471 - 4, 0);
    BOOST_TEST(write_confirmed_payload(fits, 0, rng).has_value());
    BOOST_TEST(!write_confirmed_payload(fits, 1, rng).has_value());
    const std::vector<std::uint8_t> too_big(65471 - 3, 0);
    BOOST_TEST(!write_confirmed_payload(too_big, 0, rng).has_value());
}

BOOST_AUTO_TEST_CASE(accepts_router_info_then_options_then_padding)
{
    std::vector<std::uint8_t> p;
    block(p, 2, 10);
    block(p, 1, 12);
    block(p, 254, 0);
    const auto ri = parse_confirmed_payload(p);
    BOOST_TEST_REQUIRE(ri.has_value());
    BOOST_TEST(ri->size() == 9u); // after the flag byte
}

BOOST_AUTO_TEST_CASE(writes_random_padding)
{
    crypto::DeterministicRng rng(3);
    const auto payload = write_confirmed_payload(std::vector<std::uint8_t>(400, 0), 31, rng);
    BOOST_TEST_REQUIRE(payload.has_value());
    const std::vector<std::uint8_t> zeros(31, 0);
    BOOST_TEST(std::vector<std::uint8_t>(payload->end() - 31, payload->end()) != zeros);
}

BOOST_AUTO_TEST_CASE(padding_alone_after_the_router_info_is_accepted)
{
    std::vector<std::uint8_t> p;
    block(p, 2, 10);
    block(p, 254, 7);
    const auto ri = parse_confirmed_payload(p);
    BOOST_TEST_REQUIRE(ri.has_value());
    BOOST_TEST(ri->size() == 9u); // after the flag byte
}

BOOST_AUTO_TEST_CASE(rejects_blocks_out_of_order_or_of_other_types)
{
    const std::vector<std::vector<std::pair<std::uint8_t, std::size_t>>> bad = {
        {{2, 10}, {254, 1}, {1, 12}},  // options after padding
        {{2, 10}, {1, 12}, {1, 12}},   // two options blocks
        {{2, 10}, {254, 1}, {254, 1}}, // two padding blocks
        {{2, 10}, {3, 9}},             // I2NP
        {{2, 10}, {0, 4}},             // DateTime
        {{2, 10}, {4, 9}},             // Termination
        {{2, 10}, {200, 0}},           // unknown: "unknown blocks are not allowed" here
        {{2, 10}, {2, 10}},            // a second RouterInfo
    };
    for (const auto& blocks : bad) {
        std::vector<std::uint8_t> p;
        for (const auto& [type, size] : blocks) {
            block(p, type, size);
        }
        BOOST_TEST(is(parse_confirmed_payload(p).error(), HandshakeErrc::bad_options));
    }
}

BOOST_AUTO_TEST_CASE(requires_a_router_info_block_first)
{
    std::vector<std::uint8_t> padding_only;
    block(padding_only, 254, 4);
    std::vector<std::uint8_t> options_first;
    block(options_first, 1, 12);
    block(options_first, 2, 10);
    for (const auto& p : {std::vector<std::uint8_t>{}, padding_only, options_first}) {
        BOOST_TEST(is(parse_confirmed_payload(p).error(), HandshakeErrc::bad_router_info));
    }
    // A RouterInfo block without its flag and RouterInfo is malformed, not missing.
    for (const std::size_t size : {0, 1}) {
        std::vector<std::uint8_t> p;
        block(p, 2, size);
        BOOST_TEST(is(parse_confirmed_payload(p).error(), HandshakeErrc::bad_options));
    }
}

BOOST_AUTO_TEST_CASE(rejects_blocks_longer_than_the_frame)
{
    std::vector<std::uint8_t> p;
    block(p, 2, 10);
    p.pop_back();
    BOOST_TEST(is(parse_confirmed_payload(p).error(), HandshakeErrc::bad_options));
    std::vector<std::uint8_t> q;
    block(q, 2, 10);
    block(q, 254, 5);
    q.pop_back();
    BOOST_TEST(is(parse_confirmed_payload(q).error(), HandshakeErrc::bad_options));
    q.resize(13 + 2); // the RouterInfo block, then two bytes of a block header
    BOOST_TEST(is(parse_confirmed_payload(q).error(), HandshakeErrc::bad_options));
}

BOOST_AUTO_TEST_CASE(timestamps_round_to_the_nearest_second)
{
    BOOST_TEST(to_timestamp(WallTime{1'700'000'000'499}) == 1'700'000'000u);
    BOOST_TEST(to_timestamp(WallTime{1'700'000'000'500}) == 1'700'000'001u);
    BOOST_TEST(clock_skew(1'700'000'001, 1'700'000'000'000) == 1000);
    BOOST_TEST(skew_acceptable(60'000));
    BOOST_TEST(!skew_acceptable(-60'001));
}

BOOST_AUTO_TEST_SUITE_END()
