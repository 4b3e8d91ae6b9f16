// Helpers shared by router/data's tests (header only, so the library does not build it).
#pragma once
#include <string>
#include <vector>

#include "crypto/random.h"
#include "crypto/signature.h"
#include "router/base/result.h"
#include "router/data/keys_and_cert.h"
#include "router/data/lease_set2_header.h"
#include "router/data/private_keys.h"
#include "tests/support/vector_file.h"

namespace umbra::data::testing {

inline const std::vector<std::string> router_fixtures = {"router1", "router2-floodfill",
                                                         "router3-ntcp2only"};
inline const std::vector<int> destination_fixture_sig_types = {0, 1, 2, 3, 7, 11};

// tests/fixtures/i2pd/<name>, read relative to the repo root (CTest's working directory).
inline std::vector<std::uint8_t> fixture(const std::string& name)
{
    return umbra::test::read_file("tests/fixtures/i2pd/" + name);
}

template <class T> bool fails_with(const Result<T>& r, Errc e)
{
    return !r.has_value() && r.error() == make_error_code(e);
}

// A destination with the signer umbra can use for it.
struct TestDestination {
    PrivateKeys keys;
    crypto::SigningKey signer;
    Destination destination;
};

inline TestDestination make_destination(crypto::SigType type, crypto::Rng& rng)
{
    auto keys = PrivateKeys::generate_destination(type, rng);
    auto signer = *keys.signing_key();
    auto dest = Destination::from(keys.identity());
    return {std::move(keys), std::move(signer), std::move(dest)};
}

inline std::vector<std::uint8_t> flip_bit(std::vector<std::uint8_t> b, std::size_t bit)
{
    b[bit / 8] ^= std::uint8_t(1u << (bit % 8));
    return b;
}

// Published at 1'700'000'000 s, expiring 600 s later; offline-signed for a day when transient
// is given.
inline constexpr std::uint32_t ls2_published = 1'700'000'000;
inline constexpr WallTime ls2_now{std::int64_t(ls2_published) * 1000 + 5000};

inline LeaseSet2Header make_ls2_header(const TestDestination& d,
                                       const crypto::SigningKey* transient, crypto::Rng& rng)
{
    LeaseSet2Header h{d.destination, ls2_published, 600, 0, std::nullopt};
    if (transient) {
        h.offline = OfflineSignature::create(ls2_published + 86'400, *transient, d.signer, rng);
    }
    return h;
}

inline const std::vector<crypto::SigType> our_sig_types = {crypto::SigType::eddsa_sha512_ed25519,
                                                           crypto::SigType::redsa_sha512_ed25519};

} // namespace umbra::data::testing
