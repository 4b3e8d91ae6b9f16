// Helpers shared by crypto/*.cpp only (never included outside crypto/).
#pragma once
#include <cstdio>
#include <cstdlib>

#include "crypto/secret.h"

namespace umbra::crypto::detail {

// A broken invariant (caller bug or OpenSSL failure on valid input): abort loudly.
[[noreturn]] inline void fail(const char* what) noexcept
{
    std::fprintf(stderr, "umbra::crypto: %s\n", what);
    std::abort();
}

inline void check(bool ok, const char* what) noexcept
{
    if (!ok) {
        fail(what);
    }
}

// A unique_ptr deleter that calls an OpenSSL free function, e.g.
// std::unique_ptr<EVP_PKEY, FreeWith<EVP_PKEY_free>>. Keeps OpenSSL types out of this header.
template <auto Free> struct FreeWith {
    template <typename T> void operator()(T* p) const noexcept { Free(p); }
};

// OpenSSL reads a null data pointer as "no argument" in some calls (a null HMAC key keeps the
// previous key); empty input gets a valid pointer to zero bytes instead.
inline const std::uint8_t* ptr_or_empty(Bytes b) noexcept
{
    static constexpr std::uint8_t empty[1] = {0};
    return b.empty() ? empty : b.data();
}

} // namespace umbra::crypto::detail
