// ChaCha20 (RFC 8439 §2.4) and ChaCha20-Poly1305 AEAD (RFC 8439 §2.8).
#pragma once
#include <memory>

#include "crypto/secret.h"

namespace umbra::crypto {

inline constexpr std::size_t aead_tag_size = 16;
using Nonce12 = std::array<std::uint8_t, 12>;

// The Noise nonce layout (Noise §12.3 for ChaChaPoly): 4 zero bytes then the counter little-endian.
Nonce12 noise_nonce(std::uint64_t n);

// ChaCha20 keystream XOR from block `counter` (RFC 8439 initial counter), out may alias in.
void chacha20(Bytes key32, const Nonce12& nonce, std::uint32_t counter, Bytes in, MutableBytes out);

// Encrypts plaintext into out = ciphertext || tag; out.size() must be plaintext.size() + 16.
void aead_encrypt(Bytes key32, const Nonce12& nonce, Bytes ad, Bytes plaintext, MutableBytes out);

// Verifies and decrypts ciphertext||tag into out (ciphertext.size() - 16 bytes). Returns false if
// the tag does not verify or the input is shorter than the tag; out is zeroed then.
[[nodiscard]] bool aead_decrypt(Bytes key32, const Nonce12& nonce, Bytes ad, Bytes ciphertext,
                                MutableBytes out);

// ChaCha20-Poly1305 with a fixed key and per-message nonces (NTCP2/SSU2 data phase frames,
// ratchet tags): the key schedule is done once, each message only sets its nonce. Not
// thread-safe: one object per session, on the session's executor.
class AeadKey {
public:
    explicit AeadKey(Bytes key32);
    ~AeadKey();
    AeadKey(AeadKey&&) noexcept;
    AeadKey& operator=(AeadKey&&) noexcept;

    // Same contracts as aead_encrypt / aead_decrypt.
    void encrypt(const Nonce12& nonce, Bytes ad, Bytes plaintext, MutableBytes out);
    [[nodiscard]] bool decrypt(const Nonce12& nonce, Bytes ad, Bytes ciphertext, MutableBytes out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace umbra::crypto
