// The HTTP response reader: the first byte picks the split size, the rest is the wire. Every
// outcome must respect the body cap, and a complete response must not change when more bytes
// arrive.
#include <cstdlib>

#include "netdb/reseed/https/response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const std::size_t step = 1 + data[0] % 64;
    const umbra::Bytes wire(data + 1, size - 1);
    constexpr std::size_t max_body = 4096;
    umbra::reseed::HttpResponseReader reader(max_body);
    bool done = false;
    for (std::size_t i = 0; i < wire.size() && !done; i += step) {
        auto r = reader.feed(wire.subspan(i, std::min(step, wire.size() - i)));
        if (!r) {
            return 0;
        }
        done = *r;
    }
    if (!done && !reader.finish()) {
        return 0;
    }
    if (done && !*reader.feed(wire.first(std::min<std::size_t>(wire.size(), 8)))) {
        std::abort();
    }
    const auto response = reader.take();
    if (response.body.size() > max_body || response.status > 999) {
        std::abort();
    }
    return 0;
}
