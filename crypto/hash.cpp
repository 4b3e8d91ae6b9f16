#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "crypto/detail.h"

namespace umbra::crypto {

namespace {

// The one zero-length key buffer: OpenSSL treats a null key pointer as "keep the old key".
constexpr std::uint8_t empty_buffer[1] = {0};

const std::uint8_t* ptr_or_empty(Bytes b)
{
    return b.empty() ? empty_buffer : b.data();
}

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

template <std::size_t N> std::array<std::uint8_t, N> digest(const EVP_MD* md, Bytes data)
{
    thread_local ThreadDigestCtx tls;
    std::array<std::uint8_t, N> out{};
    unsigned int len = 0;
    detail::check(tls.ctx != nullptr && EVP_DigestInit_ex(tls.ctx, md, nullptr) == 1 &&
                      EVP_DigestUpdate(tls.ctx, ptr_or_empty(data), data.size()) == 1 &&
                      EVP_DigestFinal_ex(tls.ctx, out.data(), &len) == 1 && len == N,
                  "SHA digest failed");
    return out;
}

// Fetched once and kept for the life of the process (thread-safe static initialisation).
EVP_MAC* hmac_algorithm()
{
    static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    detail::check(mac != nullptr, "HMAC unavailable");
    return mac;
}

EVP_KDF* hkdf_algorithm()
{
    static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
    detail::check(kdf != nullptr, "HKDF unavailable");
    return kdf;
}

} // namespace

Hash32 sha256(Bytes data)
{
    return digest<32>(sha256_md(), data);
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

Hash32 hmac_sha256(Bytes key, Bytes data)
{
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(hmac_algorithm());
    detail::check(ctx != nullptr, "EVP_MAC_CTX_new failed");
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end()};
    Hash32 out{};
    std::size_t len = 0;
    const bool ok = EVP_MAC_init(ctx, ptr_or_empty(key), key.size(), params) == 1 &&
                    EVP_MAC_update(ctx, ptr_or_empty(data), data.size()) == 1 &&
                    EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size();
    EVP_MAC_CTX_free(ctx);
    detail::check(ok, "HMAC-SHA256 failed");
    return out;
}

void hkdf_sha256(Bytes salt, Bytes ikm, Bytes info, MutableBytes out)
{
    detail::check(out.size() <= 255 * 32, "HKDF output too long");
    if (out.empty()) {
        return;
    }
    // RFC 5869 §2.2: a missing salt is HashLen zero bytes.
    const std::array<std::uint8_t, 32> zero_salt{};
    const Bytes s = salt.empty() ? Bytes(zero_salt) : salt;
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(hkdf_algorithm());
    detail::check(ctx != nullptr, "EVP_KDF_CTX_new failed");
    char digest_name[] = "SHA256";
    auto octets = [](const char* name, Bytes b) {
        return OSSL_PARAM_construct_octet_string(name, const_cast<std::uint8_t*>(ptr_or_empty(b)),
                                                 b.size());
    };
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0),
        octets(OSSL_KDF_PARAM_SALT, s), octets(OSSL_KDF_PARAM_KEY, ikm),
        octets(OSSL_KDF_PARAM_INFO, info), OSSL_PARAM_construct_end()};
    const bool ok = EVP_KDF_derive(ctx, out.data(), out.size(), params) == 1;
    EVP_KDF_CTX_free(ctx);
    detail::check(ok, "HKDF-SHA256 failed");
}

} // namespace umbra::crypto
