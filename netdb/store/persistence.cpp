#include "netdb/store/persistence.h"

#include <string>
#include <string_view>
#include <system_error>

#include "router/base/encoding.h"
#include "router/base/file.h"

namespace umbra::netdb {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view file_prefix = "routerInfo-";
constexpr std::string_view file_suffix = ".dat";
constexpr std::size_t base64_hash_size = 44;

// The ident hash a file name claims, if the name is routerInfo-<44 base64 chars>.dat.
std::optional<IdentHash> hash_of_name(const std::string& name)
{
    if (name.size() != file_prefix.size() + base64_hash_size + file_suffix.size() ||
        !name.starts_with(file_prefix) || !name.ends_with(file_suffix)) {
        return std::nullopt;
    }
    const auto decoded = base64_decode(std::string_view(name).substr(file_prefix.size(), 44));
    if (!decoded || decoded->size() != 32) {
        return std::nullopt;
    }
    return IdentHash::from_span(std::span<const std::uint8_t, 32>(decoded->data(), 32));
}

bool deletes_file(const ErrorCode& ec)
{
    return ec != make_error_code(StoreErrc::full) && ec != make_error_code(StoreErrc::not_newer);
}

void load_file(const fs::path& path, const IdentHash& named, NetDbStore& store, WallTime now,
               LoadReport& report)
{
    bool bad = true;
    auto bytes = read_file(path, data::max_router_info_size + 1);
    if (!bytes && bytes.error() != make_error_code(Errc::too_large)) {
        ++report.kept; // unreadable now (permissions, I/O): maybe not later, so left alone
        return;
    }
    if (bytes) {
        // Decide from the content before storing, so a misnamed file is never stored.
        auto parsed = data::RouterInfo::parse(*bytes);
        if (parsed && parsed->ident_hash() == named) {
            const auto r = store.store_router_info(*bytes, now);
            if (r) {
                ++report.loaded;
                bad = false;
            } else if (!deletes_file(r.error())) {
                ++report.kept;
                bad = false;
            }
        }
    }
    if (bad) {
        std::error_code ec;
        if (fs::remove(path, ec)) {
            ++report.deleted;
        }
    }
}

} // namespace

fs::path router_info_path(const fs::path& netdb_dir, const IdentHash& hash)
{
    const std::string b64 = hash.to_base64();
    std::string dir = "r";
    dir += b64.front();
    return netdb_dir / dir / (std::string(file_prefix) + b64 + std::string(file_suffix));
}

Result<void> save_router_info(const fs::path& netdb_dir, const data::RouterInfo& ri)
{
    const fs::path path = router_info_path(netdb_dir, ri.ident_hash());
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        return Errc::io_error;
    }
    return write_file_atomic(path, ri.bytes());
}

Result<std::size_t> save_all(const fs::path& netdb_dir, const NetDbStore& store)
{
    std::size_t written = 0;
    Result<void> status;
    store.for_each_router_info([&](const data::RouterInfo& ri) {
        if (status) {
            status = save_router_info(netdb_dir, ri);
            written += status ? 1 : 0;
        }
    });
    if (!status) {
        return status.error();
    }
    return written;
}

Result<void> remove_router_info_file(const fs::path& netdb_dir, const IdentHash& hash)
{
    std::error_code ec;
    fs::remove(router_info_path(netdb_dir, hash), ec);
    if (ec) {
        return Errc::io_error;
    }
    return {};
}

LoadReport load_router_infos(const fs::path& netdb_dir, NetDbStore& store, WallTime now)
{
    LoadReport report;
    std::error_code ec;
    for (fs::directory_iterator d(netdb_dir, ec), end; !ec && d != end; d.increment(ec)) {
        const std::string dir_name = d->path().filename().string();
        std::error_code dec;
        if (dir_name.size() != 2 || dir_name[0] != 'r' || !d->is_directory(dec)) {
            continue;
        }
        std::error_code fec;
        for (fs::directory_iterator f(d->path(), fec), fend; !fec && f != fend; f.increment(fec)) {
            const auto named = hash_of_name(f->path().filename().string());
            std::error_code tec;
            if (!named || !f->is_regular_file(tec) || named->to_base64().front() != dir_name[1]) {
                ++report.ignored;
                continue;
            }
            load_file(f->path(), *named, store, now, report);
        }
    }
    return report;
}

} // namespace umbra::netdb
