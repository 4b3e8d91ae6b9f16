// Randomness is injected: engines take an Rng&. OsRng is the system CSPRNG (RAND_bytes);
// DeterministicRng is a seeded ChaCha20 keystream for tests, simulations and fuzzers. ChaChaRng
// is a fast CSPRNG for bulk non-key randomness (padding, padding lengths).
#pragma once
#include <array>
#include <cstddef>
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

// A ChaCha20 keystream handed out from a 4 KiB buffer, for bulk randomness that is not key
// material: NTCP2 padding and padding lengths, where one RAND_bytes call per frame costs more
// than the frame's padding. Keyed with 32 bytes from a seed Rng (the system RNG in production)
// at construction, rekeyed from it after every `rekey_interval` bytes of keystream. Handed-out
// bytes are wiped from the buffer. Never use it for long-term or ephemeral keys: those come
// from OsRng. Not thread-safe: one object per executor.
class ChaChaRng final : public Rng {
public:
    static constexpr std::size_t buffer_size = 4096;
    static constexpr std::uint64_t default_rekey_interval = std::uint64_t{1} << 20;

    // Keyed from the system RNG (OsRng).
    ChaChaRng();
    // Keyed and rekeyed from `seed`, which must outlive this object (e.g. the Rng injected into
    // a transport: OsRng in the router, DeterministicRng in simulations).
    explicit ChaChaRng(Rng& seed, std::uint64_t rekey_interval = default_rekey_interval);
    // Tests only: a fixed key, so the output is reproducible; each rekey takes the next key from
    // the keystream itself.
    struct FixedKeyForTesting {};
    ChaChaRng(FixedKeyForTesting, Bytes key32,
              std::uint64_t rekey_interval = default_rekey_interval);
    ~ChaChaRng() override;
    ChaChaRng(const ChaChaRng&) = delete;
    ChaChaRng& operator=(const ChaChaRng&) = delete;

    void fill(MutableBytes out) override;

private:
    void refill();
    void rekey();

    Rng* seed_ = nullptr; // nullptr: rekey from the keystream (fixed test key)
    std::uint64_t rekey_interval_;
    Key32 key_;
    std::uint64_t nonce_ = 0;       // one 96-bit nonce per refill, never reused under a key
    std::uint64_t since_rekey_ = 0; // keystream bytes produced under key_
    std::size_t pos_ = buffer_size; // next unused byte of buffer_
    std::array<std::uint8_t, buffer_size> buffer_{};
};

} // namespace umbra::crypto
