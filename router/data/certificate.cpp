#include "router/data/certificate.h"

namespace umbra::data {

std::optional<std::size_t> crypto_public_key_size(std::uint16_t code)
{
    switch (static_cast<CryptoType>(code)) {
    case CryptoType::elgamal:
        return 256;
    case CryptoType::x25519:
    case CryptoType::mlkem512_x25519:
    case CryptoType::mlkem768_x25519:
    case CryptoType::mlkem1024_x25519:
        return 32;
    }
    return std::nullopt;
}

std::optional<std::size_t> crypto_private_key_size(std::uint16_t code)
{
    return crypto_public_key_size(code); // 256 for ElGamal, 32 for the X25519 family
}

bool identity_crypto_type_supported(std::uint16_t code)
{
    return code == std::uint16_t(CryptoType::elgamal) || code == std::uint16_t(CryptoType::x25519);
}

Result<KeyLayout> key_layout(std::uint16_t sig_type, std::uint16_t crypto_type)
{
    const auto sig = crypto::sig_type_info(sig_type);
    if (!sig || !identity_crypto_type_supported(crypto_type)) {
        return Errc::unsupported;
    }
    KeyLayout l;
    l.sig_type = static_cast<crypto::SigType>(sig_type);
    l.crypto_type = crypto_type;
    l.crypto_key_size = *crypto_public_key_size(crypto_type);
    l.signing_key_size = sig->public_key_size;
    l.signature_size = sig->signature_size;
    return l;
}

Certificate Certificate::key(const KeyLayout& layout, Bytes excess_signing_key)
{
    Certificate c;
    c.type_ = CertType::key;
    ByteWriter w(4 + excess_signing_key.size());
    w.u16(std::uint16_t(layout.sig_type));
    w.u16(layout.crypto_type);
    w.bytes(excess_signing_key);
    c.payload_ = w.take();
    c.layout_ = layout;
    return c;
}

namespace {

// Key Certificate payload: sig type, crypto type, excess signing key data, excess crypto key
// data. The supported crypto types never exceed the 256-byte crypto slot.
Result<KeyLayout> parse_key_payload(Bytes payload)
{
    ByteReader r(payload);
    UMBRA_TRY(const auto sig_type, r.u16());
    UMBRA_TRY(const auto crypto_type, r.u16());
    UMBRA_TRY(auto layout, key_layout(sig_type, crypto_type));
    UMBRA_TRY_VOID(r.skip(layout.excess_signing_size()));
    UMBRA_TRY_VOID(r.expect_end());
    return layout;
}

Result<void> check_payload_size(CertType type, std::size_t n)
{
    switch (type) {
    case CertType::null:
    case CertType::hidden:
        return n == 0 ? Result<void>{} : Result<void>{Errc::invalid_value};
    case CertType::signed_:
        return n == 40 || n == 72 ? Result<void>{} : Result<void>{Errc::invalid_value};
    case CertType::hashcash:
    case CertType::multiple:
    case CertType::key:
        return {};
    }
    return Errc::unsupported;
}

} // namespace

Result<Certificate> Certificate::parse(ByteReader& in)
{
    UMBRA_TRY(const auto type, in.u8());
    UMBRA_TRY(auto body, in.u16_prefixed());
    Certificate c;
    c.type_ = static_cast<CertType>(type);
    UMBRA_TRY_VOID(check_payload_size(c.type_, body.remaining()));
    const Bytes payload = body.rest();
    if (c.type_ == CertType::key) {
        UMBRA_TRY(c.layout_, parse_key_payload(payload));
    }
    c.payload_.assign(payload.begin(), payload.end());
    return c;
}

void Certificate::write(ByteWriter& out) const
{
    out.u8(std::uint8_t(type_));
    out.u16(std::uint16_t(payload_.size()));
    out.bytes(payload_);
}

Bytes Certificate::excess_signing_key() const
{
    if (type_ != CertType::key) {
        return {};
    }
    return Bytes(payload_).subspan(4, layout_.excess_signing_size());
}

} // namespace umbra::data
