// GF(2^255 - 19) and the twisted Edwards group of RFC 8032 §5.1. Field elements use five
// 51-bit limbs so that a limb product fits in unsigned __int128 with room for the sums.
#include "crypto/ed25519_group.h"

#include <algorithm>

#include "crypto/secret.h"

namespace umbra::crypto::ed25519 {

namespace {

// __extension__: -Wpedantic rejects the (GCC and Clang) 128-bit integer otherwise.
__extension__ typedef unsigned __int128 u128;
constexpr std::uint64_t mask51 = (std::uint64_t{1} << 51) - 1;

// Propagates carries so every limb is below 2^51 plus a small excess in limb 0; 2^255 = 19.
Fe carry(std::array<u128, 5> r)
{
    Fe out;
    for (std::size_t i = 0; i < 4; ++i) {
        r[i + 1] += r[i] >> 51;
        r[i] &= mask51;
    }
    r[0] += 19 * (r[4] >> 51);
    r[4] &= mask51;
    r[1] += r[0] >> 51;
    r[0] &= mask51;
    for (std::size_t i = 0; i < 5; ++i) {
        out.v[i] = static_cast<std::uint64_t>(r[i]);
    }
    return out;
}

Fe carry64(const Fe& a)
{
    return carry({a.v[0], a.v[1], a.v[2], a.v[3], a.v[4]});
}

// Selects b into a where mask is all ones; keeps a where it is zero.
void fe_cmov(Fe& a, const Fe& b, std::uint64_t mask)
{
    for (std::size_t i = 0; i < 5; ++i) {
        a.v[i] ^= mask & (a.v[i] ^ b.v[i]);
    }
}

void point_cmov(Point& a, const Point& b, std::uint64_t mask)
{
    fe_cmov(a.X, b.X, mask);
    fe_cmov(a.Y, b.Y, mask);
    fe_cmov(a.Z, b.Z, mask);
    fe_cmov(a.T, b.T, mask);
}

Fe fe_neg(const Fe& a)
{
    return fe_sub(Fe{}, a);
}
bool fe_equal(const Fe& a, const Fe& b)
{
    return fe_to_bytes(a) == fe_to_bytes(b);
}
bool fe_is_odd(const Fe& a)
{
    return (fe_to_bytes(a)[0] & 1) != 0;
}

const Fe fe_one{{1, 0, 0, 0, 0}};
const Fe fe_2d{
    {0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff}};

} // namespace

const Fe fe_d{
    {0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff}};
const Fe fe_sqrtm1{
    {0x61b274a0ea0b0, 0x0d5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};

Fe fe_from_bytes(std::span<const std::uint8_t, 32> in)
{
    std::array<std::uint64_t, 4> w{};
    for (std::size_t i = 0; i < 32; ++i) {
        w[i / 8] |= std::uint64_t{in[i]} << (8 * (i % 8));
    }
    return Fe{{w[0] & mask51, (w[0] >> 51 | w[1] << 13) & mask51,
               (w[1] >> 38 | w[2] << 26) & mask51, (w[2] >> 25 | w[3] << 39) & mask51,
               (w[3] >> 12) & mask51}};
}

Encoded fe_to_bytes(const Fe& a)
{
    Fe h = carry64(carry64(a));
    // h < 2p now; q = 1 exactly when h >= p, found by carrying h + 19 through the limbs.
    std::uint64_t q = (h.v[0] + 19) >> 51;
    for (std::size_t i = 1; i < 5; ++i) {
        q = (h.v[i] + q) >> 51;
    }
    h.v[0] += 19 * q;
    for (std::size_t i = 0; i < 4; ++i) {
        h.v[i + 1] += h.v[i] >> 51;
        h.v[i] &= mask51;
    }
    h.v[4] &= mask51; // drops 2^255, completing the subtraction of p
    const std::array<std::uint64_t, 4> w{h.v[0] | h.v[1] << 51, h.v[1] >> 13 | h.v[2] << 38,
                                         h.v[2] >> 26 | h.v[3] << 25, h.v[3] >> 39 | h.v[4] << 12};
    Encoded out{};
    for (std::size_t i = 0; i < 32; ++i) {
        out[i] = static_cast<std::uint8_t>(w[i / 8] >> (8 * (i % 8)));
    }
    return out;
}

Fe fe_add(const Fe& a, const Fe& b)
{
    Fe r;
    for (std::size_t i = 0; i < 5; ++i) {
        r.v[i] = a.v[i] + b.v[i];
    }
    return carry64(r);
}

Fe fe_sub(const Fe& a, const Fe& b)
{
    // Adds 4p first so no limb goes negative (inputs are carried, limbs < 2^52).
    constexpr std::uint64_t four_p0 = 4 * (mask51 - 18);
    constexpr std::uint64_t four_pi = 4 * mask51;
    Fe r;
    r.v[0] = a.v[0] + four_p0 - b.v[0];
    for (std::size_t i = 1; i < 5; ++i) {
        r.v[i] = a.v[i] + four_pi - b.v[i];
    }
    return carry64(r);
}

Fe fe_mul(const Fe& a, const Fe& b)
{
    // Limb i*j with i + j >= 5 wraps around multiplied by 19 (2^255 = 19 mod p). Limbs are
    // below 2^52 (every result is carried), so 19 * b_j fits 64 bits and a sum of five
    // products stays below 2^116.
    std::array<std::uint64_t, 5> b19{};
    for (std::size_t j = 0; j < 5; ++j) {
        b19[j] = 19 * b.v[j];
    }
    std::array<u128, 5> r{};
    for (std::size_t i = 0; i < 5; ++i) {
        for (std::size_t j = 0; j < 5; ++j) {
            if (i + j < 5) {
                r[i + j] += static_cast<u128>(a.v[i]) * b.v[j];
            } else {
                r[i + j - 5] += static_cast<u128>(a.v[i]) * b19[j];
            }
        }
    }
    return carry(r);
}

Fe fe_sq(const Fe& a)
{
    // fe_mul(a, a) with each cross product a_i * a_j (i != j) computed once and doubled:
    // 15 products instead of 25.
    const auto& v = a.v;
    const std::uint64_t d0 = 2 * v[0], d1 = 2 * v[1], d2 = 2 * v[2], d3 = 2 * v[3];
    const std::uint64_t v3_19 = 19 * v[3], v4_19 = 19 * v[4];
    const auto m = [](std::uint64_t x, std::uint64_t y) {
        return static_cast<u128>(x) * y;
    };
    return carry(
        {m(v[0], v[0]) + m(d1, v4_19) + m(d2, v3_19), m(d0, v[1]) + m(d2, v4_19) + m(v[3], v3_19),
         m(d0, v[2]) + m(v[1], v[1]) + m(d3, v4_19), m(d0, v[3]) + m(d1, v[2]) + m(v[4], v4_19),
         m(d0, v[4]) + m(d1, v[3]) + m(v[2], v[2])});
}

namespace {

// a^(2^n): n squarings.
Fe fe_sq_n(Fe a, int n)
{
    for (int i = 0; i < n; ++i) {
        a = fe_sq(a);
    }
    return a;
}

// a^(2^250 - 1), and a^11 on the side: the common prefix of the two exponents below, by the
// usual addition chain for p = 2^255 - 19 (each step's exponent in its name: a_k_0 is
// a^(2^k - 1)). 249 squarings and 11 multiplications instead of square-and-multiply's ~500
// operations.
Fe fe_pow_2_250_minus_1(const Fe& a, Fe& a11)
{
    const Fe a2 = fe_sq(a);
    const Fe a9 = fe_mul(fe_sq_n(a2, 2), a);
    a11 = fe_mul(a9, a2);
    const Fe a_5_0 = fe_mul(fe_sq(a11), a9); // a^31
    const Fe a_10_0 = fe_mul(fe_sq_n(a_5_0, 5), a_5_0);
    const Fe a_20_0 = fe_mul(fe_sq_n(a_10_0, 10), a_10_0);
    const Fe a_40_0 = fe_mul(fe_sq_n(a_20_0, 20), a_20_0);
    const Fe a_50_0 = fe_mul(fe_sq_n(a_40_0, 10), a_10_0);
    const Fe a_100_0 = fe_mul(fe_sq_n(a_50_0, 50), a_50_0);
    const Fe a_200_0 = fe_mul(fe_sq_n(a_100_0, 100), a_100_0);
    return fe_mul(fe_sq_n(a_200_0, 50), a_50_0);
}

} // namespace

Fe fe_invert(const Fe& a)
{
    // a^(p - 2), p - 2 = 2^255 - 21 = (2^250 - 1) * 2^5 + 11.
    Fe a11;
    const Fe a_250_0 = fe_pow_2_250_minus_1(a, a11);
    return fe_mul(fe_sq_n(a_250_0, 5), a11);
}

namespace {

// a^((p - 5) / 8), (p - 5) / 8 = 2^252 - 3 = (2^250 - 1) * 4 + 1: the square root exponent of
// RFC 8032 §5.1.3.
Fe fe_pow_p_minus_5_over_8(const Fe& a)
{
    Fe a11;
    const Fe a_250_0 = fe_pow_2_250_minus_1(a, a11);
    return fe_mul(fe_sq_n(a_250_0, 2), a);
}

} // namespace

bool fe_is_zero(const Fe& a)
{
    const Encoded b = fe_to_bytes(a);
    const Encoded zero{};
    return constant_time_equal(b, zero);
}

Point identity()
{
    return Point{Fe{}, fe_one, fe_one, Fe{}};
}

Point base_point()
{
    // RFC 8032 §5.1: y = 4/5 and x even.
    const Fe x{
        {0x62d608f25d51a, 0x412a4b4f6592a, 0x75b7171a4b31d, 0x1ff60527118fe, 0x216936d3cd6e5}};
    const Fe y{
        {0x6666666666658, 0x4cccccccccccc, 0x1999999999999, 0x3333333333333, 0x6666666666666}};
    return Point{x, y, fe_one, fe_mul(x, y)};
}

Point add(const Point& p, const Point& q)
{
    // RFC 8032 §5.1.4 (complete for a = -1 with non-square d).
    const Fe a = fe_mul(fe_sub(p.Y, p.X), fe_sub(q.Y, q.X));
    const Fe b = fe_mul(fe_add(p.Y, p.X), fe_add(q.Y, q.X));
    const Fe c = fe_mul(fe_mul(p.T, fe_2d), q.T);
    const Fe d = fe_mul(fe_add(p.Z, p.Z), q.Z);
    const Fe e = fe_sub(b, a);
    const Fe f = fe_sub(d, c);
    const Fe g = fe_add(d, c);
    const Fe h = fe_add(b, a);
    return Point{fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}

Point dbl(const Point& p)
{
    // RFC 8032 §5.1.4, doubling.
    const Fe a = fe_sq(p.X);
    const Fe b = fe_sq(p.Y);
    const Fe zz = fe_sq(p.Z);
    const Fe c = fe_add(zz, zz);
    const Fe h = fe_add(a, b);
    const Fe e = fe_sub(h, fe_sq(fe_add(p.X, p.Y)));
    const Fe g = fe_sub(a, b);
    const Fe f = fe_add(c, g);
    return Point{fe_mul(e, f), fe_mul(g, h), fe_mul(f, g), fe_mul(e, h)};
}

bool decode(std::span<const std::uint8_t, 32> in, Point& out)
{
    // RFC 8032 §5.1.3.
    const Fe y = fe_from_bytes(in);
    Encoded y_bytes{};
    std::copy(in.begin(), in.end(), y_bytes.begin());
    const bool x_0 = (y_bytes[31] & 0x80) != 0;
    y_bytes[31] &= 0x7f;
    if (fe_to_bytes(y) != y_bytes) {
        return false; // y >= p
    }
    const Fe yy = fe_sq(y);
    const Fe u = fe_sub(yy, fe_one);
    const Fe v = fe_add(fe_mul(fe_d, yy), fe_one);
    const Fe v3 = fe_mul(fe_sq(v), v);
    const Fe uv7 = fe_mul(u, fe_mul(fe_sq(v3), v));
    Fe x = fe_mul(fe_mul(u, v3), fe_pow_p_minus_5_over_8(uv7));
    const Fe vxx = fe_mul(v, fe_sq(x));
    if (fe_equal(vxx, fe_neg(u)) && !fe_equal(vxx, u)) {
        x = fe_mul(x, fe_sqrtm1);
    } else if (!fe_equal(vxx, u)) {
        return false; // u/v has no square root: not on the curve
    }
    if (fe_is_zero(x) && x_0) {
        return false;
    }
    if (fe_is_odd(x) != x_0) {
        x = fe_neg(x);
    }
    out = Point{x, y, fe_one, fe_mul(x, y)};
    return true;
}

bool small_order_or_noncanonical(std::span<const std::uint8_t, 32> in)
{
    Encoded y{};
    std::copy(in.begin(), in.end(), y.begin());
    y[31] &= 0x7f;
    // y >= p = 2^255 - 19: every byte 0xff between 0xed..0xff at the bottom and 0x7f at the top.
    const bool middle_ff =
        std::all_of(y.begin() + 1, y.end() - 1, [](auto b) { return b == 0xff; });
    if (middle_ff && y[31] == 0x7f && y[0] >= 0xed) {
        return true;
    }
    // The y of the small-order points (ed25519_group_test checks each has order 1, 2, 4 or 8).
    static constexpr Encoded zero{};
    static constexpr Encoded one{1};
    static constexpr Encoded p_minus_1{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    static constexpr Encoded y8{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
                                0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
                                0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05};
    static constexpr Encoded p_minus_y8{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f,
                                        0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
                                        0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6,
                                        0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a};
    for (const Encoded* e : {&zero, &one, &p_minus_1, &y8, &p_minus_y8}) {
        if (y == *e) {
            return true;
        }
    }
    return false;
}

Encoded encode(const Point& p)
{
    // RFC 8032 §5.1.2.
    const Fe zinv = fe_invert(p.Z);
    const Fe x = fe_mul(p.X, zinv);
    Encoded out = fe_to_bytes(fe_mul(p.Y, zinv));
    out[31] = static_cast<std::uint8_t>(out[31] | (fe_to_bytes(x)[0] & 1) << 7);
    return out;
}

bool equal(const Point& p, const Point& q)
{
    return fe_equal(fe_mul(p.X, q.Z), fe_mul(q.X, p.Z)) &&
           fe_equal(fe_mul(p.Y, q.Z), fe_mul(q.Y, p.Z));
}

bool on_curve(const Point& p)
{
    // -x^2 + y^2 = 1 + d x^2 y^2 in projective form, and T = XY/Z.
    const Fe xx = fe_sq(p.X);
    const Fe yy = fe_sq(p.Y);
    const Fe zz = fe_sq(p.Z);
    const Fe lhs = fe_mul(fe_sub(yy, xx), zz);
    const Fe rhs = fe_add(fe_sq(zz), fe_mul(fe_d, fe_mul(xx, yy)));
    return !fe_is_zero(p.Z) && fe_equal(lhs, rhs) && fe_equal(fe_mul(p.T, p.Z), fe_mul(p.X, p.Y));
}

Point scalar_mult(const Point& p, std::span<const std::uint8_t, 32> k)
{
    // Fixed 4-bit window over all 64 nibbles, most significant first; every table entry is
    // read for every nibble so neither timing nor memory access depends on k.
    std::array<Point, 16> table;
    table[0] = identity();
    for (std::size_t i = 1; i < 16; ++i) {
        table[i] = add(table[i - 1], p);
    }
    Point q = identity();
    Point sel;
    for (std::size_t n = 64; n-- > 0;) {
        q = dbl(dbl(dbl(dbl(q))));
        const std::uint64_t nibble = (k[n / 2] >> (4 * (n % 2))) & 15u;
        sel = identity();
        for (std::uint64_t i = 0; i < 16; ++i) {
            // All ones when i == nibble: (x - 1) >> 63 is 1 only for x == 0 (x < 2^63).
            const std::uint64_t mask = 0 - (((i ^ nibble) - 1) >> 63);
            point_cmov(sel, table[i], mask);
        }
        q = add(q, sel);
    }
    secure_wipe(table.data(), sizeof(table));
    secure_wipe(&sel, sizeof(sel));
    return q;
}

Point base_mult(std::span<const std::uint8_t, 32> k)
{
    return scalar_mult(base_point(), k);
}

} // namespace umbra::crypto::ed25519
