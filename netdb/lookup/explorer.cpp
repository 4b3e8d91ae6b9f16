#include "netdb/lookup/explorer.h"

#include <algorithm>
#include <utility>

namespace umbra::netdb {

Explorer::Explorer(NetDbStore& db, const IdentHash& self, ExploreConfig config)
    : db_(db), self_(self), config_(config)
{
}

void Explorer::start(WallTime now)
{
    if (config_.enabled) {
        next_ = now;
    }
}

std::chrono::milliseconds Explorer::interval(std::size_t known) const
{
    if (known < config_.few_routers) {
        return config_.interval_few;
    }
    return known < config_.enough_routers ? config_.interval_some : config_.interval_enough;
}

void Explorer::on_timer(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out)
{
    if (!next_ || now < *next_) {
        return;
    }
    ++counters_.rounds;
    const std::size_t known = db_.size();
    const std::size_t n = known < config_.few_routers ? config_.lookups_per_round_few : 1;
    for (std::size_t i = 0; i < n && table.count(LookupPurpose::explore) < config_.max_in_flight;
         ++i) {
        explore_once(now, rng, table, out);
    }
    next_ = WallTime{now.ms + interval(known).count()};
}

void Explorer::explore_once(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out)
{
    // "each exploration query is directed to a random floodfill router".
    const auto ff = db_.random_routers(
        1,
        [&](const data::RouterInfo& ri) { return ri.caps().floodfill && ri.ident_hash() != self_; },
        rng);
    if (ff.empty()) {
        ++counters_.no_floodfill;
        return;
    }
    std::array<std::uint8_t, 32> key{};
    rng.fill(key);
    std::vector<IdentHash> known_floodfills;
    std::vector<IdentHash> known_others;
    db_.for_each_router_info([&](const data::RouterInfo& ri) {
        if (ri.ident_hash() != self_) {
            (ri.caps().floodfill ? known_floodfills : known_others).push_back(ri.ident_hash());
        }
    });
    const bool for_floodfills = known_floodfills.size() < config_.few_floodfills &&
                                std::exchange(for_floodfills_next_, !for_floodfills_next_);
    LookupRequest r;
    r.key = IdentHash(key);
    r.type = for_floodfills ? i2np::LookupType::router_info : i2np::LookupType::exploration;
    r.purpose = LookupPurpose::explore;
    r.targets = {ff.front()->ident_hash()};
    // The floodfill answers with routers close to the key (non-floodfills for an exploration,
    // floodfills for a RouterInfo lookup): exclude those we already know (the "real" hashes,
    // i2np.rst; closeness by the routing key, as the floodfill measures it).
    r.excluded = closest(routing_key(r.key, now), for_floodfills ? known_floodfills : known_others,
                         config_.max_excluded);
    if (for_floodfills) {
        ++counters_.floodfill_lookups;
    }
    if (table.start(std::move(r), now, rng, out)) {
        ++counters_.lookups;
    }
}

std::optional<WallTime> Explorer::next_deadline() const
{
    return next_;
}

} // namespace umbra::netdb
