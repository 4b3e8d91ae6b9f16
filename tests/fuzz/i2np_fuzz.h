// The body of the two I2NP header fuzz targets: a message read with `parse` must serialize back
// to the input with `serialize`, and its payload, when its type parses, back to the payload.
#pragma once
#include <algorithm>
#include <cstdlib>

#include "router/data/i2np/payload.h"

namespace umbra::fuzz {

template <class Parse, class Serialize>
int i2np_round_trip(const std::uint8_t* data, std::size_t size, Parse parse, Serialize serialize)
{
    const Bytes input(data, size);
    auto message = parse(input);
    if (!message) {
        return 0;
    }
    const auto again = serialize(*message);
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) {
        std::abort();
    }
    auto payload = i2np::parse_payload(*message);
    if (payload && i2np::serialize_payload(*payload) != message->payload) {
        std::abort();
    }
    return 0;
}

} // namespace umbra::fuzz
