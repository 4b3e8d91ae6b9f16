#include <string>

#include <boost/test/unit_test.hpp>

#include "tests/support/hex.h"
#include "tunnels/transit/delivery_instructions.h"

using namespace umbra;
using namespace umbra::tunnels;
using umbra::test::from_hex;

namespace {

const std::string kHash = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

IdentHash hash_0_to_31()
{
    std::array<std::uint8_t, 32> h{};
    for (std::size_t i = 0; i < h.size(); ++i) {
        h[i] = std::uint8_t(i);
    }
    return IdentHash(h);
}

ErrorCode error_of(const std::string& hex)
{
    const auto r = DeliveryInstructions::parse(from_hex(hex));
    return r ? ErrorCode{} : r.error();
}

} // namespace

BOOST_AUTO_TEST_SUITE(delivery_instructions)

BOOST_AUTO_TEST_CASE(parses_unfragmented_local)
{
    const auto bytes = from_hex("00 0005"); // flag, size
    auto di = DeliveryInstructions::parse(bytes);
    BOOST_TEST_REQUIRE(di.has_value());
    BOOST_TEST(!di->follow_on);
    BOOST_TEST(!di->fragmented);
    BOOST_TEST((di->delivery.type == DeliveryType::local));
    BOOST_TEST(di->size == 5);
    BOOST_TEST(di->encoded_size() == 3u);
    BOOST_TEST(di->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_unfragmented_tunnel_delivery)
{
    // flag 0x20 (type TUNNEL), tunnel id, gateway hash, size: 39 bytes.
    const auto bytes = from_hex("20 0000abcd" + kHash + "03c0");
    auto di = DeliveryInstructions::parse(bytes);
    BOOST_TEST_REQUIRE(di.has_value());
    BOOST_TEST((di->delivery.type == DeliveryType::tunnel));
    BOOST_TEST(di->delivery.tunnel.value() == 0xabcdu);
    BOOST_TEST((di->delivery.to == hash_0_to_31()));
    BOOST_TEST(di->size == 0x3c0);
    BOOST_TEST(bytes.size() == 39u);
    BOOST_TEST(di->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_fragmented_router_delivery_with_message_id)
{
    // flag 0x48 (type ROUTER, fragmented), router hash, message id, size: 39 bytes.
    const auto bytes = from_hex("48" + kHash + "deadbeef 0100");
    auto di = DeliveryInstructions::parse(bytes);
    BOOST_TEST_REQUIRE(di.has_value());
    BOOST_TEST((di->delivery.type == DeliveryType::router));
    BOOST_TEST(di->fragmented);
    BOOST_TEST(di->message_id.value() == 0xdeadbeefu);
    BOOST_TEST(di->size == 0x100);
    BOOST_TEST(di->serialize() == bytes);
    BOOST_TEST(first_instructions_size(di->delivery, true) == 39u);
}

BOOST_AUTO_TEST_CASE(parses_follow_on_fragments)
{
    // 1nnnnnnd: fragment 3, last.
    auto di = DeliveryInstructions::parse(from_hex("87 01020304 03e4"));
    BOOST_TEST_REQUIRE(di.has_value());
    BOOST_TEST(di->follow_on);
    BOOST_TEST(di->fragment_number == 3);
    BOOST_TEST(di->last);
    BOOST_TEST(di->message_id.value() == 0x01020304u);
    BOOST_TEST(di->size == 996);
    // fragment 63, not last.
    auto top = DeliveryInstructions::parse(from_hex("fe 01020304 0001"));
    BOOST_TEST_REQUIRE(top.has_value());
    BOOST_TEST(top->fragment_number == 63);
    BOOST_TEST(!top->last);
    BOOST_TEST(top->serialize() == from_hex("fe 01020304 0001"));
}

BOOST_AUTO_TEST_CASE(rejects_unimplemented_reserved_and_invalid_fields)
{
    BOOST_TEST(error_of("10 0001") == make_error_code(Errc::unsupported));   // delay
    BOOST_TEST(error_of("04 0001") == make_error_code(Errc::unsupported));   // extended options
    BOOST_TEST(error_of("01 0001") == make_error_code(Errc::invalid_value)); // reserved bit
    BOOST_TEST(error_of("60" + kHash + "0001") == make_error_code(Errc::invalid_value)); // type 3
    BOOST_TEST(error_of("20 00000000" + kHash + "0001") ==
               make_error_code(Errc::invalid_value));                                 // tunnel 0
    BOOST_TEST(error_of("00 0000") == make_error_code(Errc::invalid_value));          // size 0
    BOOST_TEST(error_of("00 03ec") == make_error_code(Errc::too_large));              // 1004 > 1003
    BOOST_TEST(error_of("81 01020304 0001") == make_error_code(Errc::invalid_value)); // frag 0
}

BOOST_AUTO_TEST_CASE(rejects_every_truncation_and_trailing_bytes)
{
    const auto bytes = from_hex("28 0000abcd" + kHash + "01020304 0010");
    BOOST_TEST_REQUIRE(DeliveryInstructions::parse(bytes).has_value());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        BOOST_TEST(DeliveryInstructions::parse(Bytes(bytes).first(n)).error() ==
                       make_error_code(Errc::truncated),
                   "length " << n);
    }
    auto longer = bytes;
    longer.push_back(0);
    BOOST_TEST(DeliveryInstructions::parse(longer).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(every_built_form_round_trips)
{
    for (auto type : {DeliveryType::local, DeliveryType::tunnel, DeliveryType::router}) {
        for (bool fragmented : {false, true}) {
            DeliveryInstructions di;
            di.delivery.type = type;
            if (type != DeliveryType::local) {
                di.delivery.to = hash_0_to_31();
            }
            if (type == DeliveryType::tunnel) {
                di.delivery.tunnel = TunnelId(42);
            }
            di.fragmented = fragmented;
            di.message_id = MessageId(fragmented ? 77 : 0);
            di.size = 100;
            const auto bytes = di.serialize();
            BOOST_TEST(bytes.size() == first_instructions_size(di.delivery, fragmented));
            auto back = DeliveryInstructions::parse(bytes);
            BOOST_TEST_REQUIRE(back.has_value());
            BOOST_TEST((*back == di));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
