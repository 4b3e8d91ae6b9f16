// Tests of the private Ed25519 group code against RFC 8032's constants and OpenSSL. Expected
// scalar values were computed with Python's integers from the definition of L.
#include <algorithm>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/ed25519_group.h"
#include "tests/support/hex.h"

using namespace umbra::crypto::ed25519;
using umbra::test::from_hex;
using umbra::test::to_hex;

namespace {

std::array<std::uint8_t, 32> b32(std::string_view hex)
{
    const auto v = from_hex(hex);
    std::array<std::uint8_t, 32> out{};
    BOOST_REQUIRE(v.size() == 32);
    std::copy(v.begin(), v.end(), out.begin());
    return out;
}

Scalar small(std::uint8_t k)
{
    Scalar s{};
    s[0] = k;
    return s;
}

const char* const order_hex = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
const char* const a_hex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";
const char* const b_hex = "6465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283";

} // namespace

BOOST_AUTO_TEST_SUITE(ed25519_group_suite)

BOOST_AUTO_TEST_CASE(field_constants_satisfy_their_definitions)
{
    const Fe one{{1, 0, 0, 0, 0}};
    const Fe n121665{{121665, 0, 0, 0, 0}};
    const Fe n121666{{121666, 0, 0, 0, 0}};
    // d * 121666 = -121665 and sqrt(-1)^2 = -1.
    BOOST_TEST(to_hex(fe_to_bytes(fe_mul(fe_d, n121666))) ==
               to_hex(fe_to_bytes(fe_sub(Fe{}, n121665))));
    BOOST_TEST(to_hex(fe_to_bytes(fe_sq(fe_sqrtm1))) == to_hex(fe_to_bytes(fe_sub(Fe{}, one))));
    const Fe x = fe_from_bytes(b32(a_hex));
    BOOST_TEST(to_hex(fe_to_bytes(fe_mul(x, fe_invert(x)))) == to_hex(fe_to_bytes(one)));
}

namespace {

// Square and multiply over fe_mul only, top bit first: the plain definition the addition chains
// of fe_invert and decode's square root must equal.
Fe pow_by_bits(const Fe& a, const std::array<std::uint8_t, 32>& e)
{
    Fe r = fe_from_bytes(b32("0100000000000000000000000000000000000000000000000000000000000000"));
    for (int i = 255; i >= 0; --i) {
        r = fe_mul(r, r);
        if ((e[std::size_t(i / 8)] >> (i % 8)) & 1) {
            r = fe_mul(r, a);
        }
    }
    return r;
}

} // namespace

// fe_sq's 15-product squaring and fe_invert's addition chain against fe_mul and the plain
// exponentiation, on random elements and on the edges (0, 1, p - 1, 2^255 - 1 which is 18).
BOOST_AUTO_TEST_CASE(squaring_and_inversion_equal_their_definitions)
{
    // p - 2 = 2^255 - 21, little-endian.
    const auto p_minus_2 = b32("ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    std::vector<std::array<std::uint8_t, 32>> inputs = {
        b32("0000000000000000000000000000000000000000000000000000000000000000"),
        b32("0100000000000000000000000000000000000000000000000000000000000000"),
        b32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        b32("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")};
    std::uint64_t x = 0x243f6a8885a308d3;
    for (int i = 0; i < 200; ++i) {
        std::array<std::uint8_t, 32> r{};
        for (auto& b : r) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b = std::uint8_t(x);
        }
        inputs.push_back(r);
    }
    const Fe one = fe_from_bytes(inputs[1]);
    for (const auto& in : inputs) {
        // Sums and differences first, so limbs above 51 bits are squared too.
        const Fe a = fe_sub(fe_add(fe_from_bytes(in), fe_from_bytes(in)), one);
        BOOST_TEST(to_hex(fe_to_bytes(fe_sq(a))) == to_hex(fe_to_bytes(fe_mul(a, a))));
        const Fe inv = fe_invert(a);
        BOOST_TEST(to_hex(fe_to_bytes(inv)) == to_hex(fe_to_bytes(pow_by_bits(a, p_minus_2))));
        if (!fe_is_zero(a)) {
            BOOST_TEST(to_hex(fe_to_bytes(fe_mul(inv, a))) == to_hex(fe_to_bytes(one)));
        }
    }
}

BOOST_AUTO_TEST_CASE(field_encoding_is_canonical)
{
    // p encodes as zero, p + 1 as one.
    const auto p = b32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    const auto p1 = b32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    BOOST_TEST(fe_is_zero(fe_from_bytes(p)));
    BOOST_TEST(to_hex(fe_to_bytes(fe_from_bytes(p1))) == to_hex(small(1)));
}

BOOST_AUTO_TEST_CASE(base_point_encodes_as_in_rfc8032)
{
    BOOST_TEST(on_curve(base_point()));
    BOOST_TEST(to_hex(encode(base_point())) ==
               "5866666666666666666666666666666666666666666666666666666666666666");
    BOOST_TEST(to_hex(encode(identity())) == to_hex(small(1)));
}

BOOST_AUTO_TEST_CASE(scalar_mult_matches_repeated_addition)
{
    Point sum = identity();
    for (std::uint8_t k = 0; k < 20; ++k) {
        BOOST_TEST(equal(base_mult(small(k)), sum), "k = " << int(k));
        BOOST_TEST(to_hex(encode(scalar_mult(base_point(), small(k)))) == to_hex(encode(sum)));
        sum = add(sum, base_point());
    }
    BOOST_TEST(equal(dbl(base_point()), base_mult(small(2))));
    BOOST_TEST(on_curve(sum));
}

BOOST_AUTO_TEST_CASE(base_point_has_order_l)
{
    BOOST_TEST(equal(base_mult(b32(order_hex)), identity()));
    auto l_minus_1 = b32(order_hex);
    l_minus_1[0] -= 1;
    const Point p = base_mult(l_minus_1);
    BOOST_TEST(equal(add(p, base_point()), identity()));
}

BOOST_AUTO_TEST_CASE(scalar_mult_distributes_over_scalar_addition)
{
    const auto a = scalar_reduce32(b32(a_hex));
    const auto b = scalar_reduce32(b32(b_hex));
    BOOST_TEST(equal(base_mult(scalar_add(a, b)), add(base_mult(a), base_mult(b))));
    BOOST_TEST(equal(scalar_mult(base_mult(a), b), base_mult(scalar_mul(a, b))));
}

BOOST_AUTO_TEST_CASE(decode_round_trips_encoded_points)
{
    Point p = base_point();
    for (int i = 0; i < 10; ++i) {
        Point q;
        BOOST_REQUIRE(decode(encode(p), q));
        BOOST_TEST(equal(p, q));
        BOOST_TEST(on_curve(q));
        p = add(dbl(p), base_point());
    }
}

BOOST_AUTO_TEST_CASE(decode_rejects_non_canonical_and_off_curve_points)
{
    Point q;
    // y = p and y = p + 1 are non-canonical encodings of 0 and 1.
    BOOST_TEST(!decode(b32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), q));
    BOOST_TEST(!decode(b32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), q));
    // y = 2 has no x on the curve (computed: (y^2 - 1)/(d y^2 + 1) is not a square).
    BOOST_TEST(!decode(small(2), q));
    // x = 0 with the sign bit set: y = 1 and y = -1.
    auto one_negative = small(1);
    one_negative[31] = 0x80;
    BOOST_TEST(!decode(one_negative, q));
    BOOST_TEST(!decode(b32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), q));
    // y = -1 without the sign bit is the point of order 2: valid encoding.
    BOOST_TEST(decode(b32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), q));
    BOOST_TEST(equal(dbl(q), identity()));
}

BOOST_AUTO_TEST_CASE(reduces_scalars_mod_l)
{
    BOOST_TEST(to_hex(scalar_reduce32(b32(order_hex))) == to_hex(small(0)));
    BOOST_TEST(to_hex(scalar_reduce32(b32(a_hex))) ==
               "275a174ad03fe2575cd01bc64f1a51e61012131415161718191a1b1c1d1e1f00");
    const std::array<std::uint8_t, 64> all_ones = [] {
        std::array<std::uint8_t, 64> x{};
        x.fill(0xff);
        return x;
    }();
    BOOST_TEST(to_hex(scalar_reduce64(all_ones)) ==
               "000f9c44e31106a447938568a71b0ed065bef517d273ecce3d9a307c1b419903");
    std::array<std::uint8_t, 64> l_plus_5{};
    const auto l = b32(order_hex);
    std::copy(l.begin(), l.end(), l_plus_5.begin());
    l_plus_5[0] += 5;
    BOOST_TEST(to_hex(scalar_reduce64(l_plus_5)) == to_hex(small(5)));
}

BOOST_AUTO_TEST_CASE(adds_and_multiplies_scalars_mod_l)
{
    BOOST_TEST(to_hex(scalar_mul(b32(a_hex), b32(b_hex))) ==
               "45ad8dbf394c8d157cf8a915a8d5cd184b61152036d136cd17ea96a2d1b8fd0a");
    BOOST_TEST(to_hex(scalar_add(b32(a_hex), b32(b_hex))) ==
               "2320cfc96590b9021657cd1dcbbccbb28487898b8d8f91939597999b9d9fa103");
}

BOOST_AUTO_TEST_CASE(recognises_canonical_scalars)
{
    auto l_minus_1 = b32(order_hex);
    l_minus_1[0] -= 1;
    BOOST_TEST(scalar_is_canonical(l_minus_1));
    BOOST_TEST(!scalar_is_canonical(b32(order_hex)));
    BOOST_TEST(scalar_is_canonical(small(0)));
}

BOOST_AUTO_TEST_CASE(small_order_or_noncanonical_finds_all_eight_small_order_points)
{
    // Every listed y decodes (as far as a sign allows) to points of order 1, 2, 4 or 8, and the
    // decodable ones are 8 distinct points: all of the curve's small-order points (its cofactor
    // is 8), so the list misses none.
    const char* const ys[] = {"0000000000000000000000000000000000000000000000000000000000000000",
                              "0100000000000000000000000000000000000000000000000000000000000000",
                              "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                              "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                              "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"};
    std::vector<Encoded> points;
    for (const char* y : ys) {
        for (const std::uint8_t sign : {0x00, 0x80}) {
            auto enc = b32(y);
            enc[31] |= sign;
            BOOST_TEST(small_order_or_noncanonical(enc), y);
            Point pt;
            if (!decode(enc, pt)) {
                continue;
            }
            BOOST_TEST(equal(dbl(dbl(dbl(pt))), identity()), y);
            const auto e = encode(pt);
            if (std::find(points.begin(), points.end(), e) == points.end()) {
                points.push_back(e);
            }
        }
    }
    BOOST_TEST(points.size() == 8u);
}

BOOST_AUTO_TEST_CASE(small_order_or_noncanonical_flags_y_at_or_above_p_only)
{
    BOOST_TEST(small_order_or_noncanonical(
        b32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))); // p
    BOOST_TEST(small_order_or_noncanonical(
        b32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))); // p+1, sign
    BOOST_TEST(small_order_or_noncanonical(
        b32("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))); // 2^255-1
    BOOST_TEST(!small_order_or_noncanonical(
        b32("ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))); // p-2
    BOOST_TEST(!small_order_or_noncanonical(
        b32("edfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe7f"))); // < p
    // Points of large order: the base point and multiples of it.
    BOOST_TEST(!small_order_or_noncanonical(encode(base_point())));
    for (std::uint8_t k = 2; k < 40; ++k) {
        BOOST_TEST(!small_order_or_noncanonical(encode(base_mult(small(k)))));
    }
}

BOOST_AUTO_TEST_SUITE_END()
