// Test helpers for tunnels/build/: routers with fixed keys, and a walk of a build message
// through a chain of BuildHops (tests, fuzz seeds, benchmark). Not part of the library's API.
#pragma once
#include <memory>
#include <vector>

#include "tunnels/build/creator.h"
#include "tunnels/build/hop.h"

namespace umbra::tunnels::testing {

struct TestRouter {
    IdentHash ident;
    crypto::X25519Public encryption_key{};
    std::unique_ptr<BuildHop> hop;
};

// A router whose keys and hash come from `seed` (deterministic).
inline TestRouter make_router(std::uint64_t seed, HopConfig config = {})
{
    crypto::DeterministicRng rng(seed);
    TestRouter r;
    std::array<std::uint8_t, 32> hash{};
    rng.fill(hash);
    r.ident = IdentHash(hash);
    auto keys = crypto::X25519Keypair::generate(rng);
    r.encryption_key = keys.public_key;
    r.hop = std::make_unique<BuildHop>(std::move(keys), r.ident, config);
    return r;
}

inline BuildPlan make_plan(const std::vector<TestRouter*>& hops, RecordFormat format, bool inbound,
                           const IdentHash& reply_ident)
{
    BuildPlan plan;
    plan.format = format;
    plan.inbound = inbound;
    std::uint32_t id = 1000;
    for (const TestRouter* r : hops) {
        plan.hops.push_back({r->ident, r->encryption_key, TunnelId(++id), {}});
    }
    plan.reply_ident = reply_ident;
    plan.reply_tunnel = TunnelId(4242);
    plan.reply_message_id = MessageId(777);
    return plan;
}

// The fixed hop of the build_hop fuzz target and its seed corpus (fuzz_corpus_test.cpp).
inline constexpr WallTime kFuzzNow{1'764'000'000'000};
inline TestRouter make_fuzz_hop()
{
    return make_router(0xf022);
}

inline std::uint8_t accept_all(const BuildRequestRecord&)
{
    return kReplyAccept;
}

} // namespace umbra::tunnels::testing
