// Sample cloves and keys for the garlic tests and the fuzz targets. Field bytes follow simple
// patterns so a failing comparison points at the field.
#pragma once
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/data/i2np/test_samples.h"
#include "router/garlic/blocks.h"

namespace umbra::garlic::testing {

// Expiration in whole seconds: the short header carries seconds only.
inline constexpr WallTime kSampleExpiration{1'700'000'060'000};

inline i2np::Message sample_message(std::uint8_t seed, std::size_t size)
{
    return i2np::Message{i2np::MessageType::data, MessageId(0x01020300u + seed), kSampleExpiration,
                         i2np::samples::pattern_bytes(size, seed)};
}

// One clove per delivery type, the last with the (unimplemented) delay field.
inline std::vector<GarlicClove> sample_cloves()
{
    using i2np::samples::hash_of;
    std::vector<GarlicClove> cloves = {
        {CloveDelivery::to_local(), sample_message(1, 10)},
        {CloveDelivery::to_destination(hash_of(0x40)), sample_message(2, 0)},
        {CloveDelivery::to_router(hash_of(0x60)), sample_message(3, 100)},
        {CloveDelivery::to_tunnel(hash_of(0x80), TunnelId(0x0a0b0c0d)), sample_message(4, 33)},
        {CloveDelivery::to_local(), sample_message(5, 1)},
    };
    cloves.back().delivery.delay = 7;
    return cloves;
}

// A fixed router key pair (deterministic, for tests and fuzzers only).
inline crypto::X25519Keypair router_keys(std::uint64_t seed = 1)
{
    crypto::DeterministicRng rng(seed);
    return crypto::X25519Keypair::generate(rng);
}

} // namespace umbra::garlic::testing
