// RedDSA-SHA512-Ed25519 (sig type 11) signing and key blinding, as the network runs them
// (encryptedleaseset.rst, "Sign/Verify Calculations" and "Blinding Calculations"):
// r = H*(T || A || M) with 80 random bytes T, the rest as Ed25519, where H*(x) is SHA-512(x)
// reduced mod L. Verification is Ed25519's (ed25519.cpp).
#include <algorithm>

#include "crypto/detail.h"
#include "crypto/ed25519.h"
#include "crypto/ed25519_group.h"
#include "crypto/hash.h"

namespace umbra::crypto {

namespace {

std::span<const std::uint8_t, 32> fixed32(Bytes b)
{
    detail::check(b.size() == 32, "Ed25519 scalar or point must be 32 bytes");
    return b.first<32>();
}

// H*(a || b || c): SHA-512 reduced mod L.
ed25519::Scalar hash_star(Bytes a, Bytes b, Bytes c)
{
    Sha512 h;
    h.update(a);
    h.update(b);
    h.update(c);
    Hash64 digest = h.finish();
    ed25519::Scalar s = ed25519::scalar_reduce64(digest);
    secure_wipe(digest.data(), digest.size());
    return s;
}

Key32 to_key(ed25519::Scalar& s)
{
    Key32 k(s);
    secure_wipe(s.data(), s.size());
    return k;
}

} // namespace

Key32 reddsa_generate_private(Rng& rng)
{
    // red25519.rst GENERATE_PRIVATE: 64 random bytes mod L (uniform, unlike clamping).
    SecretArray<64> wide;
    rng.fill(wide.mutable_bytes());
    ed25519::Scalar s = ed25519::scalar_reduce64(wide.bytes().first<64>());
    return to_key(s);
}

Ed25519Public reddsa_public_from_private(Bytes scalar32)
{
    return ed25519::encode(ed25519::base_mult(fixed32(scalar32)));
}

Ed25519Signature reddsa_sign(Bytes scalar32, Bytes message, Rng& rng)
{
    const Ed25519Public a_pub = reddsa_public_from_private(scalar32);
    SecretArray<80> t;
    rng.fill(t.mutable_bytes());
    ed25519::Scalar r = hash_star(t.bytes(), a_pub, message);
    const ed25519::Encoded r_enc = ed25519::encode(ed25519::base_mult(r));
    const ed25519::Scalar c = hash_star(r_enc, a_pub, message);
    ed25519::Scalar ca = ed25519::scalar_mul(c, fixed32(scalar32));
    const ed25519::Scalar s = ed25519::scalar_add(r, ca);
    secure_wipe(r.data(), r.size());
    secure_wipe(ca.data(), ca.size());
    Ed25519Signature sig{};
    std::copy(r_enc.begin(), r_enc.end(), sig.begin());
    std::copy(s.begin(), s.end(), sig.begin() + 32);
    return sig;
}

Key32 reddsa_private_from_ed25519_seed(Bytes seed32)
{
    // RFC 8032 §5.1.5 steps 1-3 (red25519.rst CONVERT_ED25519_PRIVATE), then reduced mod L:
    // the same point, and a canonical scalar for the arithmetic that follows.
    detail::check(seed32.size() == 32, "Ed25519 seed must be 32 bytes");
    Hash64 h = sha512(seed32);
    h[0] &= 248;
    h[31] &= 63;
    h[31] |= 64;
    ed25519::Scalar s = ed25519::scalar_reduce32(std::span<const std::uint8_t, 64>(h).first<32>());
    secure_wipe(h.data(), h.size());
    return to_key(s);
}

Key32 reddsa_blind_private(Bytes scalar32, Bytes alpha32)
{
    ed25519::Scalar s = ed25519::scalar_add(fixed32(scalar32), fixed32(alpha32));
    return to_key(s);
}

bool reddsa_blind_public(Bytes public32, Bytes alpha32, Ed25519Public& out)
{
    ed25519::Point a;
    if (public32.size() != 32 || alpha32.size() != 32 || !ed25519::decode(fixed32(public32), a)) {
        return false;
    }
    out = ed25519::encode(ed25519::add(a, ed25519::base_mult(fixed32(alpha32))));
    return true;
}

Key32 ed25519_scalar_reduce64(Bytes in64)
{
    detail::check(in64.size() == 64, "scalar_reduce64 needs 64 bytes");
    ed25519::Scalar s = ed25519::scalar_reduce64(in64.first<64>());
    return to_key(s);
}

} // namespace umbra::crypto
