// RouterInfo (common-structures.rst, "RouterInfo") and its standard options
// (network-database.html, "RouterInfo": caps, netId, router.version).
#pragma once
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/base/clock.h"
#include "router/data/keys_and_cert.h"
#include "router/data/router_address.h"

namespace umbra::data {

// umbra limits, tighter than the format's. The spec allows 255 addresses; a router publishes at
// most NTCP2 and SSU2 over IPv4 and IPv6, so 16 leaves ample room. 64 KiB bounds the whole
// structure (a DatabaseStore carries it gzipped behind a 2-byte length).
inline constexpr std::size_t max_router_addresses = 16;
inline constexpr std::size_t max_router_info_size = 65536;
inline constexpr std::uint8_t default_net_id = 2;
// How far in the future a published date may lie before validate() rejects it.
inline constexpr std::int64_t max_published_skew_ms = 2 * 60 * 1000;

// The "caps" option letters (network-database.html, "Expected Options").
struct Caps {
    enum class Bandwidth : std::uint8_t { unknown, K, L, M, N, O, P, X };
    enum class Congestion : std::uint8_t { none, medium /* D */, high /* E */, rejecting /* G */ };

    bool floodfill = false;   // f
    bool reachable = false;   // R
    bool unreachable = false; // U
    bool hidden = false;      // H
    // The highest class present: routers publish e.g. "PO" so that older routers read O.
    Bandwidth bandwidth = Bandwidth::unknown;
    // The most severe level present.
    Congestion congestion = Congestion::none;

    static Caps parse(std::string_view letters);
    bool operator==(const Caps&) const = default;
};

// Immutable; keeps the bytes it was parsed from (what a DatabaseStore forwards and what the
// signature covers).
class RouterInfo {
public:
    // The whole span must be one RouterInfo. Rejects: more than max_router_addresses addresses
    // (Errc::too_large), a non-zero peer_size (the peer list is unused and "always zero"),
    // unsorted or duplicate option keys (Errc::invalid_value). Does not check the signature.
    static Result<RouterInfo> parse(Bytes data);

    // Builds and signs. Errc::invalid_value when the key is not the identity's, an address
    // has a non-zero expiration or a style over 255 bytes; Errc::too_large over the limits.
    static Result<RouterInfo> create(const RouterIdentity& identity, WallTime published,
                                     std::vector<RouterAddress> addresses, Mapping options,
                                     const crypto::SigningKey& key, crypto::Rng& rng);

    Bytes bytes() const { return raw_; }
    // Writes the parsed fields anew. Equal to bytes() for anything parse accepts, since parse
    // accepts only the canonical form (what the fuzz target checks).
    std::vector<std::uint8_t> serialize() const;
    // Everything before the signature.
    Bytes signed_bytes() const { return Bytes(raw_).first(raw_.size() - signature_size()); }
    Bytes signature() const { return Bytes(raw_).last(signature_size()); }

    const RouterIdentity& identity() const { return identity_; }
    const IdentHash& ident_hash() const { return identity_.ident_hash(); }
    WallTime published() const { return published_; }
    const std::vector<RouterAddress>& addresses() const { return addresses_; }
    // Every address of a transport style ("NTCP2", "SSU2"), in published order.
    std::vector<const RouterAddress*> addresses(std::string_view style) const;
    const Mapping& options() const { return options_; }

    Caps caps() const;
    // The "netId" option, default_net_id when absent; nothing when it is not a number 0-255.
    std::optional<std::uint8_t> net_id() const;
    std::optional<std::string_view> version() const { return options_.get("router.version"); }

    [[nodiscard]] bool verify() const;
    // Signature (Errc::bad_signature), netId (Errc::wrong_network) and a published date at most
    // max_published_skew_ms ahead of now (Errc::expired). Duplicate keys never get past parse.
    Result<void> validate(std::uint8_t expected_net_id, WallTime now) const;

private:
    explicit RouterInfo(RouterIdentity id) : identity_(std::move(id)) {}
    std::size_t signature_size() const { return identity_.signature_size(); }

    std::vector<std::uint8_t> raw_;
    RouterIdentity identity_;
    WallTime published_;
    std::vector<RouterAddress> addresses_;
    Mapping options_;
};

} // namespace umbra::data
