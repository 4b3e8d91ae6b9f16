// SHA-256, SHA-512, HMAC-SHA256 (RFC 2104/4231) and HKDF-SHA256 (RFC 5869).
#pragma once
#include <memory>

#include "crypto/secret.h"

namespace umbra::crypto {

Hash32 sha256(Bytes data);
// SHA-256 of first || second, without an incremental object (Noise MixHash).
Hash32 sha256(Bytes first, Bytes second);
Hash64 sha512(Bytes data);

// Incremental SHA-256 / SHA-512 (for hashing scattered pieces without copying).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;
    void update(Bytes data);
    Hash32 finish(); // the object may not be used afterwards
private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Sha512 {
public:
    Sha512();
    ~Sha512();
    Sha512(Sha512&&) noexcept;
    Sha512& operator=(Sha512&&) noexcept;
    void update(Bytes data);
    Hash64 finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// HMAC-SHA256 with a key of any length.
Hash32 hmac_sha256(Bytes key, Bytes data);

// HKDF-SHA256 (extract then expand) into out; out.size() <= 255 * 32 (aborts otherwise).
// An empty salt means a salt of 32 zero bytes, per RFC 5869.
void hkdf_sha256(Bytes salt, Bytes ikm, Bytes info, MutableBytes out);

} // namespace umbra::crypto
