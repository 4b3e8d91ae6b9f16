// The local router's persistent identity: router.keys (PrivateKeys layout shared with i2pd and
// Java I2P, mode 0600) and ntcp2.keys (the NTCP2 static key and IV, i2pd's 80-byte layout:
// public key, private key, IV), and the RouterInfo it publishes.
#pragma once
#include <filesystem>
#include <stdexcept>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/app/config.h"
#include "router/base/clock.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"

namespace umbra::app {

// The I2P API version umbra publishes as router.version (network-database.html, "RouterInfo").
inline constexpr std::string_view router_api_version = "0.9.58";

class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Ntcp2Keys {
    crypto::X25519Keypair static_key;
    std::array<std::uint8_t, 16> iv{};
};

class LocalRouter {
public:
    // Loads router.keys and ntcp2.keys from datadir, or creates and saves new ones when a file
    // is missing. A file that exists but is damaged is an error (never silently replaced: the
    // router would lose its identity). `created` says whether router.keys was new.
    static LocalRouter load_or_create(const std::filesystem::path& datadir, crypto::Rng& rng,
                                      bool& created);

    const data::PrivateKeys& keys() const { return keys_; }
    const data::RouterIdentity& identity() const { return identity_; }
    const Ntcp2Keys& ntcp2() const { return ntcp2_; }

    // A signed RouterInfo for this configuration: netId, caps, router.version, and an NTCP2
    // address (host, port, s, i, v=2) when host and port are set and ntcp2 is published.
    // `congestion` is a congestion cap letter (D, E, G; proposal 162) or 0.
    data::RouterInfo make_router_info(const Config& config, WallTime now, crypto::Rng& rng,
                                      char congestion = 0) const;

private:
    LocalRouter(data::PrivateKeys keys, data::RouterIdentity id, Ntcp2Keys ntcp2)
        : keys_(std::move(keys)), identity_(std::move(id)), ntcp2_(std::move(ntcp2))
    {
    }
    data::PrivateKeys keys_;
    data::RouterIdentity identity_;
    Ntcp2Keys ntcp2_;
};

// The caps letters for a configuration: bandwidth class (P and X also publish O for older
// routers, network-database.html "caps"), f for floodfill, R or U for reachability, then the
// congestion cap `congestion` when not 0 (proposal 162: "add any congestion cap at the end"),
// always G when the configuration refuses transit (notransit, share 0, no transit tunnels).
std::string caps_for(const Config& config, char congestion = 0);

} // namespace umbra::app
