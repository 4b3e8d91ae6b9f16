// SipHash-2-4 (Aumasson and Bernstein), 64-bit output, as NTCP2 uses for length obfuscation.
#pragma once
#include "crypto/secret.h"

namespace umbra::crypto {

// key16 is k0||k1 (two little-endian 64-bit words, as in the reference implementation).
std::uint64_t siphash24(Bytes key16, Bytes data);

} // namespace umbra::crypto
