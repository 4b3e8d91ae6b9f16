#include "router/data/lease_set2_header.h"

#include <algorithm>

namespace umbra::data {

Result<OfflineSignature> OfflineSignature::parse(ByteReader& in, std::size_t signer_signature_size)
{
    OfflineSignature o;
    UMBRA_TRY(o.expires, in.u32());
    UMBRA_TRY(const auto type, in.u16());
    const auto info = crypto::sig_type_info(type);
    if (!info) {
        return Errc::unsupported;
    }
    o.transient_type = static_cast<crypto::SigType>(type);
    UMBRA_TRY(const Bytes key, in.bytes(info->public_key_size));
    UMBRA_TRY(const Bytes sig, in.bytes(signer_signature_size));
    o.transient_public_key.assign(key.begin(), key.end());
    o.signature.assign(sig.begin(), sig.end());
    return o;
}

void OfflineSignature::write(ByteWriter& out) const
{
    out.bytes(signed_bytes());
    out.bytes(signature);
}

std::vector<std::uint8_t> OfflineSignature::signed_bytes() const
{
    ByteWriter w(6 + transient_public_key.size());
    w.u32(expires);
    w.u16(std::uint16_t(transient_type));
    w.bytes(transient_public_key);
    return w.take();
}

bool OfflineSignature::verify(crypto::SigType signer_type, Bytes signer_public_key) const
{
    return crypto::verify_signature(signer_type, signer_public_key, signed_bytes(), signature);
}

Signer OfflineSignature::transient_signer() const
{
    // parse accepts only known types; a hand-built block with an unknown one cannot verify
    const auto info = crypto::sig_type_info(std::uint16_t(transient_type));
    return {transient_type, transient_public_key, info ? info->signature_size : 0};
}

OfflineSignature OfflineSignature::create(std::uint32_t expires,
                                          const crypto::SigningKey& transient,
                                          const crypto::SigningKey& signer, crypto::Rng& rng)
{
    OfflineSignature o;
    o.expires = expires;
    o.transient_type = transient.type();
    o.transient_public_key.assign(transient.public_key().begin(), transient.public_key().end());
    o.signature = signer.sign(o.signed_bytes(), rng);
    return o;
}

Result<LeaseSet2Header> LeaseSet2Header::parse(ByteReader& in)
{
    UMBRA_TRY(auto destination, Destination::parse(in));
    UMBRA_TRY(const auto published, in.u32());
    UMBRA_TRY(const auto expires, in.u16());
    UMBRA_TRY(const auto flags, in.u16());
    LeaseSet2Header h{std::move(destination), published, expires,
                      std::uint16_t(flags & ~flag_offline), std::nullopt};
    if (flags & flag_offline) {
        UMBRA_TRY(h.offline, OfflineSignature::parse(in, h.destination.signature_size()));
    }
    return h;
}

void LeaseSet2Header::write(ByteWriter& out) const
{
    destination.write(out);
    out.u32(published);
    out.u16(expires);
    out.u16(std::uint16_t((flags & ~flag_offline) | (offline ? flag_offline : 0)));
    if (offline) {
        offline->write(out);
    }
}

Signer LeaseSet2Header::signer() const
{
    if (offline) {
        return offline->transient_signer();
    }
    return {destination.sig_type(), destination.signing_public_key(), destination.signature_size()};
}

Result<void> LeaseSet2Header::verify_offline() const
{
    if (offline && !offline->verify(destination.sig_type(), destination.signing_public_key())) {
        return Errc::bad_signature;
    }
    return {};
}

Result<void> check_signing_key(const Signer& signer, const crypto::SigningKey& key)
{
    const Bytes pub = key.public_key();
    if (key.type() != signer.type ||
        !std::equal(pub.begin(), pub.end(), signer.public_key.begin(), signer.public_key.end())) {
        return Errc::invalid_value;
    }
    return {};
}

std::vector<std::uint8_t> prefixed_message(LeaseSetType type, Bytes content)
{
    std::vector<std::uint8_t> m;
    m.reserve(1 + content.size());
    m.push_back(std::uint8_t(type));
    m.insert(m.end(), content.begin(), content.end());
    return m;
}

Result<void> check_times(const EntryTimes& times, WallTime now)
{
    const std::int64_t now_s = now.seconds();
    const std::int64_t published = times.published;
    if (times.offline && std::int64_t(times.offline->expires) < now_s) {
        return Errc::expired;
    }
    if (published > now_s + max_lease_set_published_skew_s) {
        return Errc::expired;
    }
    if (published + times.expires < now_s) {
        return Errc::expired;
    }
    return {};
}

} // namespace umbra::data
