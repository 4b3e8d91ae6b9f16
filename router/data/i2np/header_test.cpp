#include <boost/test/unit_test.hpp>

#include "router/data/i2np/header.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::i2np;
using umbra::test::from_hex;

namespace {

// A DeliveryStatus payload: msg_id 0xdeadbeef, time_stamp 1700000000000 ms.
const std::vector<std::uint8_t> kPayload = from_hex("deadbeef 0000018bcfe56800");

Message sample_message()
{
    return Message{MessageType::delivery_status, MessageId(0x01020304), WallTime{1'700'000'000'000},
                   kPayload};
}

} // namespace

BOOST_AUTO_TEST_SUITE(i2np_header)

BOOST_AUTO_TEST_CASE(checksum_is_first_byte_of_sha256_of_payload)
{
    BOOST_TEST(payload_checksum({}) == 0xe3); // SHA-256("") = e3b0c442...
    BOOST_TEST(payload_checksum(kPayload) == 0x38);
}

BOOST_AUTO_TEST_CASE(serializes_standard_header_per_spec_field_table)
{
    // type | msg_id | expiration (ms) | size | chks | data (i2np.rst "I2NP message header")
    const auto expected = from_hex("0a 01020304 0000018bcfe56800 000c 38"
                                   "deadbeef0000018bcfe56800");
    BOOST_TEST(sample_message().serialize_standard() == expected);
    auto parsed = Message::parse_standard(expected);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == sample_message()));
}

BOOST_AUTO_TEST_CASE(serializes_short_header_with_expiration_in_seconds)
{
    // type | msg_id | short_expiration (s) | data (ntcp2.rst "I2NP Message" block body)
    const auto expected = from_hex("0a 01020304 6553f100 deadbeef0000018bcfe56800");
    BOOST_TEST(sample_message().serialize_short() == expected);
    auto parsed = Message::parse_short(expected);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == sample_message()));
}

BOOST_AUTO_TEST_CASE(short_header_truncates_expiration_to_whole_seconds)
{
    Message m = sample_message();
    m.expiration.ms += 999;
    auto parsed = Message::parse_short(m.serialize_short());
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->expiration.ms == 1'700'000'000'000);
}

BOOST_AUTO_TEST_CASE(short_expiration_is_unsigned)
{
    const auto in = from_hex("14 00000001 ffffffff");
    auto parsed = Message::parse_short(in);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->expiration.ms == std::int64_t{0xffffffff} * 1000);
    BOOST_TEST(parsed->payload.empty());
    BOOST_TEST(parsed->serialize_short() == in);
}

BOOST_AUTO_TEST_CASE(rejects_wrong_checksum)
{
    auto bytes = sample_message().serialize_standard();
    bytes[15] ^= 0x01;
    BOOST_TEST(Message::parse_standard(bytes).error() == make_error_code(Error::bad_checksum));
}

BOOST_AUTO_TEST_CASE(rejects_corrupted_payload_by_checksum)
{
    auto bytes = sample_message().serialize_standard();
    bytes.back() ^= 0x80;
    BOOST_TEST(Message::parse_standard(bytes).error() == make_error_code(Error::bad_checksum));
}

BOOST_AUTO_TEST_CASE(rejects_size_field_shorter_than_input)
{
    auto bytes = sample_message().serialize_standard();
    bytes.push_back(0);
    BOOST_TEST(Message::parse_standard(bytes).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(rejects_size_field_longer_than_input)
{
    auto bytes = sample_message().serialize_standard();
    bytes[14] += 1; // size 13, 12 bytes follow
    BOOST_TEST(Message::parse_standard(bytes).error() == make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_standard_truncated_at_every_offset)
{
    const auto bytes = sample_message().serialize_standard();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto parsed = Message::parse_standard(Bytes(bytes).first(n));
        BOOST_TEST(parsed.error() == make_error_code(Errc::truncated), "length " << n);
    }
}

BOOST_AUTO_TEST_CASE(rejects_short_header_truncated_inside_header)
{
    const auto bytes = sample_message().serialize_short();
    for (std::size_t n = 0; n < kShortHeaderSize; ++n) {
        auto parsed = Message::parse_short(Bytes(bytes).first(n));
        BOOST_TEST(parsed.error() == make_error_code(Errc::truncated), "length " << n);
    }
}

BOOST_AUTO_TEST_CASE(rejects_oversize_size_field)
{
    // 65521 = 64 KiB - 16 + 1: the largest the 2-byte field can carry is still too large.
    std::vector<std::uint8_t> bytes = from_hex("14 00000001 0000000000000000 fff1 00");
    bytes.resize(kStandardHeaderSize + 0xfff1);
    BOOST_TEST(Message::parse_standard(bytes).error() == make_error_code(Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_oversize_short_message)
{
    std::vector<std::uint8_t> bytes(kShortHeaderSize + kMaxPayloadSize + 1, 0);
    bytes[0] = static_cast<std::uint8_t>(MessageType::data);
    BOOST_TEST(Message::parse_short(bytes).error() == make_error_code(Errc::too_large));
    bytes.pop_back();
    BOOST_TEST(Message::parse_short(bytes).has_value());
}

BOOST_AUTO_TEST_CASE(round_trips_largest_payload)
{
    Message m{MessageType::data, MessageId(77), WallTime{5000},
              std::vector<std::uint8_t>(kMaxPayloadSize, 0x5a)};
    const auto standard = m.serialize_standard();
    BOOST_TEST(standard.size() == kMaxMessageSize);
    auto parsed = Message::parse_standard(standard);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == m));
    auto parsed_short = Message::parse_short(m.serialize_short());
    BOOST_TEST_REQUIRE(parsed_short.has_value());
    BOOST_TEST((*parsed_short == m));
}

BOOST_AUTO_TEST_CASE(read_standard_consumes_exactly_one_message)
{
    auto bytes = sample_message().serialize_standard();
    const auto first_size = bytes.size();
    const auto second =
        Message{MessageType::data, MessageId(2), WallTime{0}, {}}.serialize_standard();
    bytes.insert(bytes.end(), second.begin(), second.end());
    ByteReader in(bytes);
    auto first = Message::read_standard(in);
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(in.offset() == first_size);
    auto next = Message::read_standard(in);
    BOOST_TEST_REQUIRE(next.has_value());
    BOOST_TEST(next->payload.empty());
    BOOST_TEST(in.empty());
}

BOOST_AUTO_TEST_CASE(keeps_unknown_type_and_high_expiration_bits)
{
    // The header layer does not judge the type; the payload dispatcher does.
    const auto in = from_hex("e0 ffffffff ffffffffffffffff 0000 e3");
    auto parsed = Message::parse_standard(in);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST(static_cast<int>(parsed->type) == 0xe0);
    BOOST_TEST(parsed->serialize_standard() == in);
}

BOOST_AUTO_TEST_CASE(error_codes_have_messages)
{
    BOOST_TEST(make_error_code(Error::bad_checksum).message() == "I2NP header checksum mismatch");
    BOOST_TEST(std::string(i2np_category().name()) == "i2np");
}

BOOST_AUTO_TEST_SUITE_END()
