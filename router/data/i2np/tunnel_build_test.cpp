#include <boost/test/unit_test.hpp>

#include "router/data/i2np/test_samples.h"
#include "router/data/i2np/tunnel_build.h"

using namespace umbra;
using namespace umbra::i2np;

namespace {

std::vector<std::uint8_t> counted(std::uint8_t count, std::size_t records, std::size_t size)
{
    std::vector<std::uint8_t> out(1 + records * size, 0x5c);
    out[0] = count;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(i2np_tunnel_build)

BOOST_AUTO_TEST_CASE(parses_hand_built_short_tunnel_build)
{
    // num | num * 218-byte records (i2np.rst ShortTunnelBuild): 4 records, 873 bytes.
    auto bytes = counted(4, 4, kShortBuildRecordSize);
    bytes[1 + 218] = 0xaa; // first byte of record 1
    BOOST_TEST(bytes.size() == 873u);
    auto m = ShortTunnelBuild::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST_REQUIRE(m->records.size() == 4u);
    BOOST_TEST(m->records[1][0] == 0xaa);
    BOOST_TEST(m->records[0][0] == 0x5c);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_variable_tunnel_build_of_typical_size)
{
    const auto bytes = counted(4, 4, kBuildRecordSize);
    BOOST_TEST(bytes.size() == 2113u); // "typical ... total size of 2113"
    auto m = VariableTunnelBuild::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->records.size() == 4u);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_tunnel_build_of_exactly_eight_records)
{
    std::vector<std::uint8_t> bytes(8 * kBuildRecordSize, 0x01);
    BOOST_TEST(bytes.size() == 4224u);
    auto m = TunnelBuild::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->records.size() == 8u);
    BOOST_TEST(m->serialize() == bytes);
    BOOST_TEST(TunnelBuildReply::parse(bytes).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_tunnel_build_with_wrong_record_bytes)
{
    std::vector<std::uint8_t> bytes(7 * kBuildRecordSize, 0);
    BOOST_TEST(TunnelBuild::parse(bytes).error() == make_error_code(Errc::truncated));
    bytes.resize(8 * kBuildRecordSize + 1);
    BOOST_TEST(TunnelBuildReply::parse(bytes).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(rejects_zero_record_count)
{
    const auto bytes = counted(0, 0, 0);
    BOOST_TEST(VariableTunnelBuild::parse(bytes).error() == make_error_code(Errc::invalid_value));
    BOOST_TEST(ShortTunnelBuild::parse(bytes).error() == make_error_code(Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_more_than_eight_records)
{
    const auto long_records = counted(9, 9, kBuildRecordSize);
    BOOST_TEST(VariableTunnelBuildReply::parse(long_records).error() ==
               make_error_code(Errc::too_large));
    const auto short_records = counted(9, 9, kShortBuildRecordSize);
    BOOST_TEST(OutboundTunnelBuildReply::parse(short_records).error() ==
               make_error_code(Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_record_count_that_disagrees_with_input)
{
    BOOST_TEST(VariableTunnelBuild::parse(counted(4, 3, kBuildRecordSize)).error() ==
               make_error_code(Errc::truncated));
    BOOST_TEST(ShortTunnelBuild::parse(counted(3, 4, kShortBuildRecordSize)).error() ==
               make_error_code(Errc::trailing_data));
    // Short records in a message that needs long ones.
    BOOST_TEST(VariableTunnelBuild::parse(counted(4, 4, kShortBuildRecordSize)).error() ==
               make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_build_messages_truncated_at_every_offset)
{
    const auto variable = samples::sample_build<VariableTunnelBuild>(2, 1).serialize();
    for (std::size_t n = 0; n < variable.size(); ++n) {
        BOOST_TEST(!VariableTunnelBuild::parse(Bytes(variable).first(n)).has_value());
    }
    const auto short_build = samples::sample_build<ShortTunnelBuild>(8, 1).serialize();
    for (std::size_t n = 0; n < short_build.size(); ++n) {
        BOOST_TEST(!ShortTunnelBuild::parse(Bytes(short_build).first(n)).has_value());
    }
    const auto fixed = samples::sample_tunnel_build().serialize();
    for (std::size_t n = 0; n < fixed.size(); ++n) {
        BOOST_TEST(!TunnelBuild::parse(Bytes(fixed).first(n)).has_value());
    }
}

BOOST_AUTO_TEST_SUITE_END()
