// X25519 key agreement (RFC 7748). Keys are 32 bytes, little-endian as on the wire.
#pragma once
#include "crypto/random.h"
#include "crypto/secret.h"

namespace umbra::crypto {

using X25519Public = std::array<std::uint8_t, 32>;

struct X25519Keypair {
    Key32 private_key;
    X25519Public public_key{};

    static X25519Keypair generate(Rng& rng);
    static X25519Keypair from_private(Bytes private32);
};

X25519Public x25519_public_from_private(Bytes private32);

// Computes the shared secret. Returns false when the result is all zeros (a low-order peer
// key, RFC 7748 §6.1); out is then zero.
[[nodiscard]] bool x25519(const Key32& private_key, Bytes peer_public32, Key32& out);

} // namespace umbra::crypto
