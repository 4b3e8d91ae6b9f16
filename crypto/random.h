// Randomness is injected: engines take an Rng&. OsRng is the system CSPRNG (RAND_bytes);
// DeterministicRng is a seeded ChaCha20 keystream for tests, simulations and fuzzers.
#pragma once
#include <cstdint>

#include "crypto/secret.h"

namespace umbra::crypto {

class Rng {
public:
    virtual ~Rng() = default;
    virtual void fill(MutableBytes out) = 0;

    std::uint32_t u32();
    std::uint64_t u64();
    // Uniform in [0, bound), bound > 0, without modulo bias.
    std::uint64_t uniform(std::uint64_t bound);
};

class OsRng final : public Rng {
public:
    // Aborts if the system RNG fails: continuing without randomness is never safe.
    void fill(MutableBytes out) override;
};

class DeterministicRng final : public Rng {
public:
    explicit DeterministicRng(std::uint64_t seed);
    void fill(MutableBytes out) override;

private:
    Key32 key_;
    std::uint64_t counter_ = 0;
};

} // namespace umbra::crypto
