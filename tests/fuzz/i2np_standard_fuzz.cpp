// i2np_standard: a message with the 16-byte standard header, then its payload by type. Whatever
// parses must re-serialize to the input bytes, at both layers.
#include "tests/fuzz/i2np_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using umbra::i2np::Message;
    return umbra::fuzz::i2np_round_trip(
        data, size, [](umbra::Bytes in) { return Message::parse_standard(in); },
        [](const Message& m) { return m.serialize_standard(); });
}
