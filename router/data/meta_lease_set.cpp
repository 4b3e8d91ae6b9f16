#include "router/data/meta_lease_set.h"

namespace umbra::data {

Result<MetaLease> MetaLease::parse(ByteReader& in)
{
    MetaLease l;
    UMBRA_TRY(const auto gw, in.array<32>());
    l.tunnel_gw = IdentHash(gw);
    UMBRA_TRY(const auto flags, in.uint_n(3));
    l.flags = std::uint32_t(flags);
    UMBRA_TRY(l.cost, in.u8());
    UMBRA_TRY(l.end_date, in.u32());
    return l;
}

void MetaLease::write(ByteWriter& out) const
{
    out.bytes(tunnel_gw.span());
    out.uint_n(flags, 3);
    out.u8(cost);
    out.u32(end_date);
}

namespace {

Result<std::vector<MetaLease>> parse_meta_leases(ByteReader& in)
{
    UMBRA_TRY(const auto count, in.u8());
    if (count == 0) {
        return Errc::invalid_value;
    }
    if (count > max_meta_leases) {
        return Errc::too_large;
    }
    std::vector<MetaLease> leases;
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(auto l, MetaLease::parse(in));
        leases.push_back(l);
    }
    return leases;
}

Result<std::vector<IdentHash>> parse_revocations(ByteReader& in)
{
    UMBRA_TRY(const auto count, in.u8());
    if (count > max_revocations) {
        return Errc::too_large;
    }
    std::vector<IdentHash> hashes;
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(const auto h, in.array<32>());
        hashes.emplace_back(h);
    }
    return hashes;
}

} // namespace

Result<MetaLeaseSetContent> MetaLeaseSetContent::parse(ByteReader& in)
{
    UMBRA_TRY(auto header, LeaseSet2Header::parse(in));
    UMBRA_TRY(auto options, Mapping::parse(in, KeyOrder::sorted));
    UMBRA_TRY(auto leases, parse_meta_leases(in));
    UMBRA_TRY(auto revocations, parse_revocations(in));
    return MetaLeaseSetContent{std::move(header), std::move(options), std::move(leases),
                               std::move(revocations)};
}

void MetaLeaseSetContent::write(ByteWriter& out) const
{
    header.write(out);
    options.write(out);
    out.u8(std::uint8_t(leases.size()));
    for (const auto& l : leases) {
        l.write(out);
    }
    out.u8(std::uint8_t(revocations.size()));
    for (const auto& h : revocations) {
        out.bytes(h.span());
    }
}

Result<void> MetaLeaseSetContent::check() const
{
    if (leases.size() > max_meta_leases || revocations.size() > max_revocations) {
        return Errc::too_large;
    }
    for (const auto& l : leases) {
        if (l.flags > 0xffffff) {
            return Errc::invalid_value;
        }
    }
    return {};
}

} // namespace umbra::data
