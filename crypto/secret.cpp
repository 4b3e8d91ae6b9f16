#include "crypto/secret.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/crypto.h>

namespace umbra::crypto {

void secure_wipe(void* p, std::size_t n) noexcept
{
    if (p != nullptr && n != 0) {
        OPENSSL_cleanse(p, n);
    }
}

bool constant_time_equal(Bytes a, Bytes b) noexcept
{
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void abort_size_mismatch() noexcept
{
    std::fputs("umbra::crypto: secret of the wrong size (caller bug)\n", stderr);
    std::abort();
}

} // namespace umbra::crypto
