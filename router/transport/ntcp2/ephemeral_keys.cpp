// See ephemeral_keys.h.
#include "router/transport/ntcp2/ephemeral_keys.h"

namespace umbra::ntcp2 {

EphemeralKeys::EphemeralKeys(std::size_t capacity) : capacity_(capacity)
{
    keys_.reserve(capacity);
}

crypto::X25519Keypair EphemeralKeys::take(crypto::Rng& rng)
{
    if (keys_.empty()) {
        ++misses_;
        return crypto::X25519Keypair::generate(rng);
    }
    crypto::X25519Keypair k = std::move(keys_.back()); // the moved-from private key is wiped
    keys_.pop_back();
    return k;
}

bool EphemeralKeys::refill_one(crypto::Rng& rng)
{
    if (full()) {
        return false;
    }
    keys_.push_back(crypto::X25519Keypair::generate(rng));
    return true;
}

} // namespace umbra::ntcp2
