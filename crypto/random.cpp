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

namespace {

OsRng& os_rng()
{
    static OsRng rng; // stateless; RAND_bytes is thread-safe
    return rng;
}

Nonce12 counter_nonce(std::uint64_t counter)
{
    Nonce12 nonce{};
    for (std::size_t i = 0; i < 8; ++i) {
        nonce[4 + i] = static_cast<std::uint8_t>(counter >> (8 * i));
    }
    return nonce;
}

} // namespace

ChaChaRng::ChaChaRng() : ChaChaRng(os_rng()) {}

ChaChaRng::ChaChaRng(Rng& seed, std::uint64_t rekey_interval)
    : seed_(&seed), rekey_interval_(rekey_interval)
{
    detail::check(rekey_interval_ >= buffer_size, "ChaChaRng rekey interval below one buffer");
    seed_->fill(key_.mutable_bytes());
}

ChaChaRng::ChaChaRng(FixedKeyForTesting, Bytes key32, std::uint64_t rekey_interval)
    : rekey_interval_(rekey_interval), key_(key32)
{
    detail::check(rekey_interval_ >= buffer_size, "ChaChaRng rekey interval below one buffer");
}

ChaChaRng::~ChaChaRng()
{
    secure_wipe(buffer_.data(), buffer_.size());
}

void ChaChaRng::rekey()
{
    if (seed_ != nullptr) {
        seed_->fill(key_.mutable_bytes());
    } else {
        // Fast key erasure: the next key is keystream nobody saw; the old key is gone.
        std::array<std::uint8_t, 32> next{};
        chacha20(key_.bytes(), counter_nonce(nonce_++), 0, next, next);
        key_.set(next);
        secure_wipe(next.data(), next.size());
    }
    nonce_ = 0;
    since_rekey_ = 0;
}

void ChaChaRng::refill()
{
    if (since_rekey_ >= rekey_interval_) {
        rekey();
    }
    std::fill(buffer_.begin(), buffer_.end(), std::uint8_t{0});
    chacha20(key_.bytes(), counter_nonce(nonce_++), 0, buffer_, buffer_);
    since_rekey_ += buffer_.size();
    pos_ = 0;
}

void ChaChaRng::fill(MutableBytes out)
{
    while (!out.empty()) {
        if (pos_ == buffer_.size()) {
            refill();
        }
        const std::size_t n = std::min(out.size(), buffer_.size() - pos_);
        std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(pos_), n, out.begin());
        std::fill_n(buffer_.begin() + static_cast<std::ptrdiff_t>(pos_), n, std::uint8_t{0});
        pos_ += n;
        out = out.subspan(n);
    }
}

} // namespace umbra::crypto
