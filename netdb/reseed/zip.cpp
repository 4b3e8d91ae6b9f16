#include "netdb/reseed/zip.h"

#include <algorithm>
#include <set>

#include <zlib.h>

#include "router/base/check.h"

namespace umbra::reseed {

namespace {

// APPNOTE 4.3.16, 4.3.12, 4.3.7, 4.3.9.3, 4.3.15.
constexpr std::uint32_t eocd_signature = 0x06054b50;
constexpr std::uint32_t central_signature = 0x02014b50;
constexpr std::uint32_t local_signature = 0x04034b50;
constexpr std::uint32_t descriptor_signature = 0x08074b50;
constexpr std::uint32_t zip64_locator_signature = 0x07064b50;
constexpr std::size_t eocd_size = 22;
constexpr std::size_t zip64_locator_size = 20;
constexpr std::size_t central_size = 46;
constexpr std::size_t max_comment = 0xffff;
constexpr std::uint16_t zip64_extra_id = 0x0001; // APPNOTE 4.5.3

// General purpose flags (APPNOTE 4.4.4).
constexpr std::uint16_t flag_encrypted = 1 << 0;
constexpr std::uint16_t flag_descriptor = 1 << 3;
constexpr std::uint16_t flag_strong_encryption = 1 << 6;
constexpr std::uint16_t flag_masked_header = 1 << 13;

constexpr std::uint16_t method_stored = 0;
constexpr std::uint16_t method_deflate = 8;

// Zip integers are little-endian, unlike I2P's; ByteReader keeps the bounds checks.
Result<std::uint16_t> le16(ByteReader& r)
{
    UMBRA_TRY(auto b, r.array<2>());
    return std::uint16_t(b[0] | b[1] << 8);
}

Result<std::uint32_t> le32(ByteReader& r)
{
    UMBRA_TRY(auto b, r.array<4>());
    return std::uint32_t(b[0]) | std::uint32_t(b[1]) << 8 | std::uint32_t(b[2]) << 16 |
           std::uint32_t(b[3]) << 24;
}

std::uint32_t load_le32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

struct Directory {
    std::size_t offset; // of the central directory
    std::size_t size;
    std::size_t entries;
};

// The end record is the last 22 bytes plus a comment of up to 64 KiB; the comment may itself
// contain the signature, so the last candidate whose comment reaches exactly the end wins.
Result<std::size_t> find_eocd(Bytes zip)
{
    if (zip.size() < eocd_size) {
        return Errc::bad_encoding;
    }
    const std::size_t last = zip.size() - eocd_size;
    const std::size_t first = last > max_comment ? last - max_comment : 0;
    for (std::size_t pos = last + 1; pos-- > first;) {
        const std::uint8_t* p = zip.data() + pos;
        const std::size_t comment = std::size_t(p[20] | p[21] << 8);
        if (load_le32(p) == eocd_signature && pos + eocd_size + comment == zip.size()) {
            return pos;
        }
    }
    return Errc::bad_encoding;
}

Result<Directory> read_eocd(Bytes zip, const ZipLimits& limits)
{
    UMBRA_TRY(const std::size_t pos, find_eocd(zip));
    if (pos >= zip64_locator_size &&
        load_le32(zip.data() + pos - zip64_locator_size) == zip64_locator_signature) {
        return Errc::unsupported;
    }
    ByteReader r(zip.subspan(pos + 4));
    UMBRA_TRY(const auto disk, le16(r));
    UMBRA_TRY(const auto cd_disk, le16(r));
    UMBRA_TRY(const auto disk_entries, le16(r));
    UMBRA_TRY(const auto entries, le16(r));
    UMBRA_TRY(const auto cd_size, le32(r));
    UMBRA_TRY(const auto cd_offset, le32(r));
    // 0xffff / 0xffffffff say "see the zip64 record" (APPNOTE 4.4.1.4).
    if (entries == 0xffff || cd_size == 0xffffffff || cd_offset == 0xffffffff) {
        return Errc::unsupported;
    }
    if (disk != 0 || cd_disk != 0 || disk_entries != entries) {
        return Errc::unsupported;
    }
    if (entries > limits.max_entries) {
        return Errc::too_large;
    }
    // The directory must end where the end record starts: no gap where hidden data could sit.
    if (std::size_t(cd_offset) + cd_size != pos) {
        return Errc::bad_encoding;
    }
    return Directory{cd_offset, cd_size, entries};
}

struct Entry {
    std::string name;
    std::uint16_t flags;
    std::uint16_t method;
    std::uint32_t crc;
    std::uint32_t compressed_size;
    std::uint32_t size;
    std::size_t local_offset;
    Bytes data;          // the compressed bytes, once the local header is read
    std::size_t end = 0; // first byte after the data and any data descriptor
};

Result<void> reject_zip64_extra(Bytes extra)
{
    ByteReader r(extra);
    while (!r.empty()) {
        UMBRA_TRY(const auto id, le16(r));
        UMBRA_TRY(const auto size, le16(r));
        if (id == zip64_extra_id) {
            return Errc::unsupported;
        }
        if (!r.skip(size)) {
            return Errc::bad_encoding;
        }
    }
    return {};
}

Result<Entry> read_central_entry(ByteReader& r, const ZipLimits& limits)
{
    UMBRA_TRY(const auto sig, le32(r));
    if (sig != central_signature) {
        return Errc::bad_encoding;
    }
    Entry e{};
    UMBRA_TRY_VOID(r.skip(4)); // version made by, version needed
    UMBRA_TRY(e.flags, le16(r));
    UMBRA_TRY(e.method, le16(r));
    UMBRA_TRY_VOID(r.skip(4)); // time, date
    UMBRA_TRY(e.crc, le32(r));
    UMBRA_TRY(e.compressed_size, le32(r));
    UMBRA_TRY(e.size, le32(r));
    UMBRA_TRY(const auto name_size, le16(r));
    UMBRA_TRY(const auto extra_size, le16(r));
    UMBRA_TRY(const auto comment_size, le16(r));
    UMBRA_TRY(const auto disk, le16(r));
    UMBRA_TRY_VOID(r.skip(6)); // internal and external attributes
    UMBRA_TRY(const auto offset, le32(r));
    UMBRA_TRY(const Bytes name, r.bytes(name_size));
    UMBRA_TRY(const Bytes extra, r.bytes(extra_size));
    UMBRA_TRY_VOID(r.skip(comment_size));
    if (e.compressed_size == 0xffffffff || e.size == 0xffffffff || offset == 0xffffffff ||
        disk == 0xffff) {
        return Errc::unsupported;
    }
    UMBRA_TRY_VOID(reject_zip64_extra(extra));
    if ((e.flags & (flag_encrypted | flag_strong_encryption | flag_masked_header)) != 0 ||
        disk != 0 || (e.method != method_stored && e.method != method_deflate)) {
        return Errc::unsupported;
    }
    if (e.method == method_stored && e.compressed_size != e.size) {
        return Errc::bad_encoding;
    }
    if (name_size > limits.max_name_size || e.size > limits.max_entry_size) {
        return Errc::too_large;
    }
    if (name_size == 0) {
        return Errc::bad_encoding;
    }
    e.name.assign(reinterpret_cast<const char*>(name.data()), name.size());
    e.local_offset = offset;
    return e;
}

// The local header repeats what the directory says; a reader that trusted only one of them
// could be shown different contents than another reader, so both must agree.
Result<void> read_local_header(Bytes zip, std::size_t cd_offset, Entry& e)
{
    if (e.local_offset >= cd_offset) {
        return Errc::bad_encoding;
    }
    ByteReader r(zip.first(cd_offset).subspan(e.local_offset));
    UMBRA_TRY(const auto sig, le32(r));
    UMBRA_TRY_VOID(r.skip(2)); // version needed
    UMBRA_TRY(const auto flags, le16(r));
    UMBRA_TRY(const auto method, le16(r));
    UMBRA_TRY_VOID(r.skip(4)); // time, date
    UMBRA_TRY(const auto crc, le32(r));
    UMBRA_TRY(const auto compressed_size, le32(r));
    UMBRA_TRY(const auto size, le32(r));
    UMBRA_TRY(const auto name_size, le16(r));
    UMBRA_TRY(const auto extra_size, le16(r));
    UMBRA_TRY(const Bytes name, r.bytes(name_size));
    UMBRA_TRY(const Bytes extra, r.bytes(extra_size));
    if (sig != local_signature || flags != e.flags || method != e.method ||
        !std::equal(name.begin(), name.end(), e.name.begin(), e.name.end())) {
        return Errc::bad_encoding;
    }
    UMBRA_TRY_VOID(reject_zip64_extra(extra));
    // With a data descriptor the writer may leave these zero (APPNOTE 4.4.4, bit 3).
    const bool zero = crc == 0 && compressed_size == 0 && size == 0;
    const bool same = crc == e.crc && compressed_size == e.compressed_size && size == e.size;
    if (!same && !((e.flags & flag_descriptor) != 0 && zero)) {
        return Errc::bad_encoding;
    }
    UMBRA_TRY(e.data, r.bytes(e.compressed_size));
    if ((e.flags & flag_descriptor) != 0) {
        // APPNOTE 4.3.9: crc, sizes, optionally preceded by a signature; they must match.
        ByteReader d(r.peek_rest());
        UMBRA_TRY(auto first, le32(d));
        if (first == descriptor_signature) {
            UMBRA_TRY(first, le32(d));
        }
        UMBRA_TRY(const auto d_compressed, le32(d));
        UMBRA_TRY(const auto d_size, le32(d));
        if (first != e.crc || d_compressed != e.compressed_size || d_size != e.size) {
            return Errc::bad_encoding;
        }
        UMBRA_TRY_VOID(r.skip(d.offset()));
    }
    e.end = e.local_offset + r.offset();
    return {};
}

class RawInflater {
public:
    // Negative window bits: raw deflate (RFC 1951), no zlib or gzip wrapper (zlib.h).
    RawInflater() { UMBRA_CHECK(inflateInit2(&z, -15) == Z_OK); }
    ~RawInflater() { inflateEnd(&z); }
    RawInflater(const RawInflater&) = delete;
    RawInflater& operator=(const RawInflater&) = delete;
    z_stream z{};
};

// Sizes fit uInt: both come from 32-bit fields. One spare output byte tells "inflates to more
// than declared" (a bomb that lies) from "exactly as declared".
Result<std::vector<std::uint8_t>> inflate_entry(const Entry& e)
{
    std::vector<std::uint8_t> out(std::size_t(e.size) + 1);
    RawInflater inf;
    z_stream& z = inf.z;
    z.next_in = const_cast<Bytef*>(e.data.data()); // zlib does not write through next_in
    z.avail_in = static_cast<uInt>(e.data.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    const std::size_t produced = out.size() - z.avail_out;
    if (produced > e.size) {
        return Errc::too_large;
    }
    // Not at the end of the stream, bytes after it, or fewer bytes than declared.
    if (rc != Z_STREAM_END || z.avail_in != 0 || produced != e.size) {
        return Errc::bad_encoding;
    }
    out.resize(produced);
    return out;
}

Result<std::vector<std::uint8_t>> extract(const Entry& e)
{
    std::vector<std::uint8_t> out;
    if (e.method == method_stored) {
        out.assign(e.data.begin(), e.data.end());
    } else {
        UMBRA_TRY(out, inflate_entry(e));
    }
    const uLong crc = crc32(crc32(0, nullptr, 0), out.data(), static_cast<uInt>(out.size()));
    if (crc != e.crc) {
        return Errc::bad_encoding;
    }
    return out;
}

Result<std::vector<Entry>> read_directory(Bytes zip, const Directory& dir, const ZipLimits& limits)
{
    // Each entry takes at least its fixed part, so the count cannot reserve more than the bytes.
    if (dir.size / central_size < dir.entries) {
        return Errc::bad_encoding;
    }
    std::vector<Entry> entries;
    entries.reserve(dir.entries);
    std::set<std::string, std::less<>> names;
    ByteReader r(zip.subspan(dir.offset, dir.size));
    for (std::size_t i = 0; i < dir.entries; ++i) {
        UMBRA_TRY(Entry e, read_central_entry(r, limits));
        if (!names.insert(e.name).second) {
            return Errc::bad_encoding;
        }
        UMBRA_TRY_VOID(read_local_header(zip, dir.offset, e));
        entries.push_back(std::move(e));
    }
    if (!r.empty()) {
        return Errc::bad_encoding;
    }
    // Overlapping entries let a small archive name the same compressed bytes many times.
    std::vector<const Entry*> by_offset;
    by_offset.reserve(entries.size());
    for (const Entry& e : entries) {
        by_offset.push_back(&e);
    }
    std::sort(by_offset.begin(), by_offset.end(),
              [](const Entry* a, const Entry* b) { return a->local_offset < b->local_offset; });
    for (std::size_t i = 1; i < by_offset.size(); ++i) {
        if (by_offset[i]->local_offset < by_offset[i - 1]->end) {
            return Errc::bad_encoding;
        }
    }
    return entries;
}

} // namespace

Result<ZipEntries> read_zip(Bytes archive, const ZipLimits& limits, ZipSelect select)
{
    UMBRA_TRY(const Directory dir, read_eocd(archive, limits));
    UMBRA_TRY(const std::vector<Entry> entries, read_directory(archive, dir, limits));
    std::size_t total = 0;
    for (const Entry& e : entries) {
        if (select == nullptr || select(e.name)) {
            total += e.size; // each is at most max_entry_size, and there are at most 65535
            if (total > limits.max_total_size) {
                return Errc::too_large;
            }
        }
    }
    ZipEntries out;
    for (const Entry& e : entries) {
        if (select == nullptr || select(e.name)) {
            UMBRA_TRY(auto data, extract(e));
            out.emplace_back(e.name, std::move(data));
        }
    }
    return out;
}

} // namespace umbra::reseed
