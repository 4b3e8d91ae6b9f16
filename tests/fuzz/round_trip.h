// The body of the parse -> serialize fuzz targets: whatever T::parse accepts must serialize
// back to exactly the input bytes (parsers accept only canonical forms), else abort.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "router/base/bytes.h"

namespace umbra::fuzz {

template <class T> int parse_serialize_round_trip(const std::uint8_t* data, std::size_t size)
{
    const Bytes input(data, size);
    auto parsed = T::parse(input);
    if (!parsed) {
        return 0;
    }
    const auto again = parsed->serialize();
    if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) {
        std::abort();
    }
    return 0;
}

} // namespace umbra::fuzz
