// NTCP2 data phase framing (ntcp2.rst, "4) Data Phase", "SipHash obfuscated length", "Raw
// contents", "AEAD Error Handling").
#include "router/transport/ntcp2/data_phase.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "crypto/chacha.h"
#include "crypto/siphash.h"

namespace umbra::ntcp2 {

namespace {

constexpr std::size_t length_field_size = 2;
// ntcp2.rst "Raw contents": de-obfuscated length 16 - 65535 (at least the Poly1305 tag).
constexpr std::size_t min_frame_size = crypto::aead_tag_size;
// ntcp2.rst "ChaCha20/Poly1305": the nonce counter's maximum value is 2**64 - 2; 2**64 - 1 must
// never be used.
constexpr std::uint64_t nonce_limit = std::numeric_limits<std::uint64_t>::max();

// ntcp2.rst "SipHash obfuscated length": IV[n] = SipHash-2-4(sipk1, sipk2, IV[n-1]) and
// Mask[n] = the first 2 bytes of IV[n]. Its Notes fix the byte order: the 64-bit output becomes
// the next IV little-endian, and its least significant 16 bits are the mask, XORed as a number
// into the length, which is written big-endian. So the first wire byte meets IV[n][1] and the
// second IV[n][0] (what i2pd and Java I2P put on the wire).
std::uint16_t next_mask(const crypto::SecretArray<16>& sip_key, std::array<std::uint8_t, 8>& iv)
{
    const std::uint64_t digest = crypto::siphash24(sip_key.bytes(), iv);
    for (std::size_t i = 0; i < iv.size(); ++i) {
        iv[i] = std::uint8_t(digest >> (8 * i));
    }
    return std::uint16_t(digest);
}

} // namespace

DataPhase::DataPhase(DataPhaseKeys keys)
    : keys_(std::move(keys)), send_aead_(keys_.send.cipher_key.bytes()),
      receive_aead_(std::in_place, keys_.receive.cipher_key.bytes()),
      send_mask_iv_(keys_.send.sip_iv), receive_mask_iv_(keys_.receive.sip_iv)
{
    // The AeadKeys hold the key schedules; no second copy of the cipher keys stays around.
    keys_.send.cipher_key = crypto::Key32{};
    keys_.receive.cipher_key = crypto::Key32{};
}

void DataPhase::seal_in_place(MutableBytes frame)
{
    if (frame.size() < length_field_size + crypto::aead_tag_size) {
        std::abort(); // a caller bug: no room for the length and the tag
    }
    const std::size_t length = frame.size() - length_field_size; // ciphertext and tag
    if (length - crypto::aead_tag_size > max_frame_plaintext || send_nonce_ == nonce_limit) {
        std::abort(); // a caller bug: senders split first; 2**64 - 1 frames cannot happen
    }
    const std::uint16_t mask = next_mask(keys_.send.sip_key, send_mask_iv_);
    store_be16(frame.data(), std::uint16_t(length ^ mask));
    // ntcp2.rst "Raw contents": n starts at 0 per direction, no associated data.
    const MutableBytes body = frame.subspan(length_field_size);
    send_aead_.encrypt(crypto::noise_nonce(send_nonce_), {},
                       body.first(length - crypto::aead_tag_size), body);
    ++send_nonce_;
}

std::vector<std::uint8_t> DataPhase::seal_frame(Bytes plaintext)
{
    if (plaintext.size() > max_frame_plaintext) {
        std::abort(); // a caller bug: senders split first
    }
    std::vector<std::uint8_t> frame(length_field_size + plaintext.size() + crypto::aead_tag_size);
    std::copy(plaintext.begin(), plaintext.end(), frame.begin() + length_field_size);
    seal_in_place(frame);
    return frame;
}

std::vector<std::uint8_t> DataPhase::seal_blocks(const std::vector<Block>& blocks)
{
    // One buffer: the blocks are written after the length field and encrypted where they are.
    std::size_t size = 0;
    for (const Block& block : blocks) {
        size += block_wire_size(block);
    }
    if (size > max_frame_plaintext) {
        std::abort(); // a caller bug: senders split first (pack_frames)
    }
    ByteWriter out(length_field_size + size + crypto::aead_tag_size);
    out.zeros(length_field_size);
    for (const Block& block : blocks) {
        write_block(out, block);
    }
    out.zeros(crypto::aead_tag_size);
    std::vector<std::uint8_t> frame = out.take();
    seal_in_place(frame);
    return frame;
}

Result<std::size_t> DataPhase::frame_length(Bytes two_bytes)
{
    if (receive_failed_ || pending_length_ != 0 || two_bytes.size() != length_field_size) {
        return fail_receive(Errc::invalid_value);
    }
    const std::uint16_t mask = next_mask(keys_.receive.sip_key, receive_mask_iv_);
    const std::size_t length = std::uint16_t(load_be16(two_bytes.data()) ^ mask);
    // ntcp2.rst "AEAD Error Handling": an invalid length is handled like an AEAD failure.
    if (length < min_frame_size) {
        return fail_receive(Errc::invalid_value);
    }
    pending_length_ = length;
    return length;
}

Result<void> DataPhase::check_open(std::size_t size)
{
    if (receive_failed_ || pending_length_ == 0 || size != pending_length_) {
        return fail_receive(Errc::invalid_value);
    }
    if (receive_nonce_ == nonce_limit) {
        return fail_receive(Errc::too_large);
    }
    return {};
}

Result<std::vector<std::uint8_t>> DataPhase::open_frame(Bytes ciphertext)
{
    UMBRA_TRY_VOID(check_open(ciphertext.size()));
    std::vector<std::uint8_t> plaintext(ciphertext.size() - crypto::aead_tag_size);
    if (!receive_aead_->decrypt(crypto::noise_nonce(receive_nonce_), {}, ciphertext, plaintext)) {
        return fail_receive(Errc::bad_signature);
    }
    pending_length_ = 0;
    ++receive_nonce_;
    return plaintext;
}

Result<MutableBytes> DataPhase::open_in_place(MutableBytes frame)
{
    UMBRA_TRY_VOID(check_open(frame.size()));
    // ntcp2.rst "Raw contents": n counts frames per direction, no associated data.
    const MutableBytes plaintext = frame.first(frame.size() - crypto::aead_tag_size);
    if (!receive_aead_->decrypt(crypto::noise_nonce(receive_nonce_), {}, frame, plaintext)) {
        return fail_receive(Errc::bad_signature);
    }
    pending_length_ = 0;
    ++receive_nonce_;
    return plaintext;
}

ErrorCode DataPhase::fail_receive(ErrorCode error)
{
    // The receive direction ends for good and keeps no secrets (ARCHITECTURE.md §3).
    receive_failed_ = true;
    pending_length_ = 0;
    keys_.receive = DirectionKeys{};
    receive_aead_.reset();
    receive_mask_iv_ = {};
    return error;
}

std::vector<std::vector<Block>> pack_frames(std::vector<Block> blocks, std::size_t max_plaintext)
{
    std::vector<std::vector<Block>> frames;
    std::size_t used = 0;
    for (Block& block : blocks) {
        const std::size_t size = block_wire_size(block);
        if (size > max_plaintext) {
            std::abort(); // a caller bug: a block must fit one frame
        }
        if (frames.empty() || used + size > max_plaintext) {
            frames.emplace_back();
            used = 0;
        }
        used += size;
        frames.back().push_back(std::move(block));
    }
    return frames;
}

} // namespace umbra::ntcp2
