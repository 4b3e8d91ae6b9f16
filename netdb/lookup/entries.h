// What a DatabaseStore received in answer to one of our lookups carries, checked before it is
// believed (network-database.html, "RouterInfo and LeaseSet Lookup"; i2np.rst "DatabaseStore"):
// the entry must parse, be signed by the key it is stored under and be current.
#pragma once
#include "netdb/store/store.h"
#include "router/base/clock.h"
#include "router/base/result.h"
#include "router/data/i2np/database_store.h"

namespace umbra::netdb {

// The entry of a DatabaseStore as we checked it: its published date.
struct CheckedEntry {
    bool router_info = false;
    WallTime published;
};

// Checks the entry of `store` (RouterInfo: gunzip, parse, hash == key; LeaseSet of any type:
// parse, key == the destination hash (the blinded key hash for an EncryptedLeaseSet), signature
// and dates) and keeps it in `db` (which validates RouterInfos again and refuses older ones;
// not_newer is no error: we hold one as new). keep false: checks only (our own RouterInfo).
Result<CheckedEntry> accept_entry(NetDbStore& db, const i2np::DatabaseStore& store, WallTime now,
                                  bool keep = true);

} // namespace umbra::netdb
