// ntcp2.rst, "Key Derivation Function (KDF) (for data phase)". Each HMAC pair of the spec's
// pseudo-code is one HKDF-SHA256 (RFC 5869): temp_key = HMAC(salt, ikm) is the extract step,
// HMAC(temp_key, info || 0x01) and HMAC(temp_key, T(1) || info || 0x02) the expand steps. The
// unit test recomputes the pseudo-code HMAC by HMAC.
#include <array>
#include <cstring>

#include "crypto/hash.h"
#include "crypto/noise.h"
#include "router/transport/ntcp2/keys.h"

namespace umbra::ntcp2 {

namespace {

constexpr std::array<std::uint8_t, 3> ask_label = {'a', 's', 'k'};
constexpr std::array<std::uint8_t, 7> siphash_label = {'s', 'i', 'p', 'h', 'a', 's', 'h'};

// sipkeys = sipk1 (8) || sipk2 (8) || sipiv (8) || unused (8).
DirectionKeys direction_keys(crypto::Key32 cipher_key, const crypto::Key32& sipkeys)
{
    DirectionKeys d;
    d.cipher_key = std::move(cipher_key);
    d.sip_key.set(sipkeys.bytes().first(16));
    std::memcpy(d.sip_iv.data(), sipkeys.data() + 16, 8);
    return d;
}

} // namespace

DataPhaseKeys derive_data_phase_keys(const crypto::Key32& ck, const crypto::Hash32& h,
                                     bool initiator)
{
    // k_ab, k_ba = HKDF(ck, zerolen): Noise Split().
    auto [k_ab, k_ba] = crypto::noise_hkdf2(ck.bytes(), {});
    // ask_master = HKDF(ck, zerolen, info = "ask"), first output block.
    crypto::Key32 ask_master;
    crypto::hkdf_sha256(ck.bytes(), {}, ask_label, ask_master.mutable_bytes());
    // sip_master = HKDF(ask_master, h || "siphash"), first output block.
    std::array<std::uint8_t, 32 + siphash_label.size()> ikm{};
    std::memcpy(ikm.data(), h.data(), h.size());
    std::memcpy(ikm.data() + h.size(), siphash_label.data(), siphash_label.size());
    crypto::Key32 sip_master;
    crypto::hkdf_sha256(ask_master.bytes(), ikm, {}, sip_master.mutable_bytes());
    // sipkeys_ab, sipkeys_ba = HKDF(sip_master, zerolen).
    auto [sipkeys_ab, sipkeys_ba] = crypto::noise_hkdf2(sip_master.bytes(), {});

    auto ab = direction_keys(std::move(k_ab), sipkeys_ab);
    auto ba = direction_keys(std::move(k_ba), sipkeys_ba);
    // Alice sends with the _ab keys, Bob with the _ba keys.
    if (initiator) {
        return DataPhaseKeys{std::move(ab), std::move(ba)};
    }
    return DataPhaseKeys{std::move(ba), std::move(ab)};
}

} // namespace umbra::ntcp2
