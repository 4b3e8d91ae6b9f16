// The NTCP2 Responder reads the input as SessionRequest, its padding and SessionConfirmed. Its
// keys, randomness and clocks are those of the seed transcripts (handshake_testing.h), so a seed
// reaches past every AEAD check. Properties: a read sequence that succeeded to the end of what
// the Responder wanted leaves it established, and the RouterInfo it accepted parses and is the
// peer it names.
#include <cstdlib>

#include "router/transport/ntcp2/handshake_testing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra;
    using namespace umbra::ntcp2;
    const auto& bob = testing::fuzz_bob();
    ReplayCache cache;
    crypto::DeterministicRng rng(testing::fuzz_responder_rng_seed);
    Responder responder(bob.local(), cache);
    const auto out =
        testing::feed(responder, Bytes(data, size), rng, testing::test_now, SteadyTime{});
    if (out && responder.wants() == 0 && !responder.established()) {
        std::abort();
    }
    if (responder.established()) {
        const auto result = responder.take_established();
        const auto ri = umbra::data::RouterInfo::parse(result.peer_router_info);
        if (!ri || ri->ident_hash() != result.peer) {
            std::abort();
        }
    }
    return 0;
}
