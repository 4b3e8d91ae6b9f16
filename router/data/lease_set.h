// Lease and LeaseSet, DatabaseStore type 1 (common-structures.rst, "Lease", "LeaseSet").
#pragma once
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/base/ids.h"
#include "router/data/keys_and_cert.h"

namespace umbra::data {

inline constexpr std::size_t max_leases = 16;                     // "0 <= num <= 16"
inline constexpr std::size_t lease_set_encryption_key_size = 256; // ElGamal

struct Lease {
    IdentHash tunnel_gw;
    TunnelId tunnel_id;
    std::uint64_t end_date = 0; // ms since the epoch

    static Result<Lease> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    bool operator==(const Lease&) const = default;
};

struct LeaseSetContent {
    Destination destination;
    std::vector<std::uint8_t> encryption_key; // 256 bytes
    // Unused (revocation was never implemented) but present; sized by the destination's type.
    std::vector<std::uint8_t> signing_key;
    std::vector<Lease> leases;

    static Result<LeaseSetContent> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    bool operator==(const LeaseSetContent&) const = default;
};

// Immutable; keeps its bytes. Unlike the LeaseSet2 family the signature covers the content
// alone, with no type byte.
class LeaseSet {
public:
    // The whole span must be one LeaseSet. Does not verify.
    static Result<LeaseSet> parse(Bytes data);
    // Errc::invalid_value when key is not the destination's or a key size is wrong;
    // Errc::too_large over max_leases.
    static Result<LeaseSet> create(LeaseSetContent content, const crypto::SigningKey& key,
                                   crypto::Rng& rng);

    const LeaseSetContent& content() const { return content_; }
    const Destination& destination() const { return content_.destination; }
    Bytes bytes() const { return raw_; }
    // Writes the parsed fields anew; equal to bytes() (parse accepts only the canonical form).
    std::vector<std::uint8_t> serialize() const;
    Bytes signed_bytes() const { return Bytes(raw_).first(content_size_); }
    Bytes signature() const { return Bytes(raw_).subspan(content_size_); }
    // The earliest lease end date, which orders versions ("Notes"); 0 without leases.
    std::uint64_t earliest_expiration() const;

    [[nodiscard]] bool verify() const;

private:
    LeaseSet(LeaseSetContent c, Bytes raw, std::size_t content_size)
        : content_(std::move(c)), raw_(raw.begin(), raw.end()), content_size_(content_size)
    {
    }

    LeaseSetContent content_;
    std::vector<std::uint8_t> raw_;
    std::size_t content_size_;
};

} // namespace umbra::data
