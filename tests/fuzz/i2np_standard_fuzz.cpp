// i2np_standard: a message with the 16-byte standard header, then its payload by type. Whatever
// parses must re-serialize to the input bytes, at both layers.
#include <cstdlib>

#include "router/data/i2np/payload.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra::i2np;
    const umbra::Bytes input(data, size);
    auto message = Message::parse_standard(input);
    if (!message) {
        return 0;
    }
    const auto again = message->serialize_standard();
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) {
        std::abort();
    }
    auto payload = parse_payload(*message);
    if (payload && serialize_payload(*payload) != message->payload) {
        std::abort();
    }
    return 0;
}
