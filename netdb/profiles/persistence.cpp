#include "netdb/profiles/persistence.h"

#include <charconv>
#include <span>
#include <system_error>

#include "router/base/encoding.h"
#include "router/base/file.h"

namespace umbra::netdb {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t max_line = 256;
constexpr std::string_view prefix = "profile-";
constexpr std::string_view suffix = ".txt";

// One key of the file: its section ("" before any header) and where it lives in a profile.
struct Field {
    std::string_view section;
    std::string_view key;
    std::uint32_t PeerProfile::*counter = nullptr;
    WallTime PeerProfile::*time = nullptr;
};

constexpr Field fields[] = {
    {"", "lastupdatetimestamp", nullptr, &PeerProfile::last_updated},
    {"", "lastunreachabletime", nullptr, &PeerProfile::last_unreachable},
    {"participation", "agreed", &PeerProfile::tunnels_agreed, nullptr},
    {"participation", "declined", &PeerProfile::tunnels_declined, nullptr},
    {"participation", "nonreplied", &PeerProfile::tunnels_timed_out, nullptr},
    {"usage", "taken", &PeerProfile::times_used, nullptr},
    {"umbra", "connects", &PeerProfile::connects, nullptr},
    {"umbra", "nonrepliedinrow", &PeerProfile::tunnels_timed_out_in_row, nullptr},
    {"umbra", "connectfailures", &PeerProfile::connect_failures, nullptr},
    {"umbra", "lookupsanswered", &PeerProfile::lookups_answered, nullptr},
    {"umbra", "lookupstimedout", &PeerProfile::lookups_timed_out, nullptr},
    {"umbra", "storesconfirmed", &PeerProfile::stores_confirmed, nullptr},
    {"umbra", "lastseen", nullptr, &PeerProfile::last_seen},
};

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

template <class Int> bool parse_int(std::string_view s, Int& out)
{
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && ptr == s.data() + s.size();
}

// Applies key=value of section to p; false when the value is malformed.
bool apply(PeerProfile& p, std::string_view section, std::string_view key, std::string_view value,
           bool& known)
{
    if (section == "usage" && key == "connected") { // i2pd: a boolean
        known = true;
        if (value != "true" && value != "false")
            return false;
        if (value == "true" && p.connects == 0)
            p.connects = 1;
        return true;
    }
    for (const Field& f : fields) {
        if (f.section != section || f.key != key)
            continue;
        known = true;
        if (f.counter)
            return parse_int(value, p.*f.counter);
        std::int64_t seconds = 0;
        if (!parse_int(value, seconds) || seconds < 0 || seconds > INT64_MAX / 1000)
            return false;
        (p.*f.time).ms = seconds * 1000;
        return true;
    }
    return true; // unknown keys (i2pd's rejected, duplicated, ...) are not errors
}

std::optional<IdentHash> hash_of_file_name(const std::string& name)
{
    if (name.size() != prefix.size() + 44 + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix))
        return std::nullopt;
    auto bytes = base64_decode(std::string_view(name).substr(prefix.size(), 44));
    if (!bytes || bytes->size() != 32)
        return std::nullopt;
    return IdentHash::from_span(std::span<const std::uint8_t, 32>(bytes->data(), 32));
}

} // namespace

fs::path profile_path(const fs::path& dir, const IdentHash& router)
{
    const std::string b64 = router.to_base64();
    return dir / ("p" + b64.substr(0, 1)) / (std::string(prefix) + b64 + std::string(suffix));
}

std::string format_profile(const PeerProfile& p)
{
    std::string out;
    std::string_view section;
    for (const Field& f : fields) {
        if (f.section != section) {
            section = f.section;
            out += "[" + std::string(section) + "]\n";
        }
        if (f.time == &PeerProfile::last_unreachable && p.last_unreachable.ms == 0)
            continue;
        const auto v = f.counter ? std::int64_t(p.*f.counter) : (p.*f.time).seconds();
        out += std::string(f.key) + "=" + std::to_string(v) + "\n";
        if (f.key == "taken") // i2pd reads a boolean here
            out += std::string("connected=") + (p.connects ? "true" : "false") + "\n";
    }
    return out;
}

std::optional<PeerProfile> parse_profile(std::string_view text, std::size_t& bad_lines)
{
    PeerProfile p;
    bool any = false;
    std::string_view section;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        line = trim(line);
        if (line.empty() || line.front() == '#' || line.front() == ';')
            continue;
        if (line.size() > max_line) {
            ++bad_lines;
        } else if (line.front() == '[') {
            if (line.back() != ']')
                ++bad_lines;
            section = line.back() == ']' ? line.substr(1, line.size() - 2) : "<bad>";
        } else if (const auto eq = line.find('='); eq == std::string_view::npos) {
            ++bad_lines;
        } else {
            bool known = false;
            if (!apply(p, section, trim(line.substr(0, eq)), trim(line.substr(eq + 1)), known))
                ++bad_lines;
            else
                any = any || known;
        }
    }
    if (!any)
        return std::nullopt;
    return p;
}

Result<void> save_profile(const fs::path& dir, const IdentHash& router, const PeerProfile& p)
{
    const fs::path path = profile_path(dir, router);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return make_error_code(Errc::io_error);
    const std::string text = format_profile(p);
    return write_file_atomic(
        path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Result<std::size_t> save_profiles(const fs::path& dir, const PeerProfiles& profiles)
{
    std::size_t written = 0;
    ErrorCode first;
    profiles.for_each([&](const IdentHash& h, const PeerProfile& p) {
        if (first)
            return;
        if (auto r = save_profile(dir, h, p); !r)
            first = r.error();
        else
            ++written;
    });
    if (first)
        return first;
    return written;
}

namespace {

void load_one(const fs::path& path, const IdentHash& hash, PeerProfiles& profiles, WallTime now,
              ProfileLoadReport& report)
{
    std::error_code ec;
    auto bytes = read_file(path, max_profile_file_size);
    std::optional<PeerProfile> p;
    if (bytes) {
        std::size_t bad = 0;
        p = parse_profile(
            std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()), bad);
        if (p)
            report.bad_lines += bad;
    }
    if (!p) {
        ++report.rejected;
        fs::remove(path, ec);
        return;
    }
    // A date in the future cannot be true; it would keep the profile forever.
    p->last_updated.ms = std::min(p->last_updated.ms, now.ms);
    p->last_seen.ms = std::min(p->last_seen.ms, now.ms);
    p->last_unreachable.ms = std::min(p->last_unreachable.ms, now.ms);
    if (now.ms - p->last_updated.ms > profiles.config().max_age.count()) {
        ++report.expired;
        fs::remove(path, ec);
        return;
    }
    profiles.put(hash, *p);
    ++report.loaded;
}

} // namespace

ProfileLoadReport load_profiles(const fs::path& dir, PeerProfiles& profiles, WallTime now)
{
    ProfileLoadReport report;
    std::error_code ec;
    for (fs::directory_iterator sub(dir, ec), end; !ec && sub != end; sub.increment(ec)) {
        const std::string sub_name = sub->path().filename().string();
        if (sub_name.size() != 2 || sub_name[0] != 'p' || !sub->is_directory(ec))
            continue;
        std::error_code ec2;
        for (fs::directory_iterator it(sub->path(), ec2), e2; !ec2 && it != e2; it.increment(ec2)) {
            const auto hash = hash_of_file_name(it->path().filename().string());
            if (!hash || !it->is_regular_file(ec2) || profile_path(dir, *hash) != it->path()) {
                ++report.ignored;
                continue;
            }
            load_one(it->path(), *hash, profiles, now, report);
        }
    }
    return report;
}

} // namespace umbra::netdb
