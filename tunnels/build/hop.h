// The hop side of ECIES tunnel building (tunnel-creation-ecies.rst): find our record in a
// VariableTunnelBuild (23) or ShortTunnelBuild (25), decrypt it (Noise N), derive the tunnel's
// keys, ask the local policy, write our reply record in place, make our symmetric pass over the
// other records, and say what to send next. Sans-IO: no clock, socket or global state.
//
// Messages we cannot use are dropped with no reply (a BuildErrc): a record we cannot find or
// decrypt gives us no reply key, and the spec's reply bytes never tell a peer why it failed.
#pragma once
#include <functional>
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/clock.h"
#include "router/data/i2np/header.h"
#include "tunnels/build/errors.h"
#include "tunnels/build/record_crypto.h"
#include "tunnels/build/records.h"
#include "tunnels/build/replay.h"

namespace umbra::tunnels {

struct HopConfig {
    // Accepted request times (the record holds minutes, rounded down). The spec gives no
    // window; these are Java I2P's (BuildHandler: 8 minutes old for ECIES, 5 in the future).
    Milliseconds max_request_age{std::chrono::minutes(8)};
    Milliseconds max_request_future{std::chrono::minutes(5)};
    std::size_t replay_capacity = std::size_t{1} << 17; // ~100 requests/s over the window
};

// The local decision on an acceptable request: kReplyAccept or a reject code (the spec asks
// ECIES hops to use kRejectBandwidth for every refusal), and reply options: when accepting a
// request with "m" or "r", "b" = the bandwidth we offer (tunnel-creation-ecies.rst "Build Reply
// Option"). Converts from a bare reply byte.
struct HopDecision {
    HopDecision(std::uint8_t code = kReplyAccept) : reply(code) {} // NOLINT: implicit by design
    HopDecision(std::uint8_t code, data::Mapping options)
        : reply(code), reply_options(std::move(options))
    {
    }
    std::uint8_t reply = kReplyAccept;
    data::Mapping reply_options;
};
using HopPolicy = std::function<HopDecision(const BuildRequestRecord&)>;

struct HopOutput {
    std::uint8_t reply = kReplyAccept;
    HopKeys keys; // our part of the tunnel; install it only when reply == kReplyAccept

    // What to send: an I2NP message of `type` with id `message_id` ("next message ID") and
    // `payload` (the build message with our reply), to router `to`. Participants and the IBGW
    // forward the build message (23/25) to the next hop directly. The OBEP sends the reply
    // (24/26) down the reply tunnel: a TunnelGateway (19) for tunnel `via_gateway_tunnel` to
    // the reply IBGW `to`. For short records the OBEP's reply is first garlic-wrapped as an
    // ECIES Existing Session message with `garlic` (k = key, n = 0, ad = tag; README.md),
    // unless `to` is ourselves.
    i2np::MessageType type = i2np::MessageType::short_tunnel_build;
    MessageId message_id;
    std::vector<std::uint8_t> payload;
    IdentHash to;
    std::optional<TunnelId> via_gateway_tunnel;
    std::optional<GarlicReply> garlic;
};

class BuildHop {
public:
    // `static_keys` is our router's X25519 encryption key pair; `our_ident` our identity hash.
    BuildHop(crypto::X25519Keypair static_keys, const IdentHash& our_ident, HopConfig config = {});

    // `payload` is the I2NP payload of a type 23 or 25 message.
    Result<HopOutput> handle(i2np::MessageType type, Bytes payload, WallTime now, crypto::Rng& rng,
                             const HopPolicy& policy);

    const ReplayCache& replay_cache() const { return replay_; }

private:
    struct Opened;
    Result<Opened> open(RecordFormat format, Bytes record, WallTime now);
    HopDecision decide(const BuildRequestRecord& request, bool cache_full,
                       const HopPolicy& policy) const;

    crypto::X25519Keypair keys_;
    IdentHash ident_;
    crypto::Hash32 hash_for_us_; // Noise h after MixHash(our static key), fixed
    HopConfig config_;
    ReplayCache replay_;
};

} // namespace umbra::tunnels
