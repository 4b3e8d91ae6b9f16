// i2np_short: the body of an NTCP2/SSU2 "I2NP Message" block (9-byte header), then its payload by
// type. Whatever parses must re-serialize to the input bytes, at both layers.
#include "tests/fuzz/i2np_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using umbra::i2np::Message;
    return umbra::fuzz::i2np_round_trip(
        data, size, [](umbra::Bytes in) { return Message::parse_short(in); },
        [](const Message& m) { return m.serialize_short(); });
}
