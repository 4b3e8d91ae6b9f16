// The run's trace digest: a SHA-256 chain over every event that shows what the network did
// (each tunnel that became established, each message delivered out of an inbound tunnel), in
// event order. Two runs with the same seed give the same digest; any difference in what was
// built, delivered or when changes it.
#pragma once
#include <cstdint>
#include <span>
#include <string>

#include "crypto/secret.h"
#include "tests/sim/scheduler.h"
#include "tunnels/pool/local_tunnels.h"

namespace umbra::sim {

class Trace {
public:
    void tunnel_built(std::uint32_t router, const tunnels::TunnelSummary& t, VirtualMs at);
    void delivered(std::uint32_t router, tunnels::PoolId pool, const i2np::Message& m,
                   VirtualMs at);

    const crypto::Hash32& digest() const { return digest_; }
    std::string digest_hex() const;
    std::uint64_t events() const { return events_; }

private:
    // digest = SHA-256(digest || kind || record)
    void chain(std::uint8_t kind, std::span<const std::uint8_t> record);

    crypto::Hash32 digest_{};
    std::uint64_t events_ = 0;
};

} // namespace umbra::sim
