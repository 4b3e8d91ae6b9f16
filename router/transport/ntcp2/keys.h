// What the NTCP2 handshake hands to the data phase (ntcp2.rst, "Key Derivation Function (KDF)
// (for data phase)"): one ChaCha20-Poly1305 key and one SipHash key/IV per direction.
#pragma once
#include <array>
#include <cstdint>

#include "crypto/secret.h"

namespace umbra::ntcp2 {

struct DirectionKeys {
    crypto::Key32 cipher_key;             // k_ab or k_ba
    crypto::SecretArray<16> sip_key;      // sipk1 || sipk2 (each 8 bytes, as SipHash's k0 || k1)
    std::array<std::uint8_t, 8> sip_iv{}; // sipiv: the first IV of the length-mask chain
};

struct DataPhaseKeys {
    DirectionKeys send;
    DirectionKeys receive;
};

// Split() and the SipHash KDF of the data phase, from the final chaining key ck and handshake
// hash h. The initiator (Alice) sends with k_ab/sipkeys_ab and receives with k_ba/sipkeys_ba;
// the responder the other way round.
DataPhaseKeys derive_data_phase_keys(const crypto::Key32& ck, const crypto::Hash32& h,
                                     bool initiator);

} // namespace umbra::ntcp2
