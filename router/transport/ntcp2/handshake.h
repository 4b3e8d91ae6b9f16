// NTCP2 handshake engines (ntcp2.rst, "1) SessionRequest", "2) SessionCreated",
// "3) SessionConfirmed"): Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256, sans-IO. The shell
// asks wants() for the exact number of bytes to read next, passes them to on_read(), and sends
// whatever comes back. Any error ends the handshake for good (state Failed holds no secrets);
// the shell then applies probing resistance (responder) and never tells the peer why.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "router/base/ids.h"
#include "router/base/result.h"
#include "router/transport/ntcp2/ephemeral_keys.h"
#include "router/transport/ntcp2/keys.h"

namespace umbra::ntcp2 {

// Failure reasons, for counters and the one log line per failed session (never sent).
enum class HandshakeErrc {
    wrong_state = 1,     // on_read in a state that expects nothing, or with the wrong size
    bad_ephemeral_key,   // X/Y (or a static key) not a valid X25519 key (e.g. low order)
    aead_failure,        // a ChaChaPoly frame did not authenticate
    replayed,            // SessionRequest ephemeral key seen before (responder)
    wrong_network,       // netId in SessionRequest differs from ours
    bad_version,         // version field is not 2
    clock_skew,          // tsA/tsB too far from our clock (ntcp2.rst "Clock Skew Guidelines")
    bad_options,         // option block or sizes out of range
    bad_router_info,     // RouterInfo block missing, unparsable, bad signature, wrong netId
    static_key_mismatch, // Alice's static key differs from the "s" of her RouterInfo
    identity_mismatch,   // the RouterInfo is not the router that was dialled (initiator side)
};
const boost::system::error_category& handshake_category() noexcept;
inline ErrorCode make_error_code(HandshakeErrc e) noexcept
{
    return {static_cast<int>(e), handshake_category()};
}

// What a router publishes for NTCP2 and keeps secret.
struct LocalNtcp2 {
    IdentHash ident_hash; // ours: the AES key of the obfuscation toward us
    const crypto::X25519Keypair* static_key = nullptr; // not owned; outlives the handshake
    std::array<std::uint8_t, 16> iv{};                 // our published "i"
    std::vector<std::uint8_t> router_info; // our signed RouterInfo (sent in SessionConfirmed)
    std::uint8_t net_id = 2;
};

// The peer we dial: from its RouterInfo's NTCP2 address.
struct RemoteNtcp2 {
    IdentHash ident_hash;
    crypto::X25519Public static_key{}; // "s"
    std::array<std::uint8_t, 16> iv{}; // "i"
};

// A finished handshake.
struct Established {
    DataPhaseKeys keys;
    IdentHash peer;                             // the peer's router hash
    std::vector<std::uint8_t> peer_router_info; // responder: Alice's RouterInfo from message 3
    std::int64_t clock_skew_ms = 0;             // peer time minus our time, from tsA/tsB
};

// Recently seen SessionRequest ephemeral keys (ntcp2.rst: Bob "must" reject replays). Owned by
// the transport manager and shared by all responders on one executor.
class ReplayCache {
public:
    explicit ReplayCache(std::size_t capacity = 65536, Milliseconds window = Milliseconds(600000));
    ~ReplayCache();
    // False if key was seen within the window; otherwise records it.
    bool check_and_insert(const crypto::X25519Public& key, SteadyTime now);
    std::size_t size() const;
    Milliseconds window() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// RouterInfos whose signature verified, by SHA-256 of their exact bytes (signature included),
// so a peer that reconnects with the same RouterInfo costs a hash, not an Ed25519 verify
// (about 100 us, the largest single cost of Bob's handshake). Only the signature check is
// skipped: netId, published date and static key are checked on every handshake. Bounded;
// the oldest entry leaves first. Owned by the transport and shared by its responders on one
// executor. The digest of what verified cannot match other bytes, so a peer gains nothing by
// filling it: entries are added only after a signature verified.
//
// A vouch (optional) is a second source: the owner's answer to "do you hold exactly these bytes
// as the RouterInfo of this router, verified?" (the daemon's netdb store verifies every
// RouterInfo it keeps). Bytes it vouches for are not verified again either and are added to the
// set; a peer cannot make it say yes for bytes other than what was verified.
class VerifiedRouterInfos {
public:
    using Vouch = std::function<bool(const IdentHash& router, Bytes router_info)>;

    explicit VerifiedRouterInfos(std::size_t capacity = 4096);
    ~VerifiedRouterInfos();
    bool contains(const crypto::Hash32& digest) const;
    void insert(const crypto::Hash32& digest);
    std::size_t size() const;

    void set_vouch(Vouch vouch);
    // True when a vouch is set and says yes (counted in vouched()).
    bool vouched_for(const IdentHash& router, Bytes router_info);
    std::uint64_t vouched() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Initiator {
public:
    // `ephemeral` (optional) supplies X, prepared ahead; otherwise start() generates it.
    Initiator(const LocalNtcp2& local, RemoteNtcp2 remote, EphemeralKeys* ephemeral = nullptr);
    ~Initiator();
    Initiator(Initiator&&) noexcept;
    Initiator& operator=(Initiator&&) noexcept;

    // SessionRequest (message 1), with random padding.
    std::vector<std::uint8_t> start(WallTime now, crypto::Rng& rng);
    std::size_t wants() const; // exact bytes to read next; 0 when done or failed
    // Returns bytes to send: empty after SessionCreated's fixed part (padding still to read),
    // SessionConfirmed once SessionCreated's padding was read.
    Result<std::vector<std::uint8_t>> on_read(Bytes data, WallTime now, crypto::Rng& rng);
    bool established() const;
    Established take_established(); // once, after established()
    // Bob's clock minus ours (ms), once SessionCreated authenticated; kept after a clock_skew
    // failure so the shell can judge its own clock ("Clock Skew Guidelines").
    std::optional<std::int64_t> clock_skew_ms() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class Responder {
public:
    // `verified` (optional) lets Bob skip re-verifying a RouterInfo he verified before;
    // `ephemeral` (optional) supplies Y, prepared ahead (otherwise generated when needed).
    Responder(const LocalNtcp2& local, ReplayCache& replay, VerifiedRouterInfos* verified = nullptr,
              EphemeralKeys* ephemeral = nullptr);
    ~Responder();
    Responder(Responder&&) noexcept;
    Responder& operator=(Responder&&) noexcept;

    std::size_t wants() const; // 64 first; then padding; then SessionConfirmed's size
    // Returns SessionCreated after SessionRequest's padding was read; otherwise empty. A tsA
    // more than 60 s off still gets SessionCreated ("Clock Skew Guidelines") when within half
    // the replay window (clock_skew error beyond); SessionConfirmed then fails with clock_skew
    // unless the skew, corrected by half the round trip, is back within 60 s.
    Result<std::vector<std::uint8_t>> on_read(Bytes data, WallTime now, SteadyTime steady,
                                              crypto::Rng& rng);
    bool established() const;
    Established take_established();
    // Alice's clock minus ours (ms), once SessionRequest authenticated.
    std::optional<std::int64_t> clock_skew_ms() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace umbra::ntcp2

template <> struct boost::system::is_error_code_enum<umbra::ntcp2::HandshakeErrc> : std::true_type {
};
