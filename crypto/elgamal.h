// ElGamal-2048 (cryptography.rst, "ElGamal"): I2P's fixed 2048-bit MODP group (RFC 3526 group 14,
// generator 2). Encrypts exactly 222 bytes of data; the 514-byte ciphertext layout has a zero
// byte before each of the two 256-byte halves (the "zero padding" form used in garlic and
// tunnel build records).
#pragma once
#include <optional>

#include "crypto/random.h"
#include "crypto/secret.h"

namespace umbra::crypto {

inline constexpr std::size_t elgamal_plaintext_size = 222;
inline constexpr std::size_t elgamal_ciphertext_size = 514;

struct ElGamalKeypair {
    SecretArray<256> private_key; // big-endian exponent
    std::array<std::uint8_t, 256> public_key{};
    static ElGamalKeypair generate(Rng& rng);
};

// y = 2^x mod p for a private exponent x (256 bytes, big-endian), e.g. from a key file.
std::array<std::uint8_t, 256> elgamal_public_from_private(Bytes private256);

std::array<std::uint8_t, elgamal_ciphertext_size> elgamal_encrypt(Bytes public256, Bytes data222,
                                                                  Rng& rng);
// Returns nothing if the ciphertext is malformed or its embedded SHA-256 check fails.
std::optional<SecretArray<elgamal_plaintext_size>> elgamal_decrypt(Bytes private256,
                                                                   Bytes ciphertext514);

} // namespace umbra::crypto
