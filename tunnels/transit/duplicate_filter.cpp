#include "tunnels/transit/duplicate_filter.h"

#include <algorithm>
#include <cstring>

namespace umbra::tunnels {

namespace {

// A keyed 64-bit mix (not a MAC: the key only keeps peers from aiming at chosen bits).
std::uint64_t mix(std::uint64_t x, std::uint64_t key)
{
    x ^= key;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

} // namespace

DuplicateFilter::DuplicateFilter(DuplicateFilterOptions options, crypto::Rng& rng)
    : options_(options), capacity_((std::size_t{1} << options.bits_log2) / kBitsPerEntry),
      k0_(rng.u64()), k1_(rng.u64())
{
    for (auto& g : generations_) {
        g.assign((std::size_t{1} << options_.bits_log2) / 64, 0);
    }
}

void DuplicateFilter::rotate(SteadyTime now)
{
    current_ ^= 1;
    std::fill(generations_[current_].begin(), generations_[current_].end(), 0);
    inserted_ = 0;
    rotate_at_ = now + options_.window;
    ++rotations_;
}

bool DuplicateFilter::test(const std::vector<std::uint64_t>& bits,
                           const std::array<std::size_t, kProbes>& at) const
{
    return std::all_of(at.begin(), at.end(),
                       [&bits](std::size_t i) { return (bits[i / 64] >> (i % 64)) & 1; });
}

bool DuplicateFilter::seen(Bytes block, SteadyTime now)
{
    if (block.size() < 32) {
        return false; // callers pass whole 1024-byte blocks
    }
    if (!started_) {
        started_ = true;
        rotate_at_ = now + options_.window;
    }
    if (now >= rotate_at_ || inserted_ >= capacity_) {
        rotate(now);
    }
    // "the XOR of the IV and the first block"
    std::uint64_t w[4];
    std::memcpy(w, block.data(), 32);
    const std::uint64_t h1 = mix(w[0] ^ w[2], k0_);
    const std::uint64_t h2 = mix(w[1] ^ w[3], k1_) | 1;
    const std::size_t mask = (std::size_t{1} << options_.bits_log2) - 1;
    std::array<std::size_t, kProbes> at{};
    for (std::size_t i = 0; i < kProbes; ++i) {
        at[i] = std::size_t(h1 + i * h2) & mask; // double hashing
    }
    if (test(generations_[0], at) || test(generations_[1], at)) {
        return true;
    }
    auto& bits = generations_[current_];
    for (std::size_t i : at) {
        bits[i / 64] |= std::uint64_t{1} << (i % 64);
    }
    ++inserted_;
    return false;
}

} // namespace umbra::tunnels
