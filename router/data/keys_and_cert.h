// KeysAndCert, RouterIdentity and Destination (common-structures.rst, "KeysAndCert",
// "RouterIdentity", "Destination"), and .b32.i2p addresses (naming.html, "Base32 Names").
#pragma once
#include <string>
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/data/certificate.h"

namespace umbra::data {

// The 384-byte key area: the crypto public key at the start of the 256-byte crypto slot, the
// signing key right-aligned in the 128-byte signing slot (its first 128 bytes when longer, the
// rest in the Key Certificate), random padding between ("Key Certificates").
inline constexpr std::size_t key_area_size = 384;
inline constexpr std::size_t crypto_slot_size = 256;
inline constexpr std::size_t signing_slot_size = 128;

// Immutable; keeps the bytes it was parsed from, so write() reproduces them exactly (the padding
// is covered by the identity hash).
class KeysAndCert {
public:
    // Consumes exactly one KeysAndCert (384 bytes plus its certificate).
    static Result<KeysAndCert> parse(ByteReader& in);
    // The whole span must be one KeysAndCert.
    static Result<KeysAndCert> from_bytes(Bytes data);
    // A new structure; the padding (and nothing else) comes from rng, as one 32-byte random block
    // repeated (proposal 161, "Padding Generation Guidelines"). The ElGamal/DSA pair gets a
    // NULL certificate, every other pair a KEY certificate. Errc::invalid_value when a key's
    // size does not match its type.
    static Result<KeysAndCert> create(std::uint16_t crypto_type, Bytes crypto_public_key,
                                      crypto::SigType sig_type, Bytes signing_public_key,
                                      crypto::Rng& rng);

    Bytes bytes() const { return raw_; }
    std::size_t size() const { return raw_.size(); }
    void write(ByteWriter& out) const { out.bytes(raw_); }

    std::uint16_t crypto_type() const { return cert_.layout().crypto_type; }
    crypto::SigType sig_type() const { return cert_.layout().sig_type; }
    std::size_t signature_size() const { return cert_.layout().signature_size; }
    Bytes crypto_public_key() const;
    Bytes signing_public_key() const { return signing_key_; }
    const Certificate& certificate() const { return cert_; }

    // SHA-256 of the full structure, padding and certificate included.
    const IdentHash& ident_hash() const { return hash_; }

    [[nodiscard]] bool verify(Bytes message, Bytes signature) const;
    // Whether key is the private half of this structure's signing key.
    bool signing_key_matches(const crypto::SigningKey& key) const;

    bool operator==(const KeysAndCert& o) const { return raw_ == o.raw_; }

private:
    std::vector<std::uint8_t> raw_;
    std::vector<std::uint8_t> signing_key_; // joined from the slot and the certificate
    Certificate cert_;
    IdentHash hash_;
};

// A router's identity. RouterIdentities are never RSA, Ed25519ph or RedDSA ("SigningPublicKey"
// usage column); parse rejects those types with Errc::unsupported.
class RouterIdentity : public KeysAndCert {
public:
    static Result<RouterIdentity> parse(ByteReader& in);
    static Result<RouterIdentity> from_bytes(Bytes data);
    static Result<RouterIdentity> from(KeysAndCert keys);
    // ECIES-X25519 with Ed25519, the only pair new routers use.
    static Result<RouterIdentity> create(Bytes x25519_public_key, Bytes ed25519_public_key,
                                         crypto::Rng& rng);

private:
    explicit RouterIdentity(KeysAndCert k) : KeysAndCert(std::move(k)) {}
};

class Destination : public KeysAndCert {
public:
    static Result<Destination> parse(ByteReader& in);
    static Result<Destination> from_bytes(Bytes data);
    static Destination from(KeysAndCert keys) { return Destination(std::move(keys)); }

private:
    explicit Destination(KeysAndCert k) : KeysAndCert(std::move(k)) {}
};

// base32(SHA-256(destination)) + ".b32.i2p": 52 lower-case characters and the suffix.
std::string b32_address(const Destination& destination);

} // namespace umbra::data
