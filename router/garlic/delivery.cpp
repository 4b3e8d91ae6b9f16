#include "router/garlic/delivery.h"

namespace umbra::garlic {

namespace {
constexpr std::uint8_t kEncryptedBit = 0x80;
constexpr std::uint8_t kDelayBit = 0x10;
constexpr std::uint8_t kReservedMask = 0x0f;
constexpr int kTypeShift = 5;
} // namespace

Result<CloveDelivery> CloveDelivery::read(ByteReader& in)
{
    UMBRA_TRY(const std::uint8_t flag, in.u8());
    if (flag & kEncryptedBit) {
        return Errc::unsupported;
    }
    CloveDelivery d;
    d.type = static_cast<DeliveryType>((flag >> kTypeShift) & 0x03);
    d.reserved = flag & kReservedMask;
    if (d.type != DeliveryType::local) {
        UMBRA_TRY(const auto hash, in.array<32>());
        d.to = IdentHash(hash);
    }
    if (d.type == DeliveryType::tunnel) {
        UMBRA_TRY(const std::uint32_t id, in.u32());
        if (id == 0) {
            return Errc::invalid_value;
        }
        d.tunnel = TunnelId(id);
    }
    if (flag & kDelayBit) {
        UMBRA_TRY(d.delay, in.u32());
    }
    return d;
}

void CloveDelivery::write(ByteWriter& out) const
{
    std::uint8_t flag = static_cast<std::uint8_t>(static_cast<std::uint8_t>(type) << kTypeShift);
    flag |= reserved & kReservedMask;
    if (delay) {
        flag |= kDelayBit;
    }
    out.u8(flag);
    if (type != DeliveryType::local) {
        out.bytes(to.span());
    }
    if (type == DeliveryType::tunnel) {
        out.u32(tunnel.value());
    }
    if (delay) {
        out.u32(*delay);
    }
}

std::size_t CloveDelivery::size() const
{
    std::size_t n = 1;
    if (type != DeliveryType::local) {
        n += 32;
    }
    if (type == DeliveryType::tunnel) {
        n += 4;
    }
    if (delay) {
        n += 4;
    }
    return n;
}

} // namespace umbra::garlic
