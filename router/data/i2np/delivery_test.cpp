#include <boost/test/unit_test.hpp>

#include "router/data/i2np/delivery.h"
#include "router/data/i2np/test_samples.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::i2np;
using umbra::test::from_hex;

BOOST_AUTO_TEST_SUITE(i2np_delivery)

BOOST_AUTO_TEST_CASE(parses_hand_built_delivery_status)
{
    // msg_id | time_stamp (i2np.rst DeliveryStatus)
    const auto bytes = from_hex("deadbeef 0000018bcfe56800");
    auto m = DeliveryStatus::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->acked_id.value() == 0xdeadbeefu);
    BOOST_TEST(m->timestamp.ms == 1'700'000'000'000);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_delivery_status_of_wrong_size)
{
    const auto bytes = from_hex("deadbeef 0000018bcfe56800 00");
    BOOST_TEST(DeliveryStatus::parse(bytes).error() == make_error_code(Errc::trailing_data));
    for (std::size_t n = 0; n < DeliveryStatus::kSize; ++n) {
        BOOST_TEST(DeliveryStatus::parse(Bytes(bytes).first(n)).error() ==
                       make_error_code(Errc::truncated),
                   "length " << n);
    }
}

BOOST_AUTO_TEST_CASE(parses_hand_built_garlic_and_data)
{
    const auto bytes = from_hex("00000003 aabbcc");
    auto garlic = Garlic::parse(bytes);
    BOOST_TEST_REQUIRE(garlic.has_value());
    BOOST_TEST(garlic->ciphertext == from_hex("aabbcc"));
    BOOST_TEST(garlic->serialize() == bytes);
    auto data = Data::parse(bytes);
    BOOST_TEST_REQUIRE(data.has_value());
    BOOST_TEST(data->data == from_hex("aabbcc"));
    BOOST_TEST(data->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_garlic_and_data_whose_length_disagrees_with_input)
{
    const auto longer = from_hex("00000004 aabbcc");
    BOOST_TEST(Garlic::parse(longer).error() == make_error_code(Errc::truncated));
    BOOST_TEST(Data::parse(longer).error() == make_error_code(Errc::truncated));
    const auto shorter = from_hex("00000002 aabbcc");
    BOOST_TEST(Garlic::parse(shorter).error() == make_error_code(Errc::trailing_data));
    BOOST_TEST(Data::parse(shorter).error() == make_error_code(Errc::trailing_data));
    const auto huge = from_hex("ffffffff aabbcc");
    BOOST_TEST(Garlic::parse(huge).error() == make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(parses_hand_built_tunnel_data)
{
    std::vector<std::uint8_t> bytes = from_hex("cafebabe");
    bytes.resize(TunnelData::kSize, 0x77);
    auto m = TunnelData::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->tunnel.value() == 0xcafebabeu);
    BOOST_TEST(m->data[1023] == 0x77);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_tunnel_data_not_exactly_1024_bytes)
{
    auto bytes = samples::sample_tunnel_data().serialize();
    bytes.push_back(0);
    BOOST_TEST(TunnelData::parse(bytes).error() == make_error_code(Errc::trailing_data));
    bytes.resize(TunnelData::kSize - 1);
    BOOST_TEST(TunnelData::parse(bytes).error() == make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_tunnel_data_for_tunnel_zero)
{
    std::vector<std::uint8_t> bytes(TunnelData::kSize, 0);
    BOOST_TEST(TunnelData::parse(bytes).error() == make_error_code(Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(parses_tunnel_gateway_with_inner_standard_message)
{
    const auto inner = from_hex("0a 01020304 0000018bcfe56800 000c 38 deadbeef0000018bcfe56800");
    auto bytes = from_hex("00000009 001c");
    bytes.insert(bytes.end(), inner.begin(), inner.end());
    auto m = TunnelGateway::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->tunnel.value() == 9u);
    BOOST_TEST(m->message == inner);
    BOOST_TEST(m->serialize() == bytes);
    auto wrapped = Message::parse_standard(m->message);
    BOOST_TEST_REQUIRE(wrapped.has_value());
    BOOST_TEST((wrapped->type == MessageType::delivery_status));
}

BOOST_AUTO_TEST_CASE(rejects_tunnel_gateway_with_bad_length)
{
    auto bytes = samples::sample_tunnel_gateway().serialize();
    bytes.push_back(0);
    BOOST_TEST(TunnelGateway::parse(bytes).error() == make_error_code(Errc::trailing_data));
    const auto too_short_inner = from_hex("00000009 0002 aabb");
    BOOST_TEST(TunnelGateway::parse(too_short_inner).error() == make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_delivery_messages_truncated_at_every_offset)
{
    const std::vector<std::vector<std::uint8_t>> encodings = {
        Garlic{samples::pattern_bytes(20, 1)}.serialize(),
        Data{samples::pattern_bytes(20, 2)}.serialize(),
        samples::sample_tunnel_data().serialize(),
    };
    for (const auto& bytes : encodings) {
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            const Bytes prefix = Bytes(bytes).first(n);
            BOOST_TEST(!Garlic::parse(prefix).has_value());
            BOOST_TEST(!Data::parse(prefix).has_value());
            BOOST_TEST(!TunnelData::parse(prefix).has_value());
        }
    }
    const auto gateway = samples::sample_tunnel_gateway().serialize();
    for (std::size_t n = 0; n < gateway.size(); ++n) {
        BOOST_TEST(!TunnelGateway::parse(Bytes(gateway).first(n)).has_value(), "length " << n);
    }
}

BOOST_AUTO_TEST_SUITE_END()
