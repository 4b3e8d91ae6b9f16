// ByteReader / ByteWriter: bounds-checked big-endian reading and writing of wire bytes
// (ARCHITECTURE.md §5). I2P multi-byte integers are big-endian (common-structures, "Integer").
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "router/base/result.h"

namespace umbra {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

// Reads from a span it does not own. Every read checks the remaining length first and returns
// Errc::truncated without consuming anything when the input is short. A length-prefixed field
// becomes a sub-reader, so a nested parser cannot read past its field.
class ByteReader {
public:
    ByteReader() = default;
    explicit ByteReader(Bytes data) : data_(data) {}

    std::size_t remaining() const { return data_.size() - pos_; }
    bool empty() const { return remaining() == 0; }
    std::size_t offset() const { return pos_; }
    // The bytes not yet read (does not consume).
    Bytes peek_rest() const { return data_.subspan(pos_); }
    // Bytes already consumed since construction (for signatures over a prefix).
    Bytes consumed() const { return data_.first(pos_); }

    Result<std::uint8_t> u8();
    Result<std::uint16_t> u16();
    Result<std::uint32_t> u32();
    Result<std::uint64_t> u64();
    // An n-byte big-endian unsigned integer, n in 1..8 (e.g. the 3-byte TunnelGateway fields).
    Result<std::uint64_t> uint_n(std::size_t n);

    Result<Bytes> bytes(std::size_t n);
    Result<void> skip(std::size_t n);
    Bytes rest(); // consumes everything left

    template <std::size_t N> Result<std::array<std::uint8_t, N>> array()
    {
        auto b = bytes(N);
        if (!b) {
            return b.error();
        }
        std::array<std::uint8_t, N> out;
        std::memcpy(out.data(), b->data(), N);
        return out;
    }

    // A sub-reader over the next n bytes (consumed from this reader).
    Result<ByteReader> sub(std::size_t n);
    // A sub-reader over a field preceded by its 1- or 2-byte big-endian length.
    Result<ByteReader> u8_prefixed();
    Result<ByteReader> u16_prefixed();

    // Errc::trailing_data unless everything was consumed.
    Result<void> expect_end() const;

private:
    Bytes data_;
    std::size_t pos_ = 0;
};

// Appends big-endian fields to a growable buffer it owns.
class ByteWriter {
public:
    ByteWriter() = default;
    explicit ByteWriter(std::size_t reserve) { buf_.reserve(reserve); }

    void u8(std::uint8_t v) { buf_.push_back(v); }
    void u16(std::uint16_t v);
    void u32(std::uint32_t v);
    void u64(std::uint64_t v);
    void uint_n(std::uint64_t v, std::size_t n); // low n bytes of v, big-endian
    void bytes(Bytes b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
    void str(std::string_view s)
    {
        bytes({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
    }
    void zeros(std::size_t n) { buf_.resize(buf_.size() + n, 0); }

    // Reserves a 2-byte length; patch_u16_length(mark) later writes the bytes since the mark.
    std::size_t mark_u16_length();
    void patch_u16_length(std::size_t mark);
    // Overwrites 2 bytes at an earlier position.
    void patch_u16(std::size_t pos, std::uint16_t v);

    std::size_t size() const { return buf_.size(); }
    Bytes view() const { return buf_; }
    std::vector<std::uint8_t>& buffer() { return buf_; }
    std::vector<std::uint8_t> take() { return std::move(buf_); }

private:
    std::vector<std::uint8_t> buf_;
};

// Big-endian loads and stores into fixed buffers, for callers that already checked the size.
inline std::uint16_t load_be16(const std::uint8_t* p)
{
    return std::uint16_t(p[0] << 8 | p[1]);
}
inline std::uint32_t load_be32(const std::uint8_t* p)
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
inline std::uint64_t load_be64(const std::uint8_t* p)
{
    return std::uint64_t(load_be32(p)) << 32 | load_be32(p + 4);
}
inline void store_be16(std::uint8_t* p, std::uint16_t v)
{
    p[0] = std::uint8_t(v >> 8);
    p[1] = std::uint8_t(v);
}
inline void store_be32(std::uint8_t* p, std::uint32_t v)
{
    for (int i = 3; i >= 0; --i, v >>= 8) {
        p[i] = std::uint8_t(v);
    }
}
inline void store_be64(std::uint8_t* p, std::uint64_t v)
{
    for (int i = 7; i >= 0; --i, v >>= 8) {
        p[i] = std::uint8_t(v);
    }
}

} // namespace umbra

#define UMBRA_CONCAT_(a, b) a##b
#define UMBRA_CONCAT(a, b) UMBRA_CONCAT_(a, b)
// UMBRA_TRY(auto x, expr): evaluates a Result-returning expr; on error returns the error from
// the enclosing function, otherwise binds the value.
#define UMBRA_TRY(lhs, expr) UMBRA_TRY_IMPL(lhs, expr, UMBRA_CONCAT(umbra_try_, __LINE__))
#define UMBRA_TRY_IMPL(lhs, expr, tmp)                                                             \
    auto tmp = (expr);                                                                             \
    if (!tmp) [[unlikely]] {                                                                       \
        return tmp.error();                                                                        \
    }                                                                                              \
    lhs = std::move(*tmp)
// UMBRA_TRY_VOID(expr): for Result<void>.
#define UMBRA_TRY_VOID(expr) UMBRA_TRY_VOID_IMPL(expr, UMBRA_CONCAT(umbra_try_, __LINE__))
#define UMBRA_TRY_VOID_IMPL(expr, tmp)                                                             \
    auto tmp = (expr);                                                                             \
    if (!tmp) [[unlikely]] {                                                                       \
        return tmp.error();                                                                        \
    }
