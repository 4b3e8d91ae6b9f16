#include "crypto/verify.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/dsa.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

using detail::FreeWith;
using detail::ptr_or_empty;
using Bignum = std::unique_ptr<BIGNUM, FreeWith<BN_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, FreeWith<EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, FreeWith<EVP_PKEY_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX_free>>;
using ParamBld = std::unique_ptr<OSSL_PARAM_BLD, FreeWith<OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, FreeWith<OSSL_PARAM_free>>;

// A big-endian unsigned integer (leading zeros allowed).
Bignum bn_from(Bytes b)
{
    Bignum n(BN_bin2bn(ptr_or_empty(b), static_cast<int>(b.size()), nullptr));
    detail::check(n != nullptr, "out of memory");
    return n;
}

// A constant from a spec; aborts on a typo.
Bignum bn_from_hex(const char* hex)
{
    BIGNUM* n = nullptr;
    detail::check(BN_hex2bn(&n, hex) != 0, "bad built-in constant");
    return Bignum(n);
}

bool digest_verify(EVP_PKEY* key, const EVP_MD* md, Bytes message, Bytes signature)
{
    const MdCtx ctx(EVP_MD_CTX_new());
    return ctx != nullptr && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
           EVP_DigestVerify(ctx.get(), ptr_or_empty(signature), signature.size(),
                            ptr_or_empty(message), message.size()) == 1;
}

// Builds a public key of key_type ("EC", "DSA", "RSA") from the parameters in bld.
Pkey public_key_from(const char* key_type, OSSL_PARAM_BLD* bld)
{
    const Params params(OSSL_PARAM_BLD_to_param(bld));
    const PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr));
    EVP_PKEY* key = nullptr;
    if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return nullptr;
    }
    return Pkey(key);
}

// DER SEQUENCE { r, s } from two big-endian halves, via the ECDSA or DSA signature object.
template <typename Sig, Sig* (*New)(), void (*Free)(Sig*), int (*Set0)(Sig*, BIGNUM*, BIGNUM*),
          int (*ToDer)(const Sig*, unsigned char**)>
std::vector<std::uint8_t> der_signature(Bytes r, Bytes s)
{
    const std::unique_ptr<Sig, FreeWith<Free>> sig(New());
    Bignum br = bn_from(r);
    Bignum bs = bn_from(s);
    detail::check(sig != nullptr && Set0(sig.get(), br.get(), bs.get()) == 1, "out of memory");
    (void)br.release(); // owned by sig now
    (void)bs.release();
    const int len = ToDer(sig.get(), nullptr);
    detail::check(len > 0, "signature DER encoding failed");
    std::vector<std::uint8_t> der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    detail::check(ToDer(sig.get(), &p) == len, "signature DER encoding failed");
    return der;
}

struct CurveInfo {
    const char* group;
    std::size_t coordinate_size;
    const EVP_MD* md;
};

CurveInfo curve_info(EcdsaCurve curve)
{
    switch (curve) {
    case EcdsaCurve::p256:
        return {SN_X9_62_prime256v1, 32, EVP_sha256()};
    case EcdsaCurve::p384:
        return {SN_secp384r1, 48, EVP_sha384()};
    case EcdsaCurve::p521:
        return {SN_secp521r1, 66, EVP_sha512()};
    }
    detail::fail("unknown ECDSA curve");
}

const EVP_MD* rsa_md(RsaHash hash)
{
    switch (hash) {
    case RsaHash::sha256:
        return EVP_sha256();
    case RsaHash::sha384:
        return EVP_sha384();
    case RsaHash::sha512:
        return EVP_sha512();
    }
    detail::fail("unknown RSA hash");
}

// cryptography.rst, "DSA": I2P's fixed 1024-bit group.
constexpr const char* dsa_p_hex = "9C05B2AA960D9B97B8931963C9CC9E8C3026E9B8ED92FAD0"
                                  "A69CC886D5BF8015FCADAE31A0AD18FAB3F01B00A358DE23"
                                  "7655C4964AFAA2B337E96AD316B9FB1CC564B5AEC5B69A9F"
                                  "F6C3E4548707FEF8503D91DD8602E867E6D35D2235C1869C"
                                  "E2479C3B9D5401DE04E0727FB33D6511285D4CF29538D9E3"
                                  "B6051F5B22CC1C93";
constexpr const char* dsa_q_hex = "A5DFC28FEF4CA1E286744CD8EED9D29D684046B7";
constexpr const char* dsa_g_hex = "0C1F4D27D40093B429E962D7223824E0BBC47E7C832A3923"
                                  "6FC683AF84889581075FF9082ED32353D4374D7301CDA1D2"
                                  "3C431F4698599DDA02451824FF369752593647CC3DDC197D"
                                  "E985E43D136CDCFC6BD5409CD2F450821142A5E6F8EB1C3A"
                                  "B5D0484B8129FCF17BCE4F7F33321C3CB3DBB14A905E7B2B"
                                  "3E93BE4708CBCC82";

} // namespace

bool ecdsa_verify(EcdsaCurve curve, Bytes public_xy, Bytes message, Bytes signature)
{
    const CurveInfo info = curve_info(curve);
    if (public_xy.size() != 2 * info.coordinate_size ||
        signature.size() != 2 * info.coordinate_size) {
        return false;
    }
    // SEC 1 §2.3.3 uncompressed point: 0x04 || x || y.
    std::vector<std::uint8_t> point(1 + public_xy.size());
    point[0] = 0x04;
    std::copy(public_xy.begin(), public_xy.end(), point.begin() + 1);
    const ParamBld bld(OSSL_PARAM_BLD_new());
    if (bld == nullptr ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, info.group, 0) !=
            1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
        return false;
    }
    const Pkey key = public_key_from("EC", bld.get());
    if (key == nullptr) {
        return false; // not a point on the curve
    }
    const auto der =
        der_signature<ECDSA_SIG, ECDSA_SIG_new, ECDSA_SIG_free, ECDSA_SIG_set0, i2d_ECDSA_SIG>(
            signature.first(info.coordinate_size), signature.subspan(info.coordinate_size));
    return digest_verify(key.get(), info.md, message, der);
}

bool dsa_sha1_verify(Bytes public128, Bytes message, Bytes signature40)
{
    if (public128.size() != 128 || signature40.size() != 40) {
        return false;
    }
    const Bignum p = bn_from_hex(dsa_p_hex);
    const Bignum q = bn_from_hex(dsa_q_hex);
    const Bignum g = bn_from_hex(dsa_g_hex);
    const Bignum y = bn_from(public128);
    const ParamBld bld(OSSL_PARAM_BLD_new());
    if (bld == nullptr || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_P, p.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_Q, q.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_FFC_G, g.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, y.get()) != 1) {
        return false;
    }
    const Pkey key = public_key_from("DSA", bld.get());
    if (key == nullptr) {
        return false;
    }
    const auto der = der_signature<DSA_SIG, DSA_SIG_new, DSA_SIG_free, DSA_SIG_set0, i2d_DSA_SIG>(
        signature40.first(20), signature40.subspan(20));
    return digest_verify(key.get(), EVP_sha1(), message, der);
}

bool rsa_verify(RsaHash hash, Bytes modulus, Bytes message, Bytes signature)
{
    if (modulus.empty() || modulus[0] == 0 || signature.size() != modulus.size()) {
        return false;
    }
    const Bignum n = bn_from(modulus);
    const Bignum e = bn_from_hex("10001");
    const ParamBld bld(OSSL_PARAM_BLD_new());
    if (bld == nullptr || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
        return false;
    }
    const Pkey key = public_key_from("RSA", bld.get());
    // EVP's default RSA padding is PKCS#1 v1.5 (RFC 8017 §8.2).
    return key != nullptr && digest_verify(key.get(), rsa_md(hash), message, signature);
}

bool rsa_verify_with_certificate(RsaHash hash, std::string_view pem_certificate, Bytes message,
                                 Bytes signature)
{
    if (pem_certificate.size() > static_cast<std::size_t>(INT32_MAX)) {
        return false;
    }
    const std::unique_ptr<BIO, FreeWith<BIO_free_all>> bio(
        BIO_new_mem_buf(pem_certificate.data(), static_cast<int>(pem_certificate.size())));
    if (bio == nullptr) {
        return false;
    }
    const std::unique_ptr<X509, FreeWith<X509_free>> cert(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert == nullptr) {
        return false;
    }
    EVP_PKEY* key = X509_get0_pubkey(cert.get()); // owned by cert
    return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1 &&
           digest_verify(key, rsa_md(hash), message, signature);
}

} // namespace umbra::crypto
