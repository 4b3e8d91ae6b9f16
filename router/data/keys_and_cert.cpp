#include "router/data/keys_and_cert.h"

#include <algorithm>
#include <array>

#include "crypto/hash.h"
#include "router/base/encoding.h"

namespace umbra::data {

Result<KeysAndCert> KeysAndCert::parse(ByteReader& in)
{
    const Bytes start = in.peek_rest();
    UMBRA_TRY(const Bytes area, in.bytes(key_area_size));
    UMBRA_TRY(auto cert, Certificate::parse(in));
    const KeyLayout& l = cert.layout();
    const std::size_t in_slot = std::min(l.signing_key_size, signing_slot_size);

    KeysAndCert k;
    k.raw_.assign(start.begin(), start.begin() + std::ptrdiff_t(key_area_size + cert.size()));
    const Bytes slot = area.subspan(key_area_size - in_slot);
    const Bytes excess = cert.excess_signing_key();
    k.signing_key_.reserve(slot.size() + excess.size());
    k.signing_key_.assign(slot.begin(), slot.end());
    k.signing_key_.insert(k.signing_key_.end(), excess.begin(), excess.end());
    k.cert_ = std::move(cert);
    k.hash_ = IdentHash(crypto::sha256(k.raw_));
    return k;
}

Result<KeysAndCert> KeysAndCert::from_bytes(Bytes data)
{
    ByteReader r(data);
    UMBRA_TRY(auto k, parse(r));
    UMBRA_TRY_VOID(r.expect_end());
    return k;
}

Result<KeysAndCert> KeysAndCert::create(std::uint16_t crypto_type, Bytes crypto_public_key,
                                        crypto::SigType sig_type, Bytes signing_public_key,
                                        crypto::Rng& rng)
{
    UMBRA_TRY(const auto layout, key_layout(std::uint16_t(sig_type), crypto_type));
    if (crypto_public_key.size() != layout.crypto_key_size ||
        signing_public_key.size() != layout.signing_key_size) {
        return Errc::invalid_value;
    }
    std::array<std::uint8_t, 32> block;
    rng.fill(block);
    std::array<std::uint8_t, key_area_size> area;
    for (std::size_t i = 0; i < area.size(); ++i) {
        area[i] = block[i % block.size()];
    }
    std::copy(crypto_public_key.begin(), crypto_public_key.end(), area.begin());
    const std::size_t in_slot = std::min(layout.signing_key_size, signing_slot_size);
    std::copy_n(signing_public_key.begin(), in_slot, area.end() - std::ptrdiff_t(in_slot));

    const bool legacy =
        sig_type == crypto::SigType::dsa_sha1 && crypto_type == std::uint16_t(CryptoType::elgamal);
    // "Use a NULL certificate in the canonical representation of a (ElGamal,DSA_SHA1)" pair.
    const Certificate cert =
        legacy ? Certificate() : Certificate::key(layout, signing_public_key.subspan(in_slot));
    ByteWriter w(key_area_size + cert.size());
    w.bytes(area);
    cert.write(w);
    return from_bytes(w.view());
}

Bytes KeysAndCert::crypto_public_key() const
{
    return Bytes(raw_).first(cert_.layout().crypto_key_size);
}

bool KeysAndCert::verify(Bytes message, Bytes signature) const
{
    return crypto::verify_signature(sig_type(), signing_key_, message, signature);
}

bool KeysAndCert::signing_key_matches(const crypto::SigningKey& key) const
{
    const Bytes pub = key.public_key();
    return key.type() == sig_type() &&
           std::equal(pub.begin(), pub.end(), signing_key_.begin(), signing_key_.end());
}

namespace {

// "never used for Router Identities" in the SigningPublicKey table.
bool router_sig_type_allowed(crypto::SigType t)
{
    switch (t) {
    case crypto::SigType::dsa_sha1:
    case crypto::SigType::ecdsa_sha256_p256:
    case crypto::SigType::ecdsa_sha384_p384:
    case crypto::SigType::ecdsa_sha512_p521:
    case crypto::SigType::eddsa_sha512_ed25519:
        return true;
    default:
        return false;
    }
}

} // namespace

Result<RouterIdentity> RouterIdentity::from(KeysAndCert keys)
{
    if (!router_sig_type_allowed(keys.sig_type())) {
        return Errc::unsupported;
    }
    return RouterIdentity(std::move(keys));
}

Result<RouterIdentity> RouterIdentity::parse(ByteReader& in)
{
    UMBRA_TRY(auto k, KeysAndCert::parse(in));
    return from(std::move(k));
}

Result<RouterIdentity> RouterIdentity::from_bytes(Bytes data)
{
    UMBRA_TRY(auto k, KeysAndCert::from_bytes(data));
    return from(std::move(k));
}

Result<RouterIdentity> RouterIdentity::create(Bytes x25519_public_key, Bytes ed25519_public_key,
                                              crypto::Rng& rng)
{
    UMBRA_TRY(auto k,
              KeysAndCert::create(std::uint16_t(CryptoType::x25519), x25519_public_key,
                                  crypto::SigType::eddsa_sha512_ed25519, ed25519_public_key, rng));
    return from(std::move(k));
}

Result<Destination> Destination::parse(ByteReader& in)
{
    UMBRA_TRY(auto k, KeysAndCert::parse(in));
    return Destination(std::move(k));
}

Result<Destination> Destination::from_bytes(Bytes data)
{
    UMBRA_TRY(auto k, KeysAndCert::from_bytes(data));
    return Destination(std::move(k));
}

std::string b32_address(const Destination& destination)
{
    return base32_encode(destination.ident_hash().span()) + ".b32.i2p";
}

} // namespace umbra::data
