// RouterInfos on disk in i2pd's netDb layout, so a folder can be shared with or seeded from i2pd:
//   <netdb>/r<C>/routerInfo-<B64>.dat
// where <B64> is the I2P base64 of the ident hash and <C> its first character. Each file holds
// one RouterInfo exactly as received (network-database.html, "RouterInfo Persistent Storage").
#pragma once
#include <cstddef>
#include <filesystem>

#include "netdb/store/store.h"

namespace umbra::netdb {

std::filesystem::path router_info_path(const std::filesystem::path& netdb_dir,
                                       const IdentHash& hash);

// Atomic (write_file_atomic): a crash leaves the old file or the new one.
Result<void> save_router_info(const std::filesystem::path& netdb_dir, const data::RouterInfo& ri);
// Writes every RouterInfo of the store; returns how many were written (stops at the first error).
Result<std::size_t> save_all(const std::filesystem::path& netdb_dir, const NetDbStore& store);
// Missing file: not an error.
Result<void> remove_router_info_file(const std::filesystem::path& netdb_dir, const IdentHash& hash);

struct LoadReport {
    std::size_t loaded = 0;
    std::size_t deleted = 0; // bad, expired or misnamed RouterInfo files removed
    std::size_t kept = 0;    // not loaded but left: unreadable, store full, duplicate
    std::size_t ignored = 0; // files whose names are not ours, left alone
};

// Loads every routerInfo-*.dat under netdb_dir/r?/ through store.store_router_info(). Files are
// read up to data::max_router_info_size + 1 bytes. A file named like ours whose content is
// refused (too large, malformed, bad signature, other network, too old, bad addresses) or whose
// hash differs from its name is deleted: it can never become valid. Files that could not be
// read, or were refused only because the store is full or holds a newer copy, stay ("kept").
// Any other name (temporary files of an interrupted write, foreign files) is ignored.
// A missing netdb_dir loads nothing.
LoadReport load_router_infos(const std::filesystem::path& netdb_dir, NetDbStore& store,
                             WallTime now);

} // namespace umbra::netdb
