#include "router/data/lease_set.h"

#include <algorithm>

namespace umbra::data {

Result<Lease> Lease::parse(ByteReader& in)
{
    Lease l;
    UMBRA_TRY(const auto gw, in.array<32>());
    l.tunnel_gw = IdentHash(gw);
    UMBRA_TRY(const auto id, in.u32());
    l.tunnel_id = TunnelId(id);
    UMBRA_TRY(l.end_date, in.u64());
    return l;
}

void Lease::write(ByteWriter& out) const
{
    out.bytes(tunnel_gw.span());
    out.u32(tunnel_id.value());
    out.u64(end_date);
}

namespace {

Result<std::vector<std::uint8_t>> read_vector(ByteReader& in, std::size_t n)
{
    UMBRA_TRY(const Bytes b, in.bytes(n));
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

} // namespace

Result<LeaseSetContent> LeaseSetContent::parse(ByteReader& in)
{
    UMBRA_TRY(auto destination, Destination::parse(in));
    UMBRA_TRY(auto encryption_key, read_vector(in, lease_set_encryption_key_size));
    UMBRA_TRY(auto signing_key, read_vector(in, destination.signing_public_key().size()));
    UMBRA_TRY(const auto count, in.u8());
    if (count > max_leases) {
        return Errc::too_large;
    }
    std::vector<Lease> leases;
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(const auto l, Lease::parse(in));
        leases.push_back(l);
    }
    return LeaseSetContent{std::move(destination), std::move(encryption_key),
                           std::move(signing_key), std::move(leases)};
}

void LeaseSetContent::write(ByteWriter& out) const
{
    destination.write(out);
    out.bytes(encryption_key);
    out.bytes(signing_key);
    out.u8(std::uint8_t(leases.size()));
    for (const auto& l : leases) {
        l.write(out);
    }
}

Result<LeaseSet> LeaseSet::parse(Bytes data)
{
    ByteReader r(data);
    UMBRA_TRY(auto content, LeaseSetContent::parse(r));
    const std::size_t content_size = r.offset();
    UMBRA_TRY_VOID(r.skip(content.destination.signature_size()));
    UMBRA_TRY_VOID(r.expect_end());
    return LeaseSet(std::move(content), data, content_size);
}

Result<LeaseSet> LeaseSet::create(LeaseSetContent content, const crypto::SigningKey& key,
                                  crypto::Rng& rng)
{
    const auto& d = content.destination;
    if (!d.signing_key_matches(key) ||
        content.encryption_key.size() != lease_set_encryption_key_size ||
        content.signing_key.size() != d.signing_public_key().size()) {
        return Errc::invalid_value;
    }
    if (content.leases.size() > max_leases) {
        return Errc::too_large;
    }
    ByteWriter w;
    content.write(w);
    const auto signature = key.sign(w.view(), rng);
    w.bytes(signature);
    return parse(w.view());
}

std::vector<std::uint8_t> LeaseSet::serialize() const
{
    ByteWriter w(raw_.size());
    content_.write(w);
    w.bytes(signature());
    return w.take();
}

std::uint64_t LeaseSet::earliest_expiration() const
{
    const auto& ls = content_.leases;
    if (ls.empty()) {
        return 0;
    }
    return std::min_element(ls.begin(), ls.end(),
                            [](const Lease& a, const Lease& b) { return a.end_date < b.end_date; })
        ->end_date;
}

bool LeaseSet::verify() const
{
    return destination().verify(signed_bytes(), signature());
}

} // namespace umbra::data
