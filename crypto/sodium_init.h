// libsodium's one-time set-up, for crypto/*.cpp only (never included outside crypto/).
#pragma once

namespace umbra::crypto::detail {

// Runs sodium_init() once per process before the first libsodium call. libsodium requires it:
// it picks the X25519 code for this CPU (AVX or portable) and checks the library's own state;
// without it crypto_scalarmult uses the portable code. sodium_init() is itself thread-safe and
// may be called again, but we call it once, from a function-local static whose initialisation
// the C++ runtime makes thread-safe ([stmt.dcl]/3): no global object of ours. Aborts if
// libsodium cannot be initialised (it only fails when its own entropy source is unusable).
void ensure_sodium() noexcept;

} // namespace umbra::crypto::detail
