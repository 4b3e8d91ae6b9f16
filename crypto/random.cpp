#include "crypto/random.h"

#include <algorithm>
#include <limits>

#include <openssl/rand.h>

#include "crypto/chacha.h"
#include "crypto/detail.h"
#include "crypto/hash.h"

namespace umbra::crypto {

std::uint32_t Rng::u32()
{
    std::array<std::uint8_t, 4> b{};
    fill(b);
    return std::uint32_t{b[0]} | std::uint32_t{b[1]} << 8 | std::uint32_t{b[2]} << 16 |
           std::uint32_t{b[3]} << 24;
}

std::uint64_t Rng::u64()
{
    return std::uint64_t{u32()} | std::uint64_t{u32()} << 32;
}

std::uint64_t Rng::uniform(std::uint64_t bound)
{
    detail::check(bound != 0, "Rng::uniform with bound 0");
    // Reject the top partial range so every residue is equally likely.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                std::numeric_limits<std::uint64_t>::max() % bound;
    for (;;) {
        const std::uint64_t x = u64();
        if (x < limit) {
            return x % bound;
        }
    }
}

void OsRng::fill(MutableBytes out)
{
    if (out.empty()) {
        return;
    }
    detail::check(out.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max()),
                  "OsRng::fill request too large");
    detail::check(RAND_bytes(out.data(), static_cast<int>(out.size())) == 1, "system RNG failed");
}

DeterministicRng::DeterministicRng(std::uint64_t seed)
{
    std::array<std::uint8_t, 8> s{};
    for (std::size_t i = 0; i < 8; ++i) {
        s[i] = static_cast<std::uint8_t>(seed >> (8 * i));
    }
    const Hash32 k = sha256(s);
    key_.set(k);
}

void DeterministicRng::fill(MutableBytes out)
{
    // Each call consumes fresh 64-byte ChaCha20 blocks: the 96-bit nonce holds the 64-bit call
    // counter, the block counter runs from 0 within one call.
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    Nonce12 nonce{};
    for (std::size_t i = 0; i < 8; ++i) {
        nonce[4 + i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
    }
    ++counter_;
    chacha20(key_.bytes(), nonce, 0, out, out);
}

} // namespace umbra::crypto
