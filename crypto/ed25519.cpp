// Ed25519 (RFC 8032 §5.1) through libsodium, with OpenSSL's verify kept for the encodings
// libsodium refuses and OpenSSL accepts (below). RedDSA and blinding live in reddsa.cpp.
// libsodium signs and verifies about 2x faster than OpenSSL 3.0 (README.md).
#include "crypto/ed25519.h"

#include <memory>

#include <openssl/evp.h>

#include "crypto/detail.h"
#include "crypto/ed25519_group.h"
#include "crypto/sodium_init.h"

#include <sodium.h>

namespace umbra::crypto {

namespace {

static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_BYTES == 64 &&
              crypto_sign_SEEDBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64);

using detail::ptr_or_empty;
using Pkey = std::unique_ptr<EVP_PKEY, detail::FreeWith<EVP_PKEY_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, detail::FreeWith<EVP_MD_CTX_free>>;
// libsodium's expanded secret key: the seed followed by the public key (RFC 8032 §5.1.5).
using SodiumSecret = SecretArray<64>;

// RFC 8032 §5.1.5: the public key of a seed, and libsodium's signing key.
Ed25519Public expand(Bytes seed32, SodiumSecret& sk)
{
    detail::check(seed32.size() == 32, "Ed25519 private key must be 32 bytes");
    detail::ensure_sodium();
    Ed25519Public pub{};
    detail::check(crypto_sign_seed_keypair(pub.data(), sk.data(), seed32.data()) == 0,
                  "Ed25519 key derivation failed");
    return pub;
}

// RFC 8032 §5.1.6.
Ed25519Signature sign_with(const SodiumSecret& sk, Bytes message)
{
    Ed25519Signature sig{};
    unsigned long long len = 0;
    detail::check(crypto_sign_detached(sig.data(), &len, ptr_or_empty(message), message.size(),
                                       sk.data()) == 0 &&
                      len == sig.size(),
                  "Ed25519 signing failed");
    return sig;
}

// OpenSSL's RFC 8032 §5.1.7 verify: S < L, A decoded leniently (small-order and non-canonical
// encodings accepted), R compared as bytes with the encoding of [S]B - [k]A.
bool openssl_verify(Bytes public32, Bytes message, Bytes signature64)
{
    const Pkey k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public32.data(), 32));
    if (k == nullptr) {
        return false;
    }
    const MdCtx ctx(EVP_MD_CTX_new());
    return ctx != nullptr &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), signature64.data(), signature64.size(),
                            ptr_or_empty(message), message.size()) == 1;
}

} // namespace

Ed25519Public ed25519_public_from_private(Bytes seed32)
{
    SodiumSecret sk;
    return expand(seed32, sk);
}

Ed25519Signature ed25519_sign(Bytes seed32, Bytes message)
{
    SodiumSecret sk;
    expand(seed32, sk);
    return sign_with(sk, message);
}

struct Ed25519Signer::Impl {
    SodiumSecret sk; // wiped when destroyed
};

Ed25519Signer::Ed25519Signer(Bytes seed32) : impl_(std::make_unique<Impl>())
{
    public_ = expand(seed32, impl_->sk);
}

Ed25519Signer::~Ed25519Signer() = default;
Ed25519Signer::Ed25519Signer(Ed25519Signer&&) noexcept = default;
Ed25519Signer& Ed25519Signer::operator=(Ed25519Signer&&) noexcept = default;

Ed25519Signature Ed25519Signer::sign(Bytes message) const
{
    detail::check(impl_ != nullptr, "Ed25519Signer used after move");
    return sign_with(impl_->sk, message);
}

bool ed25519_verify(Bytes public32, Bytes message, Bytes signature64)
{
    if (public32.size() != 32 || signature64.size() != 64) {
        return false;
    }
    // Both libraries check S < L, compute [S]B - [k]A without the cofactor and compare it with R
    // byte for byte. libsodium 1.0.18 also refuses a small-order R or A and a non-canonical A
    // (y >= p), which OpenSSL 3.0, and so i2pd, accepts when the equation holds (RFC 8032
    // §5.1.7 leaves both open). No honest key or signature encodes so (ed25519_group.h), but a
    // crafted one would be accepted by i2pd: those go to OpenSSL, so the set of accepted
    // signatures stays OpenSSL's (ed25519_test pins it) and such input costs what it did.
    if (ed25519::small_order_or_noncanonical(signature64.first<32>()) ||
        ed25519::small_order_or_noncanonical(public32.first<32>())) {
        return openssl_verify(public32, message, signature64);
    }
    detail::ensure_sodium();
    return crypto_sign_verify_detached(signature64.data(), ptr_or_empty(message), message.size(),
                                       public32.data()) == 0;
}

bool reddsa_verify(Bytes public32, Bytes message, Bytes signature64)
{
    // red25519.rst: verification is exactly Ed25519's equation with SHA-512 over R || A || M.
    return ed25519_verify(public32, message, signature64);
}

} // namespace umbra::crypto
