// EncryptedLeaseSet, DatabaseStore type 5: the outer layer only (common-structures.rst,
// "EncryptedLeaseSet"; encryptedleaseset.rst, "Layer 0 (outer)"). The layer-1 ciphertext is
// kept opaque; decrypting it needs the blinding and key derivation of encryptedleaseset.rst.
#pragma once
#include <vector>

#include "router/data/lease_set2_header.h"

namespace umbra::data {

struct EncryptedLeaseSetContent {
    static constexpr LeaseSetType store_type = LeaseSetType::encrypted_lease_set;
    static constexpr std::uint16_t flag_offline = 1 << 0;
    static constexpr std::uint16_t flag_unpublished = 1 << 1;

    // "This will always be type 11, identifying a Red25519 blinded key": parse rejects any
    // other type with Errc::unsupported.
    crypto::SigType blinded_type = crypto::SigType::redsa_sha512_ed25519;
    std::vector<std::uint8_t> blinded_public_key;
    std::uint32_t published = 0; // seconds since the epoch
    std::uint16_t expires = 0;   // seconds after published
    // Every bit but bit 0, which is offline.has_value(); reserved bits are kept as read.
    std::uint16_t flags = 0;
    std::optional<OfflineSignature> offline;  // signed by the blinded key
    std::vector<std::uint8_t> encrypted_data; // 1 to 65535 bytes

    static Result<EncryptedLeaseSetContent> parse(ByteReader& in);
    void write(ByteWriter& out) const;
    Result<void> check() const;

    Signer signer() const;
    Result<void> verify_offline() const;
    EntryTimes times() const { return {offline ? &*offline : nullptr, published, expires}; }

    bool operator==(const EncryptedLeaseSetContent&) const = default;
};

using EncryptedLeaseSet = SignedEntry<EncryptedLeaseSetContent>;

// The DHT key an EncryptedLeaseSet is stored and looked up under: SHA-256 of the blinded key's
// 2-byte signature type and the key itself (encryptedleaseset.rst, "DHT Routing Key").
IdentHash blinded_key_hash(std::uint16_t sig_type, Bytes blinded_public_key);

} // namespace umbra::data
