// Duplicate tunnel messages (implementation.html "Participant Processing"): "a decaying Bloom
// filter on message IVs ... the XOR of the IV and the first block ... modified to drop seen
// entries after 10-20 minutes". Two generations of bits: lookups check both, inserts go to the
// current one, and the current one becomes the previous one after `window` (so an entry lives
// 10-20 minutes) or once it holds `capacity` entries, whichever comes first. Rotating on count
// keeps the false-positive rate near its design value under any load (32 bits per entry and 6
// probes: about 2.5e-5 per generation, so good messages are almost never dropped); a very busy
// shard then remembers for less than 10 minutes (262,144 messages per generation with the
// default 2^23 bits) instead of dropping good messages. One per shard, owned by its executor.
#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/random.h"
#include "router/base/bytes.h"
#include "router/base/clock.h"

namespace umbra::tunnels {

struct DuplicateFilterOptions {
    std::size_t bits_log2 = 23; // 1 MiB per generation, 2 MiB per shard
    Milliseconds window = std::chrono::minutes(10);
};

class DuplicateFilter {
public:
    static constexpr std::size_t kProbes = 6;
    static constexpr std::size_t kBitsPerEntry = 32;

    DuplicateFilter(DuplicateFilterOptions options, crypto::Rng& rng);

    // `block`: IV (16) + data of a TunnelData as received. True when probably seen before
    // (the caller drops it); otherwise remembers it and returns false.
    bool seen(Bytes block, SteadyTime now);

    std::size_t capacity() const { return capacity_; }
    std::uint64_t rotations() const { return rotations_; }

private:
    void rotate(SteadyTime now);
    bool test(const std::vector<std::uint64_t>& bits,
              const std::array<std::size_t, kProbes>& at) const;

    DuplicateFilterOptions options_;
    std::size_t capacity_;
    std::uint64_t k0_;
    std::uint64_t k1_;
    std::array<std::vector<std::uint64_t>, 2> generations_;
    std::size_t current_ = 0;
    std::size_t inserted_ = 0;
    bool started_ = false;
    SteadyTime rotate_at_{};
    std::uint64_t rotations_ = 0;
};

} // namespace umbra::tunnels
