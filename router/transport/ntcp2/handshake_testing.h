// Test fixtures for the NTCP2 handshake, shared by the unit tests, the fuzz targets and the
// seed corpus generator (header only, so the library does not build it): routers with a signed
// RouterInfo and an NTCP2 address, and a driver that feeds a message in wants()-sized reads.
#pragma once
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/encoding.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"
#include "router/transport/ntcp2/handshake.h"

namespace umbra::ntcp2::testing {

inline constexpr std::uint8_t test_net_id = 99;
inline constexpr WallTime test_now{1'700'000'000'000};

struct RouterSpec {
    std::uint8_t net_id = test_net_id;               // the RouterInfo's netId option
    std::optional<crypto::X25519Public> published_s; // default: the router's own static key
    std::string version = "2";                       // the address's "v"
    std::string style = "NTCP2";
    bool with_address = true;
    std::size_t option_filler = 0; // extra bytes in a RouterInfo option, to make it large
};

// Keep in place once local() was taken: LocalNtcp2 points at static_key.
struct TestRouter {
    data::PrivateKeys keys;
    crypto::X25519Keypair static_key;
    std::array<std::uint8_t, 16> iv{};
    std::vector<std::uint8_t> router_info;
    IdentHash ident_hash;
    std::uint8_t net_id = test_net_id;

    LocalNtcp2 local() const
    {
        return LocalNtcp2{ident_hash, &static_key, iv, router_info, net_id};
    }
    RemoteNtcp2 remote() const { return RemoteNtcp2{ident_hash, static_key.public_key, iv}; }
};

inline void require(bool ok)
{
    if (!ok) {
        std::abort(); // fixture construction cannot fail with valid inputs
    }
}

inline data::RouterAddress ntcp2_address(const RouterSpec& spec, const crypto::X25519Public& s,
                                         const std::array<std::uint8_t, 16>& iv)
{
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = spec.style;
    require(a.options.set("host", "127.0.0.1").has_value());
    require(a.options.set("i", base64_encode(iv)).has_value());
    require(a.options.set("port", "20100").has_value());
    require(a.options.set("s", base64_encode(spec.published_s.value_or(s))).has_value());
    require(a.options.set("v", spec.version).has_value());
    return a;
}

inline data::Mapping router_options(const RouterSpec& spec)
{
    data::Mapping m;
    require(m.set("caps", "LR").has_value());
    require(m.set("netId", std::to_string(spec.net_id)).has_value());
    require(m.set("router.version", "0.9.58").has_value());
    for (std::size_t i = 0; i * 200 < spec.option_filler; ++i) {
        require(m.set("zz.filler" + std::to_string(i), std::string(200, 'x')).has_value());
    }
    return m;
}

inline TestRouter make_router(crypto::Rng& rng, const RouterSpec& spec = {})
{
    auto keys = data::PrivateKeys::generate_router(rng);
    auto identity = data::RouterIdentity::from(keys.identity());
    require(identity.has_value());
    auto static_key = crypto::X25519Keypair::generate(rng);
    std::array<std::uint8_t, 16> iv{};
    rng.fill(iv);
    std::vector<data::RouterAddress> addresses;
    if (spec.with_address) {
        addresses.push_back(ntcp2_address(spec, static_key.public_key, iv));
    }
    const auto signer = keys.signing_key();
    require(signer.has_value());
    auto ri = data::RouterInfo::create(*identity, test_now, std::move(addresses),
                                       router_options(spec), *signer, rng);
    require(ri.has_value());
    const IdentHash hash = ri->ident_hash();
    std::vector<std::uint8_t> bytes(ri->bytes().begin(), ri->bytes().end());
    return TestRouter{std::move(keys), std::move(static_key), iv, std::move(bytes), hash,
                      test_net_id};
}

// Alice and Bob made from one seed, for tests that build them once (key generation and signing
// dominate the cost of a handshake): `static const RouterPair r{seed};`.
struct RouterPair {
    explicit RouterPair(std::uint64_t seed)
        : rng(seed), alice(make_router(rng)), bob(make_router(rng))
    {
    }
    crypto::DeterministicRng rng;
    TestRouter alice;
    TestRouter bob;
};

// A RouterInfo of `r`, published at `published`, whose one NTCP2 address has exactly `options`
// (for address checks: "Published Addresses").
using AddressOptions = std::vector<std::pair<std::string, std::string>>;
inline data::RouterInfo router_info_with_address(const TestRouter& r, const AddressOptions& options,
                                                 WallTime published, crypto::Rng& rng)
{
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = "NTCP2";
    for (const auto& [key, value] : options) {
        require(a.options.set(key, value).has_value());
    }
    auto identity = data::RouterIdentity::from(r.keys.identity());
    require(identity.has_value());
    const auto signer = r.keys.signing_key();
    require(signer.has_value());
    auto ri = data::RouterInfo::create(*identity, published, {a}, router_options({}), *signer, rng);
    require(ri.has_value());
    return std::move(*ri);
}

inline bool is(const ErrorCode& ec, HandshakeErrc e)
{
    return ec == make_error_code(e);
}

// Feeds message in the sizes wants() asks for. Returns the bytes the engine produced, or the
// first error; a message shorter than the engine wants is passed as it is (a wrong size).
template <class Engine, class... Times>
Result<std::vector<std::uint8_t>> feed(Engine& engine, Bytes message, crypto::Rng& rng,
                                       Times... times)
{
    std::vector<std::uint8_t> produced;
    while (!message.empty() && engine.wants() > 0) {
        const std::size_t n = std::min(engine.wants(), message.size());
        auto out = engine.on_read(message.first(n), times..., rng);
        if (!out) {
            return out.error();
        }
        produced.insert(produced.end(), out->begin(), out->end());
        message = message.subspan(n);
    }
    return produced;
}

// The fixed parties of the fuzz targets and their seed corpus (fuzz targets and the corpus
// generator must agree on every seed and time, or the recorded transcripts stop matching).
inline constexpr std::uint64_t fuzz_alice_seed = 0xA11CE;
inline constexpr std::uint64_t fuzz_bob_seed = 0xB0B;
inline constexpr std::uint64_t fuzz_initiator_rng_seed = 0x1417;
inline constexpr std::uint64_t fuzz_responder_rng_seed = 0x2E5;

inline const TestRouter& fuzz_alice()
{
    static const TestRouter alice = [] {
        crypto::DeterministicRng rng(fuzz_alice_seed);
        return make_router(rng);
    }();
    return alice;
}

inline const TestRouter& fuzz_bob()
{
    static const TestRouter bob = [] {
        crypto::DeterministicRng rng(fuzz_bob_seed);
        return make_router(rng);
    }();
    return bob;
}

} // namespace umbra::ntcp2::testing
