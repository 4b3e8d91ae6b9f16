// The fixed receive keys of the ntcp2_frames fuzz target, shared with the test that seals its
// seed frames (data_phase_corpus_test.cpp), so the seeds always open in the target.
#pragma once
#include "router/transport/ntcp2/keys.h"

namespace umbra::ntcp2 {

inline DirectionKeys fuzz_keys()
{
    DirectionKeys keys;
    std::array<std::uint8_t, 32> cipher{};
    std::array<std::uint8_t, 16> sip{};
    for (std::size_t i = 0; i < cipher.size(); ++i) {
        cipher[i] = std::uint8_t(i);
    }
    for (std::size_t i = 0; i < sip.size(); ++i) {
        sip[i] = std::uint8_t(i);
    }
    for (std::size_t i = 0; i < keys.sip_iv.size(); ++i) {
        keys.sip_iv[i] = std::uint8_t(i);
    }
    keys.cipher_key.set(cipher);
    keys.sip_key.set(sip);
    return keys;
}

} // namespace umbra::ntcp2
