#include "netdb/lookup/entries.h"

#include <algorithm>

#include "crypto/hash.h"
#include "router/base/bytes.h"
#include "router/base/gzip.h"
#include "router/data/encrypted_lease_set.h"
#include "router/data/lease_set.h"
#include "router/data/lease_set2.h"
#include "router/data/meta_lease_set.h"

namespace umbra::netdb {

namespace {

using i2np::DatabaseEntryType;

bool is_not_newer(const ErrorCode& e)
{
    return e == make_error_code(StoreErrc::not_newer);
}

Result<CheckedEntry> accept_router_info(NetDbStore& db, const i2np::DatabaseStore& store,
                                        WallTime now, bool keep)
{
    UMBRA_TRY(auto raw, gzip_decompress(store.data, data::max_router_info_size));
    UMBRA_TRY(auto ri, data::RouterInfo::parse(raw));
    if (ri.ident_hash() != store.key) {
        return Errc::invalid_value;
    }
    if (keep) {
        const auto stored = db.store_router_info(raw, now);
        if (!stored && !is_not_newer(stored.error())) {
            return stored.error();
        }
    } else {
        UMBRA_TRY_VOID(ri.validate(db.config().net_id, now));
    }
    return CheckedEntry{true, ri.published()};
}

template <class Entry> Result<LeaseSetRecord> check_entry2(const Entry& e, WallTime now)
{
    UMBRA_TRY_VOID(e.validate(now));
    const auto t = e.content().times();
    return LeaseSetRecord{0,
                          {},
                          WallTime{std::int64_t(t.published) * 1000},
                          WallTime{(std::int64_t(t.published) + t.expires) * 1000}};
}

// The legacy LeaseSet has no published date; its earliest lease end orders versions
// (common-structures.rst "LeaseSet", Notes) and its latest one is when it expires.
Result<LeaseSetRecord> check_legacy(const data::LeaseSet& ls, const IdentHash& key, WallTime now)
{
    if (ls.destination().ident_hash() != key || !ls.verify()) {
        return Errc::bad_signature;
    }
    std::uint64_t last = 0;
    for (const auto& l : ls.content().leases) {
        last = std::max(last, l.end_date);
    }
    if (last <= std::uint64_t(std::max<std::int64_t>(now.ms, 0))) {
        return Errc::expired;
    }
    return LeaseSetRecord{
        0, {}, WallTime{std::int64_t(ls.earliest_expiration())}, WallTime{std::int64_t(last)}};
}

Result<LeaseSetRecord> check_lease_set(const i2np::DatabaseStore& s, WallTime now)
{
    switch (s.entry_type) {
    case DatabaseEntryType::lease_set: {
        UMBRA_TRY(auto ls, data::LeaseSet::parse(s.data));
        return check_legacy(ls, s.key, now);
    }
    case DatabaseEntryType::lease_set2: {
        UMBRA_TRY(auto ls, data::LeaseSet2::parse(s.data));
        if (ls.content().header.destination.ident_hash() != s.key) {
            return Errc::invalid_value;
        }
        return check_entry2(ls, now);
    }
    case DatabaseEntryType::meta_lease_set: {
        UMBRA_TRY(auto ls, data::MetaLeaseSet::parse(s.data));
        if (ls.content().header.destination.ident_hash() != s.key) {
            return Errc::invalid_value;
        }
        return check_entry2(ls, now);
    }
    case DatabaseEntryType::encrypted_lease_set: {
        UMBRA_TRY(auto ls, data::EncryptedLeaseSet::parse(s.data));
        const auto& c = ls.content();
        if (data::blinded_key_hash(std::uint16_t(c.blinded_type), c.blinded_public_key) != s.key) {
            return Errc::invalid_value;
        }
        return check_entry2(ls, now);
    }
    case DatabaseEntryType::router_info:
        break;
    }
    return Errc::invalid_value;
}

} // namespace

Result<CheckedEntry> accept_entry(NetDbStore& db, const i2np::DatabaseStore& store, WallTime now,
                                  bool keep)
{
    if (store.entry_type == DatabaseEntryType::router_info) {
        return accept_router_info(db, store, now, keep);
    }
    UMBRA_TRY(auto record, check_lease_set(store, now));
    record.store_type = static_cast<std::uint8_t>(store.entry_type);
    record.bytes = store.data;
    const WallTime published = record.published;
    if (keep) {
        const auto stored = db.store_lease_set(store.key, std::move(record), now);
        if (!stored && !is_not_newer(stored.error())) {
            return stored.error();
        }
    }
    return CheckedEntry{false, published};
}

} // namespace umbra::netdb
