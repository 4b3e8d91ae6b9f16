#include <boost/test/unit_test.hpp>

#include "router/base/bytes.h"

using namespace umbra;

BOOST_AUTO_TEST_SUITE(bytes)

BOOST_AUTO_TEST_CASE(reads_big_endian_integers)
{
    const std::uint8_t in[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    ByteReader r(in);
    BOOST_TEST(*r.u8() == 1);
    BOOST_TEST(*r.u16() == 0x0203);
    BOOST_TEST(*r.u32() == 0x04050607u);
    BOOST_TEST(*r.u64() == 0x08090a0b0c0d0e0full);
    BOOST_TEST(r.empty());
    BOOST_TEST(r.expect_end().has_value());
}

BOOST_AUTO_TEST_CASE(short_read_fails_without_consuming)
{
    const std::uint8_t in[] = {1, 2, 3};
    ByteReader r(in);
    BOOST_TEST(r.u32().error() == make_error_code(Errc::truncated));
    BOOST_TEST(r.remaining() == 3u);
    BOOST_TEST(*r.u16() == 0x0102);
    BOOST_TEST(r.expect_end().error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(prefixed_sub_reader_cannot_read_past_its_field)
{
    const std::uint8_t in[] = {0, 2, 0xaa, 0xbb, 0xcc};
    ByteReader r(in);
    auto sub = r.u16_prefixed();
    BOOST_TEST_REQUIRE(sub.has_value());
    BOOST_TEST(sub->remaining() == 2u);
    BOOST_TEST(!sub->u32().has_value());
    BOOST_TEST(*sub->u16() == 0xaabb);
    BOOST_TEST(*r.u8() == 0xcc);
}

BOOST_AUTO_TEST_CASE(rejects_prefix_longer_than_input)
{
    const std::uint8_t in[] = {5, 1, 2};
    ByteReader r(in);
    BOOST_TEST(!r.u8_prefixed().has_value());
    BOOST_TEST(r.remaining() == 3u);
}

BOOST_AUTO_TEST_CASE(writer_round_trips_with_reader)
{
    ByteWriter w;
    w.u8(7);
    const auto mark = w.mark_u16_length();
    w.u32(0xdeadbeef);
    w.uint_n(0x123456, 3);
    w.patch_u16_length(mark);
    w.u64(42);
    auto buf = w.take();
    BOOST_TEST(buf.size() == 1u + 2 + 4 + 3 + 8);
    ByteReader r(buf);
    BOOST_TEST(*r.u8() == 7);
    auto sub = r.u16_prefixed();
    BOOST_TEST_REQUIRE(sub.has_value());
    BOOST_TEST(*sub->u32() == 0xdeadbeefu);
    BOOST_TEST(*sub->uint_n(3) == 0x123456u);
    BOOST_TEST(sub->empty());
    BOOST_TEST(*r.u64() == 42u);
}

BOOST_AUTO_TEST_SUITE_END()
