#include <boost/test/unit_test.hpp>

#include "router/data/meta_lease_set.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

MetaLeaseSetContent make_content(const TestDestination& d, const crypto::SigningKey* transient,
                                 crypto::Rng& rng, std::size_t leases = 3)
{
    MetaLeaseSetContent c{make_ls2_header(d, transient, rng), {}, {}, {}};
    c.header.expires = 65535; // "the full 18.2 hours" a MetaLeaseSet may use
    for (std::size_t i = 0; i < leases; ++i) {
        std::array<std::uint8_t, 32> h;
        rng.fill(h);
        c.leases.push_back({IdentHash(h),
                            i % 2 ? MetaLease::type_lease_set2 : MetaLease::type_meta_lease_set,
                            std::uint8_t(i), ls2_published + 3600});
    }
    std::array<std::uint8_t, 32> revoked;
    rng.fill(revoked);
    c.revocations.emplace_back(revoked);
    return c;
}

std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(meta_lease_set)

BOOST_AUTO_TEST_CASE(builds_signs_and_round_trips_with_and_without_offline_keys)
{
    crypto::DeterministicRng rng(60);
    for (const auto type : our_sig_types) {
        for (const bool offline : {false, true}) {
            BOOST_TEST_CONTEXT("sig " << int(type) << " offline " << offline)
            {
                const auto d = make_destination(type, rng);
                const auto transient = crypto::SigningKey::generate(type, rng);
                const auto content = make_content(d, offline ? &transient : nullptr, rng);
                const auto ls = MetaLeaseSet::create(content, offline ? transient : d.signer, rng);
                BOOST_REQUIRE(ls);
                BOOST_TEST(ls->verify().has_value());
                BOOST_TEST(ls->validate(ls2_now).has_value());
                BOOST_TEST(ls->signed_message()[0] == 7);
                const auto back = MetaLeaseSet::parse(ls->bytes());
                BOOST_REQUIRE(back);
                BOOST_TEST((back->content() == content));
                BOOST_TEST(to_vector(back->bytes()) == to_vector(ls->bytes()));
                BOOST_TEST(back->content().leases[0].entry_type() == 5u);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(tampered_meta_lease_set_fails_verification)
{
    crypto::DeterministicRng rng(61);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = MetaLeaseSet::create(make_content(d, nullptr, rng), d.signer, rng);
    BOOST_REQUIRE(ls);
    const auto bytes = to_vector(ls->bytes());
    for (std::size_t bit = 0; bit < bytes.size() * 8; bit += 7) {
        const auto r = MetaLeaseSet::parse(flip_bit(bytes, bit));
        BOOST_TEST((!r || !r->verify()), "bit " << bit);
    }
}

BOOST_AUTO_TEST_CASE(requires_one_to_sixteen_meta_leases)
{
    crypto::DeterministicRng rng(62);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    BOOST_TEST(fails_with(MetaLeaseSet::create(make_content(d, nullptr, rng, 0), d.signer, rng),
                          Errc::invalid_value));
    BOOST_TEST(MetaLeaseSet::create(make_content(d, nullptr, rng, 16), d.signer, rng).has_value());
    BOOST_TEST(fails_with(MetaLeaseSet::create(make_content(d, nullptr, rng, 17), d.signer, rng),
                          Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    crypto::DeterministicRng rng(63);
    const auto d = make_destination(crypto::SigType::redsa_sha512_ed25519, rng);
    const auto ls = MetaLeaseSet::create(make_content(d, nullptr, rng), d.signer, rng);
    BOOST_REQUIRE(ls);
    for (std::size_t n = 0; n < ls->bytes().size(); ++n) {
        BOOST_TEST(fails_with(MetaLeaseSet::parse(ls->bytes().first(n)), Errc::truncated), n);
    }
}

BOOST_AUTO_TEST_SUITE_END()
