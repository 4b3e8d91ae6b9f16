// Messages that carry or acknowledge other messages (i2np.rst): DeliveryStatus (10),
// Garlic (11), TunnelData (18), TunnelGateway (19) and Data (20). Their contents stay opaque:
// garlic/ decrypts Garlic, tunnels/ decrypts TunnelData.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/data/i2np/header.h"

namespace umbra::i2np {

struct DeliveryStatus {
    static constexpr MessageType type = MessageType::delivery_status;
    static constexpr std::size_t kSize = 12;

    MessageId acked_id; // "msg_id": the message being acknowledged
    WallTime timestamp; // creation or arrival time (Date)

    static Result<DeliveryStatus> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const DeliveryStatus&) const = default;
};

// ElGamal/AES or ECIES-X25519-AEAD-Ratchet encrypted cloves behind a 4-byte length.
struct Garlic {
    static constexpr MessageType type = MessageType::garlic;

    std::vector<std::uint8_t> ciphertext; // at most kMaxPayloadSize - 4 bytes

    static Result<Garlic> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const Garlic&) const = default;
};

struct TunnelData {
    static constexpr MessageType type = MessageType::tunnel_data;
    static constexpr std::size_t kDataSize = 1024;
    static constexpr std::size_t kSize = 4 + kDataSize;

    TunnelId tunnel; // nonzero
    std::array<std::uint8_t, kDataSize> data{};

    static Result<TunnelData> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const TunnelData&) const = default;
};

struct TunnelGateway {
    static constexpr MessageType type = MessageType::tunnel_gateway;

    TunnelId tunnel; // nonzero
    // A whole I2NP message with a standard header (Message::parse_standard reads it).
    std::vector<std::uint8_t> message;

    static Result<TunnelGateway> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const TunnelGateway&) const = default;
};

// Opaque client data inside garlic cloves, behind a 4-byte length.
struct Data {
    static constexpr MessageType type = MessageType::data;

    std::vector<std::uint8_t> data;

    static Result<Data> parse(Bytes payload);
    std::vector<std::uint8_t> serialize() const;
    bool operator==(const Data&) const = default;
};

} // namespace umbra::i2np
