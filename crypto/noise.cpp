#include "crypto/noise.h"

#include <algorithm>
#include <limits>

#include "crypto/chacha.h"
#include "crypto/detail.h"
#include "crypto/hash.h"

namespace umbra::crypto {

std::pair<Key32, Key32> noise_hkdf2(Bytes chaining_key, Bytes ikm)
{
    // Noise §4.3 HKDF with HMAC-SHA256 is RFC 5869 HKDF with salt = chaining_key and no info.
    detail::check(chaining_key.size() == 32, "Noise chaining key must be 32 bytes");
    SecretArray<64> okm;
    hkdf_sha256(chaining_key, ikm, {}, okm.mutable_bytes());
    return {Key32(okm.bytes().first(32)), Key32(okm.bytes().subspan(32))};
}

SymmetricState::SymmetricState(std::string_view protocol_name)
{
    const Bytes name(reinterpret_cast<const std::uint8_t*>(protocol_name.data()),
                     protocol_name.size());
    if (name.size() <= h_.size()) {
        std::copy(name.begin(), name.end(), h_.begin());
    } else {
        h_ = sha256(name);
    }
    ck_.set(h_);
}

void SymmetricState::mix_hash(Bytes data)
{
    h_ = sha256(h_, data);
}

void SymmetricState::mix_key(Bytes input_key_material)
{
    auto [ck, k] = noise_hkdf2(ck_.bytes(), input_key_material);
    ck_ = std::move(ck);
    k_ = std::move(k);
    has_key_ = true;
    n_ = 0;
}

std::vector<std::uint8_t> SymmetricState::encrypt_and_hash(Bytes plaintext)
{
    std::vector<std::uint8_t> out;
    if (!has_key_) {
        out.assign(plaintext.begin(), plaintext.end());
    } else {
        // Noise §5.1: nonce 2^64-1 is reserved; reaching it means the session ran too long.
        detail::check(n_ != std::numeric_limits<std::uint64_t>::max(), "Noise nonce exhausted");
        out.resize(plaintext.size() + aead_tag_size);
        aead_encrypt(k_.bytes(), noise_nonce(n_), h_, plaintext, out);
        ++n_;
    }
    mix_hash(out);
    return out;
}

std::optional<std::vector<std::uint8_t>> SymmetricState::decrypt_and_hash(Bytes ciphertext)
{
    std::vector<std::uint8_t> out;
    if (!has_key_) {
        out.assign(ciphertext.begin(), ciphertext.end());
    } else {
        if (ciphertext.size() < aead_tag_size || n_ == std::numeric_limits<std::uint64_t>::max()) {
            return std::nullopt;
        }
        out.resize(ciphertext.size() - aead_tag_size);
        if (!aead_decrypt(k_.bytes(), noise_nonce(n_), h_, ciphertext, out)) {
            return std::nullopt;
        }
        ++n_;
    }
    mix_hash(ciphertext);
    return out;
}

std::pair<Key32, Key32> SymmetricState::split() const
{
    return noise_hkdf2(ck_.bytes(), {});
}

} // namespace umbra::crypto
