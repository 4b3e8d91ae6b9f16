#include "router/base/gzip.h"

#include <algorithm>
#include <climits>
#include <cstdint>

#include <zlib.h>

#include "router/base/check.h"

namespace umbra {

namespace {

// windowBits 15 plus 16 selects the gzip wrapper (RFC 1952) instead of zlib's own (zlib.h,
// deflateInit2/inflateInit2). Decompression does not auto-detect: a zlib or raw stream is
// malformed input here.
constexpr int gzip_window_bits = 15 + 16;

// zlib counts in uInt; larger spans are fed in pieces.
constexpr std::size_t max_step = UINT_MAX;

class Deflater {
public:
    explicit Deflater(int level)
    {
        UMBRA_CHECK(deflateInit2(&z, level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) ==
                    Z_OK);
    }
    ~Deflater() { deflateEnd(&z); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;
    z_stream z{};
};

class Inflater {
public:
    Inflater() { UMBRA_CHECK(inflateInit2(&z, gzip_window_bits) == Z_OK); }
    ~Inflater() { inflateEnd(&z); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
    z_stream z{};
};

// Moves the next piece of the input into z once zlib has used the previous one.
void feed(z_stream& z, std::span<const std::uint8_t>& input)
{
    if (z.avail_in == 0 && !input.empty()) {
        const std::size_t n = std::min(input.size(), max_step);
        z.next_in = const_cast<Bytef*>(input.data()); // zlib does not write through next_in
        z.avail_in = static_cast<uInt>(n);
        input = input.subspan(n);
    }
}

// Grows out to twice its size (at least 4 KiB, at first about four times the input, a usual
// ratio for RouterInfos), never past limit. reserve() allocates exactly, unlike resize(), so the
// largest buffer ever allocated is limit bytes.
void grow(std::vector<std::uint8_t>& out, std::size_t input_size, std::size_t limit)
{
    const std::size_t first = input_size <= SIZE_MAX / 4 ? input_size * 4 : SIZE_MAX;
    const std::size_t twice = out.size() <= SIZE_MAX / 2 ? out.size() * 2 : SIZE_MAX;
    const std::size_t want =
        std::min(out.empty() ? std::max<std::size_t>(4096, first) : twice, limit);
    out.reserve(want);
    out.resize(want);
}

} // namespace

std::vector<std::uint8_t> gzip_compress(std::span<const std::uint8_t> data, int level)
{
    UMBRA_CHECK(level == Z_DEFAULT_COMPRESSION || (level >= 0 && level <= 9));
    Deflater d(level);
    z_stream& z = d.z;
    std::vector<std::uint8_t> out(deflateBound(&z, data.size()));
    std::size_t produced = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        feed(z, data);
        if (produced == out.size()) {
            out.resize(out.size() * 2); // deflateBound makes this a fallback only
        }
        const std::size_t room = std::min(out.size() - produced, max_step);
        z.next_out = out.data() + produced;
        z.avail_out = static_cast<uInt>(room);
        rc = deflate(&z, data.empty() ? Z_FINISH : Z_NO_FLUSH);
        UMBRA_CHECK(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
        produced += room - z.avail_out;
    }
    out.resize(produced);
    return out;
}

// The output buffer never holds more than max_output + 1 bytes, so inflate stops as soon as the
// stream proves larger than the cap: a bomb costs at most the cap in memory and time.
Result<std::vector<std::uint8_t>> gzip_decompress(std::span<const std::uint8_t> data,
                                                  std::size_t max_output)
{
    if (data.empty()) {
        return Errc::bad_encoding;
    }
    const std::size_t limit = max_output == SIZE_MAX ? max_output : max_output + 1;
    const std::size_t input_size = data.size();
    Inflater inf;
    z_stream& z = inf.z;
    std::vector<std::uint8_t> out;
    std::size_t produced = 0;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        feed(z, data);
        if (produced == out.size()) {
            grow(out, input_size, limit);
        }
        const std::size_t room = std::min(out.size() - produced, max_step);
        z.next_out = out.data() + produced;
        z.avail_out = static_cast<uInt>(room);
        rc = inflate(&z, Z_NO_FLUSH);
        produced += room - z.avail_out;
        if (produced > max_output) {
            return Errc::too_large;
        }
        // Z_BUF_ERROR: no progress possible, i.e. the input ended inside the stream.
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && data.empty()) {
            return Errc::bad_encoding;
        }
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            return Errc::bad_encoding; // Z_DATA_ERROR (bad header, data, CRC or size), Z_NEED_DICT
        }
    }
    // A second gzip member or garbage after the trailer: I2P never sends either.
    if (z.avail_in != 0 || !data.empty()) {
        return Errc::bad_encoding;
    }
    out.resize(produced);
    return out;
}

} // namespace umbra
