// See ephemeral_keys.h.
#include "router/transport/ntcp2/ephemeral_keys.h"

#include <algorithm>

namespace umbra::ntcp2 {

EphemeralKeys::EphemeralKeys(std::size_t capacity) : capacity_(capacity)
{
    keys_.reserve(capacity);
}

crypto::X25519Keypair EphemeralKeys::take(crypto::Rng& rng)
{
    if (keys_.empty()) {
        ++misses_;
        make(rng, std::max<std::size_t>(1, std::min(batch_size, capacity_)));
    }
    crypto::X25519Keypair k = std::move(keys_.back()); // the moved-from private key is wiped
    keys_.pop_back();
    return k;
}

bool EphemeralKeys::refill(crypto::Rng& rng)
{
    if (full()) {
        return false;
    }
    make(rng, std::min(batch_size, capacity_ - keys_.size()));
    return true;
}

void EphemeralKeys::make(crypto::Rng& rng, std::size_t count)
{
    const std::size_t first = keys_.size();
    keys_.resize(first + count);
    crypto::generate_x25519_batch(rng, std::span(keys_).subspan(first));
}

} // namespace umbra::ntcp2
