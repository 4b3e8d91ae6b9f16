#include "router/data/i2np/database_lookup.h"

#include <cstring>

#include "router/base/check.h"
#include "router/data/i2np/wire.h"

namespace umbra::i2np {

namespace {

// i2np.rst DatabaseLookup "flags".
constexpr std::uint8_t kDeliveryFlag = 0x01;
constexpr std::uint8_t kEncryptionFlag = 0x02;
constexpr std::uint8_t kLookupTypeMask = 0x0c;
constexpr int kLookupTypeShift = 2;
constexpr std::uint8_t kEciesFlag = 0x10;
constexpr std::uint8_t kReservedFlags = 0xe0;

template <std::size_t TagSize> Result<ReplyKeys<TagSize>> read_reply_keys(ByteReader& in)
{
    ReplyKeys<TagSize> keys;
    UMBRA_TRY(keys.key, in.array<32>());
    UMBRA_TRY(std::uint8_t count, in.u8());
    // Proposal 154 requires exactly one ECIES tag when sending; any count in the ElGamal range
    // is accepted so a peer sending more still gets an answer (the first tag is used).
    if (count == 0) {
        return Errc::invalid_value;
    }
    if (count > DatabaseLookup::kMaxReplyTags) {
        return Errc::too_large;
    }
    UMBRA_TRY(Bytes tags, in.bytes(std::size_t{count} * TagSize));
    keys.tags.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::memcpy(keys.tags[i].data(), tags.data() + i * TagSize, TagSize);
    }
    return keys;
}

// Flag bits 1 and 4 select the reply encryption (i2np.rst "Reply Encryption" table).
Result<ReplyEncryption> read_reply_encryption(ByteReader& in, std::uint8_t flags)
{
    const bool aes = (flags & kEncryptionFlag) != 0;
    const bool ecies = (flags & kEciesFlag) != 0;
    if (aes && ecies) {
        return Errc::unsupported; // "DH yes" modes: not yet defined
    }
    if (aes) {
        UMBRA_TRY(auto keys, read_reply_keys<32>(in));
        return ReplyEncryption(std::move(keys));
    }
    if (ecies) {
        UMBRA_TRY(auto keys, read_reply_keys<8>(in));
        return ReplyEncryption(std::move(keys));
    }
    return ReplyEncryption();
}

Result<std::vector<IdentHash>> read_excluded_peers(ByteReader& in)
{
    UMBRA_TRY(std::uint16_t count, in.u16());
    if (count > DatabaseLookup::kMaxExcludedPeers) {
        return Errc::too_large;
    }
    return wire::read_hashes(in, count);
}

template <std::size_t TagSize> void write_reply_keys(ByteWriter& out, const ReplyKeys<TagSize>& k)
{
    UMBRA_CHECK(!k.tags.empty() && k.tags.size() <= DatabaseLookup::kMaxReplyTags);
    out.bytes(k.key);
    out.u8(static_cast<std::uint8_t>(k.tags.size()));
    for (const auto& tag : k.tags) {
        out.bytes(tag);
    }
}

std::uint8_t encode_flags(const DatabaseLookup& m)
{
    UMBRA_CHECK((m.reserved_flags & ~kReservedFlags) == 0);
    std::uint8_t flags = m.reserved_flags;
    flags |=
        static_cast<std::uint8_t>(static_cast<std::uint8_t>(m.lookup_type) << kLookupTypeShift);
    if (m.reply_tunnel) {
        flags |= kDeliveryFlag;
    }
    if (std::holds_alternative<ElGamalReplyKeys>(m.reply_encryption)) {
        flags |= kEncryptionFlag;
    } else if (std::holds_alternative<EciesReplyKeys>(m.reply_encryption)) {
        flags |= kEciesFlag;
    }
    return flags;
}

} // namespace

Result<DatabaseLookup> DatabaseLookup::parse(Bytes payload)
{
    ByteReader in(payload);
    DatabaseLookup m;
    UMBRA_TRY(m.key, wire::read_hash(in));
    UMBRA_TRY(m.from, wire::read_hash(in));
    UMBRA_TRY(std::uint8_t flags, in.u8());
    m.lookup_type = static_cast<LookupType>((flags & kLookupTypeMask) >> kLookupTypeShift);
    m.reserved_flags = flags & kReservedFlags;
    if (flags & kDeliveryFlag) {
        UMBRA_TRY(m.reply_tunnel, wire::read_nonzero_tunnel_id(in));
    }
    UMBRA_TRY(m.excluded_peers, read_excluded_peers(in));
    UMBRA_TRY(m.reply_encryption, read_reply_encryption(in, flags));
    UMBRA_TRY_VOID(in.expect_end());
    return m;
}

std::vector<std::uint8_t> DatabaseLookup::serialize() const
{
    UMBRA_CHECK(excluded_peers.size() <= kMaxExcludedPeers);
    ByteWriter out(32 + 32 + 1 + 4 + 2 + 32 * excluded_peers.size() + 32 + 1 + 32);
    wire::write_hash(out, key);
    wire::write_hash(out, from);
    out.u8(encode_flags(*this));
    if (reply_tunnel) {
        UMBRA_CHECK(reply_tunnel->value() != 0);
        out.u32(reply_tunnel->value());
    }
    out.u16(static_cast<std::uint16_t>(excluded_peers.size()));
    for (const IdentHash& peer : excluded_peers) {
        wire::write_hash(out, peer);
    }
    if (const auto* elg = std::get_if<ElGamalReplyKeys>(&reply_encryption)) {
        write_reply_keys(out, *elg);
    } else if (const auto* ecies = std::get_if<EciesReplyKeys>(&reply_encryption)) {
        write_reply_keys(out, *ecies);
    }
    return out.take();
}

} // namespace umbra::i2np
