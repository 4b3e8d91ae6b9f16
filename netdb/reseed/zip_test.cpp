#include <boost/test/unit_test.hpp>
#include <zlib.h>

#include "netdb/reseed/zip.h"
#include "router/base/file.h"

using namespace umbra;
using namespace umbra::reseed;

namespace {

// A minimal zip writer (APPNOTE 4.3) for building good and broken archives. It records where
// each header starts so a test can corrupt one field.
struct TestEntry {
    TestEntry(std::string n, std::vector<std::uint8_t> d, std::uint16_t m = 8)
        : name(std::move(n)), data(std::move(d)), method(m)
    {
    }
    std::string name;
    std::vector<std::uint8_t> data;
    std::uint16_t method = 8;
    bool descriptor = false;
    std::vector<std::uint8_t> extra;
};

struct BuiltZip {
    std::vector<std::uint8_t> bytes;
    std::vector<std::size_t> local;
    std::vector<std::size_t> central;
    std::size_t eocd = 0;
};

void put16(std::vector<std::uint8_t>& v, std::uint32_t x)
{
    v.push_back(std::uint8_t(x));
    v.push_back(std::uint8_t(x >> 8));
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x)
{
    put16(v, x & 0xffff);
    put16(v, x >> 16);
}

void patch16(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x)
{
    v.at(at) = std::uint8_t(x);
    v.at(at + 1) = std::uint8_t(x >> 8);
}

void patch32(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x)
{
    patch16(v, at, x & 0xffff);
    patch16(v, at + 2, x >> 16);
}

std::vector<std::uint8_t> raw_deflate(const std::vector<std::uint8_t>& in)
{
    z_stream z{};
    BOOST_REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::vector<std::uint8_t> out(deflateBound(&z, in.size()));
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    BOOST_REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - z.avail_out);
    deflateEnd(&z);
    return out;
}

std::uint32_t crc_of(const std::vector<std::uint8_t>& d)
{
    return std::uint32_t(crc32(crc32(0, nullptr, 0), d.data(), static_cast<uInt>(d.size())));
}

BuiltZip build_zip(const std::vector<TestEntry>& entries, std::string_view comment = {})
{
    BuiltZip z;
    auto& b = z.bytes;
    std::vector<std::vector<std::uint8_t>> compressed;
    for (const auto& e : entries) {
        compressed.push_back(e.method == 8 ? raw_deflate(e.data) : e.data);
        const auto& c = compressed.back();
        const std::uint32_t crc = crc_of(e.data);
        z.local.push_back(b.size());
        put32(b, 0x04034b50);
        put16(b, 20);
        put16(b, e.descriptor ? 8 : 0);
        put16(b, e.method);
        put32(b, 0);
        put32(b, e.descriptor ? 0 : crc);
        put32(b, e.descriptor ? 0 : std::uint32_t(c.size()));
        put32(b, e.descriptor ? 0 : std::uint32_t(e.data.size()));
        put16(b, std::uint32_t(e.name.size()));
        put16(b, std::uint32_t(e.extra.size()));
        b.insert(b.end(), e.name.begin(), e.name.end());
        b.insert(b.end(), e.extra.begin(), e.extra.end());
        b.insert(b.end(), c.begin(), c.end());
        if (e.descriptor) {
            put32(b, 0x08074b50);
            put32(b, crc);
            put32(b, std::uint32_t(c.size()));
            put32(b, std::uint32_t(e.data.size()));
        }
    }
    const std::size_t cd_offset = b.size();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        z.central.push_back(b.size());
        put32(b, 0x02014b50);
        put16(b, 20);
        put16(b, 20);
        put16(b, e.descriptor ? 8 : 0);
        put16(b, e.method);
        put32(b, 0);
        put32(b, crc_of(e.data));
        put32(b, std::uint32_t(compressed[i].size()));
        put32(b, std::uint32_t(e.data.size()));
        put16(b, std::uint32_t(e.name.size()));
        put16(b, std::uint32_t(e.extra.size()));
        put16(b, 0); // comment
        put16(b, 0); // disk
        put16(b, 0);
        put32(b, 0);
        put32(b, std::uint32_t(z.local[i]));
        b.insert(b.end(), e.name.begin(), e.name.end());
        b.insert(b.end(), e.extra.begin(), e.extra.end());
    }
    z.eocd = b.size();
    put32(b, 0x06054b50);
    put16(b, 0);
    put16(b, 0);
    put16(b, std::uint32_t(entries.size()));
    put16(b, std::uint32_t(entries.size()));
    put32(b, std::uint32_t(z.eocd - cd_offset));
    put32(b, std::uint32_t(cd_offset));
    put16(b, std::uint32_t(comment.size()));
    b.insert(b.end(), comment.begin(), comment.end());
    return z;
}

std::vector<std::uint8_t> text_bytes(std::string_view s)
{
    return {s.begin(), s.end()};
}

std::vector<TestEntry> two_entries()
{
    return {{"routerInfo-a.dat", text_bytes("stored bytes"), 0},
            {"routerInfo-b.dat", std::vector<std::uint8_t>(5000, 'x'), 8}};
}

void check_error(const Result<ZipEntries>& r, Errc expected)
{
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error() == make_error_code(expected), r.error().message());
}

const ZipLimits limits{};

} // namespace

BOOST_AUTO_TEST_SUITE(zip_reader)

BOOST_AUTO_TEST_CASE(reads_stored_and_deflated_entries_in_directory_order)
{
    const auto zip = build_zip(two_entries(), "a comment");
    auto r = read_zip(zip.bytes, limits);
    BOOST_REQUIRE(r);
    BOOST_REQUIRE_EQUAL(r->size(), 2u);
    BOOST_TEST((*r)[0].first == "routerInfo-a.dat");
    BOOST_TEST((*r)[0].second == text_bytes("stored bytes"));
    BOOST_TEST((*r)[1].first == "routerInfo-b.dat");
    BOOST_TEST((*r)[1].second == std::vector<std::uint8_t>(5000, 'x'));
}

BOOST_AUTO_TEST_CASE(reads_entries_with_data_descriptors)
{
    auto entries = two_entries();
    entries[1].descriptor = true;
    auto r = read_zip(build_zip(entries).bytes, limits);
    BOOST_REQUIRE(r);
    BOOST_TEST((*r)[1].second == std::vector<std::uint8_t>(5000, 'x'));
}

BOOST_AUTO_TEST_CASE(reads_the_python_written_fixture)
{
    auto file = read_file("tests/fixtures/reseed/test-only-reseed.zip", 1 << 20);
    BOOST_REQUIRE(file);
    auto r = read_zip(*file, limits);
    BOOST_REQUIRE(r);
    BOOST_REQUIRE_EQUAL(r->size(), 3u);
    BOOST_TEST((*r)[2].first == "README.txt");
    BOOST_TEST((*r)[2].second == text_bytes("not a router info\n"));
}

BOOST_AUTO_TEST_CASE(extracts_only_selected_entries)
{
    const auto zip = build_zip(two_entries());
    auto r = read_zip(zip.bytes, limits, [](std::string_view n) { return n.ends_with("b.dat"); });
    BOOST_REQUIRE(r);
    BOOST_REQUIRE_EQUAL(r->size(), 1u);
    BOOST_TEST((*r)[0].first == "routerInfo-b.dat");
}

BOOST_AUTO_TEST_CASE(reads_an_empty_archive)
{
    auto r = read_zip(build_zip({}).bytes, limits);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->empty());
}

BOOST_AUTO_TEST_CASE(rejects_truncation_at_every_offset)
{
    const auto zip = build_zip(two_entries());
    for (std::size_t n = 0; n < zip.bytes.size(); ++n) {
        BOOST_TEST(!read_zip(Bytes(zip.bytes).first(n), limits), "accepted " << n << " bytes");
    }
}

BOOST_AUTO_TEST_CASE(rejects_garbage_after_the_end_record)
{
    auto zip = build_zip(two_entries());
    zip.bytes.push_back(0);
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_deflate_entry_declared_larger_than_entry_cap)
{
    std::vector<TestEntry> bomb{{"routerInfo-z.dat", std::vector<std::uint8_t>(1 << 20, 0), 8}};
    const auto zip = build_zip(bomb);
    BOOST_TEST(zip.bytes.size() < 4096u);
    check_error(read_zip(zip.bytes, limits), Errc::too_large);
}

BOOST_AUTO_TEST_CASE(rejects_deflate_entry_inflating_past_its_declared_size)
{
    std::vector<TestEntry> bomb{{"routerInfo-z.dat", std::vector<std::uint8_t>(1 << 20, 0), 8}};
    auto zip = build_zip(bomb);
    patch32(zip.bytes, zip.local[0] + 22, 100);
    patch32(zip.bytes, zip.central[0] + 24, 100);
    check_error(read_zip(zip.bytes, limits), Errc::too_large);
}

BOOST_AUTO_TEST_CASE(rejects_total_over_cap)
{
    ZipLimits small;
    small.max_total_size = 5000;
    check_error(read_zip(build_zip(two_entries()).bytes, small), Errc::too_large);
    small.max_total_size = 5012;
    BOOST_TEST(read_zip(build_zip(two_entries()).bytes, small).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_more_entries_than_limit)
{
    std::vector<TestEntry> many;
    for (int i = 0; i < 11; ++i) {
        many.push_back({"routerInfo-" + std::to_string(i) + ".dat", text_bytes("x"), 0});
    }
    ZipLimits ten;
    ten.max_entries = 10;
    check_error(read_zip(build_zip(many).bytes, ten), Errc::too_large);
    many.pop_back();
    BOOST_TEST(read_zip(build_zip(many).bytes, ten).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_zip64_markers_in_end_record)
{
    auto zip = build_zip(two_entries());
    patch16(zip.bytes, zip.eocd + 8, 0xffff);
    patch16(zip.bytes, zip.eocd + 10, 0xffff);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
    zip = build_zip(two_entries());
    patch32(zip.bytes, zip.eocd + 16, 0xffffffff);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_zip64_sizes_in_central_directory)
{
    auto zip = build_zip(two_entries());
    patch32(zip.bytes, zip.central[1] + 20, 0xffffffff);
    patch32(zip.bytes, zip.central[1] + 24, 0xffffffff);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_zip64_extra_field)
{
    auto entries = two_entries();
    entries[0].extra = {0x01, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    check_error(read_zip(build_zip(entries).bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(accepts_other_extra_fields)
{
    auto entries = two_entries();
    entries[0].extra = {0x55, 0x54, 0x05, 0x00, 1, 2, 3, 4, 5}; // extended timestamp
    BOOST_TEST(read_zip(build_zip(entries).bytes, limits).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_zip64_end_locator)
{
    auto zip = build_zip(two_entries());
    std::vector<std::uint8_t> locator;
    put32(locator, 0x07064b50);
    locator.resize(20, 0);
    zip.bytes.insert(zip.bytes.begin() + std::ptrdiff_t(zip.eocd), locator.begin(), locator.end());
    patch32(zip.bytes, zip.eocd + 20 + 12, std::uint32_t(zip.eocd + 20 - zip.central[0]));
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_encrypted_entries)
{
    auto zip = build_zip(two_entries());
    patch16(zip.bytes, zip.local[0] + 6, 1);
    patch16(zip.bytes, zip.central[0] + 8, 1);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_methods_other_than_stored_and_deflate)
{
    auto zip = build_zip(two_entries());
    patch16(zip.bytes, zip.local[1] + 8, 12);
    patch16(zip.bytes, zip.central[1] + 10, 12);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_crc_mismatch)
{
    auto zip = build_zip(two_entries());
    const std::uint32_t bad = crc_of(text_bytes("stored bytes")) ^ 1;
    patch32(zip.bytes, zip.local[0] + 14, bad);
    patch32(zip.bytes, zip.central[0] + 16, bad);
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_local_header_disagreeing_with_directory)
{
    auto zip = build_zip(two_entries());
    patch32(zip.bytes, zip.local[0] + 22, 11); // uncompressed size
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
    zip = build_zip(two_entries());
    zip.bytes.at(zip.local[1] + 30) ^= 1; // first byte of the name
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
    zip = build_zip(two_entries());
    patch16(zip.bytes, zip.local[1] + 8, 0); // method
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_data_descriptor_mismatch)
{
    auto entries = two_entries();
    entries[1].descriptor = true;
    auto zip = build_zip(entries);
    const std::size_t descriptor = zip.central[0] - 16;
    patch32(zip.bytes, descriptor + 12, 4999); // uncompressed size
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_overlapping_entries)
{
    // Entry 0 stores a complete local record of entry 1; the directory then points entry 1 into
    // entry 0's data, so the same bytes are named twice (a non-recursive zip bomb's trick).
    const TestEntry inner{"routerInfo-c.dat", text_bytes("inner"), 0};
    const auto alone = build_zip({inner});
    const std::vector<std::uint8_t> record(alone.bytes.begin(),
                                           alone.bytes.begin() + std::ptrdiff_t(alone.central[0]));
    const TestEntry outer{"routerInfo-a.dat", record, 0};
    auto zip = build_zip({outer, inner});
    BOOST_REQUIRE(read_zip(zip.bytes, limits).has_value());
    patch32(zip.bytes, zip.central[1] + 42, std::uint32_t(zip.local[0] + 30 + outer.name.size()));
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_names)
{
    auto entries = two_entries();
    entries[1].name = entries[0].name;
    check_error(read_zip(build_zip(entries).bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_names_over_limit_and_empty_names)
{
    auto entries = two_entries();
    entries[0].name = std::string(256, 'n');
    check_error(read_zip(build_zip(entries).bytes, limits), Errc::too_large);
    entries[0].name.clear();
    check_error(read_zip(build_zip(entries).bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_directory_not_ending_at_end_record)
{
    auto zip = build_zip(two_entries());
    patch32(zip.bytes, zip.eocd + 16, std::uint32_t(zip.central[0] - 1));
    check_error(read_zip(zip.bytes, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_CASE(rejects_multi_disk_archives)
{
    auto zip = build_zip(two_entries());
    patch16(zip.bytes, zip.eocd + 4, 1);
    check_error(read_zip(zip.bytes, limits), Errc::unsupported);
}

BOOST_AUTO_TEST_CASE(rejects_input_without_end_record)
{
    check_error(read_zip(text_bytes("PK\x03\x04 not really a zip at all"), limits),
                Errc::bad_encoding);
    check_error(read_zip({}, limits), Errc::bad_encoding);
}

BOOST_AUTO_TEST_SUITE_END()
