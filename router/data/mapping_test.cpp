#include <boost/test/unit_test.hpp>

#include "router/data/mapping.h"
#include "router/data/testing.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::data;
using umbra::data::testing::fails_with;

namespace {

// Builds the wire form of entries in the given order (not sorted), with a correct size.
std::vector<std::uint8_t> wire(const std::vector<std::pair<std::string, std::string>>& entries)
{
    ByteWriter body;
    for (const auto& [k, v] : entries) {
        body.u8(std::uint8_t(k.size()));
        body.str(k);
        body.u8('=');
        body.u8(std::uint8_t(v.size()));
        body.str(v);
        body.u8(';');
    }
    ByteWriter w;
    w.u16(std::uint16_t(body.size()));
    w.bytes(body.view());
    return w.take();
}

Result<Mapping> parse_all(Bytes b, KeyOrder order = KeyOrder::sorted)
{
    ByteReader r(b);
    UMBRA_TRY(auto m, Mapping::parse(r, order));
    UMBRA_TRY_VOID(r.expect_end());
    return m;
}

std::vector<std::uint8_t> written(const Mapping& m)
{
    ByteWriter w;
    m.write(w);
    return w.take();
}

} // namespace

BOOST_AUTO_TEST_SUITE(mapping)

BOOST_AUTO_TEST_CASE(parses_sorted_mapping_and_writes_it_back_unchanged)
{
    const auto in = wire({{"caps", "XfR"}, {"netId", "99"}, {"router.version", "0.9.57"}});
    const auto m = parse_all(in);
    BOOST_REQUIRE(m);
    BOOST_TEST(m->size() == 3u);
    BOOST_TEST(*m->get("netId") == "99");
    BOOST_TEST(!m->get("nope").has_value());
    BOOST_TEST(written(*m) == in);
    BOOST_TEST(m->wire_size() == in.size());
}

BOOST_AUTO_TEST_CASE(empty_mapping_is_two_zero_bytes)
{
    const auto m = parse_all(umbra::test::from_hex("0000"));
    BOOST_REQUIRE(m);
    BOOST_TEST(m->empty());
    BOOST_TEST(written(Mapping{}) == umbra::test::from_hex("0000"));
}

BOOST_AUTO_TEST_CASE(accepts_empty_keys_and_values)
{
    const auto in = wire({{"", ""}, {"a", ""}});
    const auto m = parse_all(in);
    BOOST_REQUIRE(m);
    BOOST_TEST(*m->get("") == "");
    BOOST_TEST(written(*m) == in);
}

BOOST_AUTO_TEST_CASE(rejects_mapping_with_duplicate_key)
{
    const auto in = wire({{"a", "1"}, {"a", "2"}});
    BOOST_TEST(fails_with(parse_all(in), Errc::invalid_value));
    BOOST_TEST(fails_with(parse_all(in, KeyOrder::any), Errc::invalid_value));
    const auto apart = wire({{"b", "1"}, {"a", "1"}, {"b", "2"}});
    BOOST_TEST(fails_with(parse_all(apart, KeyOrder::any), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_unsorted_mapping_where_it_is_signed)
{
    BOOST_TEST(fails_with(parse_all(wire({{"port", "1"}, {"host", "h"}})), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(accepts_unsorted_mapping_for_unsigned_uses_and_writes_it_sorted)
{
    const auto m = parse_all(wire({{"port", "1"}, {"host", "h"}}), KeyOrder::any);
    BOOST_REQUIRE(m);
    BOOST_TEST(written(*m) == wire({{"host", "h"}, {"port", "1"}}));
}

BOOST_AUTO_TEST_CASE(sorts_keys_bytewise)
{
    // Upper case before lower case, shorter prefix first: Java's String.compareTo order.
    Mapping m;
    BOOST_REQUIRE(m.set("b", "1"));
    BOOST_REQUIRE(m.set("B", "2"));
    BOOST_REQUIRE(m.set("ba", "3"));
    BOOST_REQUIRE(m.set("\xc3\xa9", "4")); // U+00E9 after ASCII
    BOOST_TEST(written(m) == wire({{"B", "2"}, {"b", "1"}, {"ba", "3"}, {"\xc3\xa9", "4"}}));
}

BOOST_AUTO_TEST_CASE(rejects_missing_separators)
{
    auto no_equals = wire({{"a", "1"}});
    no_equals[4] = ':';
    BOOST_TEST(fails_with(parse_all(no_equals), Errc::invalid_value));
    auto no_semicolon = wire({{"a", "1"}});
    no_semicolon.back() = ',';
    BOOST_TEST(fails_with(parse_all(no_semicolon), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_entry_that_overruns_the_size)
{
    auto in = wire({{"key", "value"}});
    in[1] -= 1; // size one short: the final ';' falls outside
    ByteReader r(in);
    BOOST_TEST(fails_with(Mapping::parse(r), Errc::truncated));
    auto long_value = wire({{"k", "v"}});
    long_value[5] = 9; // value length past the end
    BOOST_TEST(fails_with(parse_all(long_value), Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    const auto in = wire({{"caps", "XfR"}, {"netId", "99"}});
    for (std::size_t n = 0; n < in.size(); ++n) {
        BOOST_TEST(fails_with(parse_all(Bytes(in).first(n)), Errc::truncated), "length " << n);
    }
}

BOOST_AUTO_TEST_CASE(set_rejects_string_over_255_bytes)
{
    Mapping m;
    BOOST_TEST(m.set(std::string(255, 'k'), std::string(255, 'v')).has_value());
    BOOST_TEST(fails_with(m.set(std::string(256, 'k'), "v"), Errc::too_large));
    BOOST_TEST(fails_with(m.set("k", std::string(256, 'v')), Errc::too_large));
}

BOOST_AUTO_TEST_CASE(set_rejects_mapping_over_65535_bytes)
{
    Mapping m;
    std::size_t i = 0;
    Result<void> r;
    for (; i < 1000 && (r = m.set(std::to_string(1000 + i), std::string(250, 'v'))); ++i) {
    }
    BOOST_TEST(fails_with(r, Errc::too_large));
    BOOST_TEST(m.wire_size() <= 65537u);
    BOOST_TEST(written(m).size() == m.wire_size());
    BOOST_TEST(parse_all(written(m)).has_value());
}

BOOST_AUTO_TEST_CASE(set_replaces_and_erase_removes)
{
    Mapping m;
    BOOST_REQUIRE(m.set("a", "1"));
    BOOST_REQUIRE(m.set("a", "22"));
    BOOST_TEST(*m.get("a") == "22");
    BOOST_TEST(written(m) == wire({{"a", "22"}}));
    BOOST_TEST(m.erase("a"));
    BOOST_TEST(!m.erase("a"));
    BOOST_TEST(written(m) == wire({}));
}

BOOST_AUTO_TEST_SUITE_END()
