#include "tunnels/pool/peer_selection.h"

#include <algorithm>

namespace umbra::tunnels {

namespace {

// Bandwidth caps (common-structures.rst RouterInfo "caps"): K < 12 KBps, L 12-48, M 48-64,
// N 64-128, O 128-256, P 256-2000, X > 2000. peer-selection.html prefers fast routers; three
// tiers keep slow routers possible so tunnels are not always made of the same few.
std::uint64_t bandwidth_weight(char cap)
{
    switch (cap) {
    case 'M':
    case 'N':
        return 3;
    case 'O':
    case 'P':
    case 'X':
        return 6;
    default: // K, L and unknown letters
        return 1;
    }
}

// Integer weight (so the draw is exact with Rng::uniform): bandwidth x (0.1 + score), halved
// for cap D (proposal 162 "moderate congestion": use, but less).
std::uint64_t weight_of(const PeerCandidate& c)
{
    const double score = std::clamp(c.score, 0.0, 1.0);
    auto w =
        static_cast<std::uint64_t>(double(bandwidth_weight(c.bandwidth)) * (0.1 + score) * 1000.0);
    if (c.congested) {
        w /= 2;
    }
    return std::max<std::uint64_t>(w, 1);
}

bool eligible(const PeerCandidate& c, const IdentHash& self, std::span<const IdentHash> exclude)
{
    if (c.ident == self || !c.reachable || c.rejecting || c.bad) {
        return false;
    }
    return std::find(exclude.begin(), exclude.end(), c.ident) == exclude.end();
}

bool same_subnet16(std::uint32_t a, std::uint32_t b)
{
    return a != 0 && b != 0 && (a >> 16) == (b >> 16);
}

} // namespace

Result<std::vector<PeerCandidate>> select_hops(std::span<const PeerCandidate> candidates,
                                               std::size_t count, const IdentHash& self,
                                               std::span<const IdentHash> exclude,
                                               const SelectionRules& rules, crypto::Rng& rng)
{
    std::vector<const PeerCandidate*> open;
    open.reserve(candidates.size());
    for (const auto& c : candidates) {
        if (eligible(c, self, exclude)) {
            open.push_back(&c);
        }
    }
    std::vector<PeerCandidate> picked;
    picked.reserve(count);
    while (picked.size() < count) {
        if (open.empty()) {
            return Errc::unavailable;
        }
        std::uint64_t total = 0;
        for (const auto* c : open) {
            total += weight_of(*c);
        }
        std::uint64_t r = rng.uniform(total);
        std::size_t i = 0;
        while (r >= weight_of(*open[i])) {
            r -= weight_of(*open[i]);
            ++i;
        }
        const PeerCandidate chosen = *open[i];
        picked.push_back(chosen);
        // Drop the chosen router (and duplicates of it), and its /16 if the rule is on.
        std::erase_if(open, [&](const PeerCandidate* c) {
            return c->ident == chosen.ident ||
                   (rules.restrict_subnet && same_subnet16(c->ipv4, chosen.ipv4));
        });
    }
    return picked;
}

} // namespace umbra::tunnels
