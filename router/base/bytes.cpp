#include "router/base/bytes.h"

#include "router/base/check.h"

namespace umbra {

Result<Bytes> ByteReader::bytes(std::size_t n)
{
    if (n > remaining()) {
        return Errc::truncated;
    }
    Bytes out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
}

Result<std::uint8_t> ByteReader::u8()
{
    if (remaining() < 1) {
        return Errc::truncated;
    }
    return data_[pos_++];
}

Result<std::uint64_t> ByteReader::uint_n(std::size_t n)
{
    UMBRA_CHECK(n >= 1 && n <= 8);
    UMBRA_TRY(auto b, bytes(n));
    std::uint64_t v = 0;
    for (auto x : b) {
        v = v << 8 | x;
    }
    return v;
}

Result<std::uint16_t> ByteReader::u16()
{
    UMBRA_TRY(auto b, bytes(2));
    return load_be16(b.data());
}

Result<std::uint32_t> ByteReader::u32()
{
    UMBRA_TRY(auto b, bytes(4));
    return load_be32(b.data());
}

Result<std::uint64_t> ByteReader::u64()
{
    UMBRA_TRY(auto b, bytes(8));
    return load_be64(b.data());
}

Result<void> ByteReader::skip(std::size_t n)
{
    if (n > remaining()) {
        return Errc::truncated;
    }
    pos_ += n;
    return {};
}

Bytes ByteReader::rest()
{
    Bytes out = data_.subspan(pos_);
    pos_ = data_.size();
    return out;
}

Result<ByteReader> ByteReader::sub(std::size_t n)
{
    UMBRA_TRY(auto b, bytes(n));
    return ByteReader(b);
}

Result<ByteReader> ByteReader::u8_prefixed()
{
    if (remaining() < 1 || data_[pos_] > remaining() - 1) {
        return Errc::truncated; // nothing consumed
    }
    const std::size_t n = data_[pos_++];
    return sub(n);
}

Result<ByteReader> ByteReader::u16_prefixed()
{
    if (remaining() < 2 || load_be16(data_.data() + pos_) > remaining() - 2) {
        return Errc::truncated;
    }
    const std::size_t n = load_be16(data_.data() + pos_);
    pos_ += 2;
    return sub(n);
}

Result<void> ByteReader::expect_end() const
{
    if (!empty()) {
        return Errc::trailing_data;
    }
    return {};
}

void ByteWriter::u16(std::uint16_t v)
{
    std::uint8_t b[2];
    store_be16(b, v);
    bytes(b);
}

void ByteWriter::u32(std::uint32_t v)
{
    std::uint8_t b[4];
    store_be32(b, v);
    bytes(b);
}

void ByteWriter::u64(std::uint64_t v)
{
    std::uint8_t b[8];
    store_be64(b, v);
    bytes(b);
}

void ByteWriter::uint_n(std::uint64_t v, std::size_t n)
{
    UMBRA_CHECK(n >= 1 && n <= 8);
    for (std::size_t i = n; i-- > 0;) {
        buf_.push_back(std::uint8_t(v >> (8 * i)));
    }
}

std::size_t ByteWriter::mark_u16_length()
{
    const std::size_t mark = buf_.size();
    zeros(2);
    return mark;
}

void ByteWriter::patch_u16_length(std::size_t mark)
{
    const std::size_t len = buf_.size() - mark - 2;
    UMBRA_CHECK(len <= 0xffff);
    patch_u16(mark, std::uint16_t(len));
}

void ByteWriter::patch_u16(std::size_t pos, std::uint16_t v)
{
    UMBRA_CHECK(pos + 2 <= buf_.size());
    store_be16(buf_.data() + pos, v);
}

} // namespace umbra
