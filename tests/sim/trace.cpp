#include "tests/sim/trace.h"

#include <cstdio>
#include <vector>

#include "crypto/hash.h"
#include "router/base/bytes.h"

namespace umbra::sim {

void Trace::chain(std::uint8_t kind, std::span<const std::uint8_t> record)
{
    crypto::Sha256 h;
    h.update(digest_);
    const std::uint8_t k[1] = {kind};
    h.update(k);
    h.update(record);
    digest_ = h.finish();
    ++events_;
}

void Trace::tunnel_built(std::uint32_t router, const tunnels::TunnelSummary& t, VirtualMs at)
{
    ByteWriter w;
    w.u32(router);
    w.u64(std::uint64_t(at));
    w.u8(t.inbound ? 1 : 0);
    w.u32(t.id.value());
    w.u32(t.endpoint_id.value());
    for (const auto& hop : t.hops)
        w.bytes(hop.span());
    chain(1, w.view());
}

void Trace::delivered(std::uint32_t router, tunnels::PoolId pool, const i2np::Message& m,
                      VirtualMs at)
{
    ByteWriter w;
    w.u32(router);
    w.u64(std::uint64_t(at));
    w.u32(pool);
    w.bytes(m.serialize_standard());
    chain(2, w.view());
}

std::string Trace::digest_hex() const
{
    std::string out;
    char buf[3];
    for (const auto b : digest_) {
        std::snprintf(buf, sizeof buf, "%02x", b);
        out += buf;
    }
    return out;
}

} // namespace umbra::sim
