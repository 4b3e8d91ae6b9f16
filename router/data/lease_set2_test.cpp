#include <algorithm>

#include <boost/test/unit_test.hpp>

#include "router/data/lease_set2.h"
#include "router/data/testing.h"

using namespace umbra;
using namespace umbra::data;
using namespace umbra::data::testing;

namespace {

std::vector<Lease2> make_leases(crypto::Rng& rng, std::size_t n)
{
    std::vector<Lease2> leases;
    for (std::size_t i = 0; i < n; ++i) {
        std::array<std::uint8_t, 32> gw;
        rng.fill(gw);
        leases.push_back({IdentHash(gw), TunnelId(std::uint32_t(7 + i)),
                          std::uint32_t(ls2_published + 600 - i)});
    }
    return leases;
}

EncryptionKey random_key(std::uint16_t type, std::size_t size, crypto::Rng& rng)
{
    EncryptionKey k{type, std::vector<std::uint8_t>(size)};
    rng.fill(k.key);
    return k;
}

LeaseSet2Content make_content(const TestDestination& d, const crypto::SigningKey* transient,
                              crypto::Rng& rng, std::size_t leases = 2)
{
    LeaseSet2Content c{make_ls2_header(d, transient, rng), {}, {}, make_leases(rng, leases)};
    BOOST_REQUIRE(c.options.set("_smtp._tcp", "0 86400 25"));
    c.encryption_keys.push_back(random_key(4, 32, rng));
    c.encryption_keys.push_back(random_key(0, 256, rng));
    return c;
}

std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

} // namespace

BOOST_AUTO_TEST_SUITE(lease_set2)

BOOST_AUTO_TEST_CASE(builds_signs_and_round_trips_with_and_without_offline_keys)
{
    crypto::DeterministicRng rng(40);
    for (const auto type : our_sig_types) {
        for (const bool offline : {false, true}) {
            BOOST_TEST_CONTEXT("sig " << int(type) << " offline " << offline)
            {
                const auto d = make_destination(type, rng);
                const auto transient =
                    crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
                const auto content = make_content(d, offline ? &transient : nullptr, rng);
                const auto ls = LeaseSet2::create(content, offline ? transient : d.signer, rng);
                BOOST_REQUIRE(ls);
                BOOST_TEST(ls->verify().has_value());
                BOOST_TEST(ls->validate(ls2_now).has_value());
                const auto back = LeaseSet2::parse(ls->bytes());
                BOOST_REQUIRE(back);
                BOOST_TEST(back->verify().has_value());
                BOOST_TEST((back->content() == content));
                BOOST_TEST(to_vector(back->bytes()) == to_vector(ls->bytes()));
                BOOST_TEST(back->content().header.offline.has_value() == offline);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(signature_covers_the_database_store_type_byte)
{
    crypto::DeterministicRng rng(41);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = LeaseSet2::create(make_content(d, nullptr, rng), d.signer, rng);
    BOOST_REQUIRE(ls);
    const auto message = ls->signed_message();
    BOOST_TEST(message[0] == 3);
    const Bytes content = Bytes(message).subspan(1);
    BOOST_TEST(to_vector(content) == to_vector(ls->bytes().first(content.size())));
    const auto key = d.destination.signing_public_key();
    BOOST_TEST(crypto::verify_signature(d.destination.sig_type(), key, message, ls->signature()));
    BOOST_TEST(!crypto::verify_signature(d.destination.sig_type(), key, content, ls->signature()));
    auto as_meta = message;
    as_meta[0] = 7;
    BOOST_TEST(!crypto::verify_signature(d.destination.sig_type(), key, as_meta, ls->signature()));
}

BOOST_AUTO_TEST_CASE(tampered_lease_set2_fails_verification)
{
    crypto::DeterministicRng rng(42);
    for (const bool offline : {false, true}) {
        const auto d = make_destination(crypto::SigType::redsa_sha512_ed25519, rng);
        const auto transient =
            crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
        const auto ls = LeaseSet2::create(make_content(d, offline ? &transient : nullptr, rng),
                                          offline ? transient : d.signer, rng);
        BOOST_REQUIRE(ls);
        const auto bytes = to_vector(ls->bytes());
        for (std::size_t bit = 0; bit < bytes.size() * 8; bit += 11) {
            const auto r = LeaseSet2::parse(flip_bit(bytes, bit));
            BOOST_TEST((!r || !r->verify()), "offline " << offline << " bit " << bit);
        }
    }
}

BOOST_AUTO_TEST_CASE(offline_block_not_signed_by_the_destination_fails)
{
    crypto::DeterministicRng rng(43);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto impostor = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto transient = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto content = make_content(d, &transient, rng);
    content.header.offline =
        OfflineSignature::create(ls2_published + 100, transient, impostor.signer, rng);
    const auto ls = LeaseSet2::create(content, transient, rng);
    BOOST_REQUIRE(ls);
    BOOST_TEST(fails_with(ls->verify(), Errc::bad_signature));
}

BOOST_AUTO_TEST_CASE(create_requires_the_transient_key_when_offline_signed)
{
    crypto::DeterministicRng rng(44);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto transient = crypto::SigningKey::generate(crypto::SigType::redsa_sha512_ed25519, rng);
    BOOST_TEST(fails_with(LeaseSet2::create(make_content(d, &transient, rng), d.signer, rng),
                          Errc::invalid_value));
    BOOST_TEST(fails_with(LeaseSet2::create(make_content(d, nullptr, rng), transient, rng),
                          Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(validate_checks_offline_expiry_published_and_expires)
{
    crypto::DeterministicRng rng(45);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto transient = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = LeaseSet2::create(make_content(d, &transient, rng), transient, rng);
    BOOST_REQUIRE(ls);
    const std::int64_t published_ms = std::int64_t(ls2_published) * 1000;
    BOOST_TEST(ls->validate(WallTime{published_ms + 600'000}).has_value());
    BOOST_TEST(fails_with(ls->validate(WallTime{published_ms + 601'000}), Errc::expired));
    BOOST_TEST(ls->validate(WallTime{published_ms - 120'000}).has_value());
    BOOST_TEST(fails_with(ls->validate(WallTime{published_ms - 121'000}), Errc::expired));

    auto content = make_content(d, &transient, rng);
    content.header.offline = OfflineSignature::create(ls2_published, transient, d.signer, rng);
    const auto short_lived = LeaseSet2::create(content, transient, rng);
    BOOST_REQUIRE(short_lived);
    BOOST_TEST(short_lived->verify().has_value());
    BOOST_TEST(fails_with(short_lived->validate(ls2_now), Errc::expired));
}

BOOST_AUTO_TEST_CASE(keeps_reserved_flags_and_unknown_key_types)
{
    crypto::DeterministicRng rng(46);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto content = make_content(d, nullptr, rng);
    content.header.flags = LeaseSet2Header::flag_unpublished | LeaseSet2Header::flag_blinded;
    content.encryption_keys.push_back(random_key(0x1234, 77, rng));
    const auto ls = LeaseSet2::create(content, d.signer, rng);
    BOOST_REQUIRE(ls);
    const auto back = LeaseSet2::parse(ls->bytes());
    BOOST_REQUIRE(back);
    BOOST_TEST(back->content().header.flags == 6);
    BOOST_TEST(back->content().encryption_keys.back().key.size() == 77u);
    BOOST_TEST(back->verify().has_value());
}

BOOST_AUTO_TEST_CASE(rejects_key_length_that_does_not_match_a_known_type)
{
    crypto::DeterministicRng rng(47);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto content = make_content(d, nullptr, rng);
    content.encryption_keys[0] = random_key(4, 33, rng);
    BOOST_TEST(fails_with(LeaseSet2::create(content, d.signer, rng), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(enforces_key_and_lease_counts)
{
    crypto::DeterministicRng rng(48);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto no_keys = make_content(d, nullptr, rng);
    no_keys.encryption_keys.clear();
    BOOST_TEST(fails_with(LeaseSet2::create(no_keys, d.signer, rng), Errc::invalid_value));
    auto many_keys = make_content(d, nullptr, rng);
    many_keys.encryption_keys.resize(max_encryption_keys + 1, random_key(4, 32, rng));
    BOOST_TEST(fails_with(LeaseSet2::create(many_keys, d.signer, rng), Errc::too_large));
    BOOST_TEST(LeaseSet2::create(make_content(d, nullptr, rng, 16), d.signer, rng).has_value());
    BOOST_TEST(LeaseSet2::create(make_content(d, nullptr, rng, 0), d.signer, rng).has_value());
    BOOST_TEST(fails_with(LeaseSet2::create(make_content(d, nullptr, rng, 17), d.signer, rng),
                          Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_unsorted_options)
{
    crypto::DeterministicRng rng(49);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto content = make_content(d, nullptr, rng);
    BOOST_REQUIRE(content.options.set("_smtp._udp", "0 86400 25"));
    const auto ls = LeaseSet2::create(content, d.signer, rng);
    BOOST_REQUIRE(ls);
    auto bytes = to_vector(ls->bytes());
    const std::string key = "_smtp._udp";
    auto at = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
    BOOST_REQUIRE((at != bytes.end()));
    at[7] = 'a'; // "_smtp._adp" sorts before "_smtp._tcp", which precedes it
    BOOST_TEST(fails_with(LeaseSet2::parse(bytes), Errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(rejects_unknown_transient_sig_type)
{
    crypto::DeterministicRng rng(50);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto transient = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = LeaseSet2::create(make_content(d, &transient, rng), transient, rng);
    BOOST_REQUIRE(ls);
    auto bytes = to_vector(ls->bytes());
    const std::size_t type_at = d.destination.size() + 8 + 4;
    BOOST_REQUIRE(bytes[type_at + 1] == 7);
    bytes[type_at + 1] = 9;
    BOOST_TEST(fails_with(LeaseSet2::parse(bytes), Errc::unsupported));
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    crypto::DeterministicRng rng(51);
    const auto d = make_destination(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto transient = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    const auto ls = LeaseSet2::create(make_content(d, &transient, rng), transient, rng);
    BOOST_REQUIRE(ls);
    for (std::size_t n = 0; n < ls->bytes().size(); ++n) {
        BOOST_TEST(fails_with(LeaseSet2::parse(ls->bytes().first(n)), Errc::truncated), n);
    }
}

BOOST_AUTO_TEST_SUITE_END()
