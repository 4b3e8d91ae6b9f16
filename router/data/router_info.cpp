#include "router/data/router_info.h"

#include <algorithm>
#include <charconv>

namespace umbra::data {

Caps Caps::parse(std::string_view letters)
{
    // Bandwidth classes and congestion levels in rising order.
    static constexpr std::string_view bandwidth = "KLMNOPX";
    static constexpr std::string_view congestion = "DEG";
    Caps c;
    for (const char ch : letters) {
        if (const auto b = bandwidth.find(ch); b != std::string_view::npos) {
            c.bandwidth = std::max(c.bandwidth, static_cast<Bandwidth>(b + 1));
        } else if (const auto g = congestion.find(ch); g != std::string_view::npos) {
            c.congestion = std::max(c.congestion, static_cast<Congestion>(g + 1));
        } else {
            // Letters defined later (and address-level caps) are ignored.
            c.floodfill |= ch == 'f';
            c.reachable |= ch == 'R';
            c.unreachable |= ch == 'U';
            c.hidden |= ch == 'H';
        }
    }
    return c;
}

namespace {

struct Body {
    WallTime published;
    std::vector<RouterAddress> addresses;
    Mapping options;
};

// published, size, addresses, peer_size, options: everything between identity and signature.
Result<Body> parse_body(ByteReader& r)
{
    Body b;
    UMBRA_TRY(const auto published, r.u64());
    b.published = WallTime{std::int64_t(published)};
    UMBRA_TRY(const auto count, r.u8());
    if (count > max_router_addresses) {
        return Errc::too_large;
    }
    b.addresses.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
        UMBRA_TRY(auto a, RouterAddress::parse(r));
        b.addresses.push_back(std::move(a));
    }
    UMBRA_TRY(const auto peer_size, r.u8());
    if (peer_size != 0) {
        return Errc::invalid_value;
    }
    UMBRA_TRY(b.options, Mapping::parse(r, KeyOrder::sorted));
    return b;
}

void write_body(ByteWriter& w, WallTime published, const std::vector<RouterAddress>& addresses,
                const Mapping& options)
{
    w.u64(std::uint64_t(published.ms));
    w.u8(std::uint8_t(addresses.size()));
    for (const auto& a : addresses) {
        a.write(w);
    }
    w.u8(0); // peer_size
    options.write(w);
}

Result<void> check_for_create(const RouterIdentity& identity, const Body& b,
                              const crypto::SigningKey& key)
{
    if (!identity.signing_key_matches(key)) {
        return Errc::invalid_value;
    }
    if (b.addresses.size() > max_router_addresses) {
        return Errc::too_large;
    }
    for (const auto& a : b.addresses) {
        if (a.expiration != 0 || a.transport_style.size() > max_string_size) {
            return Errc::invalid_value;
        }
    }
    return {};
}

} // namespace

Result<RouterInfo> RouterInfo::parse(Bytes data)
{
    if (data.size() > max_router_info_size) {
        return Errc::too_large;
    }
    ByteReader r(data);
    UMBRA_TRY(auto identity, RouterIdentity::parse(r));
    UMBRA_TRY(auto body, parse_body(r));
    UMBRA_TRY_VOID(r.skip(identity.signature_size()));
    UMBRA_TRY_VOID(r.expect_end());
    RouterInfo ri(std::move(identity));
    ri.raw_.assign(data.begin(), data.end());
    ri.published_ = body.published;
    ri.addresses_ = std::move(body.addresses);
    ri.options_ = std::move(body.options);
    return ri;
}

Result<RouterInfo> RouterInfo::create(const RouterIdentity& identity, WallTime published,
                                      std::vector<RouterAddress> addresses, Mapping options,
                                      const crypto::SigningKey& key, crypto::Rng& rng)
{
    const Body body{published, std::move(addresses), std::move(options)};
    UMBRA_TRY_VOID(check_for_create(identity, body, key));
    ByteWriter w;
    identity.write(w);
    write_body(w, body.published, body.addresses, body.options);
    const auto signature = key.sign(w.view(), rng);
    w.bytes(signature);
    return parse(w.view());
}

std::vector<std::uint8_t> RouterInfo::serialize() const
{
    ByteWriter w(raw_.size());
    identity_.write(w);
    write_body(w, published_, addresses_, options_);
    w.bytes(signature());
    return w.take();
}

std::vector<const RouterAddress*> RouterInfo::addresses(std::string_view style) const
{
    std::vector<const RouterAddress*> out;
    for (const auto& a : addresses_) {
        if (a.transport_style == style) {
            out.push_back(&a);
        }
    }
    return out;
}

Caps RouterInfo::caps() const
{
    return Caps::parse(options_.get("caps").value_or(""));
}

std::optional<std::uint8_t> RouterInfo::net_id() const
{
    const auto v = options_.get("netId");
    if (!v) {
        return default_net_id;
    }
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || v->empty() || n > 255) {
        return std::nullopt;
    }
    return std::uint8_t(n);
}

bool RouterInfo::verify() const
{
    return identity_.verify(signed_bytes(), signature());
}

Result<void> RouterInfo::validate(std::uint8_t expected_net_id, WallTime now) const
{
    if (!verify()) {
        return Errc::bad_signature;
    }
    if (net_id() != expected_net_id) {
        return Errc::wrong_network;
    }
    if (published_.ms > now.ms + max_published_skew_ms) {
        return Errc::expired;
    }
    return {};
}

} // namespace umbra::data
