// Builders and recording sinks for tests, fuzzers and the benchmark of tunnels/transit/.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "router/data/i2np/header.h"
#include "tunnels/build/hop_keys.h"
#include "tunnels/transit/endpoint.h"
#include "tunnels/transit/gateway.h"
#include "tunnels/transit/transit_table.h"

namespace umbra::tunnels::testing {

// Keys for one hop, drawn from rng; receive/next ids are receive and receive + 1.
inline HopKeys make_hop(crypto::Rng& rng, HopRole role, std::uint32_t receive)
{
    HopKeys k;
    k.role = role;
    k.receive_tunnel = TunnelId(receive);
    k.next_tunnel = TunnelId(receive + 1);
    std::array<std::uint8_t, 32> ident{};
    rng.fill(ident);
    k.next_ident = IdentHash(ident);
    std::array<std::uint8_t, 32> key{};
    rng.fill(key);
    k.layer_key.set(key);
    rng.fill(key);
    k.iv_key.set(key);
    return k;
}

// A standard-format I2NP Data message whose whole serialized size is `size` (>= 20).
inline std::vector<std::uint8_t> make_i2np(crypto::Rng& rng, std::size_t size)
{
    i2np::Message m;
    m.type = i2np::MessageType::data;
    m.id = MessageId(rng.u32());
    m.expiration = WallTime{1'700'000'000'000};
    m.payload.resize(size - i2np::kStandardHeaderSize);
    rng.fill(m.payload);
    // Data payload: 4-byte length, then the bytes.
    store_be32(m.payload.data(), std::uint32_t(m.payload.size() - 4));
    return m.serialize_standard();
}

struct RecordingBlocks final : BlockSink {
    std::vector<std::array<std::uint8_t, crypto::tunnel_block_size>> blocks;
    void on_block(crypto::TunnelBlock b) override
    {
        blocks.emplace_back();
        std::copy(b.begin(), b.end(), blocks.back().begin());
    }
};

struct RecordingMessages final : MessageSink {
    std::vector<std::pair<Delivery, std::vector<std::uint8_t>>> messages;
    void on_message(const Delivery& d, std::vector<std::uint8_t>&& m) override
    {
        messages.emplace_back(d, std::move(m));
    }
};

struct RecordingOut final : TransitOut {
    struct Closed {
        std::uint32_t id;
        std::uint32_t messages;
        std::uint64_t bytes;
    };
    std::vector<Closed> closed;
    std::vector<std::pair<IdentHash, i2np::TunnelData>> tunnel_data;
    std::vector<std::pair<IdentHash, i2np::TunnelGateway>> tunnel_gateway;
    std::vector<std::pair<IdentHash, i2np::Message>> messages;
    void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& m) override
    {
        tunnel_data.emplace_back(to, m);
    }
    void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& m) override
    {
        tunnel_gateway.emplace_back(to, std::move(m));
    }
    void on_tunnel_closed(std::uint32_t id, const TransitTunnel& t) override
    {
        closed.push_back({id, t.messages, t.bytes});
    }
    void send_message(const IdentHash& to, i2np::Message&& m) override
    {
        messages.emplace_back(to, std::move(m));
    }
};

} // namespace umbra::tunnels::testing
