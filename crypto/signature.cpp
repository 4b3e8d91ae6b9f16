#include "crypto/signature.h"

#include "crypto/detail.h"
#include "crypto/ed25519.h"
#include "crypto/ed25519_group.h"
#include "crypto/verify.h"

namespace umbra::crypto {

std::optional<SigTypeInfo> sig_type_info(std::uint16_t code)
{
    // common-structures.rst: SigningPublicKey, SigningPrivateKey and Signature tables.
    switch (static_cast<SigType>(code)) {
    case SigType::dsa_sha1:
        return SigTypeInfo{128, 20, 40};
    case SigType::ecdsa_sha256_p256:
        return SigTypeInfo{64, 32, 64};
    case SigType::ecdsa_sha384_p384:
        return SigTypeInfo{96, 48, 96};
    case SigType::ecdsa_sha512_p521:
        return SigTypeInfo{132, 66, 132};
    case SigType::rsa_sha256_2048:
        return SigTypeInfo{256, 512, 256};
    case SigType::rsa_sha384_3072:
        return SigTypeInfo{384, 768, 384};
    case SigType::rsa_sha512_4096:
        return SigTypeInfo{512, 1024, 512};
    case SigType::eddsa_sha512_ed25519:
    case SigType::eddsa_sha512_ed25519ph:
    case SigType::redsa_sha512_ed25519:
        return SigTypeInfo{32, 32, 64};
    }
    return std::nullopt;
}

bool verify_signature(SigType type, Bytes public_key, Bytes message, Bytes signature)
{
    const auto info = sig_type_info(static_cast<std::uint16_t>(type));
    if (!info || public_key.size() != info->public_key_size ||
        signature.size() != info->signature_size) {
        return false;
    }
    switch (type) {
    case SigType::dsa_sha1:
        return dsa_sha1_verify(public_key, message, signature);
    case SigType::ecdsa_sha256_p256:
        return ecdsa_verify(EcdsaCurve::p256, public_key, message, signature);
    case SigType::ecdsa_sha384_p384:
        return ecdsa_verify(EcdsaCurve::p384, public_key, message, signature);
    case SigType::ecdsa_sha512_p521:
        return ecdsa_verify(EcdsaCurve::p521, public_key, message, signature);
    case SigType::rsa_sha256_2048:
        return rsa_verify(RsaHash::sha256, public_key, message, signature);
    case SigType::rsa_sha384_3072:
        return rsa_verify(RsaHash::sha384, public_key, message, signature);
    case SigType::rsa_sha512_4096:
        return rsa_verify(RsaHash::sha512, public_key, message, signature);
    case SigType::eddsa_sha512_ed25519:
        return ed25519_verify(public_key, message, signature);
    case SigType::eddsa_sha512_ed25519ph:
        return false; // prehashed Ed25519: never seen in the network, not supported
    case SigType::redsa_sha512_ed25519:
        return reddsa_verify(public_key, message, signature);
    }
    return false;
}

SigningKey::SigningKey(SigType type, Key32 priv) : type_(type), private_(std::move(priv))
{
    if (type == SigType::eddsa_sha512_ed25519) {
        public_ = ed25519_.emplace(private_.bytes()).public_key();
    } else {
        public_ = reddsa_public_from_private(private_.bytes());
    }
}

SigningKey SigningKey::generate(SigType type, Rng& rng)
{
    if (type == SigType::eddsa_sha512_ed25519) {
        Key32 seed;
        rng.fill(seed.mutable_bytes());
        return SigningKey(type, std::move(seed));
    }
    detail::check(type == SigType::redsa_sha512_ed25519,
                  "SigningKey supports only sig types 7 and 11");
    return SigningKey(type, reddsa_generate_private(rng));
}

std::optional<SigningKey> SigningKey::from_private(SigType type, Bytes private_key)
{
    if (private_key.size() != 32) {
        return std::nullopt;
    }
    if (type == SigType::redsa_sha512_ed25519 &&
        !ed25519::scalar_is_canonical(private_key.first<32>())) {
        return std::nullopt; // red25519.rst: private keys are scalars mod L
    }
    if (type != SigType::eddsa_sha512_ed25519 && type != SigType::redsa_sha512_ed25519) {
        return std::nullopt;
    }
    return SigningKey(type, Key32(private_key));
}

std::vector<std::uint8_t> SigningKey::sign(Bytes message, Rng& rng) const
{
    const Ed25519Signature sig =
        ed25519_ ? ed25519_->sign(message) : reddsa_sign(private_.bytes(), message, rng);
    return {sig.begin(), sig.end()};
}

} // namespace umbra::crypto
