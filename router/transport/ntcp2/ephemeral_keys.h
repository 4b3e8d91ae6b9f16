// X25519 ephemeral key pairs made ahead of need. Each NTCP2 handshake needs a fresh pair (X for
// Alice in "1) SessionRequest", Y for Bob in "2) SessionCreated"); generating one is a scalar
// multiplication, about a tenth of one side's handshake cost. Pairs are made in batches, which
// share one field inversion (crypto::generate_x25519_batch: 16 us a pair for 8, 22 us for one).
// The owner prepares them when its executor has nothing more urgent to do, so a burst of
// handshakes does not wait for them; when the pool is empty, take() makes a batch and keeps the
// rest. The work is the same, only moved: per-core handshake rates must count it (the benchmark
// does). A pair is handed out once and leaves the pool; pairs are wiped when destroyed. On one
// executor, like ReplayCache.
#pragma once
#include <cstdint>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"

namespace umbra::ntcp2 {

class EphemeralKeys {
public:
    explicit EphemeralKeys(std::size_t capacity = 32);

    static constexpr std::size_t batch_size = 8;

    // A prepared pair; when none is left, one of a new batch (counted in misses()), the rest
    // kept.
    crypto::X25519Keypair take(crypto::Rng& rng);
    // Prepares a batch (up to batch_size pairs, fewer when nearly full); false when full
    // (nothing done).
    bool refill(crypto::Rng& rng);

    std::size_t size() const { return keys_.size(); }
    std::size_t capacity() const { return capacity_; }
    bool full() const { return keys_.size() >= capacity_; }
    std::uint64_t misses() const { return misses_; }

private:
    void make(crypto::Rng& rng, std::size_t count); // appends count new pairs

    std::size_t capacity_;
    std::vector<crypto::X25519Keypair> keys_;
    std::uint64_t misses_ = 0;
};

} // namespace umbra::ntcp2
