// Crypto and RouterInfo benchmark: ns/op and MB/s of each primitive on 1 KiB inputs, and of
// RouterInfo parse+verify. Usage: umbra_bench [--json] [--seconds S] [--routerinfo FILE]
#include <cstring>
#include <string>

#include "contrib/bench/bench.h"
#include "contrib/bench/bench_routerinfo.h"
#include "crypto/aes.h"
#include "crypto/chacha.h"
#include "crypto/ed25519.h"
#include "crypto/elgamal.h"
#include "crypto/hash.h"
#include "crypto/siphash.h"
#include "crypto/x25519.h"

using namespace umbra;
using namespace umbra::crypto;

namespace {

void symmetric(std::vector<bench::Figure>& out, double s)
{
    DeterministicRng rng(1);
    std::vector<std::uint8_t> buf(1024), big(1024 + aead_tag_size), key(32);
    rng.fill(buf);
    rng.fill(key);
    const Nonce12 nonce{};
    out.push_back(bench::measure(
        "sha256 1KiB", 1024, [&] { sha256(buf); }, s));
    out.push_back(bench::measure(
        "sha512 1KiB", 1024, [&] { sha512(buf); }, s));
    out.push_back(bench::measure(
        "hmac-sha256 1KiB", 1024, [&] { hmac_sha256(key, buf); }, s));
    std::uint8_t okm[64];
    out.push_back(bench::measure(
        "hkdf-sha256 64B out", 0, [&] { hkdf_sha256(key, key, {}, okm); }, s));
    Aes256 cbc(key, Aes256::Direction::encrypt);
    AesIv iv{};
    out.push_back(bench::measure(
        "aes-256-cbc encrypt 1KiB", 1024, [&] { cbc.cbc(iv, buf); }, s));
    Aes256 ecb(key, Aes256::Direction::encrypt);
    out.push_back(bench::measure(
        "aes-256-ecb encrypt 1KiB", 1024, [&] { ecb.ecb(buf); }, s));
    out.push_back(bench::measure(
        "chacha20 1KiB", 1024, [&] { chacha20(key, nonce, 1, buf, buf); }, s));
    out.push_back(bench::measure(
        "chacha20-poly1305 seal 1KiB", 1024, [&] { aead_encrypt(key, nonce, {}, buf, big); }, s));
    aead_encrypt(key, nonce, {}, buf, big);
    out.push_back(bench::measure(
        "chacha20-poly1305 open 1KiB", 1024,
        [&] {
            if (!aead_decrypt(key, nonce, {}, big, buf)) {
                std::abort();
            }
        },
        s));
    AeadKey keyed(key);
    std::uint64_t n = 0;
    out.push_back(bench::measure(
        "chacha20-poly1305 keyed seal 1KiB", 1024,
        [&] { keyed.encrypt(noise_nonce(n++), {}, buf, big); }, s));
    out.push_back(bench::measure(
        "siphash-2-4 1KiB", 1024, [&] { siphash24(std::span(key).first(16), buf); }, s));
}

void asymmetric(std::vector<bench::Figure>& out, double s)
{
    DeterministicRng rng(2);
    auto a = X25519Keypair::generate(rng);
    auto b = X25519Keypair::generate(rng);
    Key32 shared;
    out.push_back(bench::measure(
        "x25519 dh", 0,
        [&] {
            if (!x25519(a.private_key, b.public_key, shared)) {
                std::abort();
            }
        },
        s));
    out.push_back(bench::measure(
        "x25519 keygen", 0, [&] { X25519Keypair::generate(rng); }, s));
    for (const std::size_t n : {1, 8, 32}) {
        std::vector<X25519Keypair> batch(n);
        bench::Figure f = bench::measure(
            "x25519 keygen batch of " + std::to_string(n) + " (per key)", 0,
            [&] { generate_x25519_batch(rng, batch); }, s);
        f.ns_per_op /= double(n);
        out.push_back(f);
    }
    std::vector<std::uint8_t> msg(1024);
    rng.fill(msg);
    std::uint8_t seed[32];
    rng.fill(seed);
    const auto pub = ed25519_public_from_private(seed);
    const auto sig = ed25519_sign(seed, msg);
    out.push_back(bench::measure(
        "ed25519 sign 1KiB", 0, [&] { ed25519_sign(seed, msg); }, s));
    out.push_back(bench::measure(
        "ed25519 verify 1KiB", 0,
        [&] {
            if (!ed25519_verify(pub, msg, sig)) {
                std::abort();
            }
        },
        s));
    const auto red = reddsa_generate_private(rng);
    const auto red_pub = reddsa_public_from_private(red.bytes());
    const auto red_sig = reddsa_sign(red.bytes(), msg, rng);
    out.push_back(bench::measure(
        "reddsa sign 1KiB", 0, [&] { reddsa_sign(red.bytes(), msg, rng); }, s));
    out.push_back(bench::measure(
        "reddsa verify 1KiB", 0,
        [&] {
            if (!reddsa_verify(red_pub, msg, red_sig)) {
                std::abort();
            }
        },
        s));
    auto eg = ElGamalKeypair::generate(rng);
    std::vector<std::uint8_t> data(elgamal_plaintext_size, 7);
    const auto ct = elgamal_encrypt(eg.public_key, data, rng);
    out.push_back(bench::measure(
        "elgamal-2048 encrypt", 0, [&] { elgamal_encrypt(eg.public_key, data, rng); }, s));
    out.push_back(bench::measure(
        "elgamal-2048 decrypt", 0,
        [&] {
            if (!elgamal_decrypt(eg.private_key.bytes(), ct)) {
                std::abort();
            }
        },
        s));
}

} // namespace

int main(int argc, char** argv)
{
    bool json = false;
    double seconds = 0.5;
    std::string routerinfo = "tests/fixtures/i2pd/router1.info";
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--json")) {
            json = true;
        } else if (!std::strcmp(argv[i], "--seconds") && i + 1 < argc) {
            seconds = std::stod(argv[++i]);
        } else if (!std::strcmp(argv[i], "--routerinfo") && i + 1 < argc) {
            routerinfo = argv[++i];
        } else {
            std::fprintf(stderr, "usage: umbra_bench [--json] [--seconds S] [--routerinfo FILE]\n");
            return 2;
        }
    }
    std::vector<bench::Figure> figures;
    symmetric(figures, seconds);
    asymmetric(figures, seconds);
    if (!bench::routerinfo(figures, routerinfo, seconds)) {
        return 1;
    }
    bench::print(figures, json);
    return 0;
}
