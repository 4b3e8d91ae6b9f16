// Builders shared by netdb/floodfill's tests (header only): signed LeaseSets of each type and
// DatabaseStore/DatabaseLookup messages around them.
#pragma once
#include <ostream>
#include <vector>

#include "netdb/store/testing.h"
#include "router/base/gzip.h"
#include "router/data/encrypted_lease_set.h"
#include "router/data/i2np/database_lookup.h"
#include "router/data/i2np/database_store.h"
#include "router/data/lease_set.h"
#include "router/data/lease_set2.h"
#include "router/data/testing.h"

namespace umbra::netdb::testing {

// Published (seconds) at t0, expiring 600 s later.
inline std::uint32_t t0_seconds()
{
    return std::uint32_t(t0.ms / 1000);
}

inline data::LeaseSet2 make_lease_set2(const data::testing::TestDestination& d, crypto::Rng& rng,
                                       std::uint32_t published = t0_seconds(),
                                       std::uint16_t flags = 0)
{
    data::LeaseSet2Content c{{d.destination, published, 600, flags, std::nullopt}, {}, {}, {}};
    data::EncryptionKey k{4, std::vector<std::uint8_t>(32)};
    rng.fill(k.key);
    c.encryption_keys.push_back(std::move(k));
    std::array<std::uint8_t, 32> gw;
    rng.fill(gw);
    c.leases.push_back({IdentHash(gw), TunnelId(7), published + 600});
    auto ls = data::LeaseSet2::create(std::move(c), d.signer, rng);
    BOOST_REQUIRE(ls);
    return std::move(*ls);
}

inline data::LeaseSet make_lease_set1(const data::testing::TestDestination& d, crypto::Rng& rng,
                                      std::int64_t lease_end_ms)
{
    std::vector<std::uint8_t> enc(data::lease_set_encryption_key_size);
    rng.fill(enc);
    std::vector<std::uint8_t> sk(d.destination.signing_public_key().size());
    rng.fill(sk);
    std::array<std::uint8_t, 32> gw;
    rng.fill(gw);
    std::vector<data::Lease> leases{{IdentHash(gw), TunnelId(9), std::uint64_t(lease_end_ms)}};
    auto ls = data::LeaseSet::create({d.destination, std::move(enc), std::move(sk), leases},
                                     d.signer, rng);
    BOOST_REQUIRE(ls);
    return std::move(*ls);
}

inline data::EncryptedLeaseSet make_encrypted_lease_set(const crypto::SigningKey& blinded,
                                                        crypto::Rng& rng)
{
    data::EncryptedLeaseSetContent c;
    c.blinded_public_key.assign(blinded.public_key().begin(), blinded.public_key().end());
    c.published = t0_seconds();
    c.expires = 600;
    c.encrypted_data.resize(100);
    rng.fill(c.encrypted_data);
    auto e = data::EncryptedLeaseSet::create(std::move(c), blinded, rng);
    BOOST_REQUIRE(e);
    return std::move(*e);
}

inline i2np::DatabaseStore store_message(const IdentHash& key, i2np::DatabaseEntryType type,
                                         Bytes entry, std::uint32_t token = 0,
                                         std::uint32_t tunnel = 0, IdentHash gateway = {})
{
    i2np::DatabaseStore s;
    s.key = key;
    s.entry_type = type;
    if (token != 0) {
        s.reply = i2np::StoreReply{MessageId(token), TunnelId(tunnel), gateway};
    }
    if (type == i2np::DatabaseEntryType::router_info) {
        s.data = gzip_compress(entry);
    } else {
        s.data.assign(entry.begin(), entry.end());
    }
    return s;
}

inline IdentHash random_hash(crypto::Rng& rng)
{
    std::array<std::uint8_t, 32> b;
    rng.fill(b);
    return IdentHash(b);
}

} // namespace umbra::netdb::testing

namespace umbra {
// For Boost.Test's messages (found by ADL).
inline std::ostream& operator<<(std::ostream& os, const IdentHash& h)
{
    return os << h.to_base64();
}
} // namespace umbra
