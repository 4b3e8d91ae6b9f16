// The garlic layer of the router itself (ecies-routers.rst): Garlic messages addressed to our
// router are decrypted by garlic::GarlicRouterInbox (reply tags of our lookups first, then the
// one-time "N" messages to our static key), and each clove goes where its delivery instructions
// say (i2np.rst "Garlic Clove Delivery Instructions"): LOCAL back into the dispatcher, ROUTER and
// TUNNEL out through Outbound. DESTINATION cloves need the client layer and are counted and
// dropped. One owner executor.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

#include "router/app/outbound.h"
#include "router/base/log.h"
#include "router/garlic/inbox.h"

namespace umbra::app {

struct GarlicServiceCounters {
    std::uint64_t garlic_received = 0;
    std::uint64_t undecryptable = 0;
    std::uint64_t cloves_local = 0;
    std::uint64_t cloves_forwarded = 0;
    std::uint64_t cloves_for_destinations = 0; // no client layer yet: dropped
};

class GarlicService final : public dispatch::GarlicLayer {
public:
    GarlicService(garlic::GarlicRouterInbox& inbox, dispatch::Dispatcher& dispatcher,
                  Outbound& outbound, const Clock& clock, Logger& log)
        : inbox_(inbox), dispatcher_(dispatcher), outbound_(outbound), clock_(clock), log_(log)
    {
    }

    // Replies to lookups sent through our tunnels have no transport sender: this names the
    // router a reply tag was given to (OwnTunnels::reply_source), and its cloves are handled as
    // coming from that router.
    using ReplySource = std::function<std::optional<IdentHash>(Bytes garlic_body)>;
    void set_reply_source(ReplySource source) { reply_source_ = std::move(source); }

    void on_garlic(const IdentHash& from, i2np::Message message) override;
    const GarlicServiceCounters& counters() const { return counters_; }
    // One line of counters (at shutdown).
    void log_summary() const;

private:
    garlic::GarlicRouterInbox& inbox_;
    dispatch::Dispatcher& dispatcher_;
    Outbound& outbound_;
    const Clock& clock_;
    Logger& log_;
    ReplySource reply_source_;
    GarlicServiceCounters counters_;
};

} // namespace umbra::app
