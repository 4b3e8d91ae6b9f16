#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/data_phase.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::ntcp2;
using umbra::test::from_hex;

namespace {

std::vector<std::uint8_t> serialize(const std::vector<Block>& blocks)
{
    ByteWriter out;
    for (const Block& block : blocks) {
        write_block(out, block);
    }
    return out.take();
}

I2npBlock sample_i2np(std::uint8_t fill)
{
    // DeliveryStatus (type 10), msg id 0x01020304, short expiration, then a 12-byte body.
    auto message = from_hex("0a 01020304 6553f100");
    message.insert(message.end(), 12, fill);
    return I2npBlock{message};
}

// One of each type, in an order the rules allow.
std::vector<Block> every_block_type()
{
    return {DateTime{0x6553f100},
            OptionsBlock{from_hex("00 10 00 10 0000 0000 0000 0000")},
            RouterInfoBlock{true, from_hex("0102030405060708090a")},
            sample_i2np(0xaa),
            sample_i2np(0xbb),
            UnknownBlock{224},
            Termination{42, TerminationReason::idle_timeout, from_hex("627965")},
            Padding{17}};
}

bool parses_to(const std::vector<std::uint8_t>& bytes, const std::vector<Block>& expected)
{
    auto parsed = parse_blocks(bytes);
    return parsed && *parsed == expected;
}

ErrorCode parse_error(const std::vector<std::uint8_t>& bytes)
{
    auto parsed = parse_blocks(bytes);
    return parsed ? ErrorCode{} : parsed.error();
}

const ErrorCode invalid = make_error_code(Errc::invalid_value);
const ErrorCode truncated = make_error_code(Errc::truncated);

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_blocks)

BOOST_AUTO_TEST_CASE(round_trips_every_block_type_alone)
{
    for (const Block& block : every_block_type()) {
        const auto bytes = serialize({block});
        BOOST_TEST(bytes.size() == block_wire_size(block));
        BOOST_TEST(parses_to(bytes, {block}), "block index " << block.index());
    }
}

BOOST_AUTO_TEST_CASE(round_trips_every_block_type_in_one_frame)
{
    const auto blocks = every_block_type();
    BOOST_TEST(parses_to(serialize(blocks), blocks));
}

BOOST_AUTO_TEST_CASE(writes_each_block_per_spec_layout)
{
    // blk | size (2, big endian) | data (ntcp2.rst, one section per block type)
    BOOST_TEST(serialize({DateTime{0x6553f100}}) == from_hex("00 0004 6553f100"));
    BOOST_TEST(serialize({OptionsBlock{from_hex("0102")}}) == from_hex("01 0002 0102"));
    BOOST_TEST(serialize({RouterInfoBlock{true, from_hex("aabb")}}) == from_hex("02 0003 01 aabb"));
    BOOST_TEST(serialize({RouterInfoBlock{false, from_hex("aa")}}) == from_hex("02 0002 00 aa"));
    BOOST_TEST(serialize({sample_i2np(0x11)}) ==
               from_hex("03 0015 0a 01020304 6553f100 111111111111111111111111"));
    BOOST_TEST(serialize({Termination{5, TerminationReason::data_phase_aead_failure, {}}}) ==
               from_hex("04 0009 0000000000000005 04"));
    BOOST_TEST(serialize({Padding{3}}) == from_hex("fe 0003 000000"));
    BOOST_TEST(serialize({UnknownBlock{224}}) == from_hex("e0 0000"));
}

BOOST_AUTO_TEST_CASE(reads_flood_request_from_flag_bit_0_only)
{
    BOOST_TEST(parses_to(from_hex("02 0002 fe aa"), {RouterInfoBlock{false, from_hex("aa")}}));
    BOOST_TEST(parses_to(from_hex("02 0002 03 aa"), {RouterInfoBlock{true, from_hex("aa")}}));
}

BOOST_AUTO_TEST_CASE(keeps_unknown_termination_reason_and_additional_data)
{
    const auto bytes = from_hex("04 000b 00000000000000ff 63 abcd");
    BOOST_TEST(parses_to(bytes, {Termination{255, TerminationReason(99), from_hex("abcd")}}));
}

BOOST_AUTO_TEST_CASE(accepts_empty_plaintext_as_no_blocks)
{
    BOOST_TEST(parses_to({}, {}));
}

BOOST_AUTO_TEST_CASE(accepts_frame_of_only_padding)
{
    BOOST_TEST(parses_to(from_hex("fe 0000"), {Padding{0}}));
    BOOST_TEST(parses_to(from_hex("fe 0004 deadbeef"), {Padding{4}}));
}

BOOST_AUTO_TEST_CASE(skips_unknown_block_types_with_their_bodies)
{
    const auto bytes = from_hex("e0 0003 010203  ff 0001 09  05 0000  00 0004 00000001");
    BOOST_TEST(
        parses_to(bytes, {UnknownBlock{224}, UnknownBlock{255}, UnknownBlock{5}, DateTime{1}}));
}

BOOST_AUTO_TEST_CASE(accepts_padding_after_termination)
{
    BOOST_TEST(parses_to(from_hex("04 0009 0000000000000000 00  fe 0001 00"),
                         {Termination{}, Padding{1}}));
}

BOOST_AUTO_TEST_CASE(rejects_any_block_after_padding)
{
    BOOST_TEST(parse_error(from_hex("fe 0000  00 0004 00000001")) == invalid);
    BOOST_TEST(parse_error(from_hex("fe 0001 00  e0 0000")) == invalid);
    BOOST_TEST(parse_error(from_hex("fe 0000  04 0009 0000000000000000 00")) == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_two_padding_blocks)
{
    BOOST_TEST(parse_error(from_hex("fe 0000  fe 0000")) == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_non_padding_block_after_termination)
{
    const auto termination = from_hex("04 0009 0000000000000000 00");
    for (const auto& next :
         {from_hex("00 0004 00000001"), from_hex("e0 0000"),
          from_hex("04 0009 0000000000000000 00"), serialize({sample_i2np(1)})}) {
        auto bytes = termination;
        bytes.insert(bytes.end(), next.begin(), next.end());
        BOOST_TEST(parse_error(bytes) == invalid);
    }
}

BOOST_AUTO_TEST_CASE(rejects_date_time_of_wrong_size)
{
    BOOST_TEST(parse_error(from_hex("00 0003 000001")) == invalid);
    BOOST_TEST(parse_error(from_hex("00 0005 0000000001")) == invalid);
    BOOST_TEST(parse_error(from_hex("00 0000")) == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_termination_shorter_than_9_bytes)
{
    BOOST_TEST(parse_error(from_hex("04 0008 0000000000000000")) == invalid);
    BOOST_TEST(parse_error(from_hex("04 0000")) == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_i2np_block_shorter_than_its_9_byte_header)
{
    BOOST_TEST(parse_error(from_hex("03 0008 0a01020304000000")) == invalid);
    BOOST_TEST(parses_to(from_hex("03 0009 0a 01020304 00000000"),
                         {I2npBlock{from_hex("0a0102030400000000")}}));
}

BOOST_AUTO_TEST_CASE(rejects_router_info_block_without_router_info)
{
    BOOST_TEST(parse_error(from_hex("02 0000")) == invalid);
    BOOST_TEST(parse_error(from_hex("02 0001 01")) == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_block_longer_than_frame)
{
    BOOST_TEST(parse_error(from_hex("03 0100 0a01020304")) == truncated);
    BOOST_TEST(parse_error(from_hex("fe ffff")) == truncated);
}

BOOST_AUTO_TEST_CASE(rejects_every_truncation_inside_a_block)
{
    const auto blocks = every_block_type();
    const auto bytes = serialize(blocks);
    // Block boundaries: a cut there is a valid frame holding the blocks before it.
    std::vector<std::size_t> boundaries{0};
    for (const Block& block : blocks) {
        boundaries.push_back(boundaries.back() + block_wire_size(block));
    }
    std::size_t whole_blocks = 0;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto parsed = parse_blocks(Bytes(bytes).first(n));
        if (n == boundaries[whole_blocks]) {
            const std::vector<Block> prefix(blocks.begin(), blocks.begin() + whole_blocks);
            BOOST_TEST((parsed && *parsed == prefix), "length " << n);
            ++whole_blocks;
        } else {
            BOOST_TEST(parsed.error() == truncated, "length " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(split_blocks_views_each_body_in_place)
{
    const auto blocks = every_block_type();
    const auto bytes = serialize(blocks);
    std::vector<BlockView> views;
    BOOST_TEST_REQUIRE(split_blocks(bytes, views).has_value());
    BOOST_TEST_REQUIRE(views.size() == blocks.size());
    std::size_t offset = 0;
    for (std::size_t i = 0; i < views.size(); ++i) {
        offset += block_header_size;
        // A view into the frame, not a copy, and the same block once decoded.
        BOOST_TEST(views[i].body.data() == bytes.data() + offset, "block " << i);
        BOOST_TEST((decode_block(views[i]) == blocks[i]), "block " << i);
        offset += views[i].body.size();
    }
    BOOST_TEST(offset == bytes.size());
}

BOOST_AUTO_TEST_CASE(split_blocks_fails_like_parse_blocks_and_leaves_no_views)
{
    const std::vector<std::vector<std::uint8_t>> bad{
        from_hex("00 0003 010203"),                            // DateTime of 3 bytes
        from_hex("fe 0000 00 0004 01020304"),                  // a block after padding
        from_hex("03 0100 0a01020304"),                        // longer than the frame
        from_hex("00 0004 01020304 03 0008 0a01020304050607"), // short I2NP after a good block
    };
    for (const auto& bytes : bad) {
        std::vector<BlockView> views{BlockView{1, {}}}; // stale content is cleared
        auto split = split_blocks(bytes, views);
        BOOST_TEST_REQUIRE(!split.has_value());
        BOOST_TEST(split.error() == parse_error(bytes));
        BOOST_TEST(views.empty());
    }
}

BOOST_AUTO_TEST_CASE(round_trips_largest_block)
{
    const Block padding = Padding{max_block_data};
    const auto bytes = serialize({padding});
    BOOST_TEST(bytes.size() == max_frame_plaintext);
    BOOST_TEST(parses_to(bytes, {padding}));
}

BOOST_AUTO_TEST_CASE(packs_blocks_in_order_into_frames_that_fit)
{
    std::vector<Block> blocks;
    for (std::uint8_t i = 0; i < 40; ++i) {
        blocks.push_back(sample_i2np(i)); // 24 bytes on the wire each
    }
    blocks.push_back(Padding{10});
    const auto frames = pack_frames(blocks, 100);
    std::vector<Block> joined;
    for (const auto& frame : frames) {
        const auto bytes = serialize(frame);
        BOOST_TEST(bytes.size() <= 100u);
        BOOST_TEST(parses_to(bytes, frame));
        joined.insert(joined.end(), frame.begin(), frame.end());
    }
    BOOST_TEST(frames.size() == 11u); // 4 messages per frame; the padding does not fit the 10th
    BOOST_TEST((joined == blocks));
}

BOOST_AUTO_TEST_CASE(packs_nothing_into_no_frames)
{
    BOOST_TEST(pack_frames({}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
