// X25519 key agreement (RFC 7748). Keys are 32 bytes, little-endian as on the wire.
#pragma once
#include <span>

#include "crypto/random.h"
#include "crypto/secret.h"

namespace umbra::crypto {

using X25519Public = std::array<std::uint8_t, 32>;

struct X25519Keypair {
    Key32 private_key;
    X25519Public public_key{};

    // A clamped random scalar k and X25519(k, 9): generate_x25519_batch of one.
    static X25519Keypair generate(Rng& rng);
    static X25519Keypair from_private(Bytes private32);
};

X25519Public x25519_public_from_private(Bytes private32);

// Fills `out` with new key pairs, each a clamped random scalar k (RFC 7748 §5) and X25519(k, 9).
// The public keys come from libsodium's fixed-base Edwards table and the birational map of RFC
// 7748 §4.1, with one field inversion shared by the batch: about 22 us for one pair and 16 us a
// pair for 8, against 28 us for the Montgomery ladder of x25519_public_from_private (measured
// with contrib/bench: `umbra_bench`, "x25519 keygen batch").
void generate_x25519_batch(Rng& rng, std::span<X25519Keypair> out);

// Computes the shared secret. Returns false when the result is all zeros (a low-order peer
// key, RFC 7748 §6.1); out is then zero.
[[nodiscard]] bool x25519(const Key32& private_key, Bytes peer_public32, Key32& out);

} // namespace umbra::crypto
