// MetaLease and MetaLeaseSet, DatabaseStore type 7 (common-structures.rst, "MetaLease",
// "MetaLeaseSet").
#pragma once
#include <vector>

#include "router/base/ids.h"
#include "router/data/lease_set2_header.h"
#include "router/data/mapping.h"

namespace umbra::data {

// "1 <= num <= max TBD" and "0 <= numr <= max TBD": umbra's limits. Large services nest
// MetaLeaseSets (network-database.html, "Meta LeaseSet"), so each level stays small.
inline constexpr std::size_t max_meta_leases = 16;
inline constexpr std::size_t max_revocations = 16;

struct MetaLease {
    // Bits 3-0 of flags: the type of the entry tunnel_gw names.
    static constexpr std::uint32_t type_lease_set = 1;
    static constexpr std::uint32_t type_lease_set2 = 3;
    static constexpr std::uint32_t type_meta_lease_set = 5;

    IdentHash tunnel_gw;     // a router hash, or the hash of another MetaLeaseSet
    std::uint32_t flags = 0; // 3 bytes on the wire; bits 23-4 are kept as read
    std::uint8_t cost = 0;
    std::uint32_t end_date = 0; // seconds since the epoch

    std::uint32_t entry_type() const { return flags & 0xf; }
    static Result<MetaLease> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    bool operator==(const MetaLease&) const = default;
};

struct MetaLeaseSetContent {
    static constexpr LeaseSetType store_type = LeaseSetType::meta_lease_set;

    LeaseSet2Header header;
    Mapping options;
    std::vector<MetaLease> leases;
    std::vector<IdentHash> revocations;

    static Result<MetaLeaseSetContent> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    Result<void> check() const;

    Signer signer() const { return header.signer(); }
    Result<void> verify_offline() const { return header.verify_offline(); }
    EntryTimes times() const { return header.times(); }

    bool operator==(const MetaLeaseSetContent&) const = default;
};

using MetaLeaseSet = SignedEntry<MetaLeaseSetContent>;

} // namespace umbra::data
