// X25519 (RFC 7748) through libsodium: crypto_scalarmult does RFC 7748 §5's function (clamping
// the scalar, ignoring bit 255 of u) and was 1.3x faster than OpenSSL 3.0's EVP derive on this
// project's machines, where X25519 bounds NTCP2 and tunnel-build rates (README.md).
#include "crypto/x25519.h"

#include <array>

#include "crypto/detail.h"
#include "crypto/sodium_init.h"

#include <sodium.h>

namespace umbra::crypto {

static_assert(crypto_scalarmult_BYTES == 32 && crypto_scalarmult_SCALARBYTES == 32);

X25519Public x25519_public_from_private(Bytes private32)
{
    detail::check(private32.size() == 32, "X25519 private key must be 32 bytes");
    detail::ensure_sodium();
    X25519Public pub{};
    // RFC 7748 §6.1: the public key is X25519(k, 9).
    detail::check(crypto_scalarmult_base(pub.data(), private32.data()) == 0,
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
    detail::ensure_sodium();
    // libsodium returns -1 for an all-zero shared secret (a low-order peer key, RFC 7748 §6.1),
    // our false case; the result is checked here as well so the contract does not rest on one
    // library version.
    const bool ok = crypto_scalarmult(out.data(), own_private.data(), peer_public32.data()) == 0;
    const std::array<std::uint8_t, 32> zero{};
    if (!ok || constant_time_equal(out.bytes(), zero)) {
        secure_wipe(out.data(), out.size());
        return false;
    }
    return true;
}

} // namespace umbra::crypto
