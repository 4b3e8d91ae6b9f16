// The NTCP2 Initiator sends its SessionRequest, then reads the input as SessionCreated and its
// padding. Its keys, randomness and clock are those of the seed transcripts
// (handshake_testing.h), so a seed reaches past the AEAD check. Property: a read sequence that
// succeeded to the end of what the Initiator wanted leaves it established with SessionConfirmed
// (48 bytes and a frame) to send.
#include <cstdlib>

#include "router/transport/ntcp2/handshake_testing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace umbra;
    using namespace umbra::ntcp2;
    const auto& alice = testing::fuzz_alice();
    const auto& bob = testing::fuzz_bob();
    crypto::DeterministicRng rng(testing::fuzz_initiator_rng_seed);
    Initiator initiator(alice.local(), bob.remote());
    if (initiator.start(testing::test_now, rng).empty()) {
        std::abort();
    }
    const auto out = testing::feed(initiator, Bytes(data, size), rng, testing::test_now);
    if (out && initiator.wants() == 0) {
        if (!initiator.established() || out->size() <= 48 + alice.router_info.size()) {
            std::abort();
        }
        (void)initiator.take_established();
    }
    return 0;
}
