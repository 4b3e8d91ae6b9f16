// Peer profiles on disk in i2pd's peerProfiles layout, one small INI-style text file per router:
//   <dir>/p<C>/profile-<B64>.txt
// where <B64> is the I2P base64 of the ident hash and <C> its first character. Keys shared with
// i2pd keep i2pd's names (lastupdatetimestamp, lastunreachabletime, [participation] agreed,
// declined, nonreplied, [usage] taken, connected); ours live in an [umbra] section, which i2pd
// ignores. Times are seconds since the Unix epoch.
#pragma once
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "netdb/profiles/profiles.h"
#include "router/base/result.h"

namespace umbra::netdb {

inline constexpr std::size_t max_profile_file_size = 4096;

std::filesystem::path profile_path(const std::filesystem::path& dir, const IdentHash& router);

std::string format_profile(const PeerProfile& p);
// Never fails: unknown keys are skipped; malformed lines (no '=', a bad number, an over-long
// line) are skipped and counted in bad_lines. Nothing usable (no known key): nullopt.
std::optional<PeerProfile> parse_profile(std::string_view text, std::size_t& bad_lines);

// Atomic (write_file_atomic).
Result<void> save_profile(const std::filesystem::path& dir, const IdentHash& router,
                          const PeerProfile& p);
// Writes every profile; returns how many were written (stops at the first error).
Result<std::size_t> save_profiles(const std::filesystem::path& dir, const PeerProfiles& profiles);

struct ProfileLoadReport {
    std::size_t loaded = 0;
    std::size_t expired = 0;   // older than max_age: deleted
    std::size_t rejected = 0;  // too large, unreadable or nothing usable: deleted
    std::size_t bad_lines = 0; // skipped inside files that were loaded
    std::size_t ignored = 0;   // names that are not ours: left alone
};

// Loads every profile-*.txt under dir/p?/ into profiles, treating files as hostile: read at most
// max_profile_file_size bytes, bad lines skipped. A missing dir loads nothing.
ProfileLoadReport load_profiles(const std::filesystem::path& dir, PeerProfiles& profiles,
                                WallTime now);

} // namespace umbra::netdb
