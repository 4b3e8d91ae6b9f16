// GarlicRouterInbox: what the I2NP dispatcher calls for a Garlic message addressed to the router
// itself (ecies-routers.rst). Tries the reply tags registered by our lookups and tunnel builds
// first (a cheap map lookup), then the one-time Noise "N" decryption with our static key, and
// returns the cloves with their delivery instructions. Forwarding cloves is the caller's job.
#pragma once
#include <cstdint>
#include <vector>

#include "router/data/i2np/delivery.h"
#include "router/garlic/blocks.h"
#include "router/garlic/reply.h"
#include "router/garlic/router_message.h"

namespace umbra::garlic {

// Per-message events are counters, not log lines (ARCHITECTURE.md §5).
struct InboxCounters {
    std::uint64_t router_messages = 0; // accepted one-time messages to our static key
    std::uint64_t replies = 0;         // accepted tag-keyed replies
    std::uint64_t replayed = 0;
    std::uint64_t rejected = 0; // every other failure (MAC, format, time)
};

class GarlicRouterInbox {
public:
    explicit GarlicRouterInbox(crypto::Key32 static_private, RouterDecryptor::Config config = {},
                               std::size_t reply_capacity = 4096);

    Result<std::vector<GarlicClove>> on_garlic(const i2np::Garlic& message, WallTime now);

    // The lookup and tunnel-build sides register their reply keys here.
    ReplyKeyRing& reply_keys() { return replies_; }
    const crypto::X25519Public& public_key() const { return router_.public_key(); }
    const InboxCounters& counters() const { return counters_; }

private:
    Result<std::vector<GarlicClove>> count(Result<std::vector<Block>> blocks,
                                           std::uint64_t& success);

    RouterDecryptor router_;
    ReplyKeyRing replies_;
    InboxCounters counters_;
};

} // namespace umbra::garlic
