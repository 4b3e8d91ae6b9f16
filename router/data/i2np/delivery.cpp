#include "router/data/i2np/delivery.h"

#include "router/base/check.h"
#include "router/data/i2np/wire.h"

namespace umbra::i2np {

namespace {

// A 4-byte length and that many bytes, ending the payload (Garlic and Data).
Result<std::vector<std::uint8_t>> read_u32_prefixed_body(Bytes payload)
{
    ByteReader in(payload);
    UMBRA_TRY(std::uint32_t length, in.u32());
    UMBRA_TRY(Bytes body, in.bytes(length));
    UMBRA_TRY_VOID(in.expect_end());
    return wire::to_vector(body);
}

std::vector<std::uint8_t> write_u32_prefixed_body(Bytes body)
{
    UMBRA_CHECK(body.size() <= kMaxPayloadSize - 4);
    ByteWriter out(4 + body.size());
    out.u32(static_cast<std::uint32_t>(body.size()));
    out.bytes(body);
    return out.take();
}

} // namespace

Result<DeliveryStatus> DeliveryStatus::parse(Bytes payload)
{
    ByteReader in(payload);
    DeliveryStatus m;
    UMBRA_TRY(std::uint32_t id, in.u32());
    UMBRA_TRY(std::uint64_t timestamp, in.u64());
    UMBRA_TRY_VOID(in.expect_end());
    m.acked_id = MessageId(id);
    // Date is unsigned; the conversion is modular, so re-serializing restores it.
    m.timestamp = WallTime{static_cast<std::int64_t>(timestamp)};
    return m;
}

std::vector<std::uint8_t> DeliveryStatus::serialize() const
{
    ByteWriter out(kSize);
    out.u32(acked_id.value());
    out.u64(static_cast<std::uint64_t>(timestamp.ms));
    return out.take();
}

Result<Garlic> Garlic::parse(Bytes payload)
{
    UMBRA_TRY(auto body, read_u32_prefixed_body(payload));
    return Garlic{std::move(body)};
}

std::vector<std::uint8_t> Garlic::serialize() const
{
    return write_u32_prefixed_body(ciphertext);
}

Result<Data> Data::parse(Bytes payload)
{
    UMBRA_TRY(auto body, read_u32_prefixed_body(payload));
    return Data{std::move(body)};
}

std::vector<std::uint8_t> Data::serialize() const
{
    return write_u32_prefixed_body(data);
}

Result<TunnelData> TunnelData::parse(Bytes payload)
{
    ByteReader in(payload);
    TunnelData m;
    UMBRA_TRY(m.tunnel, wire::read_nonzero_tunnel_id(in));
    UMBRA_TRY(m.data, in.array<kDataSize>());
    UMBRA_TRY_VOID(in.expect_end());
    return m;
}

std::vector<std::uint8_t> TunnelData::serialize() const
{
    UMBRA_CHECK(tunnel.value() != 0);
    ByteWriter out(kSize);
    out.u32(tunnel.value());
    out.bytes(data);
    return out.take();
}

Result<TunnelGateway> TunnelGateway::parse(Bytes payload)
{
    ByteReader in(payload);
    TunnelGateway m;
    UMBRA_TRY(m.tunnel, wire::read_nonzero_tunnel_id(in));
    UMBRA_TRY(ByteReader inner, in.u16_prefixed());
    UMBRA_TRY_VOID(in.expect_end());
    // Too short to hold the standard header the spec requires of the wrapped message.
    if (inner.remaining() < kStandardHeaderSize) {
        return Errc::truncated;
    }
    m.message = wire::to_vector(inner.rest());
    return m;
}

std::vector<std::uint8_t> TunnelGateway::serialize() const
{
    UMBRA_CHECK(tunnel.value() != 0);
    UMBRA_CHECK(message.size() >= kStandardHeaderSize && message.size() <= 0xffff);
    ByteWriter out(4 + 2 + message.size());
    out.u32(tunnel.value());
    out.u16(static_cast<std::uint16_t>(message.size()));
    out.bytes(message);
    return out.take();
}

} // namespace umbra::i2np
