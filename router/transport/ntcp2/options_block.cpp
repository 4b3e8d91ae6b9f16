// ntcp2.rst "Options" block: layout and what umbra negotiates from it (options_block.h).
#include "router/transport/ntcp2/options_block.h"

#include <algorithm>

namespace umbra::ntcp2 {

std::vector<std::uint8_t> write_options(const PaddingOptions& o)
{
    // tmin tmax rmin rmax (1 byte each), tdmy rdmy tdelay rdelay (2 bytes, big endian).
    ByteWriter out(options_body_size);
    out.u8(o.tmin);
    out.u8(o.tmax);
    out.u8(o.rmin);
    out.u8(o.rmax);
    out.u16(o.tdmy);
    out.u16(o.rdmy);
    out.u16(o.tdelay);
    out.u16(o.rdelay);
    return out.take();
}

Result<PaddingOptions> parse_options(Bytes body)
{
    ByteReader in(body);
    if (in.remaining() < options_body_size) {
        return Errc::truncated;
    }
    PaddingOptions o;
    o.tmin = *in.u8();
    o.tmax = *in.u8();
    o.rmin = *in.u8();
    o.rmax = *in.u8();
    o.tdmy = *in.u16();
    o.rdmy = *in.u16();
    o.tdelay = *in.u16();
    o.rdelay = *in.u16();
    return o; // more_options: "Format TBD", ignored
}

PaddingOptions advertised_options(const PaddingOptions& configured)
{
    PaddingOptions o = configured;
    o.tdmy = 0;
    o.tdelay = 0;
    return o;
}

DummyTraffic negotiate_dummy_traffic(const PaddingOptions& ours, const PaddingOptions& peer)
{
    return {std::min(ours.tdmy, peer.rdmy), std::min(ours.tdelay, peer.rdelay)};
}

PaddingRange negotiate_padding(const PaddingOptions& ours, const PaddingOptions& peer)
{
    const std::uint8_t max = std::min(ours.tmax, peer.rmax);
    const std::uint8_t min = std::min(std::max(ours.tmin, peer.rmin), max);
    return {min, max};
}

std::size_t padding_length(std::size_t data, PaddingRange range, std::size_t room, crypto::Rng& rng)
{
    const std::size_t low = std::min(data * range.min / 16, room);
    const std::size_t high = std::min(data * range.max / 16, room);
    return low + std::size_t(rng.uniform(high - low + 1));
}

} // namespace umbra::ntcp2
