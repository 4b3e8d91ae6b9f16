#include "crypto/chacha.h"

#include <algorithm>
#include <limits>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

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

// OpenSSL 3 looks a cipher up by name on every EVP_chacha20*() init ("implicit fetch"), which
// costs more than sealing 1 KiB. Fetch each cipher once per process and reuse one context per
// thread: at 1 KiB this triples throughput (contrib/bench/run_bench.sh).
const EVP_CIPHER* fetched(const char* name)
{
    const EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, name, nullptr);
    detail::check(c != nullptr, "OpenSSL cipher unavailable");
    return c; // kept for the life of the process
}

const EVP_CIPHER* chacha20_cipher()
{
    static const EVP_CIPHER* c = fetched("ChaCha20");
    return c;
}

const EVP_CIPHER* aead_cipher()
{
    static const EVP_CIPHER* c = fetched("ChaCha20-Poly1305");
    return c;
}

EVP_CIPHER_CTX* thread_ctx()
{
    thread_local CipherCtx ctx;
    return ctx.get();
}

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
    EVP_CIPHER_CTX* ctx = thread_ctx();
    int len = 0;
    detail::check(EVP_EncryptInit_ex(ctx, chacha20_cipher(), nullptr, key32.data(), iv.data()) ==
                          1 &&
                      EVP_EncryptUpdate(ctx, out.data(), &len, in.data(), int_size(in.size())) == 1,
                  "ChaCha20 failed");
}

void aead_encrypt(Bytes key32, const Nonce12& nonce, Bytes ad, Bytes plaintext, MutableBytes out)
{
    detail::check(key32.size() == 32, "ChaCha20-Poly1305 key must be 32 bytes");
    detail::check(out.size() == plaintext.size() + aead_tag_size, "AEAD output size mismatch");
    EVP_CIPHER_CTX* ctx = thread_ctx();
    int len = 0;
    const bool ok =
        EVP_EncryptInit_ex(ctx, aead_cipher(), nullptr, key32.data(), nonce.data()) == 1 &&
        aead_update(ctx, ad, plaintext, out.data()) &&
        EVP_EncryptFinal_ex(ctx, out.data() + plaintext.size(), &len) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(aead_tag_size),
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
    EVP_CIPHER_CTX* ctx = thread_ctx();
    int len = 0;
    std::uint8_t final_block[16];
    const bool ok =
        EVP_DecryptInit_ex(ctx, aead_cipher(), nullptr, key32.data(), nonce.data()) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(aead_tag_size),
                            tag.data()) == 1 &&
        aead_update(ctx, ad, ciphertext.first(n), out.data()) &&
        EVP_DecryptFinal_ex(ctx, final_block, &len) == 1;
    if (!ok) {
        secure_wipe(out.data(), out.size());
    }
    return ok;
}

struct AeadKey::Impl {
    CipherCtx enc;
    CipherCtx dec;
};

AeadKey::AeadKey(Bytes key32) : impl_(std::make_unique<Impl>())
{
    detail::check(key32.size() == 32, "ChaCha20-Poly1305 key must be 32 bytes");
    detail::check(
        EVP_EncryptInit_ex(impl_->enc.get(), aead_cipher(), nullptr, key32.data(), nullptr) == 1 &&
            EVP_DecryptInit_ex(impl_->dec.get(), aead_cipher(), nullptr, key32.data(), nullptr) ==
                1,
        "ChaCha20-Poly1305 key setup failed");
}

AeadKey::~AeadKey() = default; // EVP_CIPHER_CTX_free cleanses the key schedule
AeadKey::AeadKey(AeadKey&&) noexcept = default;
AeadKey& AeadKey::operator=(AeadKey&&) noexcept = default;

// Per frame: the nonce (EVP_CipherInit_ex2 with no cipher and no key keeps the key schedule),
// the data, final, and the tag through a prepared OSSL_PARAM. EVP_CIPHER_CTX_ctrl would build
// the same parameter from a ctrl number on every call (OpenSSL 3's ctrl-to-param translation),
// which measured ~20 ns of a ~600 ns 1 KiB seal.
void AeadKey::encrypt(const Nonce12& nonce, Bytes ad, Bytes plaintext, MutableBytes out)
{
    detail::check(out.size() == plaintext.size() + aead_tag_size, "AEAD output size mismatch");
    EVP_CIPHER_CTX* ctx = impl_->enc.get();
    std::uint8_t* tag = out.data() + plaintext.size();
    OSSL_PARAM get_tag[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, aead_tag_size),
        OSSL_PARAM_construct_end()};
    int len = 0;
    const bool ok = EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce.data(), 1, nullptr) == 1 &&
                    aead_update(ctx, ad, plaintext, out.data()) &&
                    EVP_CipherFinal_ex(ctx, tag, &len) == 1 &&
                    EVP_CIPHER_CTX_get_params(ctx, get_tag) == 1;
    detail::check(ok, "ChaCha20-Poly1305 encryption failed");
}

bool AeadKey::decrypt(const Nonce12& nonce, Bytes ad, Bytes ciphertext, MutableBytes out)
{
    if (ciphertext.size() < aead_tag_size) {
        secure_wipe(out.data(), out.size());
        return false;
    }
    const std::size_t n = ciphertext.size() - aead_tag_size;
    detail::check(out.size() == n, "AEAD output size mismatch");
    // The context copies the expected tag at once, so out may overwrite the ciphertext (and
    // nothing past it) in place.
    std::array<std::uint8_t, aead_tag_size> tag{};
    std::copy(ciphertext.begin() + static_cast<std::ptrdiff_t>(n), ciphertext.end(), tag.begin());
    OSSL_PARAM set_tag[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag.data(), tag.size()),
        OSSL_PARAM_construct_end()};
    EVP_CIPHER_CTX* ctx = impl_->dec.get();
    int len = 0;
    std::uint8_t final_block[16];
    const bool ok = EVP_CipherInit_ex2(ctx, nullptr, nullptr, nonce.data(), 0, nullptr) == 1 &&
                    EVP_CIPHER_CTX_set_params(ctx, set_tag) == 1 &&
                    aead_update(ctx, ad, ciphertext.first(n), out.data()) &&
                    EVP_CipherFinal_ex(ctx, final_block, &len) == 1;
    if (!ok) {
        secure_wipe(out.data(), out.size());
    }
    return ok;
}

} // namespace umbra::crypto
