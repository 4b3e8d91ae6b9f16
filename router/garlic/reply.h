// Lookup replies encrypted with a requester-chosen key and tag (i2np.rst DatabaseLookup "ECIES to
// ElG" / "ECIES to ECIES (0.9.49)", proposal 154): an ECIES "Existing Session" message
// (ecies.rst 1h) without a session:
//
//   +-- 8 bytes --+---- payload blocks + 16-byte MAC ----+
//   | reply_tag   |  ENCRYPT(reply_key, n=0, blocks, ad=reply_tag)
//
// The payload is one Garlic Clove with LOCAL delivery holding the DatabaseStore or
// DatabaseSearchReply, then padding. The same format carries garlic-wrapped Outbound Tunnel Build
// Replies, keyed by the "RGarlicKeyAndTag" KDF (tunnel-creation-ecies.rst "Garlic Encryption").
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "crypto/random.h"
#include "crypto/secret.h"
#include "router/base/clock.h"
#include "router/base/result.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/delivery.h"
#include "router/garlic/blocks.h"

namespace umbra::garlic {

using ReplyTag = std::array<std::uint8_t, 8>;
inline constexpr std::size_t kReplyTagSize = 8;

// Encrypts a serialized payload with key and tag. Errc::too_large if it does not fit.
Result<i2np::Garlic> seal_with_tag(const crypto::Key32& key, const ReplyTag& tag, Bytes plaintext);
// The inverse: Errc::truncated below tag + MAC, Errc::bad_signature if the MAC fails.
Result<std::vector<std::uint8_t>> open_with_tag(const crypto::Key32& key, Bytes body);

// One LOCAL clove carrying `reply`, then 0-15 bytes of padding, sealed with the first tag.
// Errc::invalid_value if keys holds no tag.
Result<i2np::Garlic> encrypt_reply(const i2np::EciesReplyKeys& keys, const i2np::Message& reply,
                                   crypto::Rng& rng);
// The same with a key and tag of our own (an OBEP's garlic-wrapped build reply, a tunnel test).
Result<i2np::Garlic> encrypt_reply(const crypto::Key32& key, const ReplyTag& tag,
                                   const i2np::Message& reply, crypto::Rng& rng);

// What a floodfill sends back for a lookup: `reply` itself when no encryption was asked for, a
// Garlic message (id `garlic_id`, the reply's expiration) for ECIES keys, and Errc::unsupported
// for ElGamal/AES session keys ("ElG to ElG", deprecated since 0.9.58; not implemented).
Result<i2np::Message> wrap_lookup_reply(const i2np::ReplyEncryption& encryption,
                                        i2np::Message reply, MessageId garlic_id, crypto::Rng& rng);

// The requester's side: key+tag pairs registered for pending lookups (or tunnel builds), each
// used once, expiring with its request. Bounded: add() fails with Errc::too_large when full.
class ReplyKeyRing {
public:
    explicit ReplyKeyRing(std::size_t capacity = 4096);

    // Errc::invalid_value if the tag is already registered.
    Result<void> add(crypto::Key32 key, const ReplyTag& tag, WallTime expires, WallTime now);
    // Draws a fresh key and tag from rng, registers them and returns them for the lookup.
    Result<i2np::EciesReplyKeys> create(crypto::Rng& rng, WallTime expires, WallTime now);

    // nullopt if body does not start with a registered, unexpired tag. Otherwise the parsed
    // payload, or the decryption error; the tag is consumed only on success, so a forged message
    // with a seen tag cannot cancel the genuine reply.
    std::optional<Result<std::vector<Block>>> try_decrypt(Bytes body, WallTime now);

    bool contains(const ReplyTag& tag, WallTime now) const;
    void expire(WallTime now);
    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        crypto::Key32 key;
        WallTime expires;
    };
    static std::uint64_t index(const ReplyTag& tag);

    std::size_t capacity_;
    // Keyed by tag bytes; tags are ours (random), so the map cannot be flooded from outside.
    std::unordered_map<std::uint64_t, Entry> entries_;
};

} // namespace umbra::garlic
