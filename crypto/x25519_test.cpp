#include <boost/test/unit_test.hpp>

#include "crypto/x25519.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

namespace {
Key32 key(const std::vector<std::uint8_t>& b)
{
    return Key32(b);
}
} // namespace

BOOST_AUTO_TEST_SUITE(x25519_suite)

BOOST_AUTO_TEST_CASE(matches_rfc7748_function_vectors)
{
    int checked = 0;
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("SCALAR")) {
            continue;
        }
        Key32 out;
        BOOST_TEST(x25519(key(v.bytes("SCALAR")), v.bytes("U"), out));
        BOOST_TEST(to_hex(out.bytes()) == to_hex(v.bytes("OUTPUT")), "line " << v.line);
        ++checked;
    }
    BOOST_TEST(checked == 2);
}

BOOST_AUTO_TEST_CASE(matches_rfc7748_iterated_vectors)
{
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("ITERATIONS")) {
            continue;
        }
        std::array<std::uint8_t, 32> k{9};
        std::array<std::uint8_t, 32> u{9};
        const int n = std::stoi(v.str("ITERATIONS"));
        for (int i = 0; i < n; ++i) {
            Key32 out;
            BOOST_REQUIRE(x25519(Key32(k), u, out));
            u = k;
            std::copy(out.bytes().begin(), out.bytes().end(), k.begin());
        }
        BOOST_TEST(to_hex(k) == to_hex(v.bytes("OUTPUT")), "iterations " << n);
    }
}

BOOST_AUTO_TEST_CASE(agrees_with_rfc7748_diffie_hellman_example)
{
    for (const auto& v : umbra::test::load_vectors("x25519.txt")) {
        if (!v.has("ALICE_PRIVATE")) {
            continue;
        }
        const auto alice = X25519Keypair::from_private(v.bytes("ALICE_PRIVATE"));
        const auto bob = X25519Keypair::from_private(v.bytes("BOB_PRIVATE"));
        BOOST_TEST(to_hex(alice.public_key) == to_hex(v.bytes("ALICE_PUBLIC")));
        BOOST_TEST(to_hex(bob.public_key) == to_hex(v.bytes("BOB_PUBLIC")));
        Key32 k1;
        Key32 k2;
        BOOST_TEST(x25519(alice.private_key, bob.public_key, k1));
        BOOST_TEST(x25519(bob.private_key, alice.public_key, k2));
        BOOST_TEST(to_hex(k1.bytes()) == to_hex(v.bytes("SHARED")));
        BOOST_TEST(to_hex(k2.bytes()) == to_hex(v.bytes("SHARED")));
    }
}

BOOST_AUTO_TEST_CASE(returns_false_for_low_order_points)
{
    const auto me = X25519Keypair::from_private(
        umbra::test::from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    // u = 0 and u = 1 have order 1 and 4; u = p - 1 has order 2 (RFC 7748 §6.1's all-zero check).
    std::array<std::uint8_t, 32> zero{};
    std::array<std::uint8_t, 32> one{1};
    std::array<std::uint8_t, 32> p_minus_1{};
    p_minus_1.fill(0xff);
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    // The order-8 points (RFC 7748 §6.1 asks for the all-zero check instead of a list; these are
    // the u of the points of order 8) and non-canonical u = p, p + 1 (read mod p: 0 and 1).
    const auto order8a =
        umbra::test::from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    const auto order8b =
        umbra::test::from_hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157");
    std::array<std::uint8_t, 32> p = p_minus_1;
    p[0] = 0xed;
    std::array<std::uint8_t, 32> p_plus_1 = p_minus_1;
    p_plus_1[0] = 0xee;
    std::array<std::uint8_t, 32> a8{};
    std::array<std::uint8_t, 32> b8{};
    std::copy(order8a.begin(), order8a.end(), a8.begin());
    std::copy(order8b.begin(), order8b.end(), b8.begin());
    for (auto peer : {zero, one, p_minus_1, a8, b8, p, p_plus_1}) {
        peer[31] |= 0x80; // bit 255 is ignored (RFC 7748 §5), so these are low order too
        Key32 out;
        BOOST_TEST(!x25519(me.private_key, peer, out));
    }
    for (const auto& peer : {zero, one, p_minus_1, a8, b8, p, p_plus_1}) {
        Key32 out;
        out.mutable_bytes()[0] = 0xaa;
        BOOST_TEST(!x25519(me.private_key, peer, out));
        BOOST_TEST(to_hex(out.bytes()) == std::string(64, '0'));
    }
}

BOOST_AUTO_TEST_CASE(ignores_bit_255_and_reads_u_mod_p)
{
    // RFC 7748 §5: the top bit of u is masked and u >= p is accepted and reduced.
    const auto me = X25519Keypair::from_private(
        umbra::test::from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    const auto peer = X25519Keypair::from_private(std::vector<std::uint8_t>(32, 0x42));
    Key32 plain;
    BOOST_REQUIRE(x25519(me.private_key, peer.public_key, plain));
    auto top = peer.public_key;
    top[31] |= 0x80;
    Key32 masked;
    BOOST_REQUIRE(x25519(me.private_key, top, masked));
    BOOST_TEST(to_hex(masked.bytes()) == to_hex(plain.bytes()));
    // u = 9 (the base point) and u = p + 9 give the public key of the scalar.
    std::array<std::uint8_t, 32> nine{9};
    std::array<std::uint8_t, 32> p_plus_9{};
    p_plus_9.fill(0xff);
    p_plus_9[0] = 0xed + 9;
    p_plus_9[31] = 0x7f;
    Key32 a;
    Key32 b;
    BOOST_REQUIRE(x25519(me.private_key, nine, a));
    BOOST_REQUIRE(x25519(me.private_key, p_plus_9, b));
    BOOST_TEST(to_hex(a.bytes()) == to_hex(me.public_key));
    BOOST_TEST(to_hex(b.bytes()) == to_hex(me.public_key));
}

BOOST_AUTO_TEST_CASE(rejects_peer_key_of_wrong_length)
{
    const auto me = X25519Keypair::from_private(std::vector<std::uint8_t>(32, 7));
    Key32 out;
    BOOST_TEST(!x25519(me.private_key, std::vector<std::uint8_t>(31, 9), out));
}

BOOST_AUTO_TEST_CASE(generated_keys_agree)
{
    OsRng rng;
    const auto a = X25519Keypair::generate(rng);
    const auto b = X25519Keypair::generate(rng);
    BOOST_TEST(to_hex(a.public_key) == to_hex(x25519_public_from_private(a.private_key.bytes())));
    Key32 k1;
    Key32 k2;
    BOOST_TEST(x25519(a.private_key, b.public_key, k1));
    BOOST_TEST(x25519(b.private_key, a.public_key, k2));
    BOOST_TEST(constant_time_equal(k1.bytes(), k2.bytes()));
}

namespace {

// Hands out the queued 32-byte values, then DeterministicRng output.
class QueuedRng final : public Rng {
public:
    explicit QueuedRng(std::vector<std::vector<std::uint8_t>> values) : values_(std::move(values))
    {
    }
    void fill(MutableBytes out) override
    {
        if (next_ < values_.size() && out.size() == values_[next_].size()) {
            std::copy(values_[next_].begin(), values_[next_].end(), out.begin());
            ++next_;
            return;
        }
        rest_.fill(out);
    }

private:
    std::vector<std::vector<std::uint8_t>> values_;
    std::size_t next_ = 0;
    DeterministicRng rest_{99};
};

} // namespace

// The batch makes its public keys another way (libsodium's Edwards base table and RFC 7748
// §4.1's map, one shared inversion): each must be X25519(k, 9) of its clamped scalar, whatever
// the batch size and scalar, including the extreme scalars clamping allows.
BOOST_AUTO_TEST_CASE(batch_keys_equal_the_ladder)
{
    std::vector<std::vector<std::uint8_t>> edges = {
        std::vector<std::uint8_t>(32, 0x00), std::vector<std::uint8_t>(32, 0xff),
        std::vector<std::uint8_t>(32, 0x07), std::vector<std::uint8_t>(32, 0x80), [] {
            std::vector<std::uint8_t> b(32, 0);
            b[0] = 8; // the smallest scalar after clamping but for bit 254
            return b;
        }()};
    QueuedRng rng(edges);
    std::size_t checked = 0;
    for (const std::size_t size : {1, 2, 5, 8, 8, 33, 64, 1, 128}) {
        std::vector<X25519Keypair> batch(size);
        generate_x25519_batch(rng, batch);
        for (const auto& k : batch) {
            const auto d = k.private_key.bytes();
            BOOST_TEST((d[0] & 7) == 0);
            BOOST_TEST((d[31] & 0xc0) == 0x40);
            BOOST_TEST(to_hex(k.public_key) == to_hex(x25519_public_from_private(d)));
            ++checked;
        }
    }
    BOOST_TEST(checked == 250u);
    std::vector<X25519Keypair> none;
    generate_x25519_batch(rng, none); // an empty batch is allowed
}

BOOST_AUTO_TEST_CASE(batch_keys_agree_and_differ)
{
    OsRng rng;
    std::vector<X25519Keypair> batch(8);
    generate_x25519_batch(rng, batch);
    for (std::size_t i = 0; i + 1 < batch.size(); ++i) {
        BOOST_TEST(to_hex(batch[i].public_key) != to_hex(batch[i + 1].public_key));
        Key32 k1;
        Key32 k2;
        BOOST_TEST(x25519(batch[i].private_key, batch[i + 1].public_key, k1));
        BOOST_TEST(x25519(batch[i + 1].private_key, batch[i].public_key, k2));
        BOOST_TEST(constant_time_equal(k1.bytes(), k2.bytes()));
    }
}

BOOST_AUTO_TEST_SUITE_END()
