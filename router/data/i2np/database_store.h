// DatabaseStore (type 1) and DatabaseSearchReply (type 3), i2np.rst. The stored RouterInfo or
// LeaseSet stays opaque here: router/data parses it.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"

namespace umbra::i2np {

// DatabaseStore "type": bit 0 and bits 3-1 together (i2np.rst, as of 0.9.38).
enum class DatabaseEntryType : std::uint8_t {
    router_info = 0,
    lease_set = 1,
    lease_set2 = 3,
    encrypted_lease_set = 5,
    meta_lease_set = 7,
};

// Present when the reply token is nonzero.
struct StoreReply {
    MessageId token;   // nonzero: the msg_id of the DeliveryStatus the sender asks for
    TunnelId tunnel;   // 0: send the DeliveryStatus directly to `gateway`
    IdentHash gateway; // inbound gateway of the reply tunnel, or the router itself
    bool operator==(const StoreReply&) const = default;
};

struct DatabaseStore {
    static constexpr MessageType type = MessageType::database_store;

    IdentHash key;
    DatabaseEntryType entry_type = DatabaseEntryType::router_info;
    // Bits 7-4 of the type byte: ignored since 0.9.18, kept so re-serialization is exact.
    std::uint8_t reserved_type_bits = 0;
    std::optional<StoreReply> reply;
    // router_info: the gzip-compressed RouterInfo (at most 65535 bytes; its 2-byte length is
    // implicit). Other types: the uncompressed LeaseSet variant. Never empty.
    std::vector<std::uint8_t> data;

    static Result<DatabaseStore> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const DatabaseStore&) const = default;
};

struct DatabaseSearchReply {
    static constexpr MessageType type = MessageType::database_search_reply;
    static constexpr std::size_t kMaxPeers = 255; // 1-byte "num"

    IdentHash key;
    std::vector<IdentHash> peers;
    IdentHash from; // unauthenticated (i2np.rst notes)

    static Result<DatabaseSearchReply> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const DatabaseSearchReply&) const = default;
};

} // namespace umbra::i2np
