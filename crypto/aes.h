// AES-256 in ECB and CBC modes, no padding (tunnel layer encryption, NTCP2 ephemeral-key
// obfuscation, ElGamal/AES legacy). Lengths must be multiples of 16 (aborts otherwise: a caller
// bug, parsers check sizes first).
#pragma once
#include <memory>

#include "crypto/secret.h"

namespace umbra::crypto {

inline constexpr std::size_t aes_block_size = 16;
using AesIv = std::array<std::uint8_t, 16>;

// A keyed AES-256 context for one direction, reused across many calls (one per tunnel hop).
class Aes256 {
public:
    enum class Direction { encrypt, decrypt };
    Aes256(Bytes key32, Direction dir);
    ~Aes256();
    Aes256(Aes256&&) noexcept;
    Aes256& operator=(Aes256&&) noexcept;

    // In place, block by block.
    void ecb(MutableBytes data);
    // In place; iv is updated to the last ciphertext block so calls can be chained.
    void cbc(AesIv& iv, MutableBytes data);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One-shot helpers.
void aes256_cbc_encrypt(Bytes key32, const AesIv& iv, MutableBytes data);
void aes256_cbc_decrypt(Bytes key32, const AesIv& iv, MutableBytes data);
void aes256_ecb_encrypt(Bytes key32, MutableBytes data);
void aes256_ecb_decrypt(Bytes key32, MutableBytes data);

} // namespace umbra::crypto
