#include "crypto/tunnel_layer.h"

#include <utility>

#include <openssl/evp.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

EVP_CIPHER_CTX* keyed(const EVP_CIPHER* cipher, Bytes key32, bool encrypt)
{
    detail::check(key32.size() == 32, "tunnel layer keys must be 32 bytes");
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    detail::check(
        ctx != nullptr &&
            EVP_CipherInit_ex(ctx, cipher, nullptr, key32.data(), nullptr, encrypt ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, 0) == 1,
        "tunnel layer context setup failed");
    return ctx;
}

EVP_CIPHER_CTX* ctx_of(void* p)
{
    return static_cast<EVP_CIPHER_CTX*>(p);
}

void update(EVP_CIPHER_CTX* ctx, std::uint8_t* data, int len)
{
    int out = 0;
    detail::check(EVP_CipherUpdate(ctx, data, &out, data, len) == 1 && out == len,
                  "tunnel layer AES failed");
}

} // namespace

TunnelLayerCipher::TunnelLayerCipher(Bytes layer_key, Bytes iv_key, Direction dir) : dir_(dir)
{
    const bool encrypt = dir == Direction::encrypt;
    iv_ctx_ = keyed(EVP_aes_256_ecb(), iv_key, encrypt);
    layer_ctx_ = keyed(EVP_aes_256_cbc(), layer_key, encrypt);
}

void TunnelLayerCipher::rekey(Bytes layer_key, Bytes iv_key)
{
    detail::check(iv_ctx_ != nullptr, "TunnelLayerCipher used after move");
    detail::check(layer_key.size() == 32 && iv_key.size() == 32,
                  "tunnel layer keys must be 32 bytes");
    const int enc = dir_ == Direction::encrypt ? 1 : 0;
    detail::check(
        EVP_CipherInit_ex(ctx_of(iv_ctx_), nullptr, nullptr, iv_key.data(), nullptr, enc) == 1 &&
            EVP_CipherInit_ex(ctx_of(layer_ctx_), nullptr, nullptr, layer_key.data(), nullptr,
                              enc) == 1,
        "tunnel layer rekey failed");
}

TunnelLayerCipher::~TunnelLayerCipher()
{
    release();
}

void TunnelLayerCipher::release() noexcept
{
    EVP_CIPHER_CTX_free(ctx_of(iv_ctx_)); // also wipes the key schedule
    EVP_CIPHER_CTX_free(ctx_of(layer_ctx_));
    iv_ctx_ = nullptr;
    layer_ctx_ = nullptr;
}

TunnelLayerCipher::TunnelLayerCipher(TunnelLayerCipher&& o) noexcept
    : iv_ctx_(std::exchange(o.iv_ctx_, nullptr)), layer_ctx_(std::exchange(o.layer_ctx_, nullptr)),
      dir_(o.dir_)
{
}

TunnelLayerCipher& TunnelLayerCipher::operator=(TunnelLayerCipher&& o) noexcept
{
    if (this != &o) {
        release();
        iv_ctx_ = std::exchange(o.iv_ctx_, nullptr);
        layer_ctx_ = std::exchange(o.layer_ctx_, nullptr);
        dir_ = o.dir_;
    }
    return *this;
}

// implementation.html "Participant Processing": IV = E(ivKey, IV); data = CBC-E(layerKey, IV,
// data); IV = E(ivKey, IV). Decryption runs the inverse steps: the same shape with D.
void TunnelLayerCipher::apply(TunnelBlock block)
{
    detail::check(iv_ctx_ != nullptr, "TunnelLayerCipher used after move");
    auto* ivc = ctx_of(iv_ctx_);
    auto* layer = ctx_of(layer_ctx_);
    std::uint8_t* iv = block.data();
    update(ivc, iv, int(tunnel_iv_size));
    // Resetting only the IV keeps the key schedule (no key setup per message).
    detail::check(EVP_CipherInit_ex(layer, nullptr, nullptr, nullptr, iv, -1) == 1,
                  "tunnel layer IV setup failed");
    update(layer, block.data() + tunnel_iv_size, int(tunnel_layer_data_size));
    update(ivc, iv, int(tunnel_iv_size));
}

} // namespace umbra::crypto
