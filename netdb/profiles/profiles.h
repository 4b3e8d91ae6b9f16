// Peer profiles: what we observed of each router (tunnel build replies, netdb lookups and
// stores, connection attempts), kept for tunnel peer selection (tunnel-routing.html, "Peer
// Selection"; the spec leaves the scoring to the implementation). Sans-IO: every call takes
// the current time; one owner, no locks; the table is capped.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

#include "router/base/clock.h"
#include "router/base/ids.h"

namespace umbra::netdb {

// What happened with a router. Each event bumps one counter of its profile.
enum class PeerEvent {
    tunnel_agreed,    // accepted our tunnel build request
    tunnel_declined,  // rejected it
    tunnel_timed_out, // never replied
    lookup_answered,  // answered our DatabaseLookup (entry or search reply)
    lookup_timed_out, // did not
    store_confirmed,  // a DatabaseStore we sent was confirmed (DeliveryStatus / lookup check)
    connected,        // a transport session was established
    connect_failed,   // a connection attempt failed (unreachable)
    used,             // we took it for a tunnel ("taken")
};

struct PeerProfile {
    std::uint32_t tunnels_agreed = 0;
    std::uint32_t tunnels_declined = 0;
    std::uint32_t tunnels_timed_out = 0;
    std::uint32_t tunnels_timed_out_in_row = 0; // since the last agreed or declined build
    std::uint32_t lookups_answered = 0;
    std::uint32_t lookups_timed_out = 0;
    std::uint32_t stores_confirmed = 0;
    std::uint32_t connects = 0;
    std::uint32_t connect_failures = 0;
    std::uint32_t times_used = 0;
    WallTime last_seen{};        // last event showing the router alive (0: never)
    WallTime last_updated{};     // last event of any kind
    WallTime last_unreachable{}; // last connect_failed (0: never)
};

struct ProfilesConfig {
    std::size_t max_profiles = 10'000;
    // A profile not updated for this long is dropped by expire() (i2pd also uses 72 hours).
    std::chrono::milliseconds max_age = std::chrono::hours(72);
    // After a connect failure the router counts as unreachable for this long.
    std::chrono::milliseconds unreachable_for = std::chrono::minutes(10);
};

// A peer-selection score in [0, 1]: 0.5 for an unknown router, higher for routers that accept
// tunnels and answer, lower for those that decline, time out or cannot be reached; 0 while
// recently unreachable.
double peer_score(const PeerProfile& p, WallTime now, const ProfilesConfig& config = {});
// Worth avoiding for tunnels: recently unreachable, always declining, never replying, or no
// reply to our last kTimeoutsInRowBad builds (a router that went away after serving us).
inline constexpr std::uint32_t kTimeoutsInRowBad = 5;
bool peer_is_bad(const PeerProfile& p, WallTime now, const ProfilesConfig& config = {});

class PeerProfiles {
public:
    explicit PeerProfiles(ProfilesConfig config = {});

    // Creates the profile if needed (evicting the least recently updated ones when full).
    void record(const IdentHash& router, PeerEvent event, WallTime now);
    const PeerProfile* find(const IdentHash& router) const;
    // peer_score / peer_is_bad of the profile; an unknown router gets the neutral score.
    double score(const IdentHash& router, WallTime now) const;
    bool is_bad(const IdentHash& router, WallTime now) const;

    // Inserts or replaces a whole profile (used by load_profiles); evicts like record().
    void put(const IdentHash& router, const PeerProfile& profile);
    // Drops profiles not updated within max_age; returns how many.
    std::size_t expire(WallTime now);

    void for_each(const std::function<void(const IdentHash&, const PeerProfile&)>& f) const;
    std::size_t size() const { return profiles_.size(); }
    std::uint64_t evicted() const { return evicted_; }
    const ProfilesConfig& config() const { return config_; }

private:
    PeerProfile& slot(const IdentHash& router);
    void make_room();

    ProfilesConfig config_;
    std::map<IdentHash, PeerProfile> profiles_;
    std::uint64_t evicted_ = 0;
};

} // namespace umbra::netdb
