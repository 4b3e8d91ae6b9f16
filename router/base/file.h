// Files written by the router (keys, router.info, netDb entries) are replaced atomically: write a
// temporary file beside the target, fsync it, rename it over the target, fsync the directory. A
// crash leaves either the old or the new file, never a torn one.
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "router/base/result.h"

namespace umbra {

// mode is applied to the temporary file before any byte is written (0600 for key files).
Result<void> write_file_atomic(const std::filesystem::path& path,
                               std::span<const std::uint8_t> data, unsigned mode = 0644);

// Reads a whole regular file of at most max_size bytes (Errc::too_large beyond, Errc::io_error
// if missing or unreadable).
Result<std::vector<std::uint8_t>> read_file(const std::filesystem::path& path,
                                            std::size_t max_size);

} // namespace umbra
