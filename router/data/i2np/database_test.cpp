#include <boost/test/unit_test.hpp>

#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/database_store.h"
#include "router/data/i2np/test_samples.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::i2np;
using umbra::test::from_hex;

namespace {

std::vector<std::uint8_t> rep(std::uint8_t byte, std::size_t n)
{
    return std::vector(n, byte);
}

std::vector<std::uint8_t> cat(std::initializer_list<std::vector<std::uint8_t>> parts)
{
    std::vector<std::uint8_t> out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

IdentHash filled(std::uint8_t byte)
{
    std::array<std::uint8_t, 32> a;
    a.fill(byte);
    return IdentHash(a);
}

// key | flags 0x15 (delivery, LS lookup, ECIES) | reply_tunnelId | size 1 | excluded peer |
// reply_key | tags 1 | 8-byte tag (i2np.rst DatabaseLookup, "ECIES to ElG" format).
std::vector<std::uint8_t> ecies_lookup_bytes()
{
    return cat({rep(0x01, 32), rep(0x02, 32), from_hex("15 0a0b0c0d 0001"), rep(0x03, 32),
                rep(0x04, 32), from_hex("01 0102030405060708")});
}

} // namespace

BOOST_AUTO_TEST_SUITE(i2np_database_store)

BOOST_AUTO_TEST_CASE(parses_hand_built_store_with_reply_token)
{
    // key | type 3 (LeaseSet2) | reply token | reply_tunnelId | reply gateway | data
    const auto bytes =
        cat({rep(0x11, 32), from_hex("03 11223344 55667788"), rep(0x22, 32), from_hex("aabbccdd")});
    auto m = DatabaseStore::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST((m->key == filled(0x11)));
    BOOST_TEST((m->entry_type == DatabaseEntryType::lease_set2));
    BOOST_TEST_REQUIRE(m->reply.has_value());
    BOOST_TEST(m->reply->token.value() == 0x11223344u);
    BOOST_TEST(m->reply->tunnel.value() == 0x55667788u);
    BOOST_TEST((m->reply->gateway == filled(0x22)));
    BOOST_TEST(m->data == from_hex("aabbccdd"));
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_hand_built_router_info_store_without_reply)
{
    // key | type 0 | token 0 | 2-byte length | gzip'd RouterInfo
    const auto bytes = cat({rep(0x11, 32), from_hex("00 00000000 000a 1f8b08000000000002ff")});
    auto m = DatabaseStore::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST((m->entry_type == DatabaseEntryType::router_info));
    BOOST_TEST(!m->reply.has_value());
    BOOST_TEST(m->data == from_hex("1f8b08000000000002ff"));
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(accepts_every_defined_entry_type)
{
    for (int type : {1, 3, 5, 7}) {
        const auto bytes = cat({rep(0, 32), {std::uint8_t(type)}, rep(0, 4), {0x42}});
        auto m = DatabaseStore::parse(bytes);
        BOOST_TEST_REQUIRE(m.has_value(), "type " << type);
        BOOST_TEST(static_cast<int>(m->entry_type) == type);
    }
}

BOOST_AUTO_TEST_CASE(rejects_undefined_entry_types)
{
    for (int type : {2, 4, 6, 8, 9, 15}) {
        const auto bytes = cat({rep(0, 32), {std::uint8_t(type)}, rep(0, 4), {0x42}});
        BOOST_TEST(DatabaseStore::parse(bytes).error() == make_error_code(Errc::invalid_value),
                   "type " << type);
    }
}

BOOST_AUTO_TEST_CASE(keeps_ignored_high_type_bits)
{
    const auto bytes = cat({rep(0, 32), {0xf1}, rep(0, 4), {0x42}});
    auto m = DatabaseStore::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST((m->entry_type == DatabaseEntryType::lease_set));
    BOOST_TEST(m->reserved_type_bits == 0xf0);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_router_info_store_with_trailing_bytes)
{
    const auto bytes = cat({rep(0, 32), from_hex("00 00000000 0001 aa bb")});
    BOOST_TEST(DatabaseStore::parse(bytes).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(rejects_store_without_data)
{
    BOOST_TEST(DatabaseStore::parse(cat({rep(0, 32), from_hex("01 00000000")})).error() ==
               make_error_code(Errc::truncated));
    BOOST_TEST(DatabaseStore::parse(cat({rep(0, 32), from_hex("00 00000000 0000")})).error() ==
               make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_router_info_store_truncated_at_every_offset)
{
    const auto bytes = samples::sample_store_router_info().serialize();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        BOOST_TEST(!DatabaseStore::parse(Bytes(bytes).first(n)).has_value(), "length " << n);
    }
}

BOOST_AUTO_TEST_CASE(lease_set_store_truncated_in_header_fails_and_in_data_stays_opaque)
{
    const auto store = samples::sample_store_lease_set2_with_reply();
    const auto bytes = store.serialize();
    const std::size_t header = 32 + 1 + 4 + 4 + 32;
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto m = DatabaseStore::parse(Bytes(bytes).first(n));
        if (n <= header) {
            BOOST_TEST(!m.has_value(), "length " << n);
        } else {
            // The LeaseSet is the rest of the message; only the header layer's size catches this.
            BOOST_TEST_REQUIRE(m.has_value(), "length " << n);
            BOOST_TEST(m->data.size() == n - header);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(i2np_database_search_reply)

BOOST_AUTO_TEST_CASE(parses_hand_built_search_reply)
{
    const auto bytes = cat({rep(0x01, 32), {2}, rep(0x02, 32), rep(0x03, 32), rep(0x04, 32)});
    auto m = DatabaseSearchReply::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->peers.size() == 2u);
    BOOST_TEST((m->peers[1] == filled(0x03)));
    BOOST_TEST((m->from == filled(0x04)));
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(round_trips_search_reply_with_maximum_peers)
{
    DatabaseSearchReply m{filled(1), std::vector<IdentHash>(255, filled(2)), filled(3)};
    auto parsed = DatabaseSearchReply::parse(m.serialize());
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == m));
}

BOOST_AUTO_TEST_CASE(rejects_search_reply_with_count_beyond_input)
{
    const auto bytes = cat({rep(0x01, 32), {3}, rep(0x02, 64), rep(0x04, 32)});
    BOOST_TEST(DatabaseSearchReply::parse(bytes).error() == make_error_code(Errc::truncated));
}

BOOST_AUTO_TEST_CASE(rejects_search_reply_with_trailing_bytes)
{
    const auto bytes = cat({rep(0x01, 32), {0}, rep(0x04, 32), {0}});
    BOOST_TEST(DatabaseSearchReply::parse(bytes).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(i2np_database_lookup)

BOOST_AUTO_TEST_CASE(parses_hand_built_ecies_lookup)
{
    const auto bytes = ecies_lookup_bytes();
    auto m = DatabaseLookup::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST((m->key == filled(0x01)));
    BOOST_TEST((m->from == filled(0x02)));
    BOOST_TEST((m->lookup_type == LookupType::lease_set));
    BOOST_TEST_REQUIRE(m->reply_tunnel.has_value());
    BOOST_TEST(m->reply_tunnel->value() == 0x0a0b0c0du);
    BOOST_TEST_REQUIRE(m->excluded_peers.size() == 1u);
    BOOST_TEST((m->excluded_peers[0] == filled(0x03)));
    const auto* keys = std::get_if<EciesReplyKeys>(&m->reply_encryption);
    BOOST_TEST_REQUIRE(keys != nullptr);
    BOOST_TEST((keys->key == filled(0x04).bytes()));
    BOOST_TEST_REQUIRE(keys->tags.size() == 1u);
    BOOST_TEST((keys->tags[0] == samples::pattern<8>(0x01)));
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_hand_built_direct_router_info_lookup_without_encryption)
{
    // flags 0x08: direct reply, RI lookup; no reply_tunnelId, no keys.
    const auto bytes = cat({rep(0x01, 32), rep(0x02, 32), from_hex("08 0000")});
    auto m = DatabaseLookup::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST((m->lookup_type == LookupType::router_info));
    BOOST_TEST(!m->reply_tunnel.has_value());
    BOOST_TEST(m->excluded_peers.empty());
    BOOST_TEST(std::holds_alternative<std::monostate>(m->reply_encryption));
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(parses_elgamal_lookup_with_32_byte_tags)
{
    // flags 0x03: tunnel delivery, AES reply; two 32-byte tags.
    const auto bytes = cat({rep(0x01, 32),
                            rep(0x02, 32),
                            from_hex("03 00000005 0000"),
                            rep(0x04, 32),
                            {2},
                            rep(0x05, 32),
                            rep(0x06, 32)});
    auto m = DatabaseLookup::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    const auto* keys = std::get_if<ElGamalReplyKeys>(&m->reply_encryption);
    BOOST_TEST_REQUIRE(keys != nullptr);
    BOOST_TEST_REQUIRE(keys->tags.size() == 2u);
    BOOST_TEST(keys->tags[1][0] == 0x06);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_database_lookup_with_too_many_excluded_peers)
{
    auto bytes = cat({rep(0x01, 32), rep(0x02, 32), from_hex("00 0201")});
    bytes.resize(bytes.size() + 513 * 32);
    BOOST_TEST(DatabaseLookup::parse(bytes).error() == make_error_code(Errc::too_large));
}

BOOST_AUTO_TEST_CASE(accepts_database_lookup_with_512_excluded_peers)
{
    DatabaseLookup m = samples::sample_lookup_ecies();
    m.excluded_peers.assign(512, filled(9));
    auto parsed = DatabaseLookup::parse(m.serialize());
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == m));
}

BOOST_AUTO_TEST_CASE(rejects_reply_tag_counts_outside_1_to_32)
{
    const auto head = cat({rep(0x01, 32), rep(0x02, 32), from_hex("02 0000"), rep(0x04, 32)});
    auto zero = cat({head, {0}});
    BOOST_TEST(DatabaseLookup::parse(zero).error() == make_error_code(Errc::invalid_value));
    auto many = cat({head, {33}, rep(0, 33 * 32)});
    BOOST_TEST(DatabaseLookup::parse(many).error() == make_error_code(Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_lookup_with_both_encryption_flags)
{
    const auto bytes = cat({rep(0x01, 32), rep(0x02, 32), from_hex("12 0000"), rep(0x04, 32),
                            from_hex("01 0102030405060708")});
    BOOST_TEST(DatabaseLookup::parse(bytes).error() == make_error_code(Errc::unsupported));
}

BOOST_AUTO_TEST_CASE(rejects_lookup_with_zero_reply_tunnel)
{
    const auto bytes = cat({rep(0x01, 32), rep(0x02, 32), from_hex("01 00000000 0000")});
    BOOST_TEST(DatabaseLookup::parse(bytes).error() == make_error_code(Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(keeps_ignored_high_flag_bits)
{
    const auto bytes = cat({rep(0x01, 32), rep(0x02, 32), from_hex("e0 0000")});
    auto m = DatabaseLookup::parse(bytes);
    BOOST_TEST_REQUIRE(m.has_value());
    BOOST_TEST(m->reserved_flags == 0xe0);
    BOOST_TEST(m->serialize() == bytes);
}

BOOST_AUTO_TEST_CASE(rejects_lookup_with_trailing_bytes)
{
    auto bytes = ecies_lookup_bytes();
    bytes.push_back(0);
    BOOST_TEST(DatabaseLookup::parse(bytes).error() == make_error_code(Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(rejects_lookup_truncated_at_every_offset)
{
    for (const auto& sample : {samples::sample_lookup_ecies(), samples::sample_lookup_elgamal(),
                               samples::sample_lookup_exploration_direct()}) {
        const auto bytes = sample.serialize();
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            BOOST_TEST(DatabaseLookup::parse(Bytes(bytes).first(n)).error() ==
                           make_error_code(Errc::truncated),
                       "length " << n);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
