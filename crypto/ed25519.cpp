// Ed25519 through OpenSSL (RFC 8032 §5.1). RedDSA and blinding live in reddsa.cpp.
#include "crypto/ed25519.h"

#include <memory>

#include <openssl/evp.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

using detail::ptr_or_empty;
using Pkey = std::unique_ptr<EVP_PKEY, detail::FreeWith<EVP_PKEY_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, detail::FreeWith<EVP_MD_CTX_free>>;

Pkey private_key(Bytes seed32)
{
    detail::check(seed32.size() == 32, "Ed25519 private key must be 32 bytes");
    Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed32.data(), 32));
    detail::check(k != nullptr, "Ed25519 key import failed");
    return k;
}

Ed25519Signature sign_with(EVP_PKEY* key, Bytes message)
{
    const MdCtx ctx(EVP_MD_CTX_new());
    Ed25519Signature sig{};
    std::size_t len = sig.size();
    detail::check(ctx != nullptr &&
                      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key) == 1 &&
                      EVP_DigestSign(ctx.get(), sig.data(), &len, ptr_or_empty(message),
                                     message.size()) == 1 &&
                      len == sig.size(),
                  "Ed25519 signing failed");
    return sig;
}

} // namespace

Ed25519Public ed25519_public_from_private(Bytes seed32)
{
    const Pkey k = private_key(seed32);
    Ed25519Public pub{};
    std::size_t len = pub.size();
    detail::check(EVP_PKEY_get_raw_public_key(k.get(), pub.data(), &len) == 1 && len == 32,
                  "Ed25519 public key derivation failed");
    return pub;
}

Ed25519Signature ed25519_sign(Bytes seed32, Bytes message)
{
    return sign_with(private_key(seed32).get(), message);
}

struct Ed25519Signer::Impl {
    Pkey key;
};

Ed25519Signer::Ed25519Signer(Bytes seed32)
    : impl_(std::make_unique<Impl>(Impl{private_key(seed32)}))
{
    std::size_t len = public_.size();
    detail::check(EVP_PKEY_get_raw_public_key(impl_->key.get(), public_.data(), &len) == 1 &&
                      len == 32,
                  "Ed25519 public key derivation failed");
}

Ed25519Signer::~Ed25519Signer() = default;
Ed25519Signer::Ed25519Signer(Ed25519Signer&&) noexcept = default;
Ed25519Signer& Ed25519Signer::operator=(Ed25519Signer&&) noexcept = default;

Ed25519Signature Ed25519Signer::sign(Bytes message) const
{
    detail::check(impl_ != nullptr, "Ed25519Signer used after move");
    return sign_with(impl_->key.get(), message);
}

bool ed25519_verify(Bytes public32, Bytes message, Bytes signature64)
{
    if (public32.size() != 32 || signature64.size() != 64) {
        return false;
    }
    const Pkey k(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public32.data(), 32));
    if (k == nullptr) {
        return false;
    }
    const MdCtx ctx(EVP_MD_CTX_new());
    // OpenSSL checks S < L and decodes A and R strictly (RFC 8032 §5.1.7).
    return ctx != nullptr &&
           EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), signature64.data(), signature64.size(),
                            ptr_or_empty(message), message.size()) == 1;
}

bool reddsa_verify(Bytes public32, Bytes message, Bytes signature64)
{
    // red25519.rst: verification is exactly Ed25519's equation with SHA-512 over R || A || M.
    return ed25519_verify(public32, message, signature64);
}

} // namespace umbra::crypto
