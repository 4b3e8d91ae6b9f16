#include "router/app/local_router.h"

#include "router/base/encoding.h"
#include "router/base/file.h"

namespace umbra::app {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_key_file_size = 4096;
constexpr std::size_t ntcp2_keys_size = 80;

std::string describe(const ErrorCode& ec)
{
    return ec.message();
}

data::PrivateKeys load_or_create_router_keys(const fs::path& path, crypto::Rng& rng, bool& created)
{
    created = false;
    if (fs::exists(path)) {
        auto bytes = read_file(path, max_key_file_size);
        if (!bytes) {
            throw StartupError("cannot read " + path.string() + ": " + describe(bytes.error()));
        }
        auto keys = data::PrivateKeys::parse(*bytes);
        if (!keys || !keys->check_crypto_key() || !keys->check_signing_key() ||
            !data::RouterIdentity::from(keys->identity())) {
            throw StartupError(path.string() +
                               " is damaged or not a router key file; restore it from a backup, "
                               "or move it away to create a new router identity");
        }
        return std::move(*keys);
    }
    auto keys = data::PrivateKeys::generate_router(rng);
    const auto bytes = keys.serialize();
    if (!write_file_atomic(path, bytes, 0600)) {
        throw StartupError("cannot write " + path.string() + "; check the data directory");
    }
    created = true;
    return keys;
}

Ntcp2Keys load_or_create_ntcp2_keys(const fs::path& path, crypto::Rng& rng)
{
    if (fs::exists(path)) {
        auto bytes = read_file(path, max_key_file_size);
        if (!bytes || bytes->size() != ntcp2_keys_size) {
            throw StartupError(path.string() + " is damaged (expected 80 bytes); move it away "
                                               "to create new NTCP2 keys");
        }
        const Bytes b = *bytes;
        Ntcp2Keys k{crypto::X25519Keypair::from_private(b.subspan(32, 32)), {}};
        if (!std::equal(k.static_key.public_key.begin(), k.static_key.public_key.end(),
                        b.begin())) {
            throw StartupError(path.string() + " is damaged (public and private key differ)");
        }
        std::copy_n(b.begin() + 64, 16, k.iv.begin());
        return k;
    }
    Ntcp2Keys k{crypto::X25519Keypair::generate(rng), {}};
    rng.fill(k.iv);
    ByteWriter w(ntcp2_keys_size);
    w.bytes(k.static_key.public_key);
    w.bytes(k.static_key.private_key.bytes());
    w.bytes(k.iv);
    const auto ok = write_file_atomic(path, w.view(), 0600);
    crypto::secure_wipe(w.buffer().data(), w.size());
    if (!ok) {
        throw StartupError("cannot write " + path.string() + "; check the data directory");
    }
    return k;
}

void set_option(data::Mapping& m, std::string_view key, std::string_view value)
{
    if (!m.set(key, value)) {
        throw StartupError("RouterInfo option " + std::string(key) + " is too long");
    }
}

} // namespace

LocalRouter LocalRouter::load_or_create(const fs::path& datadir, crypto::Rng& rng, bool& created)
{
    auto keys = load_or_create_router_keys(datadir / "router.keys", rng, created);
    auto identity = data::RouterIdentity::from(keys.identity());
    if (!identity) {
        throw StartupError("router.keys does not hold a router identity");
    }
    auto ntcp2 = load_or_create_ntcp2_keys(datadir / "ntcp2.keys", rng);
    return LocalRouter(std::move(keys), std::move(*identity), std::move(ntcp2));
}

std::string caps_for(const Config& config, char congestion)
{
    std::string caps(1, config.bandwidth);
    if (config.bandwidth == 'P' || config.bandwidth == 'X') {
        caps += 'O';
    }
    if (config.floodfill) {
        caps += 'f';
    }
    const bool reachable =
        !config.host.empty() && config.port != 0 && config.ntcp2.enabled && config.ntcp2.published;
    caps += reachable ? 'R' : 'U';
    // Transit off by configuration is "rejecting all tunnels" (proposal 162 'G') for good.
    if (config.notransit || config.transittunnels == 0 || config.share == 0) {
        congestion = 'G';
    }
    if (congestion != 0) {
        caps += congestion;
    }
    return caps;
}

data::RouterInfo LocalRouter::make_router_info(const Config& config, WallTime now, crypto::Rng& rng,
                                               char congestion) const
{
    std::vector<data::RouterAddress> addresses;
    const std::uint16_t port = config.ntcp2.port ? config.ntcp2.port : config.port;
    if (config.ntcp2.enabled) {
        data::RouterAddress a;
        a.transport_style = std::string(data::ntcp2_style);
        if (!config.host.empty() && config.ntcp2.published && port != 0) {
            // ntcp2.rst, "Published Router Address": host, port, s, i, v.
            a.cost = 3;
            set_option(a.options, "host", config.host);
            set_option(a.options, "port", std::to_string(port));
            set_option(a.options, "s", base64_encode(ntcp2_.static_key.public_key));
            set_option(a.options, "i", base64_encode(ntcp2_.iv));
        } else {
            // ntcp2.rst, "Unpublished NTCP2 Address": only s and v, so a peer we connect to can
            // check our static key (i2pd refuses a RouterInfo without any transport); cost 14.
            a.cost = 14;
            set_option(a.options, "s", base64_encode(ntcp2_.static_key.public_key));
        }
        set_option(a.options, "v", "2");
        addresses.push_back(std::move(a));
    }
    data::Mapping options;
    set_option(options, "caps", caps_for(config, congestion));
    set_option(options, "netId", std::to_string(config.netid));
    set_option(options, "router.version", router_api_version);
    const auto signer = keys_.signing_key();
    if (!signer) {
        throw StartupError("router.keys holds a signing key type umbra cannot sign with");
    }
    auto ri = data::RouterInfo::create(identity_, now, std::move(addresses), std::move(options),
                                       *signer, rng);
    if (!ri) {
        throw StartupError("cannot build the RouterInfo: " + describe(ri.error()));
    }
    return std::move(*ri);
}

} // namespace umbra::app
