// Private key files: a Destination or RouterIdentity, then the crypto private key (sized by the
// crypto type: 256 bytes ElGamal, 32 bytes X25519), then the signing private key (sized by the
// sig type, "SigningPrivateKey"). This is the PrivateKeyFile layout of i2pd and Java I2P; the
// offline-signing extension of that format is not supported.
#pragma once
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/data/keys_and_cert.h"

namespace umbra::data {

// A variable-length secret: move-only, wiped on destruction (ARCHITECTURE.md §6).
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(Bytes b) : data_(b.begin(), b.end()) {}
    ~SecretBytes();
    SecretBytes(SecretBytes&& o) noexcept : data_(std::move(o.data_)) { o.data_.clear(); }
    SecretBytes& operator=(SecretBytes&& o) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    Bytes bytes() const { return data_; }
    std::size_t size() const { return data_.size(); }

private:
    std::vector<std::uint8_t> data_;
};

class PrivateKeys {
public:
    // The whole span must be one key file.
    static Result<PrivateKeys> parse(Bytes data);
    std::vector<std::uint8_t> serialize() const;

    // A new router identity: X25519 (crypto type 4), Ed25519 (sig type 7), KEY certificate.
    static PrivateKeys generate_router(crypto::Rng& rng);
    // A new destination with an X25519 crypto key and a sig type umbra can sign with (7 or 11);
    // aborts on any other sig type (a caller bug).
    static PrivateKeys generate_destination(crypto::SigType sig_type, crypto::Rng& rng);

    const KeysAndCert& identity() const { return identity_; }
    Bytes crypto_private_key() const { return crypto_private_.bytes(); }
    Bytes signing_private_key() const { return signing_private_.bytes(); }

    // The signer for types 7 and 11; nothing for the types umbra only verifies.
    std::optional<crypto::SigningKey> signing_key() const;

    // Derive the public key from the private one and compare it with the identity:
    // Errc::invalid_value on a mismatch, Errc::unsupported where umbra cannot derive (DSA, ECDSA
    // and RSA signing keys). parse has checked every size already.
    Result<void> check_crypto_key() const;
    Result<void> check_signing_key() const;

private:
    PrivateKeys(KeysAndCert id, SecretBytes crypto_private, SecretBytes signing_private)
        : identity_(std::move(id)), crypto_private_(std::move(crypto_private)),
          signing_private_(std::move(signing_private))
    {
    }

    KeysAndCert identity_;
    SecretBytes crypto_private_;
    SecretBytes signing_private_;
};

} // namespace umbra::data
