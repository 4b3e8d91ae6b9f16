// Peer selection for our own tunnels (docs/how/peer-selection.html,
// docs/tunnels/implementation.html "Peer Selection"): which routers become the hops of a tunnel we
// build. Sans-IO: the caller supplies the candidates (from the netdb and the peer profiles) and an
// Rng.
//
// Rules, in order:
//   - never ourselves, never a router in `exclude` (hops already chosen, a failed tunnel's hops);
//   - never two hops in one IPv4 /16 (peer-selection.html "restrictions ... no two routers in the
//     same /16"), unless SelectionRules::restrict_subnet is off (private test networks on one
//     subnet);
//   - routers that are not reachable (no published address), that publish congestion caps E or G
//     (proposal 162), or that the profiles call bad, are not used;
//   - among the rest, each pick is random, weighted by bandwidth class and profile score, so
//     reachable high-bandwidth routers that accept our builds are preferred without always taking
//     the same few (which would make our tunnels predictable).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/random.h"
#include "crypto/x25519.h"
#include "router/base/ids.h"
#include "router/base/result.h"

namespace umbra::tunnels {

struct PeerCandidate {
    IdentHash ident;
    crypto::X25519Public encryption_key{}; // the router's X25519 static key (crypto type 4)
    std::uint32_t ipv4 = 0;                // a published IPv4 address (host order); 0: none
    char bandwidth = 'L';                  // highest bandwidth cap: K L M N O P X
    bool reachable = true;                 // publishes an address others can connect to
    bool congested = false;                // cap D: usable, weighted down
    bool rejecting = false;                // caps E or G: not asked
    bool bad = false;                      // PeerProfiles::is_bad
    double score = 0.5;                    // PeerProfiles::score, in [0, 1]
};

struct SelectionRules {
    bool restrict_subnet = true; // no two hops in one IPv4 /16
};

// Picks `count` distinct hops. Errc::unavailable when fewer
// than `count` candidates pass the rules (nothing is returned then: a shorter tunnel than
// asked for is the caller's decision).
Result<std::vector<PeerCandidate>> select_hops(std::span<const PeerCandidate> candidates,
                                               std::size_t count, const IdentHash& self,
                                               std::span<const IdentHash> exclude,
                                               const SelectionRules& rules, crypto::Rng& rng);

} // namespace umbra::tunnels
