#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "router/data/private_keys.h"
#include "router/data/router_info.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

constexpr std::uint8_t fixture_net_id = 99;
// Comfortably after every fixture was published.
const WallTime fixture_now{1'900'000'000'000};

RouterAddress address(std::string style, std::uint16_t port)
{
    RouterAddress a;
    a.cost = style == "NTCP2" ? 3 : 8;
    a.transport_style = std::move(style);
    BOOST_REQUIRE(a.options.set("host", "127.0.0.1"));
    BOOST_REQUIRE(a.options.set("port", std::to_string(port)));
    BOOST_REQUIRE(a.options.set("v", "2"));
    return a;
}

Mapping router_options(std::string_view net_id)
{
    Mapping m;
    BOOST_REQUIRE(m.set("caps", "XfR"));
    if (!net_id.empty()) {
        BOOST_REQUIRE(m.set("netId", net_id));
    }
    BOOST_REQUIRE(m.set("router.version", "0.9.67"));
    return m;
}

struct OurRouter {
    PrivateKeys keys;
    RouterIdentity identity;
    crypto::SigningKey signer;
};

OurRouter make_router(crypto::Rng& rng)
{
    auto keys = PrivateKeys::generate_router(rng);
    auto id = RouterIdentity::from(keys.identity());
    BOOST_REQUIRE(id);
    auto signer = *keys.signing_key();
    return {std::move(keys), std::move(*id), std::move(signer)};
}

Result<RouterInfo> make_router_info(const OurRouter& r, crypto::Rng& rng,
                                    std::vector<RouterAddress> addresses,
                                    std::string_view net_id = "99",
                                    WallTime published = {1'700'000'000'000})
{
    return RouterInfo::create(r.identity, published, std::move(addresses), router_options(net_id),
                              r.signer, rng);
}

} // namespace

BOOST_AUTO_TEST_SUITE(router_info)

BOOST_AUTO_TEST_CASE(parses_verifies_and_reproduces_every_i2pd_router_info)
{
    for (const auto& name : router_fixtures) {
        BOOST_TEST_CONTEXT(name)
        {
            const auto file = fixture(name + ".info");
            const auto ri = RouterInfo::parse(file);
            BOOST_REQUIRE(ri);
            BOOST_TEST(ri->verify());
            BOOST_TEST(ri->validate(fixture_net_id, fixture_now).has_value());
            BOOST_TEST(std::vector<std::uint8_t>(ri->bytes().begin(), ri->bytes().end()) == file);
            BOOST_TEST(ri->signed_bytes().size() + ri->signature().size() == file.size());
            BOOST_TEST(*ri->net_id() == 99);
            BOOST_TEST(*ri->version() == "0.9.57");
            BOOST_TEST((ri->caps().bandwidth == Caps::Bandwidth::X));
            BOOST_TEST(ri->addresses(ntcp2_style).size() == 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(router_info_identity_is_the_one_in_the_key_file)
{
    for (const auto& name : router_fixtures) {
        const auto ri = RouterInfo::parse(fixture(name + ".info"));
        const auto keys = PrivateKeys::parse(fixture(name + ".keys"));
        BOOST_REQUIRE(ri);
        BOOST_REQUIRE(keys);
        BOOST_TEST((ri->identity() == keys->identity()));
        BOOST_TEST((ri->ident_hash() == keys->identity().ident_hash()));
    }
}

BOOST_AUTO_TEST_CASE(reads_fixture_addresses_and_caps)
{
    const auto r1 = RouterInfo::parse(fixture("router1.info"));
    BOOST_REQUIRE(r1);
    BOOST_TEST(!r1->caps().floodfill);
    const auto ssu2 = r1->addresses(ssu2_style);
    BOOST_REQUIRE(ssu2.size() == 1u);
    BOOST_TEST(*ssu2[0]->option("caps") == "BC");
    BOOST_TEST(*ssu2[0]->option("host") == "198.18.0.77");
    BOOST_TEST(ssu2[0]->expiration == 0u);
    const auto ntcp2 = r1->addresses(ntcp2_style);
    BOOST_TEST(*ntcp2[0]->option("port") == "34527");

    const auto ff = RouterInfo::parse(fixture("router2-floodfill.info"));
    BOOST_REQUIRE(ff);
    BOOST_TEST(ff->caps().floodfill);

    const auto r3 = RouterInfo::parse(fixture("router3-ntcp2only.info"));
    BOOST_REQUIRE(r3);
    BOOST_TEST(r3->addresses(ssu2_style).empty());
    BOOST_TEST(r3->addresses().size() == 1u);
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    for (const auto& name : router_fixtures) {
        const auto file = fixture(name + ".info");
        for (std::size_t n = 0; n < file.size(); ++n) {
            BOOST_TEST(!RouterInfo::parse(Bytes(file).first(n)).has_value(),
                       name << " length " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(bit_flips_in_the_signed_part_fail)
{
    const auto file = fixture("router1.info");
    const auto ri = RouterInfo::parse(file);
    BOOST_REQUIRE(ri);
    const std::size_t signed_bits = ri->signed_bytes().size() * 8;
    for (std::size_t bit = 0; bit < signed_bits; ++bit) {
        const auto flipped = flip_bit(file, bit);
        const auto r = RouterInfo::parse(flipped);
        BOOST_TEST((!r || !r->verify()), "bit " << bit);
    }
    const auto sig_flip = flip_bit(file, signed_bits + 3);
    BOOST_TEST(!RouterInfo::parse(sig_flip)->verify());
}

BOOST_AUTO_TEST_CASE(builds_signs_and_round_trips_our_router_info)
{
    crypto::DeterministicRng rng(20);
    const auto router = make_router(rng);
    const auto ri =
        make_router_info(router, rng, {address("NTCP2", 12345), address("SSU2", 12346)});
    BOOST_REQUIRE(ri);
    BOOST_TEST(ri->verify());
    BOOST_TEST(ri->validate(99, WallTime{1'700'000'000'000}).has_value());
    const auto back = RouterInfo::parse(ri->bytes());
    BOOST_REQUIRE(back);
    BOOST_TEST(back->verify());
    BOOST_TEST((back->bytes().size() == ri->bytes().size()));
    BOOST_TEST(std::equal(back->bytes().begin(), back->bytes().end(), ri->bytes().begin()));
    BOOST_TEST((back->addresses()[1] == address("SSU2", 12346)));
    BOOST_TEST((back->options() == router_options("99")));
    BOOST_TEST(back->published().ms == 1'700'000'000'000);
    BOOST_TEST(back->caps().reachable);
    BOOST_TEST(!back->caps().unreachable);
}

BOOST_AUTO_TEST_CASE(validate_rejects_wrong_network)
{
    const auto ri = RouterInfo::parse(fixture("router1.info"));
    BOOST_REQUIRE(ri);
    BOOST_TEST(fails_with(ri->validate(2, fixture_now), Errc::wrong_network));
}

BOOST_AUTO_TEST_CASE(net_id_defaults_to_2_and_rejects_non_numbers)
{
    crypto::DeterministicRng rng(21);
    const auto router = make_router(rng);
    const auto absent = make_router_info(router, rng, {}, "");
    BOOST_REQUIRE(absent);
    BOOST_TEST(*absent->net_id() == 2);
    BOOST_TEST(absent->validate(2, WallTime{1'700'000'000'000}).has_value());
    for (const auto bad : {"x", "256", "9 ", "-1"}) {
        const auto ri = make_router_info(router, rng, {}, bad);
        BOOST_REQUIRE(ri);
        BOOST_TEST(!ri->net_id().has_value());
        BOOST_TEST(fails_with(ri->validate(2, WallTime{1'700'000'000'000}), Errc::wrong_network));
    }
}

BOOST_AUTO_TEST_CASE(validate_rejects_published_date_in_the_future)
{
    crypto::DeterministicRng rng(22);
    const auto router = make_router(rng);
    const WallTime now{1'700'000'000'000};
    const auto ok = make_router_info(router, rng, {}, "99", WallTime{now.ms + 119'000});
    BOOST_REQUIRE(ok);
    BOOST_TEST(ok->validate(99, now).has_value());
    const auto ahead = make_router_info(router, rng, {}, "99", WallTime{now.ms + 121'000});
    BOOST_REQUIRE(ahead);
    BOOST_TEST(fails_with(ahead->validate(99, now), Errc::expired));
}

BOOST_AUTO_TEST_CASE(validate_rejects_bad_signature)
{
    auto file = fixture("router1.info");
    file.back() ^= 0x40;
    const auto ri = RouterInfo::parse(file);
    BOOST_REQUIRE(ri);
    BOOST_TEST(fails_with(ri->validate(99, fixture_now), Errc::bad_signature));
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_and_unsorted_option_keys)
{
    crypto::DeterministicRng rng(26);
    const auto router = make_router(rng);
    Mapping options;
    BOOST_REQUIRE(options.set("caps", "X"));
    BOOST_REQUIRE(options.set("capt", "Y"));
    const auto ri =
        RouterInfo::create(router.identity, WallTime{1}, {}, options, router.signer, rng);
    BOOST_REQUIRE(ri);
    const std::vector<std::uint8_t> bytes(ri->bytes().begin(), ri->bytes().end());
    const std::string key = "\x04"
                            "capt";
    const auto at = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
    BOOST_REQUIRE((at != bytes.end()));
    const std::size_t last_letter = std::size_t(at - bytes.begin()) + 4;

    auto duplicate = bytes;
    duplicate[last_letter] = 's'; // "caps" twice
    BOOST_TEST(fails_with(RouterInfo::parse(duplicate), Errc::invalid_value));
    auto unsorted = bytes;
    unsorted[last_letter] = 'a'; // "capa" after "caps"
    BOOST_TEST(fails_with(RouterInfo::parse(unsorted), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_too_many_addresses)
{
    crypto::DeterministicRng rng(23);
    const auto router = make_router(rng);
    std::vector<RouterAddress> many(max_router_addresses + 1, address("NTCP2", 1));
    BOOST_TEST(fails_with(make_router_info(router, rng, many), Errc::too_large));
    many.pop_back();
    const auto ri = make_router_info(router, rng, many);
    BOOST_REQUIRE(ri);
    // Raise the count byte (just after identity and published date) past the limit.
    auto bytes = std::vector<std::uint8_t>(ri->bytes().begin(), ri->bytes().end());
    bytes[ri->identity().size() + 8] = std::uint8_t(max_router_addresses + 1);
    BOOST_TEST(fails_with(RouterInfo::parse(bytes), Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_non_zero_peer_size)
{
    crypto::DeterministicRng rng(24);
    const auto router = make_router(rng);
    const auto ri = make_router_info(router, rng, {});
    BOOST_REQUIRE(ri);
    auto bytes = std::vector<std::uint8_t>(ri->bytes().begin(), ri->bytes().end());
    const std::size_t peer_size = ri->identity().size() + 8 + 1;
    BOOST_REQUIRE(bytes[peer_size] == 0);
    bytes[peer_size] = 1;
    BOOST_TEST(!RouterInfo::parse(bytes).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_router_info_over_64_kib)
{
    std::vector<std::uint8_t> big(max_router_info_size + 1, 0);
    BOOST_TEST(fails_with(RouterInfo::parse(big), Errc::too_large));
}

BOOST_AUTO_TEST_CASE(create_refuses_address_expiration_and_foreign_key)
{
    crypto::DeterministicRng rng(25);
    const auto router = make_router(rng);
    auto expiring = address("NTCP2", 1);
    expiring.expiration = 1;
    BOOST_TEST(fails_with(make_router_info(router, rng, {expiring}), Errc::invalid_value));
    const auto other = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    BOOST_TEST(
        fails_with(RouterInfo::create(router.identity, WallTime{1}, {}, Mapping{}, other, rng),
                   Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(parses_caps_letters)
{
    const auto c = Caps::parse("PORfD");
    BOOST_TEST((c.bandwidth == Caps::Bandwidth::P));
    BOOST_TEST(c.reachable);
    BOOST_TEST(c.floodfill);
    BOOST_TEST((c.congestion == Caps::Congestion::medium));
    BOOST_TEST((Caps::parse("LUGE").congestion == Caps::Congestion::rejecting));
    BOOST_TEST(Caps::parse("LUGE").unreachable);
    BOOST_TEST((Caps::parse("").bandwidth == Caps::Bandwidth::unknown));
    BOOST_TEST(Caps::parse("KH").hidden);
}

BOOST_AUTO_TEST_SUITE_END()
