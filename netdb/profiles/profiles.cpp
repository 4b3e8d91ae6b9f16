#include "netdb/profiles/profiles.h"

#include <algorithm>
#include <vector>

namespace umbra::netdb {

namespace {

void bump(std::uint32_t& counter)
{
    if (counter != UINT32_MAX)
        ++counter;
}

bool recently_unreachable(const PeerProfile& p, WallTime now, const ProfilesConfig& c)
{
    return p.last_unreachable.ms != 0 && now.ms - p.last_unreachable.ms < c.unreachable_for.count();
}

// (successes + 1) / (total + 2): Laplace smoothing, 0.5 with no evidence.
double ratio(double good, double bad)
{
    return (good + 1.0) / (good + bad + 2.0);
}

} // namespace

double peer_score(const PeerProfile& p, WallTime now, const ProfilesConfig& config)
{
    if (recently_unreachable(p, now, config))
        return 0.0;
    // Tunnel participation matters most for peer selection; responsiveness and reachability
    // temper it.
    const double tunnels =
        ratio(p.tunnels_agreed, double(p.tunnels_declined) + 2.0 * p.tunnels_timed_out);
    const double lookups = ratio(p.lookups_answered + p.stores_confirmed, p.lookups_timed_out);
    const double reach = ratio(p.connects, p.connect_failures);
    return 0.6 * tunnels + 0.2 * lookups + 0.2 * reach;
}

bool peer_is_bad(const PeerProfile& p, WallTime now, const ProfilesConfig& config)
{
    if (recently_unreachable(p, now, config))
        return true;
    const bool always_declining = p.tunnels_agreed == 0 && p.tunnels_declined >= 5;
    const bool never_replying =
        p.tunnels_timed_out > 20 && p.tunnels_agreed == 0 && p.tunnels_declined == 0;
    return always_declining || never_replying || p.tunnels_timed_out_in_row >= kTimeoutsInRowBad;
}

PeerProfiles::PeerProfiles(ProfilesConfig config) : config_(config)
{
    config_.max_profiles = std::max<std::size_t>(config_.max_profiles, 1);
}

void PeerProfiles::make_room()
{
    if (profiles_.size() < config_.max_profiles)
        return;
    // Evict the least recently updated eighth in one pass, so a stream of new routers costs
    // O(log n) amortised rather than a full scan per insert.
    std::vector<std::pair<std::int64_t, IdentHash>> ages;
    ages.reserve(profiles_.size());
    for (const auto& [hash, p] : profiles_)
        ages.emplace_back(p.last_updated.ms, hash);
    const std::size_t drop = std::max<std::size_t>(1, profiles_.size() / 8);
    std::nth_element(ages.begin(), ages.begin() + std::ptrdiff_t(drop - 1), ages.end());
    for (std::size_t i = 0; i < drop; ++i)
        profiles_.erase(ages[i].second);
    evicted_ += drop;
}

PeerProfile& PeerProfiles::slot(const IdentHash& router)
{
    auto it = profiles_.find(router);
    if (it != profiles_.end())
        return it->second;
    make_room();
    return profiles_[router];
}

void PeerProfiles::record(const IdentHash& router, PeerEvent event, WallTime now)
{
    PeerProfile& p = slot(router);
    p.last_updated = now;
    switch (event) {
    case PeerEvent::tunnel_agreed:
        bump(p.tunnels_agreed);
        p.tunnels_timed_out_in_row = 0;
        break;
    case PeerEvent::tunnel_declined:
        bump(p.tunnels_declined);
        p.tunnels_timed_out_in_row = 0;
        break;
    case PeerEvent::tunnel_timed_out:
        bump(p.tunnels_timed_out);
        bump(p.tunnels_timed_out_in_row);
        return;
    case PeerEvent::lookup_answered:
        bump(p.lookups_answered);
        break;
    case PeerEvent::lookup_timed_out:
        bump(p.lookups_timed_out);
        return;
    case PeerEvent::store_confirmed:
        bump(p.stores_confirmed);
        break;
    case PeerEvent::connected:
        bump(p.connects);
        break;
    case PeerEvent::connect_failed:
        bump(p.connect_failures);
        p.last_unreachable = now;
        return;
    case PeerEvent::used:
        bump(p.times_used);
        return;
    }
    // Only replies and connections prove the router alive.
    p.last_seen = now;
    if (event == PeerEvent::connected)
        p.last_unreachable = {};
}

const PeerProfile* PeerProfiles::find(const IdentHash& router) const
{
    auto it = profiles_.find(router);
    return it == profiles_.end() ? nullptr : &it->second;
}

double PeerProfiles::score(const IdentHash& router, WallTime now) const
{
    const PeerProfile* p = find(router);
    return p ? peer_score(*p, now, config_) : peer_score(PeerProfile{}, now, config_);
}

bool PeerProfiles::is_bad(const IdentHash& router, WallTime now) const
{
    const PeerProfile* p = find(router);
    return p && peer_is_bad(*p, now, config_);
}

void PeerProfiles::put(const IdentHash& router, const PeerProfile& profile)
{
    slot(router) = profile;
}

std::size_t PeerProfiles::expire(WallTime now)
{
    return std::erase_if(profiles_, [&](const auto& kv) {
        return now.ms - kv.second.last_updated.ms > config_.max_age.count();
    });
}

void PeerProfiles::for_each(
    const std::function<void(const IdentHash&, const PeerProfile&)>& f) const
{
    for (const auto& [hash, p] : profiles_)
        f(hash, p);
}

} // namespace umbra::netdb
