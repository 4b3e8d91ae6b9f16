#include "router/data/lease_set2.h"

namespace umbra::data {

Result<Lease2> Lease2::parse(ByteReader& in)
{
    Lease2 l;
    UMBRA_TRY(const auto gw, in.array<32>());
    l.tunnel_gw = IdentHash(gw);
    UMBRA_TRY(const auto id, in.u32());
    l.tunnel_id = TunnelId(id);
    UMBRA_TRY(l.end_date, in.u32());
    return l;
}

void Lease2::write(ByteWriter& out) const
{
    out.bytes(tunnel_gw.span());
    out.u32(tunnel_id.value());
    out.u32(end_date);
}

namespace {

Result<EncryptionKey> parse_encryption_key(ByteReader& in)
{
    EncryptionKey k;
    UMBRA_TRY(k.type, in.u16());
    UMBRA_TRY(auto body, in.u16_prefixed());
    const auto want = crypto_public_key_size(k.type);
    if (want && *want != body.remaining()) {
        return Errc::invalid_value;
    }
    const Bytes b = body.rest();
    k.key.assign(b.begin(), b.end());
    return k;
}

Result<std::vector<EncryptionKey>> parse_encryption_keys(ByteReader& in)
{
    UMBRA_TRY(const auto count, in.u8());
    if (count == 0) {
        return Errc::invalid_value;
    }
    if (count > max_encryption_keys) {
        return Errc::too_large;
    }
    std::vector<EncryptionKey> keys;
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(auto k, parse_encryption_key(in));
        keys.push_back(std::move(k));
    }
    return keys;
}

Result<std::vector<Lease2>> parse_leases(ByteReader& in)
{
    UMBRA_TRY(const auto count, in.u8());
    if (count > max_lease2s) {
        return Errc::too_large;
    }
    std::vector<Lease2> leases;
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(auto l, Lease2::parse(in));
        leases.push_back(l);
    }
    return leases;
}

} // namespace

Result<LeaseSet2Content> LeaseSet2Content::parse(ByteReader& in)
{
    UMBRA_TRY(auto header, LeaseSet2Header::parse(in));
    UMBRA_TRY(auto options, Mapping::parse(in, KeyOrder::sorted));
    UMBRA_TRY(auto keys, parse_encryption_keys(in));
    UMBRA_TRY(auto leases, parse_leases(in));
    return LeaseSet2Content{std::move(header), std::move(options), std::move(keys),
                            std::move(leases)};
}

void LeaseSet2Content::write(ByteWriter& out) const
{
    header.write(out);
    options.write(out);
    out.u8(std::uint8_t(encryption_keys.size()));
    for (const auto& k : encryption_keys) {
        out.u16(k.type);
        out.u16(std::uint16_t(k.key.size()));
        out.bytes(k.key);
    }
    out.u8(std::uint8_t(leases.size()));
    for (const auto& l : leases) {
        l.write(out);
    }
}

Result<void> LeaseSet2Content::check() const
{
    if (encryption_keys.size() > max_encryption_keys || leases.size() > max_lease2s) {
        return Errc::too_large;
    }
    for (const auto& k : encryption_keys) {
        if (k.key.size() > 0xffff) {
            return Errc::too_large;
        }
    }
    return {};
}

} // namespace umbra::data
