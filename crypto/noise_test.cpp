#include <string>

#include <boost/test/unit_test.hpp>

#include "crypto/hash.h"
#include "crypto/noise.h"
#include "crypto/x25519.h"
#include "tests/support/hex.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s)
{
    return {s.begin(), s.end()};
}

Key32 dh(const X25519Keypair& self, const X25519Public& peer)
{
    Key32 out;
    BOOST_REQUIRE(x25519(self.private_key, peer, out));
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(noise_suite)

BOOST_AUTO_TEST_CASE(long_protocol_name_is_hashed_into_h_and_ck)
{
    // NTCP2's name is longer than 32 bytes (Noise §5.2 InitializeSymmetric).
    const std::string name = "Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256";
    BOOST_REQUIRE(name.size() > 32);
    const SymmetricState s(name);
    BOOST_TEST(to_hex(s.h()) == to_hex(sha256(bytes_of(name))));
    BOOST_TEST(to_hex(s.ck().bytes()) == to_hex(s.h()));
    BOOST_TEST(!s.has_key());
}

BOOST_AUTO_TEST_CASE(short_protocol_name_is_zero_padded)
{
    const std::string name = "Noise_N_25519_ChaChaPoly_SHA256";
    BOOST_REQUIRE(name.size() <= 32);
    const SymmetricState s(name);
    auto expected = bytes_of(name);
    expected.resize(32, 0);
    BOOST_TEST(to_hex(s.h()) == to_hex(expected));
}

BOOST_AUTO_TEST_CASE(hkdf2_follows_noise_section_4_3)
{
    const std::vector<std::uint8_t> ck(32, 0x11);
    const std::vector<std::uint8_t> ikm(32, 0x22);
    const auto [k1, k2] = noise_hkdf2(ck, ikm);
    const auto temp = hmac_sha256(ck, ikm);
    const auto out1 = hmac_sha256(temp, std::vector<std::uint8_t>{0x01});
    std::vector<std::uint8_t> in2(out1.begin(), out1.end());
    in2.push_back(0x02);
    const auto out2 = hmac_sha256(temp, in2);
    BOOST_TEST(to_hex(k1.bytes()) == to_hex(out1));
    BOOST_TEST(to_hex(k2.bytes()) == to_hex(out2));
}

BOOST_AUTO_TEST_CASE(two_party_handshake_transcript_agrees)
{
    // An XK-shaped exchange: -> e, es; <- e, ee; -> s, se; then Split.
    DeterministicRng rng(42);
    const auto is = X25519Keypair::generate(rng);
    const auto rs = X25519Keypair::generate(rng);
    const auto ie = X25519Keypair::generate(rng);
    const auto re = X25519Keypair::generate(rng);
    const std::string name = "Noise_XK_25519_ChaChaPoly_SHA256";
    SymmetricState a(name);
    SymmetricState b(name);
    for (SymmetricState* s : {&a, &b}) {
        s->mix_hash(bytes_of("prologue"));
        s->mix_hash(rs.public_key);
    }
    // Message 1.
    a.mix_hash(ie.public_key);
    a.mix_key(dh(ie, rs.public_key).bytes());
    const auto m1 = a.encrypt_and_hash(bytes_of("hello"));
    b.mix_hash(ie.public_key);
    b.mix_key(dh(rs, ie.public_key).bytes());
    const auto p1 = b.decrypt_and_hash(m1);
    BOOST_REQUIRE(p1.has_value());
    BOOST_TEST(to_hex(*p1) == to_hex(bytes_of("hello")));
    // Message 2.
    b.mix_hash(re.public_key);
    b.mix_key(dh(re, ie.public_key).bytes());
    const auto m2 = b.encrypt_and_hash({});
    a.mix_hash(re.public_key);
    a.mix_key(dh(ie, re.public_key).bytes());
    BOOST_TEST(a.decrypt_and_hash(m2).has_value());
    // Message 3: the static key is encrypted, then se.
    const auto m3 = a.encrypt_and_hash(is.public_key);
    a.mix_key(dh(is, re.public_key).bytes());
    const auto s_plain = b.decrypt_and_hash(m3);
    BOOST_REQUIRE(s_plain.has_value());
    BOOST_TEST(to_hex(*s_plain) == to_hex(is.public_key));
    X25519Public is_pub{};
    std::copy(s_plain->begin(), s_plain->end(), is_pub.begin());
    b.mix_key(dh(re, is_pub).bytes());

    BOOST_TEST(to_hex(a.h()) == to_hex(b.h()));
    BOOST_TEST(to_hex(a.ck().bytes()) == to_hex(b.ck().bytes()));
    const auto [a1, a2] = a.split();
    const auto [b1, b2] = b.split();
    BOOST_TEST(to_hex(a1.bytes()) == to_hex(b1.bytes()));
    BOOST_TEST(to_hex(a2.bytes()) == to_hex(b2.bytes()));
    BOOST_TEST(to_hex(a1.bytes()) != to_hex(a2.bytes()));
}

BOOST_AUTO_TEST_CASE(plaintext_passes_through_before_first_mix_key)
{
    SymmetricState a("Noise_N_25519_ChaChaPoly_SHA256");
    const auto out = a.encrypt_and_hash(bytes_of("abc"));
    BOOST_TEST(to_hex(out) == to_hex(bytes_of("abc")));
    BOOST_TEST(a.nonce() == 0u);
}

BOOST_AUTO_TEST_CASE(rejects_tampered_ciphertext_without_changing_state)
{
    SymmetricState a("Noise_N_25519_ChaChaPoly_SHA256");
    SymmetricState b("Noise_N_25519_ChaChaPoly_SHA256");
    const std::vector<std::uint8_t> ikm(32, 9);
    a.mix_key(ikm);
    b.mix_key(ikm);
    auto ct = a.encrypt_and_hash(bytes_of("payload"));
    BOOST_TEST(a.nonce() == 1u);
    ct[0] ^= 0x01;
    const Hash32 h_before = b.h();
    BOOST_TEST(!b.decrypt_and_hash(ct).has_value());
    BOOST_TEST(to_hex(b.h()) == to_hex(h_before));
    BOOST_TEST(b.nonce() == 0u);
    BOOST_TEST(!b.decrypt_and_hash(std::vector<std::uint8_t>(15, 0)).has_value());
    ct[0] ^= 0x01;
    BOOST_TEST(b.decrypt_and_hash(ct).has_value());
    BOOST_TEST(b.nonce() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
