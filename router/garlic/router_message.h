// One-time garlic messages to a router's static X25519 key (ecies-routers.rst): Noise
// "Noise_N_25519_ChaChaPoly_SHA256", the Garlic message body being the sender's ephemeral public
// key followed by the ChaCha20-Poly1305 payload:
//
//   +-- 32 bytes --+---- payload blocks + 16-byte MAC ----+
//   | ephemeral pk |  ENCRYPT(k, n=0, blocks, ad=h)       |
//
// The payload starts with a DateTime block ("All messages must contain a DateTime block for
// replay prevention"), then Garlic Clove blocks, optionally Options, and Padding last.
#pragma once
#include <span>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/clock.h"
#include "router/base/result.h"
#include "router/data/i2np/delivery.h"
#include "router/garlic/blocks.h"
#include "router/garlic/replay_cache.h"

namespace umbra::garlic {

inline constexpr std::size_t kEphemeralKeySize = 32;
inline constexpr std::size_t kMaxRouterPlaintext =
    kMaxGarlicBodySize - kEphemeralKeySize - kMacSize;

// Encrypts an already serialized payload (blocks) to router_key with a fresh ephemeral key.
// Errc::too_large if it does not fit a Garlic message; Errc::invalid_value if router_key is a
// low-order point (the DH result is zero).
Result<i2np::Garlic> seal_for_router(const crypto::X25519Public& router_key, Bytes plaintext,
                                     crypto::Rng& rng);

// The usual message: DateTime(now), the cloves in order, then 0-15 bytes of padding (ecies.rst
// "Padding default is 0-15 bytes").
Result<i2np::Garlic> encrypt_for_router(const crypto::X25519Public& router_key,
                                        std::span<const GarlicClove> cloves, WallTime now,
                                        crypto::Rng& rng);

// A whole I2NP Garlic message (id garlic_id, the inner message's expiration) carrying `message`
// in one LOCAL clove to router_key: how a DatabaseLookup or DatabaseStore travels to an ECIES
// floodfill through a tunnel (i2pd's WrapECIESX25519MessageForRouter makes the same shape).
Result<i2np::Message> wrap_for_router(const crypto::X25519Public& router_key,
                                      const i2np::Message& message, MessageId garlic_id,
                                      WallTime now, crypto::Rng& rng);

// The receiving side, owned by the router: our static key, the Noise h precomputed up to
// MixHash(our public key), and the replay cache of ephemeral keys.
class RouterDecryptor {
public:
    struct Config {
        // DateTime window: older or further in the future is Errc::expired.
        Milliseconds max_age{5 * 60 * 1000};
        Milliseconds max_future{2 * 60 * 1000};
        std::size_t replay_capacity = 64 * 1024;
        // ecies-routers.rst requires the DateTime block. Off only as an interop escape hatch:
        // undated messages are then accepted, protected by the ephemeral-key cache alone.
        bool require_date_time = true;
    };

    explicit RouterDecryptor(crypto::Key32 static_private);
    RouterDecryptor(crypto::Key32 static_private, Config config);

    const crypto::X25519Public& public_key() const { return public_key_; }

    // Decrypts a Garlic message body (i2np::Garlic::ciphertext) and checks it: Errc::truncated
    // if shorter than key + MAC, Error::replayed for an ephemeral key already accepted,
    // Errc::bad_signature if the MAC fails, Error::missing_date_time / block_not_allowed for
    // payloads ecies-routers.rst forbids, Errc::expired for a DateTime outside the window. The
    // ephemeral key is remembered only once the whole message is accepted, so forged messages
    // cannot block a genuine one.
    Result<std::vector<Block>> decrypt(Bytes body, WallTime now);

    // Decryption only (no replay, time or block checks): the plaintext payload.
    Result<std::vector<std::uint8_t>> open(Bytes body) const;

private:
    crypto::Key32 private_key_;
    crypto::X25519Public public_key_;
    crypto::Hash32 h_; // h after MixHash(prologue) and MixHash(our static key)
    Config config_;
    ReplayCache replay_;
};

// Checks a decrypted to-router payload: DateTime first and only there (Error::missing_date_time
// without one unless require_date_time is false), no session-only blocks (Termination, Message
// Number, Next Key, Ack, Ack Request). Unknown types are ignored.
Result<void> check_router_payload(std::span<const Block> blocks, bool require_date_time = true);

} // namespace umbra::garlic
