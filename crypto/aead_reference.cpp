// Raw EVP loops (no umbra wrapper in between) so the figures are OpenSSL's own per-message and
// streaming costs; see aead_reference.h.
#include "crypto/aead_reference.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <vector>

#include <openssl/evp.h>

#include "crypto/chacha.h"
#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, detail::FreeWith<EVP_CIPHER_CTX_free>>;
using Cipher = std::unique_ptr<EVP_CIPHER, detail::FreeWith<EVP_CIPHER_free>>;

constexpr std::size_t rounds = 8;

template <class F> double ns_per_call(std::size_t count, F&& call)
{
    for (std::size_t i = 0; i < 16; ++i) {
        call(i); // warm-up: caches, branch predictors, the CPU's clock
    }
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < count; ++i) {
        call(i);
    }
    const std::chrono::duration<double, std::nano> d = std::chrono::steady_clock::now() - start;
    return d.count() / double(count);
}

// One fixed-key cipher context each way and a message of the size under test.
struct Bench {
    explicit Bench(std::size_t size)
        : cipher(EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr)),
          enc(EVP_CIPHER_CTX_new()), dec(EVP_CIPHER_CTX_new()), n(int(size)), in(size, 0x5a),
          sealed(size + aead_tag_size), out(size + aead_tag_size)
    {
        const std::vector<std::uint8_t> key(32, 0x42);
        ok = cipher && enc && dec &&
             EVP_EncryptInit_ex(enc.get(), cipher.get(), nullptr, key.data(), nullptr) == 1 &&
             EVP_DecryptInit_ex(dec.get(), cipher.get(), nullptr, key.data(), nullptr) == 1;
        seal(0, sealed.data()); // what open() opens, again and again
    }
    // The classic per-message sequence (as `openssl speed -aead` and most AEAD users call it).
    void seal(std::size_t i, std::uint8_t* to)
    {
        int len = 0;
        ok = ok &&
             EVP_EncryptInit_ex(enc.get(), nullptr, nullptr, nullptr, noise_nonce(i).data()) == 1 &&
             EVP_EncryptUpdate(enc.get(), to, &len, in.data(), n) == 1 &&
             EVP_EncryptFinal_ex(enc.get(), to + n, &len) == 1 &&
             EVP_CIPHER_CTX_ctrl(enc.get(), EVP_CTRL_AEAD_GET_TAG, int(aead_tag_size), to + n) == 1;
    }
    void open()
    {
        int len = 0;
        ok = ok &&
             EVP_DecryptInit_ex(dec.get(), nullptr, nullptr, nullptr, noise_nonce(0).data()) == 1 &&
             EVP_CIPHER_CTX_ctrl(dec.get(), EVP_CTRL_AEAD_SET_TAG, int(aead_tag_size),
                                 sealed.data() + n) == 1 &&
             EVP_DecryptUpdate(dec.get(), out.data(), &len, sealed.data(), n) == 1 &&
             EVP_DecryptFinal_ex(dec.get(), out.data() + n, &len) == 1; // the tag verifies
    }
    // One running message: update calls only, as `openssl speed -evp` measures.
    void stream()
    {
        int len = 0;
        ok = ok && EVP_EncryptUpdate(enc.get(), out.data(), &len, in.data(), n) == 1;
    }

    Cipher cipher;
    CipherCtx enc, dec;
    int n;
    std::vector<std::uint8_t> in, sealed, out;
    bool ok = false;
};

} // namespace

AeadReference measure_aead_reference(std::size_t message_size, std::size_t count)
{
    detail::check(message_size > 0 && message_size <= (std::size_t{1} << 20) && count > 0,
                  "AEAD reference: bad size");
    Bench b(message_size);
    // Alternating rounds, the fastest of each kind kept: on a shared machine another process
    // slows some rounds, never speeds one up.
    constexpr double none = std::numeric_limits<double>::max();
    AeadReference r{none, none, none};
    const std::size_t per_round = std::max<std::size_t>(1, count / rounds);
    for (std::size_t round = 0; round < rounds; ++round) {
        r.one_shot_ns = std::min(
            r.one_shot_ns, ns_per_call(per_round, [&](std::size_t i) { b.seal(i, b.out.data()); }));
        r.one_shot_open_ns =
            std::min(r.one_shot_open_ns, ns_per_call(per_round, [&](std::size_t) { b.open(); }));
        b.seal(0, b.out.data()); // then a running message for the streaming figure
        r.stream_ns =
            std::min(r.stream_ns, ns_per_call(per_round, [&](std::size_t) { b.stream(); }));
    }
    detail::check(b.ok, "AEAD reference: OpenSSL call failed");
    return r;
}

} // namespace umbra::crypto
