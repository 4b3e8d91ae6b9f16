#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "netdb/store/testing.h"
#include "router/app/own_tunnels.h"

using namespace umbra;
using namespace umbra::netdb::testing;

namespace {

data::RouterInfo make_ri(const TestRouter& r, crypto::Rng& rng, const std::string& caps,
                         std::vector<data::RouterAddress> addresses,
                         const std::string& version = "0.9.58")
{
    data::Mapping m;
    BOOST_REQUIRE(m.set("caps", caps));
    BOOST_REQUIRE(m.set("netId", "99"));
    BOOST_REQUIRE(m.set("router.version", version));
    auto ri =
        data::RouterInfo::create(r.identity, t0, std::move(addresses), std::move(m), r.signer, rng);
    BOOST_REQUIRE(ri);
    return std::move(*ri);
}

} // namespace

BOOST_AUTO_TEST_SUITE(own_tunnels)

BOOST_AUTO_TEST_CASE(candidate_from_a_published_router)
{
    crypto::DeterministicRng rng(1);
    const auto r = make_router(rng);
    const auto ri = make_ri(r, rng, "XfR", {ntcp2_address("198.18.3.4", "9001")});
    const auto c = app::candidate_from(ri);
    BOOST_REQUIRE(c);
    BOOST_TEST((c->ident == ri.ident_hash()));
    const auto key = ri.identity().crypto_public_key();
    BOOST_TEST(std::equal(key.begin(), key.end(), c->encryption_key.begin()));
    BOOST_TEST(c->ipv4 == (198u << 24 | 18u << 16 | 3u << 8 | 4u));
    BOOST_TEST(c->bandwidth == 'X');
    BOOST_TEST(c->reachable);
    BOOST_TEST(!c->congested);
    BOOST_TEST(!c->rejecting);
}

BOOST_AUTO_TEST_CASE(congestion_caps_map_to_selection_flags)
{
    crypto::DeterministicRng rng(2);
    const auto r = make_router(rng);
    const auto d = app::candidate_from(make_ri(r, rng, "ORD", {ntcp2_address()}));
    const auto e = app::candidate_from(make_ri(r, rng, "ORE", {ntcp2_address()}));
    const auto g = app::candidate_from(make_ri(r, rng, "LRG", {ntcp2_address()}));
    BOOST_REQUIRE(d);
    BOOST_REQUIRE(e);
    BOOST_REQUIRE(g);
    BOOST_TEST(d->congested);
    BOOST_TEST(!d->rejecting);
    BOOST_TEST(e->rejecting);
    BOOST_TEST(g->rejecting);
    BOOST_TEST(g->bandwidth == 'L');
}

BOOST_AUTO_TEST_CASE(routers_we_cannot_use_as_hops)
{
    crypto::DeterministicRng rng(3);
    const auto r = make_router(rng);
    // No published NTCP2 host: nobody can connect to it.
    data::RouterAddress unpublished;
    unpublished.cost = 14;
    unpublished.transport_style = "NTCP2";
    BOOST_REQUIRE(unpublished.options.set("v", "2"));
    BOOST_TEST(!app::candidate_from(make_ri(r, rng, "LU", {unpublished})).has_value());
    BOOST_TEST(!app::candidate_from(make_ri(r, rng, "LU", {})).has_value());
    // Before 0.9.51 a router cannot read short build records.
    BOOST_TEST(
        !app::candidate_from(make_ri(r, rng, "LR", {ntcp2_address()}, "0.9.50")).has_value());
    BOOST_TEST(
        !app::candidate_from(make_ri(r, rng, "LR", {ntcp2_address()}, "garbage")).has_value());
    BOOST_TEST(app::candidate_from(make_ri(r, rng, "LR", {ntcp2_address()}, "0.9.51")).has_value());
    BOOST_TEST(app::candidate_from(make_ri(r, rng, "LR", {ntcp2_address()}, "0.10.0")).has_value());
    // An IPv6 host is reachable but has no IPv4 /16.
    const auto v6 = app::candidate_from(make_ri(r, rng, "LR", {ntcp2_address("::1", "9000")}));
    BOOST_REQUIRE(v6);
    BOOST_TEST(v6->ipv4 == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
