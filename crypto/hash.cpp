#include "crypto/hash.h"

#include <algorithm>
#include <initializer_list>
#include <span>

#include <openssl/evp.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

// Digests fetched once (EVP_sha256() alone would look the algorithm up by name on every call,
// a third of the cost of hashing 1 KiB) and one context per thread, reset for each use.
const EVP_MD* sha256_md()
{
    static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    detail::check(md != nullptr, "SHA-256 unavailable");
    return md;
}

const EVP_MD* sha512_md()
{
    static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA2-512", nullptr);
    detail::check(md != nullptr, "SHA-512 unavailable");
    return md;
}

struct ThreadDigestCtx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~ThreadDigestCtx() { EVP_MD_CTX_free(ctx); }
};

// The digest of pieces[0] || pieces[1] || ... on this thread's context.
template <std::size_t N>
std::array<std::uint8_t, N> digest_pieces(const EVP_MD* md, std::span<const Bytes> pieces)
{
    thread_local ThreadDigestCtx tls;
    std::array<std::uint8_t, N> out{};
    unsigned int len = 0;
    bool ok = tls.ctx != nullptr && EVP_DigestInit_ex(tls.ctx, md, nullptr) == 1;
    for (const Bytes piece : pieces) {
        ok = ok && (piece.empty() || EVP_DigestUpdate(tls.ctx, piece.data(), piece.size()) == 1);
    }
    ok = ok && EVP_DigestFinal_ex(tls.ctx, out.data(), &len) == 1 && len == N;
    detail::check(ok, "SHA digest failed");
    return out;
}

template <std::size_t N> std::array<std::uint8_t, N> digest(const EVP_MD* md, Bytes data)
{
    return digest_pieces<N>(md, std::span(&data, 1));
}

} // namespace

Hash32 sha256(Bytes data)
{
    return digest<32>(sha256_md(), data);
}
Hash32 sha256(Bytes first, Bytes second)
{
    const Bytes pieces[2] = {first, second};
    return digest_pieces<32>(sha256_md(), pieces);
}
Hash64 sha512(Bytes data)
{
    return digest<64>(sha512_md(), data);
}

// One implementation for both incremental hashes; only the EVP_MD differs.
struct Sha256::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};
struct Sha512::Impl {
    EVP_MD_CTX* ctx = nullptr;
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

namespace {
EVP_MD_CTX* new_digest_ctx(const EVP_MD* md)
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    detail::check(ctx != nullptr && EVP_DigestInit_ex(ctx, md, nullptr) == 1,
                  "EVP_DigestInit_ex failed");
    return ctx;
}

void digest_update(EVP_MD_CTX* ctx, Bytes data)
{
    detail::check(ctx != nullptr, "hash used after finish or move");
    if (!data.empty()) {
        detail::check(EVP_DigestUpdate(ctx, data.data(), data.size()) == 1,
                      "EVP_DigestUpdate failed");
    }
}

template <std::size_t N> std::array<std::uint8_t, N> digest_finish(EVP_MD_CTX*& ctx)
{
    detail::check(ctx != nullptr, "hash used after finish or move");
    std::array<std::uint8_t, N> out{};
    unsigned int len = 0;
    detail::check(EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == N,
                  "EVP_DigestFinal_ex failed");
    EVP_MD_CTX_free(ctx);
    ctx = nullptr;
    return out;
}
} // namespace

Sha256::Sha256() : impl_(std::make_unique<Impl>())
{
    impl_->ctx = new_digest_ctx(sha256_md());
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;
void Sha256::update(Bytes data)
{
    digest_update(impl_ ? impl_->ctx : nullptr, data);
}
Hash32 Sha256::finish()
{
    detail::check(impl_ != nullptr, "hash used after move");
    return digest_finish<32>(impl_->ctx);
}

Sha512::Sha512() : impl_(std::make_unique<Impl>())
{
    impl_->ctx = new_digest_ctx(sha512_md());
}
Sha512::~Sha512() = default;
Sha512::Sha512(Sha512&&) noexcept = default;
Sha512& Sha512::operator=(Sha512&&) noexcept = default;
void Sha512::update(Bytes data)
{
    digest_update(impl_ ? impl_->ctx : nullptr, data);
}
Hash64 Sha512::finish()
{
    detail::check(impl_ != nullptr, "hash used after move");
    return digest_finish<64>(impl_->ctx);
}

namespace {

// HMAC-SHA256 (RFC 2104) over the fetched SHA-256 and one digest context per thread. OpenSSL's
// EVP_MAC/EVP_KDF objects cost more to set up than the hashing itself for the short inputs of
// Noise and NTCP2 (an HKDF through EVP_KDF_derive took 6.4 us, this 0.8 us; a handshake side
// makes 7), so the two constructions are written here on top of the SHA-256 primitive and
// checked against the RFC 4231 / RFC 5869 vectors and against EVP_MAC / EVP_KDF (hash_test).
constexpr std::size_t sha256_block = 64;

class HmacKey {
public:
    // RFC 2104 §2: a key longer than the block is hashed first; a shorter one is zero-padded.
    explicit HmacKey(Bytes key)
    {
        if (key.size() > sha256_block) {
            const Hash32 h = digest<32>(sha256_md(), key);
            std::copy(h.begin(), h.end(), block_.begin());
        } else {
            std::copy(key.begin(), key.end(), block_.begin());
        }
    }
    HmacKey(const HmacKey&) = delete;
    HmacKey& operator=(const HmacKey&) = delete;
    ~HmacKey() { secure_wipe(block_.data(), block_.size()); }

    // HMAC(K, pieces[0] || pieces[1] || pieces[2]): H((K ^ opad) || H((K ^ ipad) || pieces)).
    Hash32 mac(std::initializer_list<Bytes> pieces) const
    {
        detail::check(pieces.size() <= 3, "HMAC of more than 3 pieces");
        std::array<std::uint8_t, sha256_block> pad{};
        for (std::size_t i = 0; i < pad.size(); ++i) {
            pad[i] = block_[i] ^ 0x36;
        }
        std::array<Bytes, 4> inner_pieces{Bytes(pad)};
        std::copy(pieces.begin(), pieces.end(), inner_pieces.begin() + 1);
        Hash32 inner =
            digest_pieces<32>(sha256_md(), std::span(inner_pieces).first(1 + pieces.size()));
        for (std::size_t i = 0; i < pad.size(); ++i) {
            pad[i] = block_[i] ^ 0x5c;
        }
        const Bytes outer[2] = {Bytes(pad), Bytes(inner)};
        const Hash32 out = digest_pieces<32>(sha256_md(), outer);
        secure_wipe(pad.data(), pad.size());
        secure_wipe(inner.data(), inner.size());
        return out;
    }

private:
    std::array<std::uint8_t, sha256_block> block_{};
};

} // namespace

Hash32 hmac_sha256(Bytes key, Bytes data)
{
    return HmacKey(key).mac({data});
}

void hkdf_sha256(Bytes salt, Bytes ikm, Bytes info, MutableBytes out)
{
    detail::check(out.size() <= 255 * 32, "HKDF output too long");
    if (out.empty()) {
        return;
    }
    // RFC 5869 §2.2: a missing salt is HashLen zero bytes (the same HMAC key as an empty one).
    // Extract: PRK = HMAC(salt, IKM).
    SecretArray<32> prk;
    {
        Hash32 p = HmacKey(salt).mac({ikm});
        prk.set(p);
        secure_wipe(p.data(), p.size());
    }
    // Expand (§2.3): T(i) = HMAC(PRK, T(i-1) || info || i), T(0) empty; OKM = T(1) || T(2) ...
    const HmacKey key(prk.bytes());
    Hash32 t{};
    std::size_t done = 0;
    for (std::uint8_t i = 1; done < out.size(); ++i) {
        const std::uint8_t counter[1] = {i};
        t = key.mac({i == 1 ? Bytes{} : Bytes(t), info, Bytes(counter)});
        const std::size_t n = std::min(t.size(), out.size() - done);
        std::copy_n(t.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(done));
        done += n;
    }
    secure_wipe(t.data(), t.size());
}

} // namespace umbra::crypto
