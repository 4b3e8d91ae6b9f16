// Garlic Clove Delivery Instructions (i2np.rst "Garlic Clove Delivery Instructions"): where the
// router sends the I2NP message of a clove. Not the tunnel message delivery instructions of
// tunnel-message.rst, which have a different format.
#pragma once
#include <cstdint>
#include <optional>

#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/base/result.h"

namespace umbra::garlic {

// Flag bits 6-5.
enum class DeliveryType : std::uint8_t {
    local = 0,
    destination = 1,
    router = 2,
    tunnel = 3,
};

struct CloveDelivery {
    DeliveryType type = DeliveryType::local;
    // destination: the Destination hash; router: the router hash; tunnel: the gateway's hash.
    // Zero and not written for local delivery.
    IdentHash to;
    TunnelId tunnel; // tunnel delivery only; nonzero
    // Flag bit 4 ("not fully implemented"): kept so re-serialization is exact.
    std::optional<std::uint32_t> delay;
    // Flag bits 3-0, "set to 0 for compatibility": kept so re-serialization is exact.
    std::uint8_t reserved = 0;

    static CloveDelivery to_local() { return {}; }
    static CloveDelivery to_destination(const IdentHash& h)
    {
        return {DeliveryType::destination, h, {}, {}, 0};
    }
    static CloveDelivery to_router(const IdentHash& h)
    {
        return {DeliveryType::router, h, {}, {}, 0};
    }
    static CloveDelivery to_tunnel(const IdentHash& gateway, TunnelId id)
    {
        return {DeliveryType::tunnel, gateway, id, {}, 0};
    }

    // Errc::unsupported for the encrypted bit 7 (unimplemented in I2P, its key never sent);
    // Errc::invalid_value for tunnel id 0.
    static Result<CloveDelivery> read(ByteReader& in);
    void write(ByteWriter& out) const;
    std::size_t size() const; // 1, 33 or 37, plus 4 with a delay

    bool operator==(const CloveDelivery&) const = default;
};

} // namespace umbra::garlic
