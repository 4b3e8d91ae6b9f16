// Exploration (network-database.html, "Exploration"; i2np.rst "DatabaseLookup", lookup type 3):
// a DatabaseLookup of a random key, flagged exploratory, to a random floodfill, which answers
// with non-floodfill routers close to the key; those we do not know are fetched (the table's
// RouterInfo lookups to that floodfill) and stored. Runs often while we know few routers and
// rarely once we know enough ("exploration is a low-frequency task").
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>

#include "crypto/random.h"
#include "netdb/lookup/config.h"
#include "netdb/lookup/lookup_table.h"

namespace umbra::netdb {

struct ExploreCounters {
    std::uint64_t rounds = 0;
    std::uint64_t lookups = 0;
    std::uint64_t floodfill_lookups = 0; // RouterInfo lookups of a random key (see few_floodfills)
    std::uint64_t no_floodfill = 0;      // a round found no floodfill to ask
};

class Explorer {
public:
    Explorer(NetDbStore& db, const IdentHash& self, ExploreConfig config);

    // The first round runs at the next on_timer(now).
    void start(WallTime now);
    void on_timer(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out);
    std::optional<WallTime> next_deadline() const;

    // The pause after a round when `known` RouterInfos are stored.
    std::chrono::milliseconds interval(std::size_t known) const;
    const ExploreCounters& counters() const { return counters_; }

private:
    void explore_once(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out);

    NetDbStore& db_;
    IdentHash self_;
    ExploreConfig config_;
    std::optional<WallTime> next_;
    ExploreCounters counters_;
    bool for_floodfills_next_ = true; // alternates while few floodfills are known
};

} // namespace umbra::netdb
