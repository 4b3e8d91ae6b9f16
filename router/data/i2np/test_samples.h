// Deterministic sample messages for the i2np tests and the fuzz seed corpus writer. Field bytes
// follow simple patterns so a failing comparison points at the field.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "router/data/i2np/payload.h"

namespace umbra::i2np::samples {

template <std::size_t N> std::array<std::uint8_t, N> pattern(std::uint8_t seed)
{
    std::array<std::uint8_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = static_cast<std::uint8_t>(seed + i);
    }
    return out;
}

inline std::vector<std::uint8_t> pattern_bytes(std::size_t n, std::uint8_t seed)
{
    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<std::uint8_t>(seed + i * 7);
    }
    return out;
}

inline IdentHash hash_of(std::uint8_t seed)
{
    return IdentHash(pattern<32>(seed));
}

inline DatabaseStore sample_store_router_info()
{
    DatabaseStore m;
    m.key = hash_of(0x10);
    m.entry_type = DatabaseEntryType::router_info;
    // Starts like a Java-style gzip header (i2np.rst DatabaseStore notes); contents are opaque.
    m.data = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff};
    const auto tail = pattern_bytes(300, 0x33);
    m.data.insert(m.data.end(), tail.begin(), tail.end());
    return m;
}

inline DatabaseStore sample_store_lease_set2_with_reply()
{
    DatabaseStore m;
    m.key = hash_of(0x20);
    m.entry_type = DatabaseEntryType::lease_set2;
    m.reply = StoreReply{MessageId(0x11223344), TunnelId(0x55667788), hash_of(0x40)};
    m.data = pattern_bytes(500, 0x05);
    return m;
}

inline DatabaseLookup sample_lookup_ecies()
{
    DatabaseLookup m;
    m.key = hash_of(0x01);
    m.from = hash_of(0x02);
    m.lookup_type = LookupType::lease_set;
    m.reply_tunnel = TunnelId(0x0a0b0c0d);
    m.excluded_peers = {hash_of(0x03), hash_of(0x04)};
    m.reply_encryption = EciesReplyKeys{pattern<32>(0x80), {pattern<8>(0xf0)}};
    return m;
}

inline DatabaseLookup sample_lookup_elgamal()
{
    DatabaseLookup m;
    m.key = hash_of(0x50);
    m.from = hash_of(0x51);
    m.lookup_type = LookupType::router_info;
    m.reply_tunnel = TunnelId(7);
    m.reply_encryption =
        ElGamalReplyKeys{pattern<32>(0x60), {pattern<32>(0x70), pattern<32>(0x90)}};
    return m;
}

inline DatabaseLookup sample_lookup_exploration_direct()
{
    DatabaseLookup m;
    m.key = hash_of(0xa0);
    m.from = hash_of(0xa1);
    m.lookup_type = LookupType::exploration;
    for (std::uint8_t i = 0; i < 16; ++i) {
        m.excluded_peers.push_back(hash_of(static_cast<std::uint8_t>(i * 16)));
    }
    return m;
}

inline DatabaseSearchReply sample_search_reply()
{
    return {hash_of(0xc0), {hash_of(0xc1), hash_of(0xc2), hash_of(0xc3)}, hash_of(0xcf)};
}

inline TunnelData sample_tunnel_data()
{
    return {TunnelId(0xcafebabe), pattern<1024>(0x42)};
}

inline TunnelGateway sample_tunnel_gateway()
{
    const Message inner{MessageType::delivery_status, MessageId(9), WallTime{1'700'000'000'000},
                        DeliveryStatus{MessageId(8), WallTime{1'700'000'000'123}}.serialize()};
    return {TunnelId(0x01020304), inner.serialize_standard()};
}

template <class Build> Build sample_build(std::size_t count, std::uint8_t seed)
{
    Build m;
    for (std::size_t i = 0; i < count; ++i) {
        m.records.push_back(pattern<Build::kRecordSize>(static_cast<std::uint8_t>(seed + i * 13)));
    }
    return m;
}

inline TunnelBuild sample_tunnel_build()
{
    TunnelBuild m;
    for (std::size_t i = 0; i < TunnelBuild::kRecordCount; ++i) {
        m.records.push_back(pattern<kBuildRecordSize>(static_cast<std::uint8_t>(i * 31)));
    }
    return m;
}

struct NamedSample {
    std::string name;
    Payload payload;
};

// One or more samples of every message type.
inline std::vector<NamedSample> all_samples()
{
    TunnelBuildReply tbr;
    tbr.records = sample_tunnel_build().records;
    return {
        {"database_store_router_info", sample_store_router_info()},
        {"database_store_lease_set2_with_reply", sample_store_lease_set2_with_reply()},
        {"database_lookup_ecies", sample_lookup_ecies()},
        {"database_lookup_elgamal", sample_lookup_elgamal()},
        {"database_lookup_exploration", sample_lookup_exploration_direct()},
        {"database_search_reply", sample_search_reply()},
        {"delivery_status", DeliveryStatus{MessageId(0xdeadbeef), WallTime{1'700'000'000'000}}},
        {"garlic", Garlic{pattern_bytes(164, 0x99)}},
        {"tunnel_data", sample_tunnel_data()},
        {"tunnel_gateway", sample_tunnel_gateway()},
        {"data", Data{pattern_bytes(40, 0x01)}},
        {"tunnel_build", sample_tunnel_build()},
        {"tunnel_build_reply", tbr},
        {"variable_tunnel_build", sample_build<VariableTunnelBuild>(4, 0x11)},
        {"variable_tunnel_build_reply", sample_build<VariableTunnelBuildReply>(1, 0x22)},
        {"short_tunnel_build", sample_build<ShortTunnelBuild>(4, 0x33)},
        {"outbound_tunnel_build_reply", sample_build<OutboundTunnelBuildReply>(8, 0x44)},
    };
}

} // namespace umbra::i2np::samples
