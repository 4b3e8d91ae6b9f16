#include <boost/test/unit_test.hpp>

#include "router/data/lease_set.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

std::vector<Lease> make_leases(crypto::Rng& rng, std::size_t n)
{
    std::vector<Lease> leases;
    for (std::size_t i = 0; i < n; ++i) {
        std::array<std::uint8_t, 32> gw;
        rng.fill(gw);
        leases.push_back(
            {IdentHash(gw), TunnelId(std::uint32_t(1000 + i)), 1'700'000'600'000 + i * 1000});
    }
    return leases;
}

LeaseSetContent make_content(const TestDestination& d, crypto::Rng& rng, std::size_t leases)
{
    std::vector<std::uint8_t> enc(lease_set_encryption_key_size);
    rng.fill(enc);
    std::vector<std::uint8_t> sk(d.destination.signing_public_key().size());
    rng.fill(sk);
    return {d.destination, std::move(enc), std::move(sk), make_leases(rng, leases)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(lease_set)

BOOST_AUTO_TEST_CASE(builds_signs_and_round_trips_with_ed25519_and_reddsa)
{
    crypto::DeterministicRng rng(30);
    for (const auto type : our_sig_types) {
        const auto d = make_destination(type, rng);
        const auto content = make_content(d, rng, 3);
        const auto ls = LeaseSet::create(content, d.signer, rng);
        BOOST_REQUIRE(ls);
        BOOST_TEST(ls->verify());
        BOOST_TEST(ls->bytes().size() == d.destination.size() + 256 + 32 + 1 + 3 * 44 + 64);
        const auto back = LeaseSet::parse(ls->bytes());
        BOOST_REQUIRE(back);
        BOOST_TEST(back->verify());
        BOOST_TEST((back->content() == content));
        BOOST_TEST(std::equal(back->bytes().begin(), back->bytes().end(), ls->bytes().begin(),
                              ls->bytes().end()));
        BOOST_TEST(back->earliest_expiration() == 1'700'000'600'000u);
    }
}

BOOST_AUTO_TEST_CASE(accepts_zero_and_sixteen_leases_but_not_seventeen)
{
    crypto::DeterministicRng rng(31);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto none = LeaseSet::create(make_content(d, rng, 0), d.signer, rng);
    BOOST_REQUIRE(none);
    BOOST_TEST(none->earliest_expiration() == 0u);
    BOOST_TEST(LeaseSet::parse(none->bytes()).has_value());
    const auto full = LeaseSet::create(make_content(d, rng, 16), d.signer, rng);
    BOOST_REQUIRE(full);
    BOOST_TEST(full->verify());
    BOOST_TEST(
        fails_with(LeaseSet::create(make_content(d, rng, 17), d.signer, rng), Errc::too_large));
    auto bytes = std::vector<std::uint8_t>(full->bytes().begin(), full->bytes().end());
    const std::size_t count_at = d.destination.size() + 256 + 32;
    BOOST_REQUIRE(bytes[count_at] == 16);
    bytes[count_at] = 17;
    BOOST_TEST(fails_with(LeaseSet::parse(bytes), Errc::too_large));
}

BOOST_AUTO_TEST_CASE(tampered_lease_set_fails_verification)
{
    crypto::DeterministicRng rng(32);
    for (const auto type : our_sig_types) {
        const auto d = make_destination(type, rng);
        const auto ls = LeaseSet::create(make_content(d, rng, 2), d.signer, rng);
        BOOST_REQUIRE(ls);
        const std::vector<std::uint8_t> bytes(ls->bytes().begin(), ls->bytes().end());
        for (std::size_t bit = 0; bit < bytes.size() * 8; bit += 13) {
            const auto r = LeaseSet::parse(flip_bit(bytes, bit));
            BOOST_TEST((!r || !r->verify()), "bit " << bit);
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    crypto::DeterministicRng rng(33);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = LeaseSet::create(make_content(d, rng, 2), d.signer, rng);
    BOOST_REQUIRE(ls);
    for (std::size_t n = 0; n < ls->bytes().size(); ++n) {
        BOOST_TEST(fails_with(LeaseSet::parse(ls->bytes().first(n)), Errc::truncated), n);
    }
}

BOOST_AUTO_TEST_CASE(create_rejects_foreign_key_and_wrong_key_sizes)
{
    crypto::DeterministicRng rng(34);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto other = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    BOOST_TEST(fails_with(LeaseSet::create(make_content(d, rng, 1), other.signer, rng),
                          Errc::invalid_value));
    auto short_key = make_content(d, rng, 1);
    short_key.encryption_key.pop_back();
    BOOST_TEST(fails_with(LeaseSet::create(short_key, d.signer, rng), Errc::invalid_value));
}

BOOST_AUTO_TEST_SUITE_END()
