// DatabaseLookup (type 2), i2np.rst, with the reply encryption variants of proposal 154.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"

namespace umbra::i2np {

// Flag bits 3-2 (as of 0.9.16).
enum class LookupType : std::uint8_t {
    any = 0, // deprecated
    lease_set = 1,
    router_info = 2,
    exploration = 3,
};

// A reply key with 1..32 tags of TagSize bytes. The key is a one-time session key chosen by the
// requester; the garlic layer copies it into a crypto::Key32 before use.
template <std::size_t TagSize> struct ReplyKeys {
    static constexpr std::size_t kTagSize = TagSize;
    std::array<std::uint8_t, 32> key{};
    std::vector<std::array<std::uint8_t, TagSize>> tags;
    bool operator==(const ReplyKeys&) const = default;
};

// encryptionFlag=1, ECIESFlag=0: AES reply with 32-byte session tags ("ElG to ElG").
using ElGamalReplyKeys = ReplyKeys<32>;
// encryptionFlag=0, ECIESFlag=1: ChaCha20/Poly1305 reply with 8-byte tags ("ECIES to ElG/ECIES").
using EciesReplyKeys = ReplyKeys<8>;
// monostate: no reply encryption (both flags 0).
using ReplyEncryption = std::variant<std::monostate, ElGamalReplyKeys, EciesReplyKeys>;

struct DatabaseLookup {
    static constexpr MessageType type = MessageType::database_lookup;
    static constexpr std::size_t kMaxExcludedPeers = 512; // "size" valid range 0-512
    static constexpr std::size_t kMaxReplyTags = 32;      // "tags" valid range 1-32

    IdentHash key;
    // deliveryFlag=0: the router to reply to directly; 1: the reply tunnel's gateway.
    IdentHash from;
    LookupType lookup_type = LookupType::any;
    // Present iff deliveryFlag=1; nonzero.
    std::optional<TunnelId> reply_tunnel;
    std::vector<IdentHash> excluded_peers;
    ReplyEncryption reply_encryption;
    // Flag bits 7-5: ignored since 0.9.6, kept so re-serialization is exact.
    std::uint8_t reserved_flags = 0;

    // Errc::unsupported when both encryption flags are set: that mode's format is still "TBD".
    static Result<DatabaseLookup> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const DatabaseLookup&) const = default;
};

} // namespace umbra::i2np
