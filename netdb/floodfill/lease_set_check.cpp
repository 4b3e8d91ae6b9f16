#include "netdb/floodfill/lease_set_check.h"

#include <algorithm>
#include <string>

#include "crypto/hash.h"
#include "router/data/encrypted_lease_set.h"
#include "router/data/lease_set.h"
#include "router/data/lease_set2.h"
#include "router/data/meta_lease_set.h"

namespace umbra::netdb {

namespace {

class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "umbra.netdb.lease_set"; }
    std::string message(int ev) const override
    {
        switch (static_cast<LeaseSetErrc>(ev)) {
        case LeaseSetErrc::malformed:
            return "malformed leaseset";
        case LeaseSetErrc::unsupported:
            return "unsupported leaseset type";
        case LeaseSetErrc::bad_signature:
            return "bad leaseset signature";
        case LeaseSetErrc::expired:
            return "leaseset expired or published in the future";
        case LeaseSetErrc::key_mismatch:
            return "key is not the leaseset's hash";
        case LeaseSetErrc::unpublished:
            return "unpublished leaseset";
        }
        return "unknown leaseset error";
    }
};

constexpr std::int64_t tunnel_lifetime_ms = 10 * 60 * 1000;

ErrorCode map_error(const ErrorCode& ec)
{
    if (ec == make_error_code(Errc::bad_signature))
        return make_error_code(LeaseSetErrc::bad_signature);
    if (ec == make_error_code(Errc::expired))
        return make_error_code(LeaseSetErrc::expired);
    if (ec == make_error_code(Errc::unsupported))
        return make_error_code(LeaseSetErrc::unsupported);
    return make_error_code(LeaseSetErrc::malformed);
}

LeaseSetRecord record_of(i2np::DatabaseEntryType type, Bytes data, const data::EntryTimes& t)
{
    const std::int64_t published = std::int64_t(t.published) * 1000;
    return {std::uint8_t(type),
            {data.begin(), data.end()},
            WallTime{published},
            WallTime{published + std::int64_t(t.expires) * 1000}};
}

// LeaseSet2, MetaLeaseSet, EncryptedLeaseSet: parse, key and flags (admit), then the signature
// and dates, so a mismatched key costs no signature check.
template <class Entry, class Admit>
Result<LeaseSetRecord> check_signed(i2np::DatabaseEntryType type, Bytes data, WallTime now,
                                    Admit admit)
{
    auto entry = Entry::parse(data);
    if (!entry)
        return map_error(entry.error());
    if (const ErrorCode ec = admit(entry->content()))
        return ec;
    if (auto v = entry->validate(now); !v)
        return map_error(v.error());
    return record_of(type, data, entry->content().times());
}

ErrorCode admit_if(bool key_matches, std::uint16_t flags, std::uint16_t unpublished_flag)
{
    if (!key_matches)
        return make_error_code(LeaseSetErrc::key_mismatch);
    if (flags & unpublished_flag)
        return make_error_code(LeaseSetErrc::unpublished);
    return {};
}

Result<LeaseSetRecord> check_lease_set1(const IdentHash& key, Bytes data, WallTime now)
{
    auto ls = data::LeaseSet::parse(data);
    if (!ls)
        return map_error(ls.error());
    if (ls->destination().ident_hash() != key)
        return make_error_code(LeaseSetErrc::key_mismatch);
    if (!ls->verify())
        return make_error_code(LeaseSetErrc::bad_signature);
    std::uint64_t last = 0;
    for (const auto& lease : ls->content().leases)
        last = std::max(last, lease.end_date);
    if (last <= std::uint64_t(std::max<std::int64_t>(now.ms, 0)) || last > INT64_MAX / 2)
        return make_error_code(LeaseSetErrc::expired);
    const auto earliest = std::int64_t(ls->earliest_expiration());
    return LeaseSetRecord{std::uint8_t(i2np::DatabaseEntryType::lease_set),
                          {data.begin(), data.end()},
                          WallTime{earliest - tunnel_lifetime_ms},
                          WallTime{std::int64_t(last)}};
}

} // namespace

const boost::system::error_category& lease_set_check_category() noexcept
{
    static const Category c;
    return c;
}

Result<LeaseSetRecord> check_lease_set(const IdentHash& key, i2np::DatabaseEntryType type,
                                       Bytes data, WallTime now)
{
    using T = i2np::DatabaseEntryType;
    const auto by_destination = [&](const auto& c) {
        return admit_if(c.header.destination.ident_hash() == key, c.header.flags,
                        data::LeaseSet2Header::flag_unpublished);
    };
    switch (type) {
    case T::lease_set:
        return check_lease_set1(key, data, now);
    case T::lease_set2:
        return check_signed<data::LeaseSet2>(type, data, now, by_destination);
    case T::meta_lease_set:
        return check_signed<data::MetaLeaseSet>(type, data, now, by_destination);
    case T::encrypted_lease_set:
        return check_signed<data::EncryptedLeaseSet>(
            type, data, now, [&](const data::EncryptedLeaseSetContent& c) {
                const auto h =
                    data::blinded_key_hash(std::uint16_t(c.blinded_type), c.blinded_public_key);
                return admit_if(h == key, c.flags,
                                data::EncryptedLeaseSetContent::flag_unpublished);
            });
    case T::router_info:
        break;
    }
    return make_error_code(LeaseSetErrc::malformed);
}

} // namespace umbra::netdb
