// Checks files made by a real i2pd against umbra's parsers: every RouterInfo (*.info) parses,
// verifies with the expected netId and re-serializes byte for byte; every key file (*.keys,
// *.dat) parses, its private keys match its public identity where umbra can derive them, and it
// re-serializes byte for byte. usage: check_i2pd_files NETID FILE...
#include <cstdio>
#include <cstdlib>
#include <string>

#include "router/base/file.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"

using namespace umbra;

namespace {

bool check_router_info(const std::string& path, std::uint8_t netid)
{
    auto bytes = read_file(path, data::max_router_info_size);
    if (!bytes) {
        std::printf("FAIL %s: cannot read\n", path.c_str());
        return false;
    }
    auto ri = data::RouterInfo::parse(*bytes);
    if (!ri) {
        std::printf("FAIL %s: parse: %s\n", path.c_str(), ri.error().message().c_str());
        return false;
    }
    const auto v = ri->validate(netid, SystemClock().wall());
    if (!v) {
        std::printf("FAIL %s: validate: %s\n", path.c_str(), v.error().message().c_str());
        return false;
    }
    const bool same =
        std::equal(ri->bytes().begin(), ri->bytes().end(), bytes->begin(), bytes->end());
    std::printf("%s %s: RouterInfo %s, %zu addresses, caps %s, verified, round trip %s\n",
                same ? "ok" : "FAIL", path.c_str(), ri->ident_hash().to_base64().c_str(),
                ri->addresses().size(), std::string(ri->options().get("caps").value_or("")).c_str(),
                same ? "identical" : "DIFFERS");
    return same;
}

bool check_keys(const std::string& path)
{
    auto bytes = read_file(path, 65536);
    auto keys =
        bytes ? data::PrivateKeys::parse(*bytes) : Result<data::PrivateKeys>(Errc::io_error);
    if (!keys) {
        std::printf("FAIL %s: parse: %s\n", path.c_str(), keys.error().message().c_str());
        return false;
    }
    const auto crypto_ok = keys->check_crypto_key();
    const auto signing_ok = keys->check_signing_key();
    const auto bad = [](const Result<void>& r) {
        return !r && r.error() != make_error_code(Errc::unsupported);
    };
    const bool same = keys->serialize() == *bytes;
    // An X25519 crypto key (routers, new destinations) must be a real key pair. i2pd fills the
    // ElGamal slot of destinations that publish LeaseSet2 with bytes that are not one, so a
    // mismatch there is reported, not failed.
    const bool x25519 = keys->identity().crypto_type() == 4;
    const bool ok = same && !(x25519 && bad(crypto_ok)) && !bad(signing_ok);
    std::printf("%s %s: keys, sig type %d, crypto type %d, crypto key %s, signing key %s, "
                "round trip %s\n",
                ok ? "ok" : "FAIL", path.c_str(), static_cast<int>(keys->identity().sig_type()),
                keys->identity().crypto_type(),
                crypto_ok        ? "matches"
                : bad(crypto_ok) ? "is not a key pair"
                                 : "not derivable",
                signing_ok ? "matches" : "not derivable", same ? "identical" : "DIFFERS");
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: check_i2pd_files NETID FILE...\n");
        return 2;
    }
    const auto netid = static_cast<std::uint8_t>(std::atoi(argv[1]));
    int failures = 0;
    for (int i = 2; i < argc; ++i) {
        const std::string path = argv[i];
        const bool is_info = path.size() > 5 && path.compare(path.size() - 5, 5, ".info") == 0;
        failures += !(is_info ? check_router_info(path, netid) : check_keys(path));
    }
    std::printf("%d files checked, %d failed\n", argc - 2, failures);
    return failures ? 1 : 0;
}
