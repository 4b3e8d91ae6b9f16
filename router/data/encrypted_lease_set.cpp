#include "router/data/encrypted_lease_set.h"

#include "crypto/hash.h"

namespace umbra::data {

namespace {

constexpr std::size_t blinded_signature_size = 64; // RedDSA_SHA512_Ed25519

} // namespace

Result<EncryptedLeaseSetContent> EncryptedLeaseSetContent::parse(ByteReader& in)
{
    EncryptedLeaseSetContent c;
    UMBRA_TRY(const auto type, in.u16());
    if (type != std::uint16_t(crypto::SigType::redsa_sha512_ed25519)) {
        return Errc::unsupported;
    }
    UMBRA_TRY(const Bytes key, in.bytes(32));
    c.blinded_public_key.assign(key.begin(), key.end());
    UMBRA_TRY(c.published, in.u32());
    UMBRA_TRY(c.expires, in.u16());
    UMBRA_TRY(const auto flags, in.u16());
    c.flags = std::uint16_t(flags & ~flag_offline);
    if (flags & flag_offline) {
        UMBRA_TRY(c.offline, OfflineSignature::parse(in, blinded_signature_size));
    }
    UMBRA_TRY(auto data, in.u16_prefixed());
    if (data.empty()) {
        return Errc::invalid_value; // "1 <= num"
    }
    const Bytes d = data.rest();
    c.encrypted_data.assign(d.begin(), d.end());
    return c;
}

void EncryptedLeaseSetContent::write(ByteWriter& out) const
{
    out.u16(std::uint16_t(blinded_type));
    out.bytes(blinded_public_key);
    out.u32(published);
    out.u16(expires);
    out.u16(std::uint16_t((flags & ~flag_offline) | (offline ? flag_offline : 0)));
    if (offline) {
        offline->write(out);
    }
    out.u16(std::uint16_t(encrypted_data.size()));
    out.bytes(encrypted_data);
}

Result<void> EncryptedLeaseSetContent::check() const
{
    if (blinded_type != crypto::SigType::redsa_sha512_ed25519 || blinded_public_key.size() != 32 ||
        encrypted_data.empty()) {
        return Errc::invalid_value;
    }
    if (encrypted_data.size() > 0xffff) {
        return Errc::too_large;
    }
    return {};
}

Signer EncryptedLeaseSetContent::signer() const
{
    if (offline) {
        return offline->transient_signer();
    }
    return {blinded_type, blinded_public_key, blinded_signature_size};
}

Result<void> EncryptedLeaseSetContent::verify_offline() const
{
    if (offline && !offline->verify(blinded_type, blinded_public_key)) {
        return Errc::bad_signature;
    }
    return {};
}

IdentHash blinded_key_hash(std::uint16_t sig_type, Bytes blinded_public_key)
{
    crypto::Sha256 h;
    const std::uint8_t type_be[2] = {std::uint8_t(sig_type >> 8), std::uint8_t(sig_type)};
    h.update(type_be);
    h.update(blinded_public_key);
    return IdentHash(h.finish());
}

} // namespace umbra::data
