// Internal to the NTCP2 handshake engines (initiator.cpp, responder.cpp): sizes, the options
// blocks of messages 1 and 2, the message 3 part 2 payload, the AES obfuscation of X and Y, the
// initial Noise state, clock skew and the checks on Alice's RouterInfo. Not part of the API.
#pragma once
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/aes.h"
#include "crypto/noise.h"
#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/data/router_info.h"
#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/handshake.h"

namespace umbra::ntcp2::detail {

// ntcp2.rst, "KDF for handshake message 1": 48 bytes, so h = SHA256(protocol_name).
inline constexpr std::string_view protocol_name =
    "Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256";

inline constexpr std::size_t key_size = 32;
inline constexpr std::size_t tag_size = 16;
inline constexpr std::size_t options_size = 16;
// Messages 1 and 2: obfuscated key (32) + ChaChaPoly frame over the 16-byte options (32).
inline constexpr std::size_t fixed_message_size = key_size + options_size + tag_size;
inline constexpr std::size_t max_message_size = 65535; // "Total message length must be 65535"
inline constexpr std::size_t max_padding = max_message_size - fixed_message_size;
// "3) SessionConfirmed" notes: part 1 is 48 bytes, both parts at most 65535.
inline constexpr std::size_t message3_part1_size = key_size + tag_size;
inline constexpr std::size_t max_m3p2_size = max_message_size - message3_part1_size; // 65487
// The smallest frame that can hold a RouterInfo block: tag, block header, flag, and the
// smallest RouterIdentity (384 key bytes + a 3-byte NULL certificate).
inline constexpr std::size_t min_m3p2_size = tag_size + block_header_size + 1 + 387;
inline constexpr std::size_t max_m3p2_plaintext = max_m3p2_size - tag_size; // 65471
inline constexpr std::uint8_t protocol_version = 2;
// "Clock Skew Guidelines": "greater than +/- 60 seconds is generally fatal".
inline constexpr std::int64_t max_clock_skew_ms = 60'000;
// Our own padding for messages 1, 2 and 3: 0 to 31 bytes ("Random size from 0 to 31 bytes").
inline constexpr std::uint64_t sent_padding_bound = 32;

using OptionsBlock16 = std::array<std::uint8_t, options_size>;

// "1) SessionRequest", options block.
struct RequestOptions {
    std::uint8_t net_id = 0;
    std::uint8_t version = 0;
    std::uint16_t padding_length = 0;
    std::uint16_t m3p2_length = 0;
    std::uint32_t timestamp = 0; // tsA, seconds
};
OptionsBlock16 encode(const RequestOptions& o);
RequestOptions decode_request_options(Bytes b16);

// "2) SessionCreated", options block.
struct CreatedOptions {
    std::uint16_t padding_length = 0;
    std::uint32_t timestamp = 0; // tsB, seconds
};
OptionsBlock16 encode(const CreatedOptions& o);
CreatedOptions decode_created_options(Bytes b16);

// Message 3 part 2 plaintext: a RouterInfo block (flag 0), then a Padding block of random bytes
// when padding > 0 (blocks.h codec). Nothing when the RouterInfo does not fit in the frame.
std::optional<std::vector<std::uint8_t>>
write_confirmed_payload(Bytes router_info, std::size_t padding, crypto::Rng& rng);
// The RouterInfo bytes of a message 3 part 2 plaintext ("Block Ordering Rules": RouterInfo,
// then Options if present, then Padding if present, no other block). bad_router_info when the
// first block is not a RouterInfo block; bad_options for any other violation.
Result<std::vector<std::uint8_t>> parse_confirmed_payload(Bytes plaintext);

// AES-256-CBC with key RH_B; iv is the CBC state, advanced to the last ciphertext block so
// message 2 continues from message 1 ("2) SessionCreated").
crypto::X25519Public obfuscate_key(const IdentHash& rh_b, crypto::AesIv& iv,
                                   const crypto::X25519Public& key);
crypto::X25519Public deobfuscate_key(const IdentHash& rh_b, crypto::AesIv& iv, Bytes encrypted32);

// The "fast MSB check" of "1) SessionRequest" notes: an honest X25519 public key is below 2^255.
inline bool high_bit_clear(const crypto::X25519Public& key)
{
    return (key[31] & 0x80) == 0;
}
// DH and MixKey; false for a low-order peer key (all-zero shared secret).
[[nodiscard]] bool mix_dh(crypto::SymmetricState& ss, const crypto::Key32& private_key,
                          const crypto::X25519Public& peer);

// The state both sides reach before the "e" pattern: InitializeSymmetric, MixHash(null
// prologue), MixHash(rs).
crypto::SymmetricState initial_state(const crypto::X25519Public& bob_static);

std::vector<std::uint8_t> random_bytes(std::size_t n, crypto::Rng& rng);

// tsA/tsB: Unix seconds, rounded to the nearest second (as "DateTime" asks).
std::uint32_t to_timestamp(WallTime now);
// Peer time minus ours, ms. our_ms is our clock when the peer stamped its message.
std::int64_t clock_skew(std::uint32_t peer_timestamp, std::int64_t our_ms);
inline bool skew_acceptable(std::int64_t skew_ms)
{
    return skew_ms >= -max_clock_skew_ms && skew_ms <= max_clock_skew_ms;
}

// "3) SessionConfirmed" notes: the RouterInfo parses, verifies, carries our netId and a
// plausible date, and has an NTCP or NTCP2 address with v=2 whose "s" is Alice's static key.
// With `verified`, the signature of bytes verified before is not verified again (every other
// check is made), and bytes that verify now are recorded.
Result<data::RouterInfo> check_router_info(Bytes router_info, const crypto::X25519Public& s,
                                           std::uint8_t net_id, WallTime now,
                                           VerifiedRouterInfos* verified = nullptr);

// The HandshakeErrc behind an error of these helpers (bad_options for any other category).
HandshakeErrc handshake_errc(const ErrorCode& ec);

} // namespace umbra::ntcp2::detail
