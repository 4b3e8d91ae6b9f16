// Ed25519 group arithmetic (RFC 8032 §5.1), private to crypto/: OpenSSL signs and verifies
// Ed25519 but exposes no point or scalar operations, which RedDSA signing and key blinding
// (red25519.rst, encryptedleaseset.rst "Key Blinding") need. Written from RFC 8032's formulas.
//
// Secret-dependent data never selects a branch or a memory index in scalar_mult, base_mult and
// the scalar functions; decode and equality work on public points and may branch.
#pragma once
#include <array>
#include <cstdint>
#include <span>

namespace umbra::crypto::ed25519 {

// An element of GF(2^255 - 19) as five 51-bit limbs, little-endian; limbs may exceed 51 bits
// slightly between operations.
struct Fe {
    std::array<std::uint64_t, 5> v{};
};

// A point in extended twisted Edwards coordinates (RFC 8032 §5.1.4): x = X/Z, y = Y/Z,
// x*y = T/Z.
struct Point {
    Fe X, Y, Z, T;
};

using Encoded = std::array<std::uint8_t, 32>;
using Scalar = std::array<std::uint8_t, 32>; // little-endian

// Field (exposed for tests of the constants).
Fe fe_from_bytes(std::span<const std::uint8_t, 32> in); // bit 255 ignored
Encoded fe_to_bytes(const Fe& a);                       // canonical, < p
Fe fe_add(const Fe& a, const Fe& b);
Fe fe_sub(const Fe& a, const Fe& b);
Fe fe_mul(const Fe& a, const Fe& b);
Fe fe_sq(const Fe& a);
Fe fe_invert(const Fe& a);
bool fe_is_zero(const Fe& a);
extern const Fe fe_d;      // -121665/121666
extern const Fe fe_sqrtm1; // 2^((p-1)/4), a square root of -1

// Points.
Point identity();
Point base_point();
Point add(const Point& p, const Point& q); // complete: also doubles and adds the identity
Point dbl(const Point& p);
// RFC 8032 §5.1.3; false for a non-canonical y (>= p), an x that does not exist, or x = 0 with
// the sign bit set. Accepts points outside the prime-order subgroup (as Ed25519 does).
bool decode(std::span<const std::uint8_t, 32> in, Point& out);
Encoded encode(const Point& p); // RFC 8032 §5.1.2
bool equal(const Point& p, const Point& q);
bool on_curve(const Point& p);
// True when the encoding's y (bit 255, the sign of x, ignored) is >= p or is the y of one of the
// 8 points of small order (orders 1, 2, 4, 8: y = 1, p - 1, 0, y8, p - y8). No key made by RFC
// 8032 §5.1.5 (A = a*B, a clamped, B of prime order) nor an R = r*B of §5.1.6 encodes so,
// short of r = 0 mod L. Public input only: may branch.
bool small_order_or_noncanonical(std::span<const std::uint8_t, 32> in);

// Constant-time [k]P for any 256-bit k (all 64 nibbles are processed).
Point scalar_mult(const Point& p, std::span<const std::uint8_t, 32> k);
Point base_mult(std::span<const std::uint8_t, 32> k);

// Scalars mod L = 2^252 + 27742317777372353535851937790883648493.
Scalar scalar_reduce32(std::span<const std::uint8_t, 32> in);
Scalar scalar_reduce64(std::span<const std::uint8_t, 64> in);
Scalar scalar_add(std::span<const std::uint8_t, 32> a, std::span<const std::uint8_t, 32> b);
Scalar scalar_mul(std::span<const std::uint8_t, 32> a, std::span<const std::uint8_t, 32> b);
bool scalar_is_canonical(std::span<const std::uint8_t, 32> s); // s < L

} // namespace umbra::crypto::ed25519
