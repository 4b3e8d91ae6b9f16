#include <boost/test/unit_test.hpp>

#include "router/garlic/blocks.h"
#include "router/garlic/error.h"
#include "router/garlic/testing.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::garlic;
using umbra::test::from_hex;

namespace {

std::vector<std::uint8_t> cat(std::initializer_list<std::vector<std::uint8_t>> parts)
{
    std::vector<std::uint8_t> out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

std::vector<std::uint8_t> rep(std::uint8_t byte, std::size_t n)
{
    return std::vector<std::uint8_t>(n, byte);
}

IdentHash filled(std::uint8_t byte)
{
    std::array<std::uint8_t, 32> a;
    a.fill(byte);
    return IdentHash(a);
}

std::vector<Block> every_block()
{
    std::vector<Block> blocks;
    blocks.emplace_back(DateTimeBlock{0x65432100});
    blocks.emplace_back(OptionsBlock{rep(0x05, 21)});
    for (auto& clove : testing::sample_cloves()) {
        blocks.emplace_back(std::move(clove));
    }
    blocks.emplace_back(UnknownBlock{224, {1, 2, 3}});
    blocks.emplace_back(UnknownBlock{7, rep(0x07, 35)}); // Next Key: kept as bytes
    blocks.emplace_back(TerminationBlock{1, {0xaa, 0xbb}});
    blocks.emplace_back(PaddingBlock{rep(0, 15)});
    return blocks;
}

} // namespace

BOOST_AUTO_TEST_SUITE(garlic_blocks)

BOOST_AUTO_TEST_CASE(every_block_type_round_trips)
{
    const auto blocks = every_block();
    const auto bytes = serialize_blocks(blocks);
    BOOST_REQUIRE(bytes);
    const auto parsed = parse_blocks(*bytes);
    BOOST_REQUIRE(parsed);
    BOOST_TEST((*parsed == blocks));
    BOOST_TEST((*serialize_blocks(*parsed) == *bytes));
}

// ecies.rst DateTime and Padding layouts, i2np.rst Garlic Clove Delivery Instructions (TUNNEL:
// flag 0x60, gateway hash, tunnel id), then the 9-byte short I2NP header and body.
BOOST_AUTO_TEST_CASE(wire_layout_matches_the_spec)
{
    std::vector<Block> blocks;
    blocks.emplace_back(DateTimeBlock{0x01020304});
    const i2np::Message m{i2np::MessageType::delivery_status,
                          MessageId(0x11223344),
                          WallTime{0x55667788LL * 1000},
                          {0xde, 0xad}};
    blocks.emplace_back(GarlicClove{CloveDelivery::to_tunnel(filled(0xab), TunnelId(9)), m});
    blocks.emplace_back(GarlicClove{CloveDelivery::to_local(), m});
    blocks.emplace_back(GarlicClove{CloveDelivery::to_router(filled(0xcd)), m});
    blocks.emplace_back(PaddingBlock{{0, 0, 0}});
    const auto expected = cat({
        from_hex("00 0004 01020304"),
        from_hex("0b 0030 60"),
        rep(0xab, 32),
        from_hex("00000009 0a 11223344 55667788 dead"),
        from_hex("0b 000c 00 0a 11223344 55667788 dead"),
        from_hex("0b 002c 40"),
        rep(0xcd, 32),
        from_hex("0a 11223344 55667788 dead"),
        from_hex("fe 0003 000000"),
    });
    BOOST_TEST((*serialize_blocks(blocks) == expected));
    BOOST_TEST((*parse_blocks(expected) == blocks));
}

BOOST_AUTO_TEST_CASE(delivery_sizes_are_1_33_37_plus_delay)
{
    BOOST_TEST(CloveDelivery::to_local().size() == 1u);
    BOOST_TEST(CloveDelivery::to_destination(filled(1)).size() == 33u);
    BOOST_TEST(CloveDelivery::to_router(filled(1)).size() == 33u);
    BOOST_TEST(CloveDelivery::to_tunnel(filled(1), TunnelId(1)).size() == 37u);
    auto d = CloveDelivery::to_destination(filled(1));
    d.delay = 5;
    ByteWriter w;
    d.write(w);
    BOOST_TEST(w.size() == d.size());
    BOOST_TEST(w.view()[0] == 0x30); // DESTINATION (01 << 5) | delay bit 4
}

BOOST_AUTO_TEST_CASE(reserved_delivery_bits_are_kept)
{
    const auto bytes = cat({from_hex("0b 000a 05 14 00000001 00000002")});
    const auto parsed = parse_blocks(bytes);
    BOOST_REQUIRE(parsed);
    BOOST_TEST(std::get<GarlicClove>(parsed->front()).delivery.reserved == 5);
    BOOST_TEST((*serialize_blocks(*parsed) == bytes));
}

BOOST_AUTO_TEST_CASE(unknown_blocks_are_kept_and_ignored)
{
    const auto bytes = from_hex("e0 0002 abcd 0a 0000 00 0004 00000001");
    const auto parsed = parse_blocks(bytes);
    BOOST_REQUIRE(parsed);
    BOOST_REQUIRE(parsed->size() == 3u);
    BOOST_TEST((std::get<UnknownBlock>((*parsed)[0]) == UnknownBlock{0xe0, {0xab, 0xcd}}));
    BOOST_TEST((std::get<UnknownBlock>((*parsed)[1]) == UnknownBlock{10, {}}));
    auto blocks = *parsed;
    BOOST_TEST(take_cloves(blocks).empty());
}

BOOST_AUTO_TEST_CASE(empty_payload_has_no_blocks)
{
    const auto parsed = parse_blocks({});
    BOOST_REQUIRE(parsed);
    BOOST_TEST(parsed->empty());
}

BOOST_AUTO_TEST_CASE(rejects_padding_that_is_not_last)
{
    BOOST_TEST((parse_blocks(from_hex("fe 0001 00 00 0004 00000001")).error() ==
                make_error_code(Errc::invalid_value)));
    BOOST_TEST((parse_blocks(from_hex("fe 0000 fe 0000")).error() ==
                make_error_code(Errc::invalid_value)));
}

BOOST_AUTO_TEST_CASE(rejects_blocks_after_termination_except_padding)
{
    BOOST_TEST(parse_blocks(from_hex("04 0001 00 fe 0002 0000")).has_value());
    BOOST_TEST((parse_blocks(from_hex("04 0001 00 00 0004 00000001")).error() ==
                make_error_code(Errc::invalid_value)));
}

BOOST_AUTO_TEST_CASE(rejects_block_longer_than_payload)
{
    BOOST_TEST(
        (parse_blocks(from_hex("00 0005 00000001")).error() == make_error_code(Errc::truncated)));
    BOOST_TEST((parse_blocks(from_hex("00 00")).error() == make_error_code(Errc::truncated)));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_fixed_size_blocks)
{
    // DateTime size must be 4; Termination needs its reason; Options at least 21 bytes.
    BOOST_TEST((parse_blocks(from_hex("00 0005 0000000100")).error() ==
                make_error_code(Errc::trailing_data)));
    BOOST_TEST(
        (parse_blocks(from_hex("00 0003 000001")).error() == make_error_code(Errc::truncated)));
    BOOST_TEST((parse_blocks(from_hex("04 0000")).error() == make_error_code(Errc::truncated)));
    const auto options20 = cat({from_hex("05 0014"), rep(0, 20)});
    BOOST_TEST((parse_blocks(options20).error() == make_error_code(Errc::truncated)));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_cloves)
{
    // Encrypted delivery (bit 7) is unimplemented in I2P: its session key is never sent.
    BOOST_TEST((parse_blocks(from_hex("0b 000a 80 0a 00000001 00000002")).error() ==
                make_error_code(Errc::unsupported)));
    // TUNNEL delivery to tunnel id 0.
    const auto tunnel0 =
        cat({from_hex("0b 002e 60"), rep(1, 32), from_hex("00000000 0a 00000001 00000002")});
    BOOST_TEST((parse_blocks(tunnel0).error() == make_error_code(Errc::invalid_value)));
    // ROUTER delivery cut inside the hash, and a short header cut short.
    const auto short_hash = cat({from_hex("0b 0011 40"), rep(1, 16)});
    BOOST_TEST((parse_blocks(short_hash).error() == make_error_code(Errc::truncated)));
    BOOST_TEST((parse_blocks(from_hex("0b 0009 00 0a 00000001 000000")).error() ==
                make_error_code(Errc::truncated)));
    // A clove whose block size ends inside the delay field cannot read the next block.
    BOOST_TEST((parse_blocks(from_hex("0b 0003 10 0000 fe 0000")).error() ==
                make_error_code(Errc::truncated)));
}

BOOST_AUTO_TEST_CASE(every_truncation_fails_or_reparses_exactly)
{
    const auto bytes = *serialize_blocks(every_block());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const Bytes prefix(bytes.data(), n);
        const auto parsed = parse_blocks(prefix);
        if (parsed) {
            const auto again = serialize_blocks(*parsed);
            BOOST_REQUIRE(again);
            BOOST_TEST(std::equal(again->begin(), again->end(), prefix.begin(), prefix.end()));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_oversized_payload_and_blocks)
{
    const std::vector<std::uint8_t> big(kMaxPayloadSize + 1, 0);
    BOOST_TEST((parse_blocks(big).error() == make_error_code(Errc::too_large)));

    std::vector<Block> one{PaddingBlock{rep(0, kMaxBlockDataSize)}};
    const auto max = serialize_blocks(one);
    BOOST_REQUIRE(max);
    BOOST_TEST(max->size() == kMaxPayloadSize);
    BOOST_TEST(parse_blocks(*max).has_value());

    std::vector<Block> over{PaddingBlock{rep(0, kMaxBlockDataSize + 1)}};
    BOOST_TEST((serialize_blocks(over).error() == make_error_code(Errc::too_large)));
    std::vector<Block> two{UnknownBlock{224, rep(0, 40000)}, UnknownBlock{225, rep(0, 40000)}};
    BOOST_TEST((serialize_blocks(two).error() == make_error_code(Errc::too_large)));
}

BOOST_AUTO_TEST_CASE(write_block_leaves_output_unchanged_on_error)
{
    ByteWriter w;
    w.u8(0x42);
    BOOST_TEST(!write_block(w, PaddingBlock{rep(0, kMaxBlockDataSize + 1)}));
    BOOST_TEST(w.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
