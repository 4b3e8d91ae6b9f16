// Tunnel build messages (i2np.rst, proposal 157): TunnelBuild (21) and TunnelBuildReply (22) with
// exactly 8 records, VariableTunnelBuild (23) and VariableTunnelBuildReply (24) with 1-8 records of
// 528 bytes, ShortTunnelBuild (25) and OutboundTunnelBuildReply (26) with 1-8 records of 218
// bytes. Records stay encrypted byte arrays; tunnels/ decrypts them (tunnel-creation-ecies.rst).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"

namespace umbra::i2np {

inline constexpr std::size_t kBuildRecordSize = 528;      // ElGamal or long ECIES record
inline constexpr std::size_t kShortBuildRecordSize = 218; // short ECIES record
inline constexpr std::size_t kMaxBuildRecords = 8;

using BuildRecord = std::array<std::uint8_t, kBuildRecordSize>;
using ShortBuildRecord = std::array<std::uint8_t, kShortBuildRecordSize>;

// TunnelBuild and TunnelBuildReply: 8 records with no count byte. A vector rather than an array
// so a Payload variant stays small; parse() guarantees, and serialize() requires, exactly 8.
template <MessageType Type> struct FixedTunnelBuild {
    static constexpr MessageType type = Type;
    static constexpr std::size_t kRecordCount = 8;

    std::vector<BuildRecord> records;

    static Result<FixedTunnelBuild> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const FixedTunnelBuild&) const = default;
};

// A 1-byte count ("num", valid values 1-8) followed by that many records.
template <MessageType Type, std::size_t RecordSize> struct VariableTunnelBuildMessage {
    static constexpr MessageType type = Type;
    static constexpr std::size_t kRecordSize = RecordSize;
    using Record = std::array<std::uint8_t, RecordSize>;

    std::vector<Record> records; // 1..kMaxBuildRecords

    static Result<VariableTunnelBuildMessage> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const VariableTunnelBuildMessage&) const = default;
};

using TunnelBuild = FixedTunnelBuild<MessageType::tunnel_build>;
using TunnelBuildReply = FixedTunnelBuild<MessageType::tunnel_build_reply>;
using VariableTunnelBuild =
    VariableTunnelBuildMessage<MessageType::variable_tunnel_build, kBuildRecordSize>;
using VariableTunnelBuildReply =
    VariableTunnelBuildMessage<MessageType::variable_tunnel_build_reply, kBuildRecordSize>;
using ShortTunnelBuild =
    VariableTunnelBuildMessage<MessageType::short_tunnel_build, kShortBuildRecordSize>;
using OutboundTunnelBuildReply =
    VariableTunnelBuildMessage<MessageType::outbound_tunnel_build_reply, kShortBuildRecordSize>;

extern template struct FixedTunnelBuild<MessageType::tunnel_build>;
extern template struct FixedTunnelBuild<MessageType::tunnel_build_reply>;
extern template struct VariableTunnelBuildMessage<MessageType::variable_tunnel_build,
                                                  kBuildRecordSize>;
extern template struct VariableTunnelBuildMessage<MessageType::variable_tunnel_build_reply,
                                                  kBuildRecordSize>;
extern template struct VariableTunnelBuildMessage<MessageType::short_tunnel_build,
                                                  kShortBuildRecordSize>;
extern template struct VariableTunnelBuildMessage<MessageType::outbound_tunnel_build_reply,
                                                  kShortBuildRecordSize>;

} // namespace umbra::i2np
