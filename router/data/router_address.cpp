#include "router/data/router_address.h"

namespace umbra::data {

Result<RouterAddress> RouterAddress::parse(ByteReader& in)
{
    RouterAddress a;
    UMBRA_TRY(a.cost, in.u8());
    UMBRA_TRY(a.expiration, in.u64());
    UMBRA_TRY(auto style, in.u8_prefixed());
    const Bytes s = style.rest();
    a.transport_style.assign(s.begin(), s.end());
    UMBRA_TRY(a.options, Mapping::parse(in, KeyOrder::sorted));
    return a;
}

void RouterAddress::write(ByteWriter& out) const
{
    out.u8(cost);
    out.u64(expiration);
    out.u8(std::uint8_t(transport_style.size()));
    out.str(transport_style);
    options.write(out);
}

} // namespace umbra::data
