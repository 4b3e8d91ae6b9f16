#include <string>

#include <boost/test/unit_test.hpp>

#include "crypto/signature.h"
#include "crypto/verify.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;

namespace {

EcdsaCurve curve_of(const std::string& name)
{
    if (name == "p256") {
        return EcdsaCurve::p256;
    }
    return name == "p384" ? EcdsaCurve::p384 : EcdsaCurve::p521;
}

RsaHash hash_of(const std::string& name)
{
    if (name == "sha256") {
        return RsaHash::sha256;
    }
    return name == "sha384" ? RsaHash::sha384 : RsaHash::sha512;
}

std::string read_text(const std::string& path)
{
    const auto b = umbra::test::read_file(path);
    return {b.begin(), b.end()};
}

// Runs check(message, signature) on the vector and on copies with one flipped bit.
template <typename Check> void check_with_flips(const umbra::test::Vector& v, Check check)
{
    auto msg = v.bytes("MESSAGE");
    auto sig = v.bytes("SIGNATURE");
    BOOST_TEST(check(msg, sig), "line " << v.line);
    msg[msg.size() / 2] ^= 0x01;
    BOOST_TEST(!check(msg, sig), "flipped message bit accepted, line " << v.line);
    msg[msg.size() / 2] ^= 0x01;
    for (std::size_t pos : {std::size_t{0}, sig.size() - 1}) {
        sig[pos] ^= 0x10;
        BOOST_TEST(!check(msg, sig), "flipped signature bit accepted, line " << v.line);
        sig[pos] ^= 0x10;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(verify_suite)

BOOST_AUTO_TEST_CASE(verifies_openssl_ecdsa_fixtures)
{
    const auto vectors = umbra::test::load_vectors("ecdsa.txt");
    BOOST_TEST(vectors.size() == 6u);
    for (const auto& v : vectors) {
        const auto curve = curve_of(v.str("CURVE"));
        const auto pub = v.bytes("PUBLIC");
        check_with_flips(
            v, [&](const auto& m, const auto& s) { return ecdsa_verify(curve, pub, m, s); });
    }
}

BOOST_AUTO_TEST_CASE(ecdsa_rejects_point_off_the_curve_and_wrong_sizes)
{
    const auto v = umbra::test::load_vectors("ecdsa.txt").at(0);
    auto pub = v.bytes("PUBLIC");
    pub[63] ^= 0x01; // y changed: no longer on the curve
    BOOST_TEST(!ecdsa_verify(EcdsaCurve::p256, pub, v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    BOOST_TEST(!ecdsa_verify(EcdsaCurve::p384, v.bytes("PUBLIC"), v.bytes("MESSAGE"),
                             v.bytes("SIGNATURE")));
    std::vector<std::uint8_t> zeros(64, 0);
    BOOST_TEST(!ecdsa_verify(EcdsaCurve::p256, v.bytes("PUBLIC"), v.bytes("MESSAGE"), zeros));
}

BOOST_AUTO_TEST_CASE(verifies_openssl_rsa_fixtures)
{
    const auto vectors = umbra::test::load_vectors("rsa.txt");
    BOOST_TEST(vectors.size() == 3u);
    for (const auto& v : vectors) {
        const auto hash = hash_of(v.str("HASH"));
        const auto modulus = v.bytes("MODULUS");
        check_with_flips(
            v, [&](const auto& m, const auto& s) { return rsa_verify(hash, modulus, m, s); });
        const auto other = hash == RsaHash::sha256 ? RsaHash::sha512 : RsaHash::sha256;
        BOOST_TEST(!rsa_verify(other, modulus, v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    }
}

BOOST_AUTO_TEST_CASE(verifies_rsa_with_pem_certificate)
{
    for (const auto& v : umbra::test::load_vectors("rsa.txt")) {
        if (!v.has("CERT")) {
            continue;
        }
        const std::string pem = read_text("tests/vectors/" + v.str("CERT"));
        const auto hash = hash_of(v.str("HASH"));
        check_with_flips(v, [&](const auto& m, const auto& s) {
            return rsa_verify_with_certificate(hash, pem, m, s);
        });
        BOOST_TEST(!rsa_verify_with_certificate(hash, "not a certificate", v.bytes("MESSAGE"),
                                                v.bytes("SIGNATURE")));
        const std::string ec_pem = read_text("tests/vectors/ec_cert.pem");
        BOOST_TEST(
            !rsa_verify_with_certificate(hash, ec_pem, v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    }
}

BOOST_AUTO_TEST_CASE(verifies_openssl_dsa_fixtures_with_i2p_group)
{
    const auto vectors = umbra::test::load_vectors("dsa.txt");
    BOOST_TEST(vectors.size() == 4u);
    for (const auto& v : vectors) {
        const auto pub = v.bytes("PUBLIC");
        check_with_flips(v,
                         [&](const auto& m, const auto& s) { return dsa_sha1_verify(pub, m, s); });
    }
    const auto v = vectors.at(0);
    auto other_key = umbra::test::load_vectors("dsa.txt").at(2).bytes("PUBLIC");
    BOOST_TEST(!dsa_sha1_verify(other_key, v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    BOOST_TEST(
        !dsa_sha1_verify(v.bytes("PUBLIC"), v.bytes("MESSAGE"), std::vector<std::uint8_t>(40, 0)));
}

BOOST_AUTO_TEST_CASE(dispatches_every_legacy_type_by_sig_type)
{
    for (const auto& v : umbra::test::load_vectors("dsa.txt")) {
        BOOST_TEST(verify_signature(SigType::dsa_sha1, v.bytes("PUBLIC"), v.bytes("MESSAGE"),
                                    v.bytes("SIGNATURE")));
    }
    for (const auto& v : umbra::test::load_vectors("ecdsa.txt")) {
        const auto c = v.str("CURVE");
        const SigType t = c == "p256"   ? SigType::ecdsa_sha256_p256
                          : c == "p384" ? SigType::ecdsa_sha384_p384
                                        : SigType::ecdsa_sha512_p521;
        BOOST_TEST(
            verify_signature(t, v.bytes("PUBLIC"), v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    }
    for (const auto& v : umbra::test::load_vectors("rsa.txt")) {
        const auto h = v.str("HASH");
        const SigType t = h == "sha256"   ? SigType::rsa_sha256_2048
                          : h == "sha384" ? SigType::rsa_sha384_3072
                                          : SigType::rsa_sha512_4096;
        BOOST_TEST(
            verify_signature(t, v.bytes("MODULUS"), v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
        // The same key under a type with another size is refused by length.
        BOOST_TEST(!verify_signature(t == SigType::rsa_sha256_2048 ? SigType::rsa_sha384_3072
                                                                   : SigType::rsa_sha256_2048,
                                     v.bytes("MODULUS"), v.bytes("MESSAGE"), v.bytes("SIGNATURE")));
    }
}

BOOST_AUTO_TEST_SUITE_END()
