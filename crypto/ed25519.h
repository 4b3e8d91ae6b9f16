// Ed25519 (RFC 8032, "PureEdDSA") and RedDSA-SHA512-Ed25519 (I2P sig type 11, spec red25519.rst)
// with key blinding (encryptedleaseset.rst, "Key Blinding").
#pragma once
#include <memory>

#include "crypto/random.h"
#include "crypto/secret.h"

namespace umbra::crypto {

using Ed25519Public = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

// Ed25519: the private key is the 32-byte seed of RFC 8032.
Ed25519Public ed25519_public_from_private(Bytes seed32);
Ed25519Signature ed25519_sign(Bytes seed32, Bytes message);

// An Ed25519 private key imported once (RFC 8032 §5.1.5: the import hashes the seed and
// computes the public key, a scalar multiplication, which ed25519_sign repeats on every call).
// For keys that sign again and again (our RouterInfo, LeaseSets). sign() is const and keeps no
// per-call state in the object, so one signer may be used from several threads.
class Ed25519Signer {
public:
    explicit Ed25519Signer(Bytes seed32); // aborts unless 32 bytes
    ~Ed25519Signer();                     // the OpenSSL key cleanses itself
    Ed25519Signer(Ed25519Signer&&) noexcept;
    Ed25519Signer& operator=(Ed25519Signer&&) noexcept;

    const Ed25519Public& public_key() const { return public_; }
    Ed25519Signature sign(Bytes message) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    Ed25519Public public_{};
};
[[nodiscard]] bool ed25519_verify(Bytes public32, Bytes message, Bytes signature64);

// RedDSA: the private key is a 32-byte little-endian scalar mod L (not a seed); the public key is
// scalar * B. Signing takes 80 random bytes per red25519.rst.
Key32 reddsa_generate_private(Rng& rng);
Ed25519Public reddsa_public_from_private(Bytes scalar32);
Ed25519Signature reddsa_sign(Bytes scalar32, Bytes message, Rng& rng);
[[nodiscard]] bool reddsa_verify(Bytes public32, Bytes message, Bytes signature64);

// The RedDSA scalar that corresponds to an Ed25519 seed (SHA-512 of the seed, clamped, mod L),
// so an Ed25519 destination key can be blinded.
Key32 reddsa_private_from_ed25519_seed(Bytes seed32);

// Key blinding: alpha is a 32-byte little-endian scalar mod L (derived by the caller per
// encryptedleaseset.rst, "Blinding calculations"). Blinded private = (a + alpha) mod L,
// blinded public = A + alpha*B. Returns false if public32 is not a valid point.
Key32 reddsa_blind_private(Bytes scalar32, Bytes alpha32);
[[nodiscard]] bool reddsa_blind_public(Bytes public32, Bytes alpha32, Ed25519Public& out);

// Reduces a 64-byte little-endian number mod L (for deriving alpha from a hash).
Key32 ed25519_scalar_reduce64(Bytes in64);

} // namespace umbra::crypto
