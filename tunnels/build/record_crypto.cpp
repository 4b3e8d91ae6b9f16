#include "tunnels/build/record_crypto.h"

#include <algorithm>
#include <string_view>

#include "crypto/chacha.h"
#include "crypto/hash.h"
#include "crypto/noise.h"
#include "router/base/check.h"

namespace umbra::tunnels {

namespace {

// "Noise_N_25519_ChaChaPoly_SHA256", 31 bytes, padded with one zero to 32 (not hashed).
crypto::Hash32 protocol_name_block()
{
    constexpr std::string_view name = "Noise_N_25519_ChaChaPoly_SHA256";
    crypto::Hash32 block{};
    std::copy(name.begin(), name.end(), block.begin());
    return block;
}

crypto::Hash32 mix_hash(const crypto::Hash32& h, Bytes data)
{
    crypto::Sha256 sha;
    sha.update(h);
    sha.update(data);
    return sha.finish();
}

// keydata = HKDF(ck, ZEROLEN, info, 64): first half (next ck) and second half (the key).
std::pair<crypto::Key32, crypto::Key32> kdf_step(const crypto::Key32& ck, std::string_view info)
{
    std::array<std::uint8_t, 64> keydata{};
    crypto::hkdf_sha256(ck.bytes(), {},
                        {reinterpret_cast<const std::uint8_t*>(info.data()), info.size()}, keydata);
    std::pair<crypto::Key32, crypto::Key32> out{crypto::Key32(Bytes(keydata).first(32)),
                                                crypto::Key32(Bytes(keydata).last(32))};
    crypto::secure_wipe(keydata.data(), keydata.size());
    return out;
}

// tunnel-creation-ecies.rst takes ENCRYPT(k, iv, plaintext) from EncryptedLeaseSet's STREAM:
// "ChaCha20 ... with the initial counter set to 1" (i2pd's ChaCha20 helper does the same).
constexpr std::uint32_t kStreamInitialCounter = 1;

crypto::Nonce12 record_nonce(std::size_t index)
{
    return crypto::noise_nonce(index); // iv[4] = index: "all zeros except iv[4] = n"
}

} // namespace

crypto::Hash32 noise_n_hash_for(Bytes hop_static_public32)
{
    // h = name block; MixHash(null prologue): h = SHA256(h); MixHash(hepk).
    const crypto::Hash32 h0 = crypto::sha256(protocol_name_block());
    return mix_hash(h0, hop_static_public32);
}

std::optional<RecordNoise> encrypt_request(RecordFormat format, Bytes hop_hash16,
                                           Bytes hop_static_public32,
                                           const crypto::X25519Keypair& ephemeral, Bytes cleartext,
                                           MutableBytes record)
{
    UMBRA_CHECK(cleartext.size() == request_size(format) && record.size() == record_size(format));
    UMBRA_CHECK(hop_hash16.size() == kTruncatedHashSize);
    crypto::Key32 shared;
    if (!crypto::x25519(ephemeral.private_key, hop_static_public32, shared)) {
        return std::nullopt;
    }
    RecordNoise out;
    out.h = mix_hash(noise_n_hash_for(hop_static_public32), ephemeral.public_key);
    const crypto::Hash32 ck0 = protocol_name_block();
    auto [ck, k] = crypto::noise_hkdf2(ck0, shared.bytes());
    std::copy(hop_hash16.begin(), hop_hash16.end(), record.begin());
    std::copy(ephemeral.public_key.begin(), ephemeral.public_key.end(), record.begin() + 16);
    const MutableBytes sealed = record.subspan(kRecordHeaderSize);
    crypto::aead_encrypt(k.bytes(), crypto::noise_nonce(0), out.h, cleartext, sealed);
    out.h = mix_hash(out.h, sealed);
    out.ck = std::move(ck);
    return out;
}

std::optional<RecordNoise> decrypt_request(RecordFormat format, const crypto::Key32& static_private,
                                           const crypto::Hash32& hash_for_us, Bytes record,
                                           MutableBytes cleartext)
{
    UMBRA_CHECK(cleartext.size() == request_size(format) && record.size() == record_size(format));
    const Bytes ephemeral = record.subspan(kTruncatedHashSize, 32);
    crypto::Key32 shared;
    if (!crypto::x25519(static_private, ephemeral, shared)) {
        return std::nullopt;
    }
    RecordNoise out;
    out.h = mix_hash(hash_for_us, ephemeral);
    const crypto::Hash32 ck0 = protocol_name_block();
    auto [ck, k] = crypto::noise_hkdf2(ck0, shared.bytes());
    const Bytes sealed = record.subspan(kRecordHeaderSize);
    if (!crypto::aead_decrypt(k.bytes(), crypto::noise_nonce(0), out.h, sealed, cleartext)) {
#ifdef UMBRA_TUNNEL_BUILD_FUZZ_BYPASS
        std::copy_n(sealed.begin(), cleartext.size(), cleartext.begin());
#else
        return std::nullopt;
#endif
    }
    out.h = mix_hash(out.h, sealed);
    out.ck = std::move(ck);
    return out;
}

ShortRecordKeys short_record_keys(const crypto::Key32& ck, bool outbound_endpoint)
{
    ShortRecordKeys keys;
    auto [ck1, reply] = kdf_step(ck, "SMTunnelReplyKey");
    keys.reply_key = std::move(reply);
    auto [ck2, layer] = kdf_step(ck1, "SMTunnelLayerKey");
    keys.layer_key = std::move(layer);
    if (!outbound_endpoint) {
        keys.iv_key = std::move(ck2); // "ivKey = keydata[0:31] because it's last"
        return keys;
    }
    auto [ck3, iv] = kdf_step(ck2, "TunnelLayerIVKey");
    keys.iv_key = std::move(iv);
    auto [tag_half, garlic] = kdf_step(ck3, "RGarlicKeyAndTag");
    keys.garlic_key = std::move(garlic);
    std::copy_n(tag_half.data(), keys.garlic_tag.size(), keys.garlic_tag.begin());
    return keys;
}

HopKeys derive_hop_keys(RecordFormat format, BuildRequestRecord& request, RecordNoise& noise,
                        crypto::Key32& reply_aead_key, std::optional<GarlicReply>& garlic)
{
    HopKeys keys;
    keys.role = request.role();
    keys.receive_tunnel = request.receive_tunnel;
    keys.next_tunnel = request.next_tunnel;
    keys.next_ident = request.next_ident;
    keys.next_message_id = request.next_message_id;
    keys.layer_encryption = request.layer_encryption;
    keys.request_time_minutes = request.request_time_minutes;
    keys.expiration_seconds = request.expiration_seconds;
    if (format == RecordFormat::long_ecies) {
        keys.layer_key = std::move(request.layer_key);
        keys.iv_key = std::move(request.iv_key);
        keys.reply_key = std::move(request.reply_key);
        keys.reply_iv = request.reply_iv;
        reply_aead_key = std::move(noise.ck);
        return keys;
    }
    ShortRecordKeys derived = short_record_keys(noise.ck, keys.is_endpoint());
    keys.layer_key = std::move(derived.layer_key);
    keys.iv_key = std::move(derived.iv_key);
    reply_aead_key = derived.reply_key.clone();
    keys.reply_key = std::move(derived.reply_key);
    if (keys.is_endpoint()) {
        garlic = GarlicReply{std::move(derived.garlic_key), derived.garlic_tag};
    }
    return keys;
}

void seal_reply(RecordFormat format, Bytes key32, std::size_t index, const crypto::Hash32& h,
                Bytes cleartext, MutableBytes record)
{
    UMBRA_CHECK(cleartext.size() == reply_size(format) && record.size() == record_size(format));
    const std::size_t n = format == RecordFormat::long_ecies ? 0 : index;
    crypto::aead_encrypt(key32, record_nonce(n), h, cleartext, record);
}

bool open_reply(RecordFormat format, Bytes key32, std::size_t index, const crypto::Hash32& h,
                Bytes record, MutableBytes cleartext)
{
    UMBRA_CHECK(cleartext.size() == reply_size(format) && record.size() == record_size(format));
    const std::size_t n = format == RecordFormat::long_ecies ? 0 : index;
    return crypto::aead_decrypt(key32, record_nonce(n), h, record, cleartext);
}

void ReplyCipher::hop_pass(std::size_t index, MutableBytes record) const
{
    UMBRA_CHECK(record.size() == record_size(format));
    if (format == RecordFormat::short_ecies) {
        crypto::chacha20(key.bytes(), record_nonce(index), kStreamInitialCounter, record, record);
    } else {
        crypto::aes256_cbc_encrypt(key.bytes(), iv, record); // each record from the same IV
    }
}

void ReplyCipher::creator_undo(std::size_t index, MutableBytes record) const
{
    UMBRA_CHECK(record.size() == record_size(format));
    if (format == RecordFormat::short_ecies) {
        crypto::chacha20(key.bytes(), record_nonce(index), kStreamInitialCounter, record, record);
    } else {
        crypto::aes256_cbc_decrypt(key.bytes(), iv, record);
    }
}

} // namespace umbra::tunnels
