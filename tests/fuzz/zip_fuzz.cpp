// zip: every archive accepted respects the entry count, entry size, total size and name caps,
// and extracting a subset gives the same bytes as extracting everything.
#include <cstdlib>

#include "netdb/reseed/zip.h"

namespace {
void require(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

bool odd_length(std::string_view name)
{
    return name.size() % 2 == 1;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const umbra::Bytes input(data, size);
    umbra::reseed::ZipLimits limits;
    limits.max_entries = 64;
    limits.max_entry_size = 16 * 1024;
    limits.max_total_size = 256 * 1024;
    limits.max_name_size = 64;
    auto all = umbra::reseed::read_zip(input, limits);
    if (!all) {
        return 0;
    }
    require(all->size() <= limits.max_entries);
    std::size_t total = 0;
    umbra::reseed::ZipEntries odd;
    for (const auto& entry : *all) {
        require(!entry.first.empty() && entry.first.size() <= limits.max_name_size);
        require(entry.second.size() <= limits.max_entry_size);
        total += entry.second.size();
        if (odd_length(entry.first)) {
            odd.push_back(entry);
        }
    }
    require(total <= limits.max_total_size);
    auto some = umbra::reseed::read_zip(input, limits, &odd_length);
    require(some && *some == odd);
    return 0;
}
