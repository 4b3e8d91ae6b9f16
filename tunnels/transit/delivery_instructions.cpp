#include "tunnels/transit/delivery_instructions.h"

#include <cstdlib>
#include <cstring>

namespace umbra::tunnels {

namespace {

// First-fragment flag bits (tunnel-message.rst "First Fragment Delivery Instructions").
constexpr std::uint8_t kFollowOnBit = 0x80;
constexpr std::uint8_t kTypeShift = 5;
constexpr std::uint8_t kTypeMask = 0x60;
constexpr std::uint8_t kDelayBit = 0x10;
constexpr std::uint8_t kFragmentedBit = 0x08;
constexpr std::uint8_t kExtendedBit = 0x04;
constexpr std::uint8_t kReservedBits = 0x03;

Result<std::uint16_t> read_size(ByteReader& in)
{
    UMBRA_TRY(const auto size, in.u16());
    if (size == 0) {
        return make_error_code(Errc::invalid_value);
    }
    if (size > kTunnelPayloadSize) {
        return make_error_code(Errc::too_large);
    }
    return size;
}

Result<DeliveryInstructions> read_follow_on(std::uint8_t flag, ByteReader& in)
{
    // "binary 1nnnnnnd": fragment number 1..63, d = last fragment.
    DeliveryInstructions di;
    di.follow_on = true;
    di.fragment_number = std::uint8_t((flag >> 1) & 0x3f);
    di.last = (flag & 1) != 0;
    if (di.fragment_number == 0) {
        return make_error_code(Errc::invalid_value);
    }
    UMBRA_TRY(const auto id, in.u32());
    di.message_id = MessageId(id);
    UMBRA_TRY(di.size, read_size(in));
    return di;
}

Result<DeliveryInstructions> read_first(std::uint8_t flag, ByteReader& in)
{
    if (flag & (kDelayBit | kExtendedBit)) {
        return make_error_code(Errc::unsupported); // "Unimplemented, always 0"
    }
    if (flag & kReservedBits) {
        return make_error_code(Errc::invalid_value);
    }
    const std::uint8_t type = std::uint8_t((flag & kTypeMask) >> kTypeShift);
    if (type > std::uint8_t(DeliveryType::router)) {
        return make_error_code(Errc::invalid_value); // 0x03 "unused, invalid"
    }
    DeliveryInstructions di;
    di.delivery.type = DeliveryType(type);
    di.fragmented = (flag & kFragmentedBit) != 0;
    if (di.delivery.type == DeliveryType::tunnel) {
        UMBRA_TRY(const auto tunnel, in.u32());
        if (tunnel == 0) {
            return make_error_code(Errc::invalid_value);
        }
        di.delivery.tunnel = TunnelId(tunnel);
    }
    if (di.delivery.type != DeliveryType::local) {
        UMBRA_TRY(const auto hash, in.array<32>());
        di.delivery.to = IdentHash(hash);
    }
    if (di.fragmented) {
        UMBRA_TRY(const auto id, in.u32());
        di.message_id = MessageId(id);
    }
    UMBRA_TRY(di.size, read_size(in));
    return di;
}

} // namespace

std::size_t first_instructions_size(const Delivery& d, bool fragmented)
{
    std::size_t n = 1 + 2;
    if (d.type == DeliveryType::tunnel) {
        n += 4;
    }
    if (d.type != DeliveryType::local) {
        n += 32;
    }
    return fragmented ? n + 4 : n;
}

Result<DeliveryInstructions> DeliveryInstructions::read(ByteReader& in)
{
    UMBRA_TRY(const auto flag, in.u8());
    return (flag & kFollowOnBit) ? read_follow_on(flag, in) : read_first(flag, in);
}

Result<DeliveryInstructions> DeliveryInstructions::parse(Bytes in)
{
    ByteReader r(in);
    UMBRA_TRY(auto di, read(r));
    UMBRA_TRY_VOID(r.expect_end());
    return di;
}

std::size_t DeliveryInstructions::encoded_size() const
{
    return follow_on ? kFollowOnInstructionsSize : first_instructions_size(delivery, fragmented);
}

void DeliveryInstructions::write(std::span<std::uint8_t> out) const
{
    if (out.size() < encoded_size()) {
        std::abort(); // caller bug: the gateway sizes its buffer first
    }
    std::uint8_t* p = out.data();
    if (follow_on) {
        *p++ = std::uint8_t(kFollowOnBit | (fragment_number & 0x3f) << 1 | (last ? 1 : 0));
        store_be32(p, message_id.value());
        store_be16(p + 4, size);
        return;
    }
    *p++ =
        std::uint8_t(std::uint8_t(delivery.type) << kTypeShift | (fragmented ? kFragmentedBit : 0));
    if (delivery.type == DeliveryType::tunnel) {
        store_be32(p, delivery.tunnel.value());
        p += 4;
    }
    if (delivery.type != DeliveryType::local) {
        std::memcpy(p, delivery.to.bytes().data(), 32);
        p += 32;
    }
    if (fragmented) {
        store_be32(p, message_id.value());
        p += 4;
    }
    store_be16(p, size);
}

std::vector<std::uint8_t> DeliveryInstructions::serialize() const
{
    std::vector<std::uint8_t> out(encoded_size());
    write(out);
    return out;
}

} // namespace umbra::tunnels
