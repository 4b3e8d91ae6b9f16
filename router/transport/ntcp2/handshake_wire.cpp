#include "router/transport/ntcp2/handshake_wire.h"

#include <algorithm>

#include "crypto/hash.h"
#include "router/base/encoding.h"

namespace umbra::ntcp2 {

namespace {

class HandshakeCategory final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "ntcp2.handshake"; }
    std::string message(int ev) const override
    {
        switch (static_cast<HandshakeErrc>(ev)) {
        case HandshakeErrc::wrong_state:
            return "call or input size not expected in this handshake state";
        case HandshakeErrc::bad_ephemeral_key:
            return "invalid X25519 key";
        case HandshakeErrc::aead_failure:
            return "handshake frame did not authenticate";
        case HandshakeErrc::replayed:
            return "SessionRequest ephemeral key replayed";
        case HandshakeErrc::wrong_network:
            return "peer is on another network";
        case HandshakeErrc::bad_version:
            return "unsupported NTCP2 version";
        case HandshakeErrc::clock_skew:
            return "peer clock skew too large";
        case HandshakeErrc::bad_options:
            return "handshake options or sizes out of range";
        case HandshakeErrc::bad_router_info:
            return "peer RouterInfo missing or invalid";
        case HandshakeErrc::static_key_mismatch:
            return "static key differs from the RouterInfo's";
        case HandshakeErrc::identity_mismatch:
            return "peer is not the router dialled";
        }
        return "unknown NTCP2 handshake error";
    }
};

} // namespace

const boost::system::error_category& handshake_category() noexcept
{
    static const HandshakeCategory category;
    return category;
}

} // namespace umbra::ntcp2

namespace umbra::ntcp2::detail {

HandshakeErrc handshake_errc(const ErrorCode& ec)
{
    if (ec.category() == handshake_category()) {
        return static_cast<HandshakeErrc>(ec.value());
    }
    return HandshakeErrc::bad_options;
}

OptionsBlock16 encode(const RequestOptions& o)
{
    OptionsBlock16 b{};
    b[0] = o.net_id;
    b[1] = o.version;
    store_be16(&b[2], o.padding_length);
    store_be16(&b[4], o.m3p2_length);
    store_be32(&b[8], o.timestamp); // bytes 6-7 and 12-15 reserved, zero
    return b;
}

RequestOptions decode_request_options(Bytes b16)
{
    RequestOptions o;
    o.net_id = b16[0];
    o.version = b16[1];
    o.padding_length = load_be16(&b16[2]);
    o.m3p2_length = load_be16(&b16[4]);
    o.timestamp = load_be32(&b16[8]);
    return o; // reserved bytes ignored, "for compatibility with future options"
}

OptionsBlock16 encode(const CreatedOptions& o)
{
    OptionsBlock16 b{};
    store_be16(&b[2], o.padding_length);
    store_be32(&b[8], o.timestamp);
    return b;
}

CreatedOptions decode_created_options(Bytes b16)
{
    CreatedOptions o;
    o.padding_length = load_be16(&b16[2]);
    o.timestamp = load_be32(&b16[8]);
    return o;
}

std::optional<std::vector<std::uint8_t>>
write_confirmed_payload(Bytes router_info, std::size_t padding, crypto::Rng& rng)
{
    const Block ri = RouterInfoBlock{false, {router_info.begin(), router_info.end()}};
    const std::size_t padding_block = padding ? block_header_size + padding : 0;
    const std::size_t total = block_wire_size(ri) + padding_block;
    if (total > max_m3p2_plaintext) {
        return std::nullopt;
    }
    ByteWriter w(total);
    write_block(w, ri);
    if (padding) {
        write_block(w, Padding{padding});
        rng.fill(MutableBytes(w.buffer()).last(padding)); // "padding :: random data"
    }
    return w.take();
}

Result<std::vector<std::uint8_t>> parse_confirmed_payload(Bytes plaintext)
{
    auto blocks = parse_blocks(plaintext);
    if (!blocks) {
        return HandshakeErrc::bad_options;
    }
    if (blocks->empty() || !std::holds_alternative<RouterInfoBlock>(blocks->front())) {
        return HandshakeErrc::bad_router_info;
    }
    // Options at most once and right after the RouterInfo; Padding at most once and last is
    // already enforced by parse_blocks.
    for (std::size_t i = 1; i < blocks->size(); ++i) {
        const Block& b = (*blocks)[i];
        const bool allowed = (std::holds_alternative<OptionsBlock>(b) && i == 1) ||
                             std::holds_alternative<Padding>(b);
        if (!allowed) {
            return HandshakeErrc::bad_options; // "This frame must never contain any other block"
        }
    }
    // The flood flag means nothing inside the handshake.
    return std::move(std::get<RouterInfoBlock>(blocks->front()).router_info);
}

crypto::X25519Public obfuscate_key(const IdentHash& rh_b, crypto::AesIv& iv,
                                   const crypto::X25519Public& key)
{
    crypto::X25519Public out = key;
    crypto::aes256_cbc_encrypt(rh_b.span(), iv, out);
    std::copy_n(out.begin() + 16, 16, iv.begin());
    return out;
}

crypto::X25519Public deobfuscate_key(const IdentHash& rh_b, crypto::AesIv& iv, Bytes encrypted32)
{
    crypto::X25519Public out;
    std::copy_n(encrypted32.begin(), key_size, out.begin());
    crypto::aes256_cbc_decrypt(rh_b.span(), iv, out);
    std::copy_n(encrypted32.begin() + 16, 16, iv.begin());
    return out;
}

bool mix_dh(crypto::SymmetricState& ss, const crypto::Key32& private_key,
            const crypto::X25519Public& peer)
{
    crypto::Key32 shared;
    if (!crypto::x25519(private_key, peer, shared)) {
        return false;
    }
    ss.mix_key(shared.bytes());
    return true; // shared is wiped on return ("overwrite the DH result in memory")
}

crypto::SymmetricState initial_state(const crypto::X25519Public& bob_static)
{
    crypto::SymmetricState ss(protocol_name);
    ss.mix_hash({}); // MixHash(null prologue)
    ss.mix_hash(bob_static);
    return ss;
}

std::vector<std::uint8_t> random_bytes(std::size_t n, crypto::Rng& rng)
{
    std::vector<std::uint8_t> out(n);
    rng.fill(out);
    return out;
}

std::uint32_t to_timestamp(WallTime now)
{
    return static_cast<std::uint32_t>((now.ms + 500) / 1000);
}

std::int64_t clock_skew(std::uint32_t peer_timestamp, std::int64_t our_ms)
{
    return std::int64_t(peer_timestamp) * 1000 - our_ms;
}

namespace {

// "v" lists versions separated by commas ("Published Addresses").
bool lists_version_2(std::string_view versions)
{
    while (!versions.empty()) {
        const auto comma = versions.find(',');
        if (versions.substr(0, comma) == "2") {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        versions.remove_prefix(comma + 1);
    }
    return false;
}

bool has_static_key(const data::RouterInfo& ri, const crypto::X25519Public& s)
{
    for (const auto style : {std::string_view("NTCP2"), std::string_view("NTCP")}) {
        for (const auto* address : ri.addresses(style)) {
            const auto v = address->option("v");
            const auto key = address->option("s");
            if (!v || !key || !lists_version_2(*v)) {
                continue;
            }
            const auto decoded = base64_decode(*key);
            if (decoded && std::equal(decoded->begin(), decoded->end(), s.begin(), s.end())) {
                return true;
            }
        }
    }
    return false;
}

} // namespace

namespace {

// RouterInfo::validate without its signature check, for bytes whose signature verified before:
// netId (Errc::wrong_network) and a published date at most max_published_skew_ms ahead
// (Errc::expired), in validate's order.
Result<void> validate_verified(const data::RouterInfo& ri, std::uint8_t net_id, WallTime now)
{
    if (ri.net_id() != net_id) {
        return Errc::wrong_network;
    }
    if (ri.published().ms > now.ms + data::max_published_skew_ms) {
        return Errc::expired;
    }
    return {};
}

Result<void> validate(const data::RouterInfo& ri, std::uint8_t net_id, WallTime now,
                      VerifiedRouterInfos* verified)
{
    if (verified == nullptr) {
        return ri.validate(net_id, now);
    }
    const crypto::Hash32 digest = crypto::sha256(ri.bytes());
    if (verified->contains(digest)) {
        return validate_verified(ri, net_id, now);
    }
    if (verified->vouched_for(ri.ident_hash(), ri.bytes())) {
        verified->insert(digest);
        return validate_verified(ri, net_id, now);
    }
    UMBRA_TRY_VOID(ri.validate(net_id, now));
    verified->insert(digest);
    return {};
}

} // namespace

Result<data::RouterInfo> check_router_info(Bytes router_info, const crypto::X25519Public& s,
                                           std::uint8_t net_id, WallTime now,
                                           VerifiedRouterInfos* verified)
{
    auto ri = data::RouterInfo::parse(router_info);
    if (!ri || !validate(*ri, net_id, now, verified)) {
        return HandshakeErrc::bad_router_info;
    }
    if (!has_static_key(*ri, s)) {
        return HandshakeErrc::static_key_mismatch;
    }
    return std::move(*ri);
}

} // namespace umbra::ntcp2::detail
