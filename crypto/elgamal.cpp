// ElGamal-2048 over RFC 3526 group 14 (cryptography.rst, "ElGamal"). The 255-byte block is
// nonzero byte || SHA-256(data) || data; each half of the ciphertext is zero-padded to 257 bytes.
#include "crypto/elgamal.h"

#include <algorithm>
#include <memory>

#include <openssl/bn.h>

#include "crypto/detail.h"
#include "crypto/hash.h"

namespace umbra::crypto {

namespace {

using Bignum = std::unique_ptr<BIGNUM, detail::FreeWith<BN_free>>;
using SecretBignum = std::unique_ptr<BIGNUM, detail::FreeWith<BN_clear_free>>;
using BnCtx = std::unique_ptr<BN_CTX, detail::FreeWith<BN_CTX_free>>;

Bignum bn_from(Bytes b)
{
    Bignum n(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
    detail::check(n != nullptr, "out of memory");
    return n;
}

constexpr std::size_t block_size = 255;
constexpr std::size_t part_size = 256;

// The shared group: p from OpenSSL's RFC 3526 table (equal to the spec's hex), g = 2.
struct Group {
    Bignum p{BN_get_rfc3526_prime_2048(nullptr)};
    Bignum g{BN_new()};
    Bignum p_minus_1{BN_new()};
    Group()
    {
        detail::check(p && g && p_minus_1 && BN_set_word(g.get(), 2) == 1 &&
                          BN_sub(p_minus_1.get(), p.get(), BN_value_one()) == 1,
                      "ElGamal group setup failed");
    }
};

const Group& group()
{
    static const Group g;
    return g;
}

BnCtx new_ctx()
{
    BnCtx ctx(BN_CTX_new());
    detail::check(ctx != nullptr, "out of memory");
    return ctx;
}

SecretBignum secret_from(Bytes b)
{
    SecretBignum n(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
    detail::check(n != nullptr, "out of memory");
    BN_set_flags(n.get(), BN_FLG_CONSTTIME);
    return n;
}

// A random exponent in [1, p - 2] by rejection (the 256-byte draw is almost always in range).
SecretBignum random_exponent(Rng& rng)
{
    SecretArray<part_size> buf;
    for (;;) {
        rng.fill(buf.mutable_bytes());
        SecretBignum k = secret_from(buf.bytes());
        if (!BN_is_zero(k.get()) && BN_cmp(k.get(), group().p_minus_1.get()) < 0) {
            return k;
        }
    }
}

// base^exp mod p, constant time in exp.
SecretBignum mod_exp(const BIGNUM* base, const BIGNUM* exp, BN_CTX* ctx)
{
    SecretBignum r(BN_new());
    detail::check(r != nullptr && BN_mod_exp_mont_consttime(r.get(), base, exp, group().p.get(),
                                                            ctx, nullptr) == 1,
                  "ElGamal exponentiation failed");
    return r;
}

void store(const BIGNUM* n, std::uint8_t* out)
{
    detail::check(BN_bn2binpad(n, out, static_cast<int>(part_size)) == static_cast<int>(part_size),
                  "ElGamal value too large");
}

// 1 <= v <= p - 1.
bool in_group(const BIGNUM* v)
{
    return !BN_is_zero(v) && BN_cmp(v, group().p.get()) < 0;
}

} // namespace

std::array<std::uint8_t, 256> elgamal_public_from_private(Bytes private256)
{
    detail::check(private256.size() == part_size, "ElGamal private key must be 256 bytes");
    const BnCtx ctx = new_ctx();
    const SecretBignum x = secret_from(private256);
    std::array<std::uint8_t, 256> pub{};
    store(mod_exp(group().g.get(), x.get(), ctx.get()).get(), pub.data());
    return pub;
}

ElGamalKeypair ElGamalKeypair::generate(Rng& rng)
{
    ElGamalKeypair kp;
    const SecretBignum x = random_exponent(rng);
    store(x.get(), kp.private_key.data());
    kp.public_key = elgamal_public_from_private(kp.private_key.bytes());
    return kp;
}

std::array<std::uint8_t, elgamal_ciphertext_size> elgamal_encrypt(Bytes public256, Bytes data222,
                                                                  Rng& rng)
{
    detail::check(public256.size() == part_size && data222.size() == elgamal_plaintext_size,
                  "ElGamal encrypt: wrong key or data size");
    SecretArray<block_size> m;
    do {
        rng.fill(m.mutable_bytes().first(1)); // random nonzero byte (since 0.9.28)
    } while (m.data()[0] == 0);
    const Hash32 h = sha256(data222);
    std::copy(h.begin(), h.end(), m.data() + 1);
    std::copy(data222.begin(), data222.end(), m.data() + 33);

    const BnCtx ctx = new_ctx();
    const SecretBignum k = random_exponent(rng);
    const Bignum y = bn_from(public256);
    const SecretBignum mm = secret_from(m.bytes());
    const auto a = mod_exp(group().g.get(), k.get(), ctx.get());
    const SecretBignum b(BN_new());
    detail::check(b != nullptr && BN_mod_mul(b.get(), mod_exp(y.get(), k.get(), ctx.get()).get(),
                                             mm.get(), group().p.get(), ctx.get()) == 1,
                  "ElGamal encryption failed");
    std::array<std::uint8_t, elgamal_ciphertext_size> out{};
    store(a.get(), out.data() + 1);
    store(b.get(), out.data() + 1 + part_size + 1);
    return out;
}

std::optional<SecretArray<elgamal_plaintext_size>> elgamal_decrypt(Bytes private256,
                                                                   Bytes ciphertext514)
{
    detail::check(private256.size() == part_size, "ElGamal private key must be 256 bytes");
    if (ciphertext514.size() != elgamal_ciphertext_size || ciphertext514[0] != 0 ||
        ciphertext514[1 + part_size] != 0) {
        return std::nullopt;
    }
    const Bignum a = bn_from(ciphertext514.subspan(1, part_size));
    const Bignum b = bn_from(ciphertext514.subspan(2 + part_size, part_size));
    if (!in_group(a.get()) || !in_group(b.get())) {
        return std::nullopt;
    }
    // m = b * a^(p - 1 - x) mod p, since a^(p-1) = 1.
    const BnCtx ctx = new_ctx();
    const SecretBignum x = secret_from(private256);
    const SecretBignum e(BN_new());
    const SecretBignum m(BN_new());
    // x is reduced mod p - 1 first, so an out-of-range key file value still decrypts.
    detail::check(e && m && BN_nnmod(e.get(), x.get(), group().p_minus_1.get(), ctx.get()) == 1 &&
                      BN_sub(e.get(), group().p_minus_1.get(), e.get()) == 1,
                  "out of memory");
    BN_set_flags(e.get(), BN_FLG_CONSTTIME);
    detail::check(BN_mod_mul(m.get(), b.get(), mod_exp(a.get(), e.get(), ctx.get()).get(),
                             group().p.get(), ctx.get()) == 1,
                  "ElGamal decryption failed");
    if (BN_num_bytes(m.get()) > static_cast<int>(block_size)) {
        return std::nullopt;
    }
    SecretArray<block_size> block;
    BN_bn2binpad(m.get(), block.data(), static_cast<int>(block_size));
    const Bytes data = block.bytes().subspan(33);
    if (block.data()[0] == 0 || !constant_time_equal(sha256(data), block.bytes().subspan(1, 32))) {
        return std::nullopt;
    }
    return SecretArray<elgamal_plaintext_size>(data);
}

} // namespace umbra::crypto
