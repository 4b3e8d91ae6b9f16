#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string_view>

#include <boost/test/unit_test.hpp>
#include <zlib.h>

#include "router/base/gzip.h"
#include "tests/support/hex.h"

// Counts operator new while a test arms it, so the bomb test can show that decompression stays
// near its cap. Replacing the global allocator affects this whole test binary; the counters are
// only read by that test.
namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> bytes_allocated{0};
std::atomic<std::size_t> largest_allocation{0};

void* counted_alloc(std::size_t n)
{
    if (counting.load(std::memory_order_relaxed)) {
        bytes_allocated += n;
        std::size_t prev = largest_allocation.load();
        while (prev < n && !largest_allocation.compare_exchange_weak(prev, n)) {
        }
    }
    return std::malloc(n == 0 ? 1 : n);
}
} // namespace

void* operator new(std::size_t n)
{
    if (void* p = counted_alloc(n)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t n)
{
    return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept
{
    return counted_alloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept
{
    return counted_alloc(n);
}
void operator delete(void* p) noexcept
{
    std::free(p);
}
void operator delete[](void* p) noexcept
{
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept
{
    std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept
{
    std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept
{
    std::free(p);
}

using namespace umbra;
using umbra::test::from_hex;

namespace {

constexpr std::size_t MiB = 1024 * 1024;

// `printf 'hello\n' | gzip -n`: a stream from another implementation.
const auto hello_gz = from_hex("1f8b0800000000000003cb48cdc9c9e7020020303a3606000000");

std::vector<std::uint8_t> bytes_of(std::string_view s)
{
    return {s.begin(), s.end()};
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> out(n);
    for (auto& b : out) {
        b = static_cast<std::uint8_t>(rng());
    }
    return out;
}

// Compresses `total` zero bytes as one gzip stream, feeding zlib 1 MiB at a time so the test
// itself never holds the expanded data.
std::vector<std::uint8_t> gzip_of_zeros(std::size_t total)
{
    z_stream z{};
    BOOST_REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::vector<std::uint8_t> zeros(MiB);
    std::vector<std::uint8_t> out(deflateBound(&z, total));
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    int rc = Z_OK;
    for (std::size_t left = total; rc == Z_OK;) {
        const std::size_t n = std::min(left, zeros.size());
        left -= n;
        z.next_in = zeros.data();
        z.avail_in = static_cast<uInt>(n);
        rc = deflate(&z, left == 0 ? Z_FINISH : Z_NO_FLUSH);
    }
    BOOST_REQUIRE(rc == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

bool rejected_as(const Result<std::vector<std::uint8_t>>& r, Errc e)
{
    return !r && r.error() == make_error_code(e);
}

} // namespace

BOOST_AUTO_TEST_SUITE(gzip)

BOOST_AUTO_TEST_CASE(round_trips_text_random_and_empty_data_at_every_level)
{
    const std::vector<std::vector<std::uint8_t>> inputs = {
        {}, bytes_of("x"), bytes_of(std::string(10000, 'a')), random_bytes(100000, 1)};
    for (const int level : {0, 1, 6, 9, Z_DEFAULT_COMPRESSION}) {
        for (const auto& in : inputs) {
            const auto gz = gzip_compress(in, level);
            BOOST_TEST_REQUIRE(gz.size() >= 18u); // header and trailer (RFC 1952 §2.3)
            BOOST_TEST((gz[0] == 0x1f && gz[1] == 0x8b && gz[2] == 8));
            auto out = gzip_decompress(gz, in.size());
            BOOST_TEST_REQUIRE(out.has_value());
            BOOST_TEST((*out == in));
        }
    }
}

BOOST_AUTO_TEST_CASE(decompresses_a_stream_from_gzip)
{
    auto out = gzip_decompress(hello_gz, 100);
    BOOST_TEST_REQUIRE(out.has_value());
    BOOST_TEST((*out == bytes_of("hello\n")));
}

BOOST_AUTO_TEST_CASE(accepts_output_of_exactly_the_cap_and_rejects_one_byte_more)
{
    const auto data = random_bytes(70000, 2);
    const auto gz = gzip_compress(data);
    BOOST_TEST(gzip_decompress(gz, data.size()).has_value());
    BOOST_TEST(rejected_as(gzip_decompress(gz, data.size() - 1), Errc::too_large));
    BOOST_TEST(rejected_as(gzip_decompress(hello_gz, 0), Errc::too_large));
}

BOOST_AUTO_TEST_CASE(rejects_a_compression_bomb_allocating_about_the_cap)
{
    const auto bomb = gzip_of_zeros(100 * MiB); // about 100 KB
    BOOST_TEST_MESSAGE("bomb of " << bomb.size() << " bytes");
    bytes_allocated = 0;
    largest_allocation = 0;
    counting = true;
    const auto r = gzip_decompress(bomb, MiB);
    counting = false;
    BOOST_TEST(rejected_as(r, Errc::too_large));
    // No buffer over cap + 1; with doubling growth every earlier buffer together is smaller
    // than two of those, and only the last two are ever alive at once.
    BOOST_TEST(largest_allocation.load() <= MiB + 1);
    BOOST_TEST(bytes_allocated.load() < 3 * (MiB + 1));
}

BOOST_AUTO_TEST_CASE(rejects_every_truncation_of_a_stream)
{
    const auto gz = gzip_compress(random_bytes(3000, 3));
    for (std::size_t n = 0; n < gz.size(); ++n) {
        const std::span<const std::uint8_t> prefix(gz.data(), n);
        BOOST_TEST(rejected_as(gzip_decompress(prefix, MiB), Errc::bad_encoding), n);
    }
}

BOOST_AUTO_TEST_CASE(rejects_trailing_garbage_and_a_second_member)
{
    auto garbage = hello_gz;
    garbage.push_back(0);
    BOOST_TEST(rejected_as(gzip_decompress(garbage, MiB), Errc::bad_encoding));
    auto two = hello_gz;
    two.insert(two.end(), hello_gz.begin(), hello_gz.end());
    BOOST_TEST(rejected_as(gzip_decompress(two, MiB), Errc::bad_encoding));
}

BOOST_AUTO_TEST_CASE(rejects_empty_input)
{
    BOOST_TEST(rejected_as(gzip_decompress({}, MiB), Errc::bad_encoding));
}

BOOST_AUTO_TEST_CASE(rejects_a_wrong_crc_or_length_in_the_trailer)
{
    auto crc = hello_gz;
    crc[crc.size() - 8] ^= 1; // CRC32, RFC 1952 §2.3.1
    BOOST_TEST(rejected_as(gzip_decompress(crc, MiB), Errc::bad_encoding));
    auto isize = hello_gz;
    isize[isize.size() - 4] ^= 1; // ISIZE
    BOOST_TEST(rejected_as(gzip_decompress(isize, MiB), Errc::bad_encoding));
}

BOOST_AUTO_TEST_CASE(rejects_zlib_and_raw_deflate_streams)
{
    const auto data = bytes_of("hello\n");
    std::vector<std::uint8_t> zlib_format(compressBound(data.size()));
    uLongf n = zlib_format.size();
    BOOST_TEST_REQUIRE(compress(zlib_format.data(), &n, data.data(), data.size()) == Z_OK);
    zlib_format.resize(n);
    BOOST_TEST(rejected_as(gzip_decompress(zlib_format, MiB), Errc::bad_encoding));
    // The deflate body of hello_gz without its 10-byte header and 8-byte trailer.
    const std::vector<std::uint8_t> raw(hello_gz.begin() + 10, hello_gz.end() - 8);
    BOOST_TEST(rejected_as(gzip_decompress(raw, MiB), Errc::bad_encoding));
}

BOOST_AUTO_TEST_SUITE_END()
