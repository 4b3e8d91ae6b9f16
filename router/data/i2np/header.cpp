#include "router/data/i2np/header.h"

#include <string>

#include "crypto/hash.h"
#include "router/base/check.h"

namespace umbra::i2np {

namespace {

class Category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "i2np"; }
    std::string message(int ev) const override
    {
        switch (static_cast<Error>(ev)) {
        case Error::bad_checksum:
            return "I2NP header checksum mismatch";
        }
        return "unknown I2NP error";
    }
};

void write_short_header(ByteWriter& out, const Message& m)
{
    out.u8(static_cast<std::uint8_t>(m.type));
    out.u32(m.id.value());
    // Unsigned seconds since the epoch; wraps in 2106 (i2np.rst header notes).
    out.u32(static_cast<std::uint32_t>(m.expiration.seconds()));
}

struct StandardHeader {
    Message message; // payload still empty
    std::size_t size = 0;
    std::uint8_t checksum = 0;
};

Result<StandardHeader> read_standard_header(ByteReader& in)
{
    UMBRA_TRY(ByteReader header, in.sub(kStandardHeaderSize));
    StandardHeader h;
    h.message.type = static_cast<MessageType>(*header.u8());
    h.message.id = MessageId(*header.u32());
    // Date is unsigned; the conversion to int64 is modular, so re-serializing restores it.
    h.message.expiration = WallTime{static_cast<std::int64_t>(*header.u64())};
    h.size = *header.u16();
    h.checksum = *header.u8();
    if (h.size > kMaxPayloadSize) {
        return Errc::too_large;
    }
    return h;
}

Result<void> read_payload(ByteReader& in, StandardHeader& h)
{
    UMBRA_TRY(Bytes payload, in.bytes(h.size));
    if (payload_checksum(payload) != h.checksum) {
        return Error::bad_checksum;
    }
    h.message.payload.assign(payload.begin(), payload.end());
    return {};
}

} // namespace

const boost::system::error_category& i2np_category() noexcept
{
    static const Category category;
    return category;
}

std::uint8_t payload_checksum(Bytes payload)
{
    return crypto::sha256(payload)[0];
}

void Message::write_standard(ByteWriter& out) const
{
    UMBRA_CHECK(payload.size() <= kMaxPayloadSize);
    out.u8(static_cast<std::uint8_t>(type));
    out.u32(id.value());
    out.u64(static_cast<std::uint64_t>(expiration.ms));
    out.u16(static_cast<std::uint16_t>(payload.size()));
    out.u8(payload_checksum(payload));
    out.bytes(payload);
}

std::vector<std::uint8_t> Message::serialize_standard() const
{
    ByteWriter out(kStandardHeaderSize + payload.size());
    write_standard(out);
    return out.take();
}

std::vector<std::uint8_t> Message::serialize_short() const
{
    UMBRA_CHECK(payload.size() <= kMaxPayloadSize);
    ByteWriter out(kShortHeaderSize + payload.size());
    write_short_header(out, *this);
    out.bytes(payload);
    return out.take();
}

Result<Message> Message::read_standard(ByteReader& in)
{
    UMBRA_TRY(StandardHeader h, read_standard_header(in));
    UMBRA_TRY_VOID(read_payload(in, h));
    return std::move(h.message);
}

Result<Message> Message::parse_standard(Bytes in)
{
    ByteReader reader(in);
    UMBRA_TRY(StandardHeader h, read_standard_header(reader));
    // Report a size field that disagrees with the input as such, not as a bad checksum.
    if (reader.remaining() > h.size) {
        return Errc::trailing_data;
    }
    UMBRA_TRY_VOID(read_payload(reader, h));
    return std::move(h.message);
}

Result<Message> Message::parse_short(Bytes in)
{
    ByteReader reader(in);
    if (reader.remaining() < kShortHeaderSize) {
        return Errc::truncated;
    }
    if (reader.remaining() - kShortHeaderSize > kMaxPayloadSize) {
        return Errc::too_large;
    }
    Message m;
    m.type = static_cast<MessageType>(*reader.u8());
    m.id = MessageId(*reader.u32());
    m.expiration = WallTime{std::int64_t{*reader.u32()} * 1000};
    const Bytes payload = reader.rest();
    m.payload.assign(payload.begin(), payload.end());
    return m;
}

} // namespace umbra::i2np
