#include "crypto/chacha.h"

#include <algorithm>
#include <limits>

#include <openssl/evp.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

class CipherCtx {
public:
    CipherCtx() : ctx_(EVP_CIPHER_CTX_new()) { detail::check(ctx_ != nullptr, "out of memory"); }
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx_); }
    CipherCtx(const CipherCtx&) = delete;
    CipherCtx& operator=(const CipherCtx&) = delete;
    EVP_CIPHER_CTX* get() const { return ctx_; }

private:
    EVP_CIPHER_CTX* ctx_;
};

int int_size(std::size_t n)
{
    detail::check(n <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
                  "ChaCha20 input too large");
    return static_cast<int>(n);
}

// Runs an AEAD context over ad then data; out receives data.size() bytes.
bool aead_update(EVP_CIPHER_CTX* ctx, Bytes ad, Bytes data, std::uint8_t* out)
{
    int len = 0;
    if (!ad.empty() && EVP_CipherUpdate(ctx, nullptr, &len, ad.data(), int_size(ad.size())) != 1) {
        return false;
    }
    if (!data.empty() &&
        EVP_CipherUpdate(ctx, out, &len, data.data(), int_size(data.size())) != 1) {
        return false;
    }
    return true;
}

} // namespace

Nonce12 noise_nonce(std::uint64_t n)
{
    Nonce12 nonce{};
    for (std::size_t i = 0; i < 8; ++i) {
        nonce[4 + i] = static_cast<std::uint8_t>(n >> (8 * i));
    }
    return nonce;
}

void chacha20(Bytes key32, const Nonce12& nonce, std::uint32_t counter, Bytes in, MutableBytes out)
{
    detail::check(key32.size() == 32, "ChaCha20 key must be 32 bytes");
    detail::check(out.size() == in.size(), "ChaCha20 output size differs from input");
    if (in.empty()) {
        return;
    }
    // OpenSSL's IV is the 32-bit block counter (little-endian) followed by the RFC 8439 nonce.
    std::array<std::uint8_t, 16> iv{};
    for (std::size_t i = 0; i < 4; ++i) {
        iv[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    }
    std::copy(nonce.begin(), nonce.end(), iv.begin() + 4);
    CipherCtx ctx;
    int len = 0;
    detail::check(
        EVP_EncryptInit_ex(ctx.get(), EVP_chacha20(), nullptr, key32.data(), iv.data()) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out.data(), &len, in.data(), int_size(in.size())) == 1,
        "ChaCha20 failed");
}

void aead_encrypt(Bytes key32, const Nonce12& nonce, Bytes ad, Bytes plaintext, MutableBytes out)
{
    detail::check(key32.size() == 32, "ChaCha20-Poly1305 key must be 32 bytes");
    detail::check(out.size() == plaintext.size() + aead_tag_size, "AEAD output size mismatch");
    CipherCtx ctx;
    int len = 0;
    const bool ok =
        EVP_EncryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key32.data(),
                           nonce.data()) == 1 &&
        aead_update(ctx.get(), ad, plaintext, out.data()) &&
        EVP_EncryptFinal_ex(ctx.get(), out.data() + plaintext.size(), &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(aead_tag_size),
                            out.data() + plaintext.size()) == 1;
    detail::check(ok, "ChaCha20-Poly1305 encryption failed");
}

bool aead_decrypt(Bytes key32, const Nonce12& nonce, Bytes ad, Bytes ciphertext, MutableBytes out)
{
    detail::check(key32.size() == 32, "ChaCha20-Poly1305 key must be 32 bytes");
    if (ciphertext.size() < aead_tag_size) {
        secure_wipe(out.data(), out.size());
        return false;
    }
    const std::size_t n = ciphertext.size() - aead_tag_size;
    detail::check(out.size() == n, "AEAD output size mismatch");
    std::array<std::uint8_t, aead_tag_size> tag{};
    std::copy(ciphertext.begin() + static_cast<std::ptrdiff_t>(n), ciphertext.end(), tag.begin());
    CipherCtx ctx;
    int len = 0;
    std::uint8_t final_block[16];
    const bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_chacha20_poly1305(), nullptr, key32.data(),
                                       nonce.data()) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG,
                                        static_cast<int>(aead_tag_size), tag.data()) == 1 &&
                    aead_update(ctx.get(), ad, ciphertext.first(n), out.data()) &&
                    EVP_DecryptFinal_ex(ctx.get(), final_block, &len) == 1;
    if (!ok) {
        secure_wipe(out.data(), out.size());
    }
    return ok;
}

} // namespace umbra::crypto
