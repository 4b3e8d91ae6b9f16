// Record encryption for ECIES tunnel building (tunnel-creation-ecies.rst): the Noise N request
// ("KDF for Initial ck and h", "KDF for Request Record"), the short-record KDF ("KDF"), the
// hop's own reply record (ChaCha20-Poly1305) and the symmetric pass every hop makes over the
// other records (ChaCha20 for short records, AES-256-CBC for long ones, "Symmetric Encryption of
// Records"), with the creator's inverse of that pass.
#pragma once
#include <cstdint>
#include <optional>

#include "crypto/aes.h"
#include "crypto/secret.h"
#include "crypto/x25519.h"
#include "tunnels/build/records.h"

namespace umbra::tunnels {

// The Noise state after a request record: ck keys the reply (long records) or the short KDF;
// h is the reply's associated data.
struct RecordNoise {
    crypto::Key32 ck;
    crypto::Hash32 h{};
};

// h after MixHash(hepk) for a hop's static key: fixed per router, so a hop computes it once.
crypto::Hash32 noise_n_hash_for(Bytes hop_static_public32);

// Creator: encrypts `cleartext` (request_size(format) bytes) into `record` (record_size(format)
// bytes): truncated hash of the hop, our ephemeral key, ChaCha20-Poly1305 ciphertext. Returns
// the state after the record; nullopt if the hop's key is low-order.
std::optional<RecordNoise> encrypt_request(RecordFormat format, Bytes hop_hash16,
                                           Bytes hop_static_public32,
                                           const crypto::X25519Keypair& ephemeral, Bytes cleartext,
                                           MutableBytes record);

// Hop: decrypts `record` into `cleartext` with our static key and noise_n_hash_for(our public).
// nullopt if the DH or the tag fails (the fuzzing build skips the tag, see CMakeLists.txt).
std::optional<RecordNoise> decrypt_request(RecordFormat format, const crypto::Key32& static_private,
                                           const crypto::Hash32& hash_for_us, Bytes record,
                                           MutableBytes cleartext);

// Short records: keys derived from ck ("KDF"). The OBEP's IV key takes one more HKDF step and
// yields the garlic reply key and tag; other hops take the IV key from the layer key's step.
struct ShortRecordKeys {
    crypto::Key32 reply_key;
    crypto::Key32 layer_key;
    crypto::Key32 iv_key;
    crypto::Key32 garlic_key;                 // OBEP only
    std::array<std::uint8_t, 8> garlic_tag{}; // OBEP only
};
ShortRecordKeys short_record_keys(const crypto::Key32& ck, bool outbound_endpoint);

// The OBEP's reply to a short build is garlic-wrapped with these ("KDF", "Garlic Encryption").
struct GarlicReply {
    crypto::Key32 key;
    std::array<std::uint8_t, 8> tag{};
};

// A hop's keys from its decrypted request, computed the same way by the hop and the creator:
// carried in long records (moved out of `request`), derived from ck for short ones. Sets
// `reply_aead_key` (long: ck, "k = chainkey from build request"; short: replyKey) and, for a
// short-record OBEP, `garlic`.
HopKeys derive_hop_keys(RecordFormat format, BuildRequestRecord& request, RecordNoise& noise,
                        crypto::Key32& reply_aead_key, std::optional<GarlicReply>& garlic);

// The hop's own reply record, ChaCha20-Poly1305 with ad = h. Long: key ck, nonce 0. Short: key
// replyKey, nonce = the record's index ("Record Encryption").
void seal_reply(RecordFormat format, Bytes key32, std::size_t index, const crypto::Hash32& h,
                Bytes cleartext, MutableBytes record);
[[nodiscard]] bool open_reply(RecordFormat format, Bytes key32, std::size_t index,
                              const crypto::Hash32& h, Bytes record, MutableBytes cleartext);

// The per-record symmetric key of one hop: ChaCha20 key (short) or AES-256 key and IV (long).
struct ReplyCipher {
    RecordFormat format = RecordFormat::short_ecies;
    crypto::Key32 key;
    crypto::AesIv iv{}; // long only

    // The hop's pass over another record ("decryption": AES runs in encryption mode; ChaCha20
    // with iv[4] = index, initial block counter 1 as STREAM in encryptedleaseset.rst). `record` is
    // record_size(format) bytes.
    void hop_pass(std::size_t index, MutableBytes record) const;
    // The creator's inverse of hop_pass (identical for ChaCha20, AES-CBC decryption for long).
    void creator_undo(std::size_t index, MutableBytes record) const;
};

} // namespace umbra::tunnels
