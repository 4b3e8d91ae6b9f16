// Field helpers shared by the I2NP message parsers (not part of the module's interface).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/ids.h"
#include "router/base/result.h"

namespace umbra::i2np::wire {

inline Result<IdentHash> read_hash(ByteReader& in)
{
    UMBRA_TRY(auto bytes, in.array<32>());
    return IdentHash(bytes);
}

inline void write_hash(ByteWriter& out, const IdentHash& h)
{
    out.bytes(h.span());
}

// A TunnelId that the spec marks "nonzero".
inline Result<TunnelId> read_nonzero_tunnel_id(ByteReader& in)
{
    UMBRA_TRY(std::uint32_t id, in.u32());
    if (id == 0) {
        return Errc::invalid_value;
    }
    return TunnelId(id);
}

// `count` hashes; the caller has capped count.
inline Result<std::vector<IdentHash>> read_hashes(ByteReader& in, std::size_t count)
{
    if (in.remaining() / 32 < count) {
        return Errc::truncated;
    }
    std::vector<IdentHash> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(*read_hash(in));
    }
    return out;
}

inline std::vector<std::uint8_t> to_vector(Bytes b)
{
    return {b.begin(), b.end()};
}

} // namespace umbra::i2np::wire
