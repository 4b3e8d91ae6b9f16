// The creator side of ECIES tunnel building (tunnel-creation-ecies.rst): one build request for
// hops h1..hn, inbound or outbound, long or short records, and the handling of its reply.
//
// Records sit in random slots among `record_count` (fake slots hold random bytes; an inbound
// build also gets a fake record for us with our truncated hash and a real X25519 key, "Build
// Records"). Hop i's record is pre-processed with the inverse of hops 1..i-1's symmetric passes
// so hop i finds it intact; every fake record is pre-processed through all n passes so it
// arrives back as chosen, which is how we check that no hop modified it.
#pragma once
#include <optional>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/clock.h"
#include "router/data/i2np/header.h"
#include "tunnels/build/errors.h"
#include "tunnels/build/hop.h"
#include "tunnels/build/record_crypto.h"
#include "tunnels/build/records.h"

namespace umbra::tunnels {

struct CreatorHop {
    IdentHash ident;
    crypto::X25519Public encryption_key{}; // the hop's X25519 static key (RouterIdentity)
    TunnelId receive_tunnel;               // chosen by us, nonzero
    data::Mapping options;                 // build options for this hop ("m", "r", "l")
};

struct BuildPlan {
    RecordFormat format = RecordFormat::short_ecies;
    bool inbound = false;
    std::vector<CreatorHop> hops; // in the order the build message visits them (1..8)
    // Where the last hop sends: outbound, the reply tunnel's gateway and tunnel id (the OBEP
    // sends the reply there); inbound, ourselves and our endpoint's tunnel id.
    IdentHash reply_ident;
    TunnelId reply_tunnel;
    MessageId reply_message_id;   // the last hop's "next message ID": the message we wait for
    std::size_t record_count = 0; // 0: the spec's minimum of 4, or more if the hops need it
    Milliseconds timeout{std::chrono::seconds(10)};
};

// The first message: send an I2NP message of `type` and id `message_id` with `payload` to
// `first_hop` (outbound: directly; inbound: through one of our outbound tunnels, optionally
// garlic-wrapped to the IBGW, tunnel-creation-ecies.rst "Message Flow").
struct BuildRequest {
    i2np::MessageType type = i2np::MessageType::short_tunnel_build;
    MessageId message_id;
    std::vector<std::uint8_t> payload;
    IdentHash first_hop;
};

struct BuildOutcome {
    std::vector<std::uint8_t> replies; // per hop, in hop order
    bool accepted = false;             // every hop replied kReplyAccept
    std::vector<HopKeys> hops;         // every hop's keys, in hop order
    std::vector<data::Mapping> reply_options;
};

class PendingBuild {
public:
    // Errc::invalid_value for an empty or too long hop list, a record count that cannot hold
    // them, or a hop key that is low-order; Errc::too_large if a hop's options do not fit.
    static Result<std::pair<PendingBuild, BuildRequest>> create(BuildPlan plan, WallTime now,
                                                                crypto::Rng& rng);

    // The reply: outbound, a VariableTunnelBuildReply (24) / OutboundTunnelBuildReply (26);
    // inbound, the build message itself (23/25) with id reply_message_id(). BuildErrc::bad_reply
    // if a reply record fails its tag or a fake record changed; the build is then void.
    Result<BuildOutcome> handle_reply(i2np::MessageType type, Bytes payload);

    MessageId reply_message_id() const { return reply_message_id_; }
    WallTime deadline() const { return deadline_; } // the caller drops the build after it
    bool inbound() const { return inbound_; }
    // Outbound short builds: the OBEP garlic-wraps its reply with this key and tag.
    const std::optional<GarlicReply>& garlic_reply() const { return garlic_; }

private:
    struct HopState {
        std::size_t slot = 0;
        ReplyCipher cipher;
        crypto::Key32 reply_aead_key; // long: ck; short: replyKey
        crypto::Hash32 h{};
        HopKeys keys;
    };
    struct FakeRecord {
        std::size_t slot = 0;
        std::vector<std::uint8_t> expected; // its content when the message comes back
    };

    PendingBuild() = default;
    Result<void> add_hop(const BuildPlan& plan, std::size_t i, std::size_t slot, WallTime now,
                         crypto::Rng& rng, std::vector<std::uint8_t>& buf);
    void add_fake(const BuildPlan& plan, std::size_t slot, bool for_us, crypto::Rng& rng,
                  std::vector<std::uint8_t>& buf);
    MutableBytes record_at(std::vector<std::uint8_t>& buf, std::size_t slot) const;

    RecordFormat format_ = RecordFormat::short_ecies;
    bool inbound_ = false;
    std::size_t record_count_ = 0;
    MessageId reply_message_id_;
    WallTime deadline_;
    std::vector<HopState> hops_;
    std::vector<FakeRecord> fakes_;
    std::optional<GarlicReply> garlic_;
};

} // namespace umbra::tunnels
