// NTCP2 data phase framing (ntcp2.rst, "4) Data Phase", "SipHash obfuscated length"): each frame
// is a 2-byte length XORed with a SipHash-2-4 mask chain, then a ChaCha20-Poly1305 ciphertext
// with a per-direction counter nonce. Sans-IO: the shell reads 2 bytes, asks for the frame
// length, reads that many, and opens the frame.
#pragma once
#include <optional>
#include <vector>

#include "crypto/chacha.h"
#include "router/base/bytes.h"
#include "router/transport/ntcp2/blocks.h"
#include "router/transport/ntcp2/keys.h"

namespace umbra::ntcp2 {

// Plaintext of one frame: at most 65535 - 16 bytes; ciphertext at least 16 (the tag).
inline constexpr std::size_t max_frame_size = 65535;
inline constexpr std::size_t max_frame_plaintext = max_frame_size - 16;

class DataPhase {
public:
    explicit DataPhase(DataPhaseKeys keys);

    // Encrypts one frame: returns obfuscated length (2 bytes) + ciphertext. Aborts if the
    // plaintext exceeds max_frame_plaintext (a caller bug: senders split first, see
    // pack_frames) or after 2**64 - 1 frames (ntcp2.rst, "ChaCha20/Poly1305" nonce limit).
    std::vector<std::uint8_t> seal_frame(Bytes plaintext);
    // Convenience: writes blocks, then seals.
    std::vector<std::uint8_t> seal_blocks(const std::vector<Block>& blocks);
    // Seals a frame the caller laid out in its own (reusable) buffer: frame = 2 bytes for the
    // length, the plaintext, 16 bytes for the tag; the length and the ciphertext and tag are
    // written in place. Same aborts as seal_frame.
    void seal_in_place(MutableBytes frame);

    // De-obfuscates the next frame's 2-byte length (advances the receive mask chain). Errc::
    // invalid_value when the length is below 16 (cannot hold a tag); a 2-byte field cannot
    // exceed 65535.
    Result<std::size_t> frame_length(Bytes two_bytes);
    // Decrypts the frame whose length frame_length() returned. Errc::bad_signature when the
    // AEAD tag does not verify (tampered, replayed or reordered frame); Errc::invalid_value when
    // called out of turn (no length pending, or a ciphertext of another size).
    //
    // Any failure of frame_length or open_frame is fatal for the receive direction (ntcp2.rst,
    // "AEAD Error Handling"): its keys are wiped and every later call fails. Sealing still
    // works, so the shell can send a Termination block quoting frames_received().
    Result<std::vector<std::uint8_t>> open_frame(Bytes ciphertext);
    // open_frame without a copy (the receive path): decrypts `frame` (the frame_length() bytes
    // read from the socket) where it is and returns its plaintext, the first size - 16 bytes.
    // Same errors and same poisoning; on failure the frame's bytes are not plaintext.
    Result<MutableBytes> open_in_place(MutableBytes frame);

    std::uint64_t frames_received() const { return receive_nonce_; }
    std::uint64_t frames_sent() const { return send_nonce_; }
    bool receive_failed() const { return receive_failed_; }

private:
    DataPhaseKeys keys_; // the SipHash keys; cipher keys live only in the AeadKeys below
    // ChaCha20-Poly1305 per direction, key schedule done once (receive: empty once failed).
    crypto::AeadKey send_aead_;
    std::optional<crypto::AeadKey> receive_aead_;
    std::uint64_t send_nonce_ = 0;
    std::uint64_t receive_nonce_ = 0;
    std::array<std::uint8_t, 8> send_mask_iv_{};
    std::array<std::uint8_t, 8> receive_mask_iv_{};
    std::size_t pending_length_ = 0; // frame_length() returned it; 0: none expected
    bool receive_failed_ = false;

    ErrorCode fail_receive(ErrorCode error);
    // The checks open_frame and open_in_place share before they decrypt.
    Result<void> check_open(std::size_t size);
};

// Splits blocks, in order, into frames whose plaintext is at most max_plaintext bytes (greedy).
// Pass less than max_frame_plaintext to leave room for a padding block per frame. Ordering
// rules stay the caller's: put Termination and Padding last. Aborts if one block alone is
// larger than max_plaintext (a caller bug).
std::vector<std::vector<Block>> pack_frames(std::vector<Block> blocks,
                                            std::size_t max_plaintext = max_frame_plaintext);

} // namespace umbra::ntcp2
