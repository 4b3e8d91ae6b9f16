// The Noise symmetric state (Noise rev 34, §5.2) for Noise_*_25519_ChaChaPoly_SHA256, as used by
// NTCP2, SSU2, ECIES ratchet and ECIES tunnel building. Names follow the spec: ck is the chaining
// key, h the handshake hash, k the cipher key with nonce n.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/secret.h"

namespace umbra::crypto {

class SymmetricState {
public:
    // InitializeSymmetric(protocol_name): h = name padded to 32 bytes or SHA-256(name); ck = h.
    explicit SymmetricState(std::string_view protocol_name);

    void mix_hash(Bytes data);
    // MixKey(ikm): ck, k = HKDF(ck, ikm); n = 0.
    void mix_key(Bytes input_key_material);
    // EncryptAndHash: with no key yet, plaintext passes through (and is hashed).
    std::vector<std::uint8_t> encrypt_and_hash(Bytes plaintext);
    // DecryptAndHash: nothing if the tag does not verify.
    std::optional<std::vector<std::uint8_t>> decrypt_and_hash(Bytes ciphertext);
    // Split(): (k1, k2) = HKDF(ck, empty).
    std::pair<Key32, Key32> split() const;

    const Hash32& h() const { return h_; }
    const Key32& ck() const { return ck_; }
    bool has_key() const { return has_key_; }
    std::uint64_t nonce() const { return n_; }

private:
    Key32 ck_;
    Hash32 h_{};
    Key32 k_;
    bool has_key_ = false;
    std::uint64_t n_ = 0;
};

// Noise's HKDF(chaining_key, input_key_material) with two 32-byte outputs (Noise §4.3).
std::pair<Key32, Key32> noise_hkdf2(Bytes chaining_key, Bytes ikm);

} // namespace umbra::crypto
