#include "crypto/sodium_init.h"

#include "crypto/detail.h"

#include <sodium.h>

namespace umbra::crypto::detail {

void ensure_sodium() noexcept
{
    // sodium_init(): 0 on the first call, 1 when already initialised, -1 on failure.
    static const bool ready = sodium_init() >= 0;
    check(ready, "libsodium initialisation failed");
}

} // namespace umbra::crypto::detail
