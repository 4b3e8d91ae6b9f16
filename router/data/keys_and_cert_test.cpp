#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "router/data/keys_and_cert.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

std::vector<std::uint8_t> identity_part(const std::vector<std::uint8_t>& file)
{
    ByteReader r(file);
    auto k = KeysAndCert::parse(r);
    BOOST_REQUIRE(k);
    return {k->bytes().begin(), k->bytes().end()};
}

std::vector<std::uint8_t> random_bytes(crypto::Rng& rng, std::size_t n)
{
    std::vector<std::uint8_t> b(n);
    rng.fill(b);
    return b;
}

const std::vector<std::uint16_t> all_sig_types = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11};

} // namespace

BOOST_AUTO_TEST_SUITE(keys_and_cert)

BOOST_AUTO_TEST_CASE(parses_every_i2pd_destination_and_reproduces_its_bytes)
{
    for (const int sig : destination_fixture_sig_types) {
        BOOST_TEST_CONTEXT("dest-sig" << sig)
        {
            const auto file = fixture("dest-sig" + std::to_string(sig) + ".dat");
            ByteReader r(file);
            const auto d = Destination::parse(r);
            BOOST_REQUIRE(d);
            BOOST_TEST(int(d->sig_type()) == sig);
            BOOST_TEST(d->crypto_type() == 0);
            BOOST_TEST(d->crypto_public_key().size() == 256u);
            BOOST_TEST(d->signing_public_key().size() ==
                       crypto::sig_type_info(std::uint16_t(sig))->public_key_size);
            ByteWriter w;
            d->write(w);
            BOOST_TEST(w.take() == identity_part(file));
            BOOST_TEST((d->ident_hash().bytes() == crypto::sha256(d->bytes())));
        }
    }
}

BOOST_AUTO_TEST_CASE(joins_p521_signing_key_from_slot_and_certificate)
{
    const auto file = fixture("dest-sig3.dat");
    ByteReader r(file);
    const auto d = Destination::parse(r);
    BOOST_REQUIRE(d);
    const Bytes key = d->signing_public_key();
    BOOST_REQUIRE(key.size() == 132u);
    BOOST_TEST(std::equal(key.begin(), key.begin() + 128, file.begin() + 256));
    BOOST_TEST(std::equal(key.begin() + 128, key.end(), file.begin() + 384 + 7));
}

BOOST_AUTO_TEST_CASE(parses_i2pd_router_identities)
{
    for (const auto& name : router_fixtures) {
        const auto file = fixture(name + ".keys");
        ByteReader r(file);
        const auto id = RouterIdentity::parse(r);
        BOOST_REQUIRE(id);
        BOOST_TEST(id->size() == 391u);
        BOOST_TEST(int(id->sig_type()) == 7);
        BOOST_TEST(id->crypto_type() == 4);
        BOOST_TEST(id->crypto_public_key().size() == 32u);
        BOOST_TEST(std::equal(id->signing_public_key().begin(), id->signing_public_key().end(),
                              file.begin() + 352));
    }
}

BOOST_AUTO_TEST_CASE(computes_b32_address_of_i2pd_destination)
{
    const auto file = fixture("dest-sig7.dat");
    ByteReader r(file);
    const auto d = Destination::parse(r);
    BOOST_REQUIRE(d);
    // base32 of SHA-256 over the 391 identity bytes, computed independently.
    BOOST_TEST(b32_address(*d) == "wwxgg5sz3l6nqfp4f66cvubzswcy5dleqjz5zk2a7ctx45qeemiq.b32.i2p");
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    for (const int sig : {0, 3, 7}) {
        const auto id = identity_part(fixture("dest-sig" + std::to_string(sig) + ".dat"));
        for (std::size_t n = 0; n < id.size(); ++n) {
            const auto r = KeysAndCert::from_bytes(Bytes(id).first(n));
            BOOST_TEST(fails_with(r, Errc::truncated), "sig " << sig << " length " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_trailing_byte_in_from_bytes)
{
    auto id = identity_part(fixture("dest-sig7.dat"));
    id.push_back(0);
    BOOST_TEST(fails_with(KeysAndCert::from_bytes(id), Errc::trailing_data));
}

BOOST_AUTO_TEST_CASE(creates_identity_for_every_sig_type_and_crypto_type)
{
    crypto::DeterministicRng rng(1);
    for (const std::uint16_t crypto_type : {std::uint16_t(0), std::uint16_t(4)}) {
        for (const auto sig : all_sig_types) {
            BOOST_TEST_CONTEXT("crypto " << crypto_type << " sig " << sig)
            {
                const auto ck = random_bytes(rng, *crypto_public_key_size(crypto_type));
                const auto sk = random_bytes(rng, crypto::sig_type_info(sig)->public_key_size);
                const auto k = KeysAndCert::create(crypto_type, ck, crypto::SigType(sig), sk, rng);
                BOOST_REQUIRE(k);
                BOOST_TEST(std::vector<std::uint8_t>(k->crypto_public_key().begin(),
                                                     k->crypto_public_key().end()) == ck);
                BOOST_TEST(std::vector<std::uint8_t>(k->signing_public_key().begin(),
                                                     k->signing_public_key().end()) == sk);
                const bool legacy = sig == 0 && crypto_type == 0;
                BOOST_TEST(int(k->certificate().type()) ==
                           int(legacy ? CertType::null : CertType::key));
                BOOST_TEST(k->size() ==
                           387 + (legacy ? 0 : 4 + (sk.size() > 128 ? sk.size() - 128 : 0)));
                const auto back = KeysAndCert::from_bytes(k->bytes());
                BOOST_REQUIRE(back);
                BOOST_TEST((*back == *k));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(created_router_identity_has_compressible_padding)
{
    crypto::DeterministicRng rng(2);
    const auto x = random_bytes(rng, 32);
    const auto e = random_bytes(rng, 32);
    const auto id = RouterIdentity::create(x, e, rng);
    BOOST_REQUIRE(id);
    const Bytes b = id->bytes();
    // Proposal 161: X25519 + Ed25519 leaves 320 bytes, ten copies of one random 32-byte block.
    for (std::size_t i = 64; i < 352; ++i) {
        BOOST_TEST(b[i] == b[32 + (i - 32) % 32]);
    }
    BOOST_TEST(!std::all_of(b.begin() + 32, b.begin() + 64, [](auto v) { return v == 0; }));
}

BOOST_AUTO_TEST_CASE(padding_differs_between_identities_with_the_same_keys)
{
    crypto::DeterministicRng rng(3);
    const auto x = random_bytes(rng, 32);
    const auto e = random_bytes(rng, 32);
    const auto a = RouterIdentity::create(x, e, rng);
    const auto b = RouterIdentity::create(x, e, rng);
    BOOST_REQUIRE(a);
    BOOST_REQUIRE(b);
    BOOST_TEST((a->ident_hash() != b->ident_hash()));
}

BOOST_AUTO_TEST_CASE(create_rejects_key_of_wrong_size)
{
    crypto::DeterministicRng rng(4);
    const auto k31 = random_bytes(rng, 31);
    const auto k32 = random_bytes(rng, 32);
    BOOST_TEST(
        fails_with(KeysAndCert::create(4, k31, crypto::SigType::eddsa_sha512_ed25519, k32, rng),
                   Errc::invalid_value));
    BOOST_TEST(
        fails_with(KeysAndCert::create(4, k32, crypto::SigType::eddsa_sha512_ed25519, k31, rng),
                   Errc::invalid_value));
    BOOST_TEST(
        fails_with(KeysAndCert::create(1, k32, crypto::SigType::eddsa_sha512_ed25519, k32, rng),
                   Errc::unsupported));
}

BOOST_AUTO_TEST_CASE(router_identity_rejects_sig_types_never_used_for_routers)
{
    crypto::DeterministicRng rng(5);
    for (const std::uint16_t sig : {4, 5, 6, 8, 11}) {
        const auto ck = random_bytes(rng, 32);
        const auto sk = random_bytes(rng, crypto::sig_type_info(sig)->public_key_size);
        const auto k = KeysAndCert::create(4, ck, crypto::SigType(sig), sk, rng);
        BOOST_REQUIRE(k);
        BOOST_TEST(fails_with(RouterIdentity::from_bytes(k->bytes()), Errc::unsupported));
        BOOST_TEST(Destination::from_bytes(k->bytes()).has_value());
    }
}

BOOST_AUTO_TEST_CASE(verifies_signature_by_its_signing_key)
{
    crypto::DeterministicRng rng(6);
    for (const auto type :
         {crypto::SigType::eddsa_sha512_ed25519, crypto::SigType::redsa_sha512_ed25519}) {
        const auto signer = crypto::SigningKey::generate(type, rng);
        const auto k =
            KeysAndCert::create(4, random_bytes(rng, 32), type, signer.public_key(), rng);
        BOOST_REQUIRE(k);
        const std::vector<std::uint8_t> msg = {1, 2, 3};
        const auto sig = signer.sign(msg, rng);
        BOOST_TEST(k->verify(msg, sig));
        BOOST_TEST(k->signing_key_matches(signer));
        BOOST_TEST(!k->verify(std::vector<std::uint8_t>{1, 2, 4}, sig));
    }
}

BOOST_AUTO_TEST_SUITE_END()
