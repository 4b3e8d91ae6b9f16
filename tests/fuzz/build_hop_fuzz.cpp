// The hop side of tunnel building (tunnels/build/hop.h) with a fixed router key, clock and
// randomness. Byte 0: bit 0 selects VariableTunnelBuild (1) or ShortTunnelBuild (0); the rest
// is the I2NP payload. In the fuzzing build records whose tag fails are read as cleartext.
#include <cstdlib>

#include "tunnels/build/testing.h"

using namespace umbra;
using namespace umbra::tunnels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const auto type = (data[0] & 1) ? i2np::MessageType::variable_tunnel_build
                                    : i2np::MessageType::short_tunnel_build;
    const Bytes payload(data + 1, size - 1);
    testing::TestRouter router = testing::make_fuzz_hop(); // fresh replay cache per input
    crypto::DeterministicRng rng(2);
    const std::uint8_t code = size > 1 ? data[size - 1] : 0;
    auto out = router.hop->handle(type, payload, testing::kFuzzNow, rng,
                                  [code](const BuildRequestRecord&) { return code; });
    if (out) {
        // The message keeps its size and record count; the reply goes where the record says.
        if (out->payload.size() != payload.size() || out->payload[0] != payload[0] ||
            !(out->to == out->keys.next_ident) || out->reply != (out->reply & 0xff)) {
            std::abort();
        }
        // The same record again is a replay.
        auto again = router.hop->handle(type, payload, testing::kFuzzNow, rng,
                                        [](const BuildRequestRecord&) { return 0; });
        if (again || again.error() != BuildErrc::replayed) {
            std::abort();
        }
    }
    return 0;
}
