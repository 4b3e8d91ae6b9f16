#include "router/data/private_keys.h"

#include "crypto/elgamal.h"
#include "crypto/secret.h"
#include "crypto/x25519.h"
#include "router/base/check.h"

namespace umbra::data {

SecretBytes::~SecretBytes()
{
    crypto::secure_wipe(data_.data(), data_.size());
}

SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept
{
    if (this != &o) {
        crypto::secure_wipe(data_.data(), data_.size());
        data_ = std::move(o.data_);
        o.data_.clear();
    }
    return *this;
}

Result<PrivateKeys> PrivateKeys::parse(Bytes data)
{
    ByteReader r(data);
    UMBRA_TRY(auto id, KeysAndCert::parse(r));
    const auto crypto_size = crypto_private_key_size(id.crypto_type());
    const auto sig = crypto::sig_type_info(std::uint16_t(id.sig_type()));
    if (!crypto_size || !sig) {
        return Errc::unsupported;
    }
    UMBRA_TRY(const Bytes crypto_private, r.bytes(*crypto_size));
    UMBRA_TRY(const Bytes signing_private, r.bytes(sig->private_key_size));
    UMBRA_TRY_VOID(r.expect_end());
    return PrivateKeys(std::move(id), SecretBytes(crypto_private), SecretBytes(signing_private));
}

std::vector<std::uint8_t> PrivateKeys::serialize() const
{
    ByteWriter w(identity_.size() + crypto_private_.size() + signing_private_.size());
    identity_.write(w);
    w.bytes(crypto_private_.bytes());
    w.bytes(signing_private_.bytes());
    return w.take();
}

PrivateKeys PrivateKeys::generate_router(crypto::Rng& rng)
{
    auto x = crypto::X25519Keypair::generate(rng);
    auto s = crypto::SigningKey::generate(crypto::SigType::eddsa_sha512_ed25519, rng);
    auto id = RouterIdentity::create(x.public_key, s.public_key(), rng);
    UMBRA_CHECK(id.has_value());
    return PrivateKeys(std::move(*id), SecretBytes(x.private_key.bytes()),
                       SecretBytes(s.private_key()));
}

PrivateKeys PrivateKeys::generate_destination(crypto::SigType sig_type, crypto::Rng& rng)
{
    UMBRA_CHECK(sig_type == crypto::SigType::eddsa_sha512_ed25519 ||
                sig_type == crypto::SigType::redsa_sha512_ed25519);
    auto x = crypto::X25519Keypair::generate(rng);
    auto s = crypto::SigningKey::generate(sig_type, rng);
    auto id = KeysAndCert::create(std::uint16_t(CryptoType::x25519), x.public_key, sig_type,
                                  s.public_key(), rng);
    UMBRA_CHECK(id.has_value());
    return PrivateKeys(std::move(*id), SecretBytes(x.private_key.bytes()),
                       SecretBytes(s.private_key()));
}

std::optional<crypto::SigningKey> PrivateKeys::signing_key() const
{
    const auto t = identity_.sig_type();
    if (t != crypto::SigType::eddsa_sha512_ed25519 && t != crypto::SigType::redsa_sha512_ed25519) {
        return std::nullopt;
    }
    return crypto::SigningKey::from_private(t, signing_private_.bytes());
}

Result<void> PrivateKeys::check_crypto_key() const
{
    std::vector<std::uint8_t> pub;
    if (identity_.crypto_type() == std::uint16_t(CryptoType::x25519)) {
        const auto k = crypto::x25519_public_from_private(crypto_private_.bytes());
        pub.assign(k.begin(), k.end());
    } else if (identity_.crypto_type() == std::uint16_t(CryptoType::elgamal)) {
        const auto k = crypto::elgamal_public_from_private(crypto_private_.bytes());
        pub.assign(k.begin(), k.end());
    } else {
        return Errc::unsupported;
    }
    if (!crypto::constant_time_equal(pub, identity_.crypto_public_key())) {
        return Errc::invalid_value;
    }
    return {};
}

Result<void> PrivateKeys::check_signing_key() const
{
    const auto t = identity_.sig_type();
    if (t != crypto::SigType::eddsa_sha512_ed25519 && t != crypto::SigType::redsa_sha512_ed25519) {
        return Errc::unsupported;
    }
    const auto key = signing_key();
    if (!key || !crypto::constant_time_equal(key->public_key(), identity_.signing_public_key())) {
        return Errc::invalid_value;
    }
    return {};
}

} // namespace umbra::data
