// The cost of ChaCha20-Poly1305 (RFC 8439 §2.8) through OpenSSL's EVP interface, measured in
// this process: the reference a benchmark prints its own AEAD figures against. `openssl speed
// -evp chacha20-poly1305` streams one context (update calls only), which no per-message AEAD
// can reach for small messages: each message also sets its nonce (the Poly1305 key block),
// finishes (length block, Poly1305 final) and reads its tag. Both are measured here.
#pragma once
#include <cstddef>

namespace umbra::crypto {

struct AeadReference {
    double one_shot_ns = 0;      // seal per message: init with nonce, update, final, get tag
    double stream_ns = 0;        // per message-size update on one running context (openssl speed)
    double one_shot_open_ns = 0; // open per message: init with nonce, set tag, update, final
};

// Runs `count` messages of `message_size` bytes each way (one fixed key) in alternating rounds
// and returns the mean time per message of each kind's fastest round. Aborts if an OpenSSL call
// fails (the opened message must verify). Aborts on
// a size of 0 or above 1 MiB (a caller bug).
AeadReference measure_aead_reference(std::size_t message_size, std::size_t count);

} // namespace umbra::crypto
