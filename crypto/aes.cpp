#include "crypto/aes.h"

#include <algorithm>

#include <openssl/evp.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

struct CipherCtx {
    EVP_CIPHER_CTX* ctx = nullptr;
    CipherCtx() = default;
    CipherCtx(const CipherCtx&) = delete;
    CipherCtx& operator=(const CipherCtx&) = delete;
    ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

void init_cipher(CipherCtx& c, const EVP_CIPHER* cipher, Bytes key32, bool encrypt)
{
    detail::check(key32.size() == 32, "AES-256 key must be 32 bytes");
    c.ctx = EVP_CIPHER_CTX_new();
    detail::check(c.ctx != nullptr &&
                      EVP_CipherInit_ex(c.ctx, cipher, nullptr, key32.data(), nullptr,
                                        encrypt ? 1 : 0) == 1 &&
                      EVP_CIPHER_CTX_set_padding(c.ctx, 0) == 1,
                  "AES context setup failed");
}

void run(EVP_CIPHER_CTX* ctx, MutableBytes data)
{
    detail::check(data.size() % aes_block_size == 0, "AES data not a multiple of 16 bytes");
    std::size_t done = 0;
    // EVP takes int lengths; feed large buffers in chunks.
    while (done < data.size()) {
        const std::size_t chunk = std::min<std::size_t>(data.size() - done, 1u << 30);
        int len = 0;
        detail::check(EVP_CipherUpdate(ctx, data.data() + done, &len, data.data() + done,
                                       static_cast<int>(chunk)) == 1 &&
                          static_cast<std::size_t>(len) == chunk,
                      "AES update failed");
        done += chunk;
    }
}

} // namespace

struct Aes256::Impl {
    SecretArray<32> key;
    bool encrypt = true;
    // Created on first use: many contexts only ever run one mode.
    CipherCtx ecb;
    CipherCtx cbc;
};

Aes256::Aes256(Bytes key32, Direction dir) : impl_(std::make_unique<Impl>())
{
    detail::check(key32.size() == 32, "AES-256 key must be 32 bytes");
    impl_->key.set(key32);
    impl_->encrypt = dir == Direction::encrypt;
}

Aes256::~Aes256() = default;
Aes256::Aes256(Aes256&&) noexcept = default;
Aes256& Aes256::operator=(Aes256&&) noexcept = default;

void Aes256::ecb(MutableBytes data)
{
    detail::check(impl_ != nullptr, "Aes256 used after move");
    if (impl_->ecb.ctx == nullptr) {
        init_cipher(impl_->ecb, EVP_aes_256_ecb(), impl_->key.bytes(), impl_->encrypt);
    }
    run(impl_->ecb.ctx, data);
}

void Aes256::cbc(AesIv& iv, MutableBytes data)
{
    detail::check(impl_ != nullptr, "Aes256 used after move");
    detail::check(data.size() % aes_block_size == 0, "AES data not a multiple of 16 bytes");
    if (impl_->cbc.ctx == nullptr) {
        init_cipher(impl_->cbc, EVP_aes_256_cbc(), impl_->key.bytes(), impl_->encrypt);
    }
    if (data.empty()) {
        return;
    }
    detail::check(EVP_CipherInit_ex(impl_->cbc.ctx, nullptr, nullptr, nullptr, iv.data(), -1) == 1,
                  "AES IV setup failed");
    AesIv last{};
    const std::size_t tail = data.size() - aes_block_size;
    if (!impl_->encrypt) {
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(tail), aes_block_size, last.begin());
    }
    run(impl_->cbc.ctx, data);
    if (impl_->encrypt) {
        std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(tail), aes_block_size, last.begin());
    }
    iv = last;
}

void aes256_cbc_encrypt(Bytes key32, const AesIv& iv, MutableBytes data)
{
    AesIv chain = iv;
    Aes256(key32, Aes256::Direction::encrypt).cbc(chain, data);
}

void aes256_cbc_decrypt(Bytes key32, const AesIv& iv, MutableBytes data)
{
    AesIv chain = iv;
    Aes256(key32, Aes256::Direction::decrypt).cbc(chain, data);
}

void aes256_ecb_encrypt(Bytes key32, MutableBytes data)
{
    Aes256(key32, Aes256::Direction::encrypt).ecb(data);
}

void aes256_ecb_decrypt(Bytes key32, MutableBytes data)
{
    Aes256(key32, Aes256::Direction::decrypt).ecb(data);
}

} // namespace umbra::crypto
