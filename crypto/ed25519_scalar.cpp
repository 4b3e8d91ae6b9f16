// Scalars mod L (RFC 8032 §5.1): reduction by constant-time binary long division, one bit per
// step with a masked conditional subtraction of L. Slower than Barrett reduction but short and
// obviously correct; RedDSA signing and blinding are rare operations.
#include "crypto/ed25519_group.h"
#include "crypto/secret.h"

namespace umbra::crypto::ed25519 {

namespace {

// __extension__: -Wpedantic rejects the (GCC and Clang) 128-bit integer otherwise.
__extension__ typedef unsigned __int128 u128;
using Limbs = std::array<std::uint64_t, 4>;

// L = 2^252 + 27742317777372353535851937790883648493, little-endian 64-bit limbs.
constexpr Limbs order{0x5812631a5cf5d3edULL, 0x14def9dea2f79cd6ULL, 0, 0x1000000000000000ULL};

template <std::size_t N> std::array<std::uint64_t, N / 8> load(std::span<const std::uint8_t, N> in)
{
    std::array<std::uint64_t, N / 8> w{};
    for (std::size_t i = 0; i < N; ++i) {
        w[i / 8] |= std::uint64_t{in[i]} << (8 * (i % 8));
    }
    return w;
}

Scalar store(const Limbs& r)
{
    Scalar out{};
    for (std::size_t i = 0; i < 32; ++i) {
        out[i] = static_cast<std::uint8_t>(r[i / 8] >> (8 * (i % 8)));
    }
    return out;
}

// r - L into diff; returns 1 if it borrowed (r < L).
std::uint64_t sub_order(const Limbs& r, Limbs& diff)
{
    std::uint64_t borrow = 0;
    for (std::size_t j = 0; j < 4; ++j) {
        const u128 d = static_cast<u128>(r[j]) - order[j] - borrow;
        diff[j] = static_cast<std::uint64_t>(d);
        borrow = static_cast<std::uint64_t>(d >> 64) & 1;
    }
    return borrow;
}

// x mod L for a little-endian number of any limb count.
template <std::size_t N> Scalar reduce(const std::array<std::uint64_t, N>& x)
{
    Limbs r{};
    Limbs diff{};
    for (std::size_t i = N * 64; i-- > 0;) {
        // r < L < 2^253, so 2r + 1 fits in four limbs.
        const std::uint64_t bit = (x[i / 64] >> (i % 64)) & 1;
        r[3] = r[3] << 1 | r[2] >> 63;
        r[2] = r[2] << 1 | r[1] >> 63;
        r[1] = r[1] << 1 | r[0] >> 63;
        r[0] = r[0] << 1 | bit;
        const std::uint64_t keep = 0 - sub_order(r, diff); // all ones when r < L
        for (std::size_t j = 0; j < 4; ++j) {
            r[j] = (r[j] & keep) | (diff[j] & ~keep);
        }
    }
    const Scalar out = store(r);
    secure_wipe(r.data(), sizeof(r));
    secure_wipe(diff.data(), sizeof(diff));
    return out;
}

} // namespace

Scalar scalar_reduce32(std::span<const std::uint8_t, 32> in)
{
    return reduce(load(in));
}
Scalar scalar_reduce64(std::span<const std::uint8_t, 64> in)
{
    return reduce(load(in));
}

Scalar scalar_add(std::span<const std::uint8_t, 32> a, std::span<const std::uint8_t, 32> b)
{
    const Limbs x = load(a);
    const Limbs y = load(b);
    std::array<std::uint64_t, 5> sum{};
    u128 c = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        c += static_cast<u128>(x[i]) + y[i];
        sum[i] = static_cast<std::uint64_t>(c);
        c >>= 64;
    }
    sum[4] = static_cast<std::uint64_t>(c);
    const Scalar out = reduce(sum);
    secure_wipe(sum.data(), sizeof(sum));
    return out;
}

Scalar scalar_mul(std::span<const std::uint8_t, 32> a, std::span<const std::uint8_t, 32> b)
{
    const Limbs x = load(a);
    const Limbs y = load(b);
    std::array<std::uint64_t, 8> prod{};
    for (std::size_t i = 0; i < 4; ++i) {
        u128 c = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            c += static_cast<u128>(x[i]) * y[j] + prod[i + j];
            prod[i + j] = static_cast<std::uint64_t>(c);
            c >>= 64;
        }
        prod[i + 4] = static_cast<std::uint64_t>(c);
    }
    const Scalar out = reduce(prod);
    secure_wipe(prod.data(), sizeof(prod));
    return out;
}

bool scalar_is_canonical(std::span<const std::uint8_t, 32> s)
{
    Limbs diff{};
    return sub_order(load(s), diff) == 1;
}

} // namespace umbra::crypto::ed25519
