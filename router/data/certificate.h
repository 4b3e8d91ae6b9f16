// Certificate and Key Certificate (common-structures.rst, "Certificate", "Key Certificates"),
// and the crypto public key types they name.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/signature.h"
#include "router/base/bytes.h"

namespace umbra::data {

// "Crypto Public Key types" of a Key Certificate, also the LeaseSet2 encryption key types.
enum class CryptoType : std::uint16_t {
    elgamal = 0,
    x25519 = 4,
    mlkem512_x25519 = 5,
    mlkem768_x25519 = 6,
    mlkem1024_x25519 = 7,
};

// Public key length of a defined encryption type; nothing for reserved or unknown codes.
std::optional<std::size_t> crypto_public_key_size(std::uint16_t code);
// Private key length as stored in key files (common-structures.rst, "PrivateKey").
std::optional<std::size_t> crypto_private_key_size(std::uint16_t code);
// Types a RouterIdentity or Destination may carry: ElGamal and X25519 ("PublicKey" table).
bool identity_crypto_type_supported(std::uint16_t code);

enum class CertType : std::uint8_t {
    null = 0,
    hashcash = 1,
    hidden = 2,
    signed_ = 3,
    multiple = 4,
    key = 5,
};

// The sizes in a KeysAndCert that a Key Certificate selects (or the NULL defaults).
struct KeyLayout {
    crypto::SigType sig_type = crypto::SigType::dsa_sha1;
    std::uint16_t crypto_type = 0;
    std::size_t crypto_key_size = 256;
    std::size_t signing_key_size = 128;
    std::size_t signature_size = 40;
    // Bytes of the signing key that do not fit the 128-byte signing slot and follow the two
    // type fields in the Key Certificate payload.
    std::size_t excess_signing_size() const
    {
        return signing_key_size > 128 ? signing_key_size - 128 : 0;
    }
};

// Layout for a sig type and crypto type pair; Errc::unsupported when either is not one a
// KeysAndCert can hold.
Result<KeyLayout> key_layout(std::uint16_t sig_type, std::uint16_t crypto_type);

class Certificate {
public:
    Certificate() = default; // NULL
    // A KEY certificate for the layout, with the excess signing key bytes.
    static Certificate key(const KeyLayout& layout, Bytes excess_signing_key);

    // Payload lengths are enforced per type, as the spec cautions ("prohibit excess data"):
    // NULL and HIDDEN empty, SIGNED 40 or 72, KEY exactly 4 + excess key data; HASHCASH and
    // MULTIPLE are opaque. Unknown types are Errc::unsupported.
    static Result<Certificate> parse(ByteReader& in);
    void write(ByteWriter& out) const;

    CertType type() const { return type_; }
    Bytes payload() const { return payload_; }
    std::size_t size() const { return 3 + payload_.size(); }

    // The layout named by a KEY certificate, or the NULL defaults for every other type.
    const KeyLayout& layout() const { return layout_; }
    // Signing key bytes beyond the 128-byte slot (KEY certificates only).
    Bytes excess_signing_key() const;

    bool operator==(const Certificate& o) const
    {
        return type_ == o.type_ && payload_ == o.payload_;
    }

private:
    CertType type_ = CertType::null;
    std::vector<std::uint8_t> payload_;
    KeyLayout layout_;
};

} // namespace umbra::data
