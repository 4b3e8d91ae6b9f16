#include <boost/test/unit_test.hpp>

#include "router/data/private_keys.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

std::vector<std::string> all_key_fixtures()
{
    std::vector<std::string> names;
    for (const auto& r : router_fixtures) {
        names.push_back(r + ".keys");
    }
    for (const int s : destination_fixture_sig_types) {
        names.push_back("dest-sig" + std::to_string(s) + ".dat");
    }
    return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(private_keys)

BOOST_AUTO_TEST_CASE(parses_every_i2pd_key_file_and_reproduces_its_bytes)
{
    for (const auto& name : all_key_fixtures()) {
        BOOST_TEST_CONTEXT(name)
        {
            const auto file = fixture(name);
            const auto keys = PrivateKeys::parse(file);
            BOOST_REQUIRE(keys);
            BOOST_TEST(keys->serialize() == file);
        }
    }
}

BOOST_AUTO_TEST_CASE(i2pd_router_keys_match_their_identity)
{
    for (const auto& name : router_fixtures) {
        BOOST_TEST_CONTEXT(name)
        {
            const auto keys = PrivateKeys::parse(fixture(name + ".keys"));
            BOOST_REQUIRE(keys);
            BOOST_TEST(keys->crypto_private_key().size() == 32u);
            BOOST_TEST(keys->signing_private_key().size() == 32u);
            BOOST_TEST(keys->check_crypto_key().has_value());
            BOOST_TEST(keys->check_signing_key().has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(i2pd_destination_keys_have_the_sizes_of_their_types)
{
    for (const int sig : destination_fixture_sig_types) {
        BOOST_TEST_CONTEXT("dest-sig" << sig)
        {
            const auto keys =
                PrivateKeys::parse(fixture("dest-sig" + std::to_string(sig) + ".dat"));
            BOOST_REQUIRE(keys);
            BOOST_TEST(keys->crypto_private_key().size() == 256u);
            BOOST_TEST(keys->signing_private_key().size() ==
                       crypto::sig_type_info(std::uint16_t(sig))->private_key_size);
            // Observed with i2pd 2.45.1: only the DSA destination's ElGamal slot holds a real
            // key pair; for the others the private key does not derive the public one (those
            // destinations publish their encryption keys in LeaseSet2, not the identity).
            if (sig == 0) {
                BOOST_TEST(keys->check_crypto_key().has_value());
            } else {
                BOOST_TEST(fails_with(keys->check_crypto_key(), Errc::invalid_value));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(i2pd_destination_keys_sign_what_their_identity_verifies)
{
    crypto::DeterministicRng rng(10);
    for (const int sig : {7, 11}) {
        BOOST_TEST_CONTEXT("dest-sig" << sig)
        {
            const auto keys =
                PrivateKeys::parse(fixture("dest-sig" + std::to_string(sig) + ".dat"));
            BOOST_REQUIRE(keys);
            BOOST_TEST(keys->check_signing_key().has_value());
            const auto signer = keys->signing_key();
            BOOST_REQUIRE(signer.has_value());
            const std::vector<std::uint8_t> msg = {'u', 'm', 'b', 'r', 'a'};
            BOOST_TEST(keys->identity().verify(msg, signer->sign(msg, rng)));
        }
    }
    for (const int sig : {0, 1, 2, 3}) {
        const auto keys = PrivateKeys::parse(fixture("dest-sig" + std::to_string(sig) + ".dat"));
        BOOST_REQUIRE(keys);
        BOOST_TEST(!keys->signing_key().has_value());
        BOOST_TEST(fails_with(keys->check_signing_key(), Errc::unsupported));
    }
}

BOOST_AUTO_TEST_CASE(detects_private_keys_that_do_not_match_the_identity)
{
    auto file = fixture("router1.keys");
    file[391 + 5] ^= 1;      // a byte of the X25519 private key (not one clamping clears)
    file[391 + 32 + 5] ^= 1; // a byte of the Ed25519 private key
    const auto keys = PrivateKeys::parse(file);
    BOOST_REQUIRE(keys);
    BOOST_TEST(fails_with(keys->check_crypto_key(), Errc::invalid_value));
    BOOST_TEST(fails_with(keys->check_signing_key(), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_truncated_key_file_and_trailing_bytes)
{
    const auto file = fixture("dest-sig3.dat");
    for (std::size_t n = 0; n < file.size(); ++n) {
        BOOST_TEST(fails_with(PrivateKeys::parse(Bytes(file).first(n)), Errc::truncated),
                   "length " << n);
    }
    auto longer = file;
    longer.push_back(0);
    BOOST_TEST(fails_with(PrivateKeys::parse(longer), Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(generates_router_keys_that_round_trip_and_match)
{
    crypto::DeterministicRng rng(11);
    const auto keys = PrivateKeys::generate_router(rng);
    BOOST_TEST(int(keys.identity().sig_type()) == 7);
    BOOST_TEST(keys.identity().crypto_type() == 4);
    BOOST_TEST(int(keys.identity().certificate().type()) == int(CertType::key));
    BOOST_TEST(RouterIdentity::from_bytes(keys.identity().bytes()).has_value());
    BOOST_TEST(keys.check_crypto_key().has_value());
    BOOST_TEST(keys.check_signing_key().has_value());
    const auto file = keys.serialize();
    BOOST_TEST(file.size() == 455u);
    const auto back = PrivateKeys::parse(file);
    BOOST_REQUIRE(back);
    BOOST_TEST(back->serialize() == file);
}

BOOST_AUTO_TEST_CASE(generates_destination_keys_for_ed25519_and_reddsa)
{
    crypto::DeterministicRng rng(12);
    for (const auto type :
         {crypto::SigType::eddsa_sha512_ed25519, crypto::SigType::redsa_sha512_ed25519}) {
        const auto keys = PrivateKeys::generate_destination(type, rng);
        BOOST_TEST((keys.identity().sig_type() == type));
        BOOST_TEST(keys.check_crypto_key().has_value());
        BOOST_TEST(keys.check_signing_key().has_value());
        const auto back = PrivateKeys::parse(keys.serialize());
        BOOST_REQUIRE(back);
        BOOST_TEST(back->serialize() == keys.serialize());
    }
}

BOOST_AUTO_TEST_SUITE_END()
