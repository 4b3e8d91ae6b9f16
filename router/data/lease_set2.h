// Lease2 and LeaseSet2, DatabaseStore type 3 (common-structures.rst, "Lease2", "LeaseSet2").
#pragma once
#include <vector>

#include "router/base/ids.h"
#include "router/data/lease_set2_header.h"
#include "router/data/mapping.h"

namespace umbra::data {

inline constexpr std::size_t max_lease2s = 16; // "0 <= num <= 16"
// "1 <= numk <= max TBD": umbra's limit. Five key types are defined; 8 leaves room.
inline constexpr std::size_t max_encryption_keys = 8;

struct Lease2 {
    IdentHash tunnel_gw;
    TunnelId tunnel_id;
    std::uint32_t end_date = 0; // seconds since the epoch

    static Result<Lease2> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    bool operator==(const Lease2&) const = default;
};

struct EncryptionKey {
    std::uint16_t type = 0; // CryptoType; unknown types are kept, so floodfills can store them
    std::vector<std::uint8_t> key;

    bool operator==(const EncryptionKey&) const = default;
};

struct LeaseSet2Content {
    static constexpr LeaseSetType store_type = LeaseSetType::lease_set2;

    LeaseSet2Header header;
    Mapping options; // "LS2 options MUST be sorted by key"
    std::vector<EncryptionKey> encryption_keys;
    std::vector<Lease2> leases;

    // keylen must match a known type's length ("Must match the specified length").
    static Result<LeaseSet2Content> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    Result<void> check() const;

    Signer signer() const { return header.signer(); }
    Result<void> verify_offline() const { return header.verify_offline(); }
    EntryTimes times() const { return header.times(); }

    bool operator==(const LeaseSet2Content&) const = default;
};

using LeaseSet2 = SignedEntry<LeaseSet2Content>;

} // namespace umbra::data
