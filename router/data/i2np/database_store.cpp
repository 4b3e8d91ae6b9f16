#include "router/data/i2np/database_store.h"

#include "router/base/check.h"
#include "router/data/i2np/wire.h"

namespace umbra::i2np {

namespace {

constexpr std::uint8_t kEntryTypeMask = 0x0f;

// Bit 0 with bits 3-1: only 0, 1, 3, 5 and 7 are defined (i2np.rst DatabaseStore "type"; bits
// 3-1 of 4-7 are "unsupported, invalid", and no RouterInfo variant exists).
Result<DatabaseEntryType> decode_entry_type(std::uint8_t low_bits)
{
    switch (low_bits) {
    case 0:
    case 1:
    case 3:
    case 5:
    case 7:
        return static_cast<DatabaseEntryType>(low_bits);
    default:
        return Errc::invalid_value;
    }
}

Result<std::optional<StoreReply>> read_store_reply(ByteReader& in)
{
    UMBRA_TRY(std::uint32_t token, in.u32());
    if (token == 0) {
        return std::optional<StoreReply>{};
    }
    UMBRA_TRY(std::uint32_t tunnel, in.u32());
    UMBRA_TRY(IdentHash gateway, wire::read_hash(in));
    return StoreReply{MessageId(token), TunnelId(tunnel), gateway};
}

// The RouterInfo is a 2-byte length and that many gzip'd bytes; a LeaseSet is the rest.
Result<std::vector<std::uint8_t>> read_entry_data(ByteReader& in, DatabaseEntryType type)
{
    Bytes data;
    if (type == DatabaseEntryType::router_info) {
        UMBRA_TRY(ByteReader ri, in.u16_prefixed());
        data = ri.rest();
        UMBRA_TRY_VOID(in.expect_end());
    } else {
        data = in.rest();
    }
    if (data.empty()) {
        return Errc::truncated;
    }
    return wire::to_vector(data);
}

} // namespace

Result<DatabaseStore> DatabaseStore::parse(Bytes payload)
{
    ByteReader in(payload);
    DatabaseStore m;
    UMBRA_TRY(m.key, wire::read_hash(in));
    UMBRA_TRY(std::uint8_t type_byte, in.u8());
    UMBRA_TRY(m.entry_type, decode_entry_type(type_byte & kEntryTypeMask));
    m.reserved_type_bits = type_byte & ~kEntryTypeMask;
    UMBRA_TRY(m.reply, read_store_reply(in));
    UMBRA_TRY(m.data, read_entry_data(in, m.entry_type));
    return m;
}

std::vector<std::uint8_t> DatabaseStore::serialize() const
{
    UMBRA_CHECK((reserved_type_bits & kEntryTypeMask) == 0);
    UMBRA_CHECK(!data.empty());
    ByteWriter out(32 + 1 + 4 + 36 + 2 + data.size());
    wire::write_hash(out, key);
    out.u8(static_cast<std::uint8_t>(entry_type) | reserved_type_bits);
    if (reply) {
        UMBRA_CHECK(reply->token.value() != 0);
        out.u32(reply->token.value());
        out.u32(reply->tunnel.value());
        wire::write_hash(out, reply->gateway);
    } else {
        out.u32(0);
    }
    if (entry_type == DatabaseEntryType::router_info) {
        UMBRA_CHECK(data.size() <= 0xffff);
        out.u16(static_cast<std::uint16_t>(data.size()));
    }
    out.bytes(data);
    return out.take();
}

Result<DatabaseSearchReply> DatabaseSearchReply::parse(Bytes payload)
{
    ByteReader in(payload);
    DatabaseSearchReply m;
    UMBRA_TRY(m.key, wire::read_hash(in));
    UMBRA_TRY(std::uint8_t count, in.u8());
    UMBRA_TRY(m.peers, wire::read_hashes(in, count));
    UMBRA_TRY(m.from, wire::read_hash(in));
    UMBRA_TRY_VOID(in.expect_end());
    return m;
}

std::vector<std::uint8_t> DatabaseSearchReply::serialize() const
{
    UMBRA_CHECK(peers.size() <= kMaxPeers);
    ByteWriter out(32 + 1 + 32 * peers.size() + 32);
    wire::write_hash(out, key);
    out.u8(static_cast<std::uint8_t>(peers.size()));
    for (const IdentHash& peer : peers) {
        wire::write_hash(out, peer);
    }
    wire::write_hash(out, from);
    return out.take();
}

} // namespace umbra::i2np
