// The AES-256 layer of one tunnel hop (docs/tunnels/implementation.html "Participant
// Processing"): the IV is encrypted with AES-256-ECB under the IV key, used as the CBC IV for the
// 1008 data bytes under the layer key, then encrypted with the IV key again. Both keyed OpenSSL
// contexts are built once per hop, so a message costs no key setup and no allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "crypto/secret.h"

namespace umbra::crypto {

// IV (16 bytes) followed by the encrypted data (1008 bytes) of a TunnelData message
// (tunnel-message.rst "Tunnel Message (Encrypted)", without the leading tunnel id).
inline constexpr std::size_t tunnel_iv_size = 16;
inline constexpr std::size_t tunnel_layer_data_size = 1008;
inline constexpr std::size_t tunnel_block_size = tunnel_iv_size + tunnel_layer_data_size;
using TunnelBlock = std::span<std::uint8_t, tunnel_block_size>;

class TunnelLayerCipher {
public:
    // encrypt: what a participant, inbound gateway and outbound endpoint do. decrypt: the
    // creator's inverse (outbound gateway pre-encryption, inbound endpoint), hop by hop.
    enum class Direction { encrypt, decrypt };

    // Both keys are 32 bytes (aborts otherwise: a caller bug).
    TunnelLayerCipher(Bytes layer_key, Bytes iv_key, Direction dir);
    ~TunnelLayerCipher();
    TunnelLayerCipher(TunnelLayerCipher&& o) noexcept;
    TunnelLayerCipher& operator=(TunnelLayerCipher&& o) noexcept;
    TunnelLayerCipher(const TunnelLayerCipher&) = delete;
    TunnelLayerCipher& operator=(const TunnelLayerCipher&) = delete;

    Direction direction() const { return dir_; }
    // New keys in the same contexts (an AES key expansion each, about 0.1 us with AES-NI; no
    // allocation): lets a bounded cache of keyed contexts serve many tunnels.
    void rekey(Bytes layer_key, Bytes iv_key);
    // One layer, in place.
    void apply(TunnelBlock block);

private:
    void release() noexcept;

    void* iv_ctx_ = nullptr;    // EVP_CIPHER_CTX, AES-256-ECB under the IV key
    void* layer_ctx_ = nullptr; // EVP_CIPHER_CTX, AES-256-CBC under the layer key
    Direction dir_ = Direction::encrypt;
};

} // namespace umbra::crypto
