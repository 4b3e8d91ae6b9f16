#include "router/data/i2np/tunnel_build.h"

#include <cstring>

#include "router/base/check.h"

namespace umbra::i2np {

namespace {

// `count` records of N bytes that must end the payload.
template <std::size_t N>
Result<std::vector<std::array<std::uint8_t, N>>> read_records(ByteReader& in, std::size_t count)
{
    UMBRA_TRY(Bytes all, in.bytes(count * N));
    UMBRA_TRY_VOID(in.expect_end());
    std::vector<std::array<std::uint8_t, N>> records(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::memcpy(records[i].data(), all.data() + i * N, N);
    }
    return records;
}

template <std::size_t N>
void write_records(ByteWriter& out, const std::vector<std::array<std::uint8_t, N>>& records)
{
    for (const auto& record : records) {
        out.bytes(record);
    }
}

} // namespace

template <MessageType Type>
Result<FixedTunnelBuild<Type>> FixedTunnelBuild<Type>::parse(Bytes payload)
{
    ByteReader in(payload);
    FixedTunnelBuild m;
    UMBRA_TRY(m.records, read_records<kBuildRecordSize>(in, kRecordCount));
    return m;
}

template <MessageType Type> std::vector<std::uint8_t> FixedTunnelBuild<Type>::serialize() const
{
    UMBRA_CHECK(records.size() == kRecordCount);
    ByteWriter out(kRecordCount * kBuildRecordSize);
    write_records(out, records);
    return out.take();
}

template <MessageType Type, std::size_t RecordSize>
Result<VariableTunnelBuildMessage<Type, RecordSize>>
VariableTunnelBuildMessage<Type, RecordSize>::parse(Bytes payload)
{
    ByteReader in(payload);
    UMBRA_TRY(std::uint8_t count, in.u8());
    if (count == 0) {
        return Errc::invalid_value;
    }
    if (count > kMaxBuildRecords) {
        return Errc::too_large;
    }
    VariableTunnelBuildMessage m;
    UMBRA_TRY(m.records, read_records<RecordSize>(in, count));
    return m;
}

template <MessageType Type, std::size_t RecordSize>
std::vector<std::uint8_t> VariableTunnelBuildMessage<Type, RecordSize>::serialize() const
{
    UMBRA_CHECK(!records.empty() && records.size() <= kMaxBuildRecords);
    ByteWriter out(1 + records.size() * RecordSize);
    out.u8(static_cast<std::uint8_t>(records.size()));
    write_records(out, records);
    return out.take();
}

template struct FixedTunnelBuild<MessageType::tunnel_build>;
template struct FixedTunnelBuild<MessageType::tunnel_build_reply>;
template struct VariableTunnelBuildMessage<MessageType::variable_tunnel_build, kBuildRecordSize>;
template struct VariableTunnelBuildMessage<MessageType::variable_tunnel_build_reply,
                                           kBuildRecordSize>;
template struct VariableTunnelBuildMessage<MessageType::short_tunnel_build, kShortBuildRecordSize>;
template struct VariableTunnelBuildMessage<MessageType::outbound_tunnel_build_reply,
                                           kShortBuildRecordSize>;

} // namespace umbra::i2np
