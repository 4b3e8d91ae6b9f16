// Signature verification for the legacy and alternative I2P signature types: ECDSA P-256/384/521,
// DSA-SHA1 (I2P's fixed 1024-bit group), RSA PKCS#1 v1.5 with SHA-256/384/512
// (common-structures.rst, "SigningPublicKey"). Keys and signatures in I2P's raw wire layouts.
#pragma once
#include <string_view>

#include "crypto/secret.h"

namespace umbra::crypto {

enum class EcdsaCurve { p256, p384, p521 };

// public: x||y, each coordinate big-endian, padded to the curve size (64/96/132 bytes).
// signature: r||s, each big-endian, padded to the curve size (64/96/132 bytes).
// The hash is SHA-256 / SHA-384 / SHA-512 respectively.
[[nodiscard]] bool ecdsa_verify(EcdsaCurve curve, Bytes public_xy, Bytes message, Bytes signature);

// DSA-SHA1 with I2P's fixed p, q, g (cryptography.rst, "DSA"): public y is 128 bytes big-endian;
// signature r||s is 40 bytes (20 each, big-endian).
[[nodiscard]] bool dsa_sha1_verify(Bytes public128, Bytes message, Bytes signature40);

enum class RsaHash { sha256, sha384, sha512 };
// RSA PKCS#1 v1.5 verify; public is the big-endian modulus (256/384/512 bytes), e = 65537.
[[nodiscard]] bool rsa_verify(RsaHash hash, Bytes modulus, Bytes message, Bytes signature);

// RSA PKCS#1 v1.5 verify with a public key taken from a PEM X.509 certificate (su3 reseed and
// news signers). Returns false if the certificate cannot be parsed or is not RSA.
[[nodiscard]] bool rsa_verify_with_certificate(RsaHash hash, std::string_view pem_certificate,
                                               Bytes message, Bytes signature);

} // namespace umbra::crypto
