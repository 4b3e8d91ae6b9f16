// Helpers for the simulation's scenario tests: checks over every router's tunnels.
#pragma once
#include <cstddef>
#include <vector>

#include "tests/sim/simulation.h"

namespace umbra::sim::testing {

// Established exploratory tunnels of router i in one direction.
inline std::vector<tunnels::TunnelSummary> established(const Simulation& s, std::size_t i,
                                                       bool inbound)
{
    std::vector<tunnels::TunnelSummary> out;
    for (auto& t : s.router(i).tunnels().tunnels(tunnels::kExploratoryPool)) {
        if (t.inbound == inbound && t.state == tunnels::TunnelState::established)
            out.push_back(std::move(t));
    }
    return out;
}

inline bool uses(const tunnels::TunnelSummary& t, const IdentHash& hop)
{
    for (const auto& h : t.hops) {
        if (h == hop)
            return true;
    }
    return false;
}

// Established tunnels of up routers with `hop` among their hops.
inline std::size_t tunnels_through(const Simulation& s, const IdentHash& hop)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!s.router(i).up())
            continue;
        for (const bool inbound : {true, false}) {
            for (const auto& t : established(s, i, inbound))
                n += uses(t, hop) ? 1 : 0;
        }
    }
    return n;
}

// Tunnels (any state) of any router holding both `a` and `b` as hops.
inline std::size_t tunnels_with_both(const Simulation& s, const IdentHash& a, const IdentHash& b)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        for (const auto& t : s.router(i).tunnels().tunnels(tunnels::kExploratoryPool))
            n += uses(t, a) && uses(t, b) ? 1 : 0;
    }
    return n;
}

} // namespace umbra::sim::testing
