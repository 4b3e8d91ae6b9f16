// Validation of a LeaseSet of any DatabaseStore type before a floodfill stores or floods it
// (network-database.html, "Flooding": "All validation must be done before flooding"): the outer
// layer is parsed, its signature verified (offline block included), its dates checked, and the
// DatabaseStore key must be the hash the entry belongs under: SHA-256 of the Destination, or for
// an EncryptedLeaseSet SHA-256(sig type || blinded public key) (encryptedleaseset.rst, "DHT").
#pragma once
#include <cstdint>

#include "netdb/store/store.h"
#include "router/base/bytes.h"
#include "router/data/i2np/database_store.h"

namespace umbra::netdb {

enum class LeaseSetErrc {
    malformed = 1, // does not parse as its type, or type is a RouterInfo
    unsupported,   // a signature or key type umbra does not know
    bad_signature,
    expired,      // outside its date window (expired, or published too far ahead)
    key_mismatch, // the DatabaseStore key is not the entry's hash
    unpublished,  // flagged "should not be flooded, published, or sent in response to a query"
};
inline constexpr std::size_t lease_set_errc_count = 7; // one past the last value

const boost::system::error_category& lease_set_check_category() noexcept;
inline ErrorCode make_error_code(LeaseSetErrc e) noexcept
{
    return {static_cast<int>(e), lease_set_check_category()};
}

// The record to hand to NetDbStore::store_lease_set under key. A LeaseSet (type 1) has no
// published date; versions are ordered by their earliest lease expiration (common-structures.rst,
// "LeaseSet" notes), so its record's published date is that expiration minus the 10-minute
// tunnel lifetime (same order, and not in the future), and it expires with its last lease.
Result<LeaseSetRecord> check_lease_set(const IdentHash& key, i2np::DatabaseEntryType type,
                                       Bytes data, WallTime now);

} // namespace umbra::netdb

template <> struct boost::system::is_error_code_enum<umbra::netdb::LeaseSetErrc> : std::true_type {
};
