#include <type_traits>
#include <unordered_set>

#include <boost/test/unit_test.hpp>

#include "router/base/encoding.h"
#include "router/base/ids.h"

using namespace umbra;

namespace {
IdentHash counting_hash()
{
    std::array<std::uint8_t, 32> b{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        b[i] = static_cast<std::uint8_t>(i);
    }
    return IdentHash(b);
}
} // namespace

BOOST_AUTO_TEST_SUITE(ids)

BOOST_AUTO_TEST_CASE(default_hash_is_zero_and_one_set_bit_is_not)
{
    BOOST_TEST(IdentHash().is_zero());
    std::array<std::uint8_t, 32> b{};
    b[31] = 1;
    BOOST_TEST(!IdentHash(b).is_zero());
}

BOOST_AUTO_TEST_CASE(zero_hash_encodes_to_all_a)
{
    BOOST_TEST(IdentHash().to_base64() == std::string(43, 'A') + "=");
    BOOST_TEST(IdentHash().to_base32() == std::string(52, 'a'));
}

BOOST_AUTO_TEST_CASE(hash_text_forms_decode_back_to_the_hash)
{
    const IdentHash h = counting_hash();
    BOOST_TEST(h.to_base64() == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    BOOST_TEST(h.to_base32() == "aaaqeayeaudaocajbifqydiob4ibceqtcqkrmfyydenbwha5dypq");
    auto from64 = base64_decode(h.to_base64());
    auto from32 = base32_decode(h.to_base32());
    BOOST_TEST_REQUIRE(from64.has_value());
    BOOST_TEST_REQUIRE(from32.has_value());
    BOOST_TEST((IdentHash::from_span(std::span<const std::uint8_t, 32>(from64->data(), 32)) == h));
    BOOST_TEST((IdentHash::from_span(std::span<const std::uint8_t, 32>(from32->data(), 32)) == h));
}

BOOST_AUTO_TEST_CASE(hashes_order_bytewise_and_work_as_set_keys)
{
    const IdentHash zero;
    const IdentHash h = counting_hash();
    BOOST_TEST((zero < h));
    std::unordered_set<IdentHash> set{zero, h, h};
    BOOST_TEST(set.size() == 2u);
}

BOOST_AUTO_TEST_CASE(strong_ids_of_different_kinds_do_not_convert)
{
    static_assert(!std::is_convertible_v<TunnelId, MessageId>);
    static_assert(!std::is_convertible_v<std::uint32_t, TunnelId>);
    BOOST_TEST(TunnelId(7).value() == 7u);
    BOOST_TEST((TunnelId(1) < TunnelId(2)));
}

BOOST_AUTO_TEST_SUITE_END()
