// Helpers shared by netdb/store's tests (header only, so the library does not build it).
#pragma once
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "netdb/store/store.h"
#include "router/data/private_keys.h"
#include "router/data/router_info.h"

namespace umbra::netdb::testing {

inline constexpr std::uint8_t test_net_id = 99;
inline constexpr WallTime t0{1'700'000'000'000}; // 2023-11-14 22:13:20 UTC

struct TestRouter {
    data::PrivateKeys keys;
    data::RouterIdentity identity;
    crypto::SigningKey signer;
};

inline TestRouter make_router(crypto::Rng& rng)
{
    auto keys = data::PrivateKeys::generate_router(rng);
    auto id = data::RouterIdentity::from(keys.identity());
    BOOST_REQUIRE(id);
    auto signer = *keys.signing_key();
    return {std::move(keys), std::move(*id), std::move(signer)};
}

inline data::RouterAddress ntcp2_address(std::string host = "127.0.0.1", std::string port = "9000")
{
    data::RouterAddress a;
    a.cost = 3;
    a.transport_style = "NTCP2";
    BOOST_REQUIRE(a.options.set("host", host));
    BOOST_REQUIRE(a.options.set("port", port));
    BOOST_REQUIRE(a.options.set("v", "2"));
    return a;
}

struct RiOptions {
    WallTime published = t0;
    std::string net_id = "99";
    std::string caps = "XR";
    std::vector<data::RouterAddress> addresses = {ntcp2_address()};
};

inline std::vector<std::uint8_t> make_ri_bytes(const TestRouter& r, crypto::Rng& rng,
                                               RiOptions o = {})
{
    data::Mapping m;
    BOOST_REQUIRE(m.set("caps", o.caps));
    BOOST_REQUIRE(m.set("netId", o.net_id));
    BOOST_REQUIRE(m.set("router.version", "0.9.67"));
    auto ri = data::RouterInfo::create(r.identity, o.published, std::move(o.addresses),
                                       std::move(m), r.signer, rng);
    BOOST_REQUIRE(ri);
    return {ri->bytes().begin(), ri->bytes().end()};
}

} // namespace umbra::netdb::testing

namespace umbra::netdb {
// For Boost.Test's messages (found by ADL).
inline std::ostream& operator<<(std::ostream& os, StoreOutcome o)
{
    return os << (o == StoreOutcome::added ? "added" : "replaced");
}
} // namespace umbra::netdb

namespace umbra::netdb::testing {

template <class T> bool fails_with(const Result<T>& r, StoreErrc e)
{
    return !r.has_value() && r.error() == make_error_code(e);
}

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class TempDir {
public:
    explicit TempDir(crypto::Rng& rng)
    {
        path_ = std::filesystem::temp_directory_path() /
                ("umbra-netdb-store-" + std::to_string(rng.u64()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

} // namespace umbra::netdb::testing
