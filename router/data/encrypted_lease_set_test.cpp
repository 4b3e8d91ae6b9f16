#include <boost/test/unit_test.hpp>

#include "router/data/encrypted_lease_set.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

// The outer layer only needs a RedDSA key pair; a fresh one stands in for a blinded key.
EncryptedLeaseSetContent make_content(const crypto::SigningKey& blinded,
                                      const crypto::SigningKey* transient, crypto::Rng& rng)
{
    EncryptedLeaseSetContent c;
    c.blinded_public_key.assign(blinded.public_key().begin(), blinded.public_key().end());
    c.published = ls2_published;
    c.expires = 600;
    if (transient) {
        c.offline = OfflineSignature::create(ls2_published + 86'400, *transient, blinded, rng);
    }
    c.encrypted_data.resize(200);
    rng.fill(c.encrypted_data);
    return c;
}

std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

crypto::SigningKey reddsa(crypto::Rng& rng)
{
    return crypto::SigningKey::generate(crypto::SigType::redsa_sha512_ed25519, rng);
}

} // namespace

BOOST_AUTO_TEST_SUITE(encrypted_lease_set)

BOOST_AUTO_TEST_CASE(builds_signs_and_round_trips_with_and_without_offline_keys)
{
    crypto::DeterministicRng rng(70);
    for (const auto transient_type : our_sig_types) {
        for (const bool offline : {false, true}) {
            const auto blinded = reddsa(rng);
            const auto transient = crypto::SigningKey::generate(transient_type, rng);
            const auto content = make_content(blinded, offline ? &transient : nullptr, rng);
            const auto ls = EncryptedLeaseSet::create(content, offline ? transient : blinded, rng);
            BOOST_REQUIRE(ls);
            BOOST_TEST(ls->verify().has_value());
            BOOST_TEST(ls->validate(ls2_now).has_value());
            BOOST_TEST(ls->signed_message()[0] == 5);
            const auto back = EncryptedLeaseSet::parse(ls->bytes());
            BOOST_REQUIRE(back);
            BOOST_TEST((back->content() == content));
            BOOST_TEST(to_vector(back->bytes()) == to_vector(ls->bytes()));
            BOOST_TEST(back->content().flags == 0);
            BOOST_TEST(back->bytes()[32 + 2 + 4 + 2 + 1] == (offline ? 1 : 0));
        }
    }
}

BOOST_AUTO_TEST_CASE(tampered_encrypted_lease_set_fails_verification)
{
    crypto::DeterministicRng rng(71);
    for (const bool offline : {false, true}) {
        const auto blinded = reddsa(rng);
        const auto transient = reddsa(rng);
        const auto ls =
            EncryptedLeaseSet::create(make_content(blinded, offline ? &transient : nullptr, rng),
                                      offline ? transient : blinded, rng);
        BOOST_REQUIRE(ls);
        const auto bytes = to_vector(ls->bytes());
        for (std::size_t bit = 0; bit < bytes.size() * 8; bit += 5) {
            const auto r = EncryptedLeaseSet::parse(flip_bit(bytes, bit));
            BOOST_TEST((!r || !r->verify()), "offline " << offline << " bit " << bit);
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_blinded_key_types_other_than_reddsa)
{
    crypto::DeterministicRng rng(72);
    const auto blinded = reddsa(rng);
    const auto ls = EncryptedLeaseSet::create(make_content(blinded, nullptr, rng), blinded, rng);
    BOOST_REQUIRE(ls);
    auto bytes = to_vector(ls->bytes());
    bytes[1] = 7;
    BOOST_TEST(fails_with(EncryptedLeaseSet::parse(bytes), Errc::unsupported));
}

BOOST_AUTO_TEST_CASE(rejects_empty_encrypted_data)
{
    crypto::DeterministicRng rng(73);
    const auto blinded = reddsa(rng);
    auto content = make_content(blinded, nullptr, rng);
    content.encrypted_data.clear();
    BOOST_TEST(fails_with(EncryptedLeaseSet::create(content, blinded, rng), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    crypto::DeterministicRng rng(74);
    const auto blinded = reddsa(rng);
    const auto transient = reddsa(rng);
    const auto ls =
        EncryptedLeaseSet::create(make_content(blinded, &transient, rng), transient, rng);
    BOOST_REQUIRE(ls);
    for (std::size_t n = 0; n < ls->bytes().size(); ++n) {
        BOOST_TEST(fails_with(EncryptedLeaseSet::parse(ls->bytes().first(n)), Errc::truncated), n);
    }
}

BOOST_AUTO_TEST_SUITE_END()
