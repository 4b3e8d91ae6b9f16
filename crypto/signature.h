// Dispatch over I2P signature types (common-structures.rst, "Signature" / "SigningPublicKey"):
// sizes and verification for every type, signing for the two types umbra creates.
#pragma once
#include <optional>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/random.h"
#include "crypto/secret.h"

namespace umbra::crypto {

enum class SigType : std::uint16_t {
    dsa_sha1 = 0,
    ecdsa_sha256_p256 = 1,
    ecdsa_sha384_p384 = 2,
    ecdsa_sha512_p521 = 3,
    rsa_sha256_2048 = 4,
    rsa_sha384_3072 = 5,
    rsa_sha512_4096 = 6,
    eddsa_sha512_ed25519 = 7,
    eddsa_sha512_ed25519ph = 8, // unsupported for verification (never used in the network)
    redsa_sha512_ed25519 = 11,
};

struct SigTypeInfo {
    std::size_t public_key_size;
    std::size_t private_key_size;
    std::size_t signature_size;
};

// Sizes for a known type; nothing for unknown or unsupported type codes.
std::optional<SigTypeInfo> sig_type_info(std::uint16_t code);

// Verifies with any supported type. False for a wrong key/signature length or unknown type.
[[nodiscard]] bool verify_signature(SigType type, Bytes public_key, Bytes message, Bytes signature);

// A private signing key of type 7 or 11 (what umbra creates).
class SigningKey {
public:
    static SigningKey generate(SigType type, Rng& rng);
    static std::optional<SigningKey> from_private(SigType type, Bytes private_key);

    SigType type() const { return type_; }
    Bytes public_key() const { return public_; }
    Bytes private_key() const { return private_.bytes(); }
    // Ed25519 is deterministic; RedDSA draws its nonce from rng.
    std::vector<std::uint8_t> sign(Bytes message, Rng& rng) const;

private:
    SigningKey(SigType type, Key32 priv);
    SigType type_;
    Key32 private_;
    std::array<std::uint8_t, 32> public_{};
    std::optional<Ed25519Signer> ed25519_; // type 7: the key imported once, not per signature
};

} // namespace umbra::crypto
