// A bounded reader of zip archives (PKWARE APPNOTE.TXT 6.3, sections 4.3 and 4.4): what a reseed
// bundle holds. Everything is read from memory; nothing is written to disk. Only the subset that
// zip writers of reseed servers produce is accepted: one disk, no zip64, no encryption, methods
// stored and deflate. Every size is capped before anything is allocated or inflated.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "router/base/bytes.h"

namespace umbra::reseed {

struct ZipLimits {
    std::size_t max_entries = 10'000;
    std::size_t max_entry_size = 64 * 1024;        // uncompressed, per entry
    std::size_t max_total_size = 32 * 1024 * 1024; // uncompressed, over the selected entries
    std::size_t max_name_size = 255;
};

using ZipEntries = std::vector<std::pair<std::string, std::vector<std::uint8_t>>>;

// Chooses which entries to extract; the others are still checked but not inflated.
using ZipSelect = bool (*)(std::string_view name);

// The selected entries (all if select is null), in central directory order.
// Errc::bad_encoding for a malformed archive (no end record, bad signatures, local header and
// central directory disagree, overlapping entries, bad deflate data, CRC mismatch, duplicate or
// empty names); Errc::unsupported for zip64, multiple disks, encryption, other methods;
// Errc::too_large when an entry, the total, the entry count or a name exceeds its limit, or an
// entry inflates to more than it declares.
Result<ZipEntries> read_zip(Bytes archive, const ZipLimits& limits, ZipSelect select = nullptr);

} // namespace umbra::reseed
