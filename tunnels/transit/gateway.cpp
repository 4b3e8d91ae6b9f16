#include "tunnels/transit/gateway.h"

#include <algorithm>
#include <cstring>

#include "crypto/hash.h"

namespace umbra::tunnels {

namespace {

constexpr std::size_t kIvSize = crypto::tunnel_iv_size;
constexpr std::size_t kChecksumSize = 4;
constexpr std::size_t kFollowOnRoom = kTunnelPayloadSize - kFollowOnInstructionsSize;

// "random nonzero data for padding": zero bytes are redrawn.
void fill_nonzero(crypto::Rng& rng, MutableBytes out)
{
    rng.fill(out);
    for (auto& b : out) {
        while (b == 0) {
            std::uint8_t r[1];
            rng.fill(r);
            b = r[0];
        }
    }
}

} // namespace

std::size_t max_gateway_message_size(const Delivery& d)
{
    return kTunnelPayloadSize - first_instructions_size(d, true) +
           kMaxFragmentNumber * kFollowOnRoom;
}

void Gateway::append(const DeliveryInstructions& di, Bytes fragment)
{
    const std::size_t n = di.encoded_size();
    di.write(std::span(payload_).subspan(used_, n));
    std::memcpy(payload_.data() + used_ + n, fragment.data(), fragment.size());
    used_ += n + fragment.size();
}

// tunnel-message.rst "Tunnel Message (Decrypted)": IV | checksum | nonzero padding | 0x00 |
// pairs; checksum = SHA-256(pairs || IV)[0..4].
void Gateway::finish(BlockSink& sink)
{
    if (used_ == 0) {
        return;
    }
    std::uint8_t* iv = block_.data();
    rng_->fill(MutableBytes(iv, kIvSize));
    std::uint8_t* data = block_.data() + kIvSize;
    const std::size_t pad = crypto::tunnel_layer_data_size - kChecksumSize - 1 - used_;
    fill_nonzero(*rng_, MutableBytes(data + kChecksumSize, pad));
    data[kChecksumSize + pad] = 0;
    std::uint8_t* pairs = data + kChecksumSize + pad + 1;
    std::memcpy(pairs, payload_.data(), used_);
    crypto::Sha256 h;
    h.update(Bytes(pairs, used_));
    h.update(Bytes(iv, kIvSize));
    const auto digest = h.finish();
    std::memcpy(data, digest.data(), kChecksumSize);
    used_ = 0;
    sink.on_block(block_);
}

void Gateway::flush(BlockSink& sink)
{
    finish(sink);
}

Result<void> Gateway::add(const Delivery& delivery, Bytes message, BlockSink& sink)
{
    if (message.empty()) {
        return make_error_code(Errc::invalid_value);
    }
    DeliveryInstructions di;
    di.delivery = delivery;
    const std::size_t whole = first_instructions_size(delivery, false) + message.size();
    if (whole <= kTunnelPayloadSize) {
        if (whole > room()) {
            finish(sink); // a small message is not split: it starts the next tunnel message
        }
        di.size = std::uint16_t(message.size());
        append(di, message);
        return {};
    }
    const std::size_t first_header = first_instructions_size(delivery, true);
    // The first fragment goes here if it gets a useful share of what is left.
    const bool fresh = room() < first_header + kFollowOnInstructionsSize * 4;
    const std::size_t first_room = (fresh ? kTunnelPayloadSize : room()) - first_header;
    if (message.size() > first_room + kMaxFragmentNumber * kFollowOnRoom) {
        return make_error_code(Errc::too_large);
    }
    if (fresh) {
        finish(sink);
    }
    di.fragmented = true;
    di.message_id = MessageId(rng_->u32());
    di.size = std::uint16_t(first_room);
    append(di, message.first(first_room));
    std::size_t offset = first_room;
    DeliveryInstructions follow;
    follow.follow_on = true;
    follow.message_id = di.message_id;
    while (offset < message.size()) {
        finish(sink);
        const std::size_t n = std::min(kFollowOnRoom, message.size() - offset);
        ++follow.fragment_number;
        follow.last = offset + n == message.size();
        follow.size = std::uint16_t(n);
        append(follow, message.subspan(offset, n));
        offset += n;
    }
    return {};
}

} // namespace umbra::tunnels
