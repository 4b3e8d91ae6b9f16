// Publishing our own RouterInfo (network-database.html, "RouterInfo Storage to Floodfills",
// "RouterInfo Storage Verification"): a DatabaseStore with a nonzero reply token, sent directly
// to the floodfill closest to the routing key of our hash; its DeliveryStatus confirms it; about
// 10 s later a lookup at another floodfill close to the key checks that it was flooded. A
// failure or timeout moves on to the next closest floodfill. Republished periodically, at once
// when our RouterInfo changes, and right after 00:00 UTC, when the routing key rotates and the
// floodfills closest to the new key have not received it yet ("the distributed network database
// may become unreliable for a few minutes after the rotation").
//
// Java disabled RouterInfo verification in 0.9.7.1 (the spec's note); it is kept here, in the
// form the issue asks for, and can be switched off (PublishConfig::verify).
#pragma once
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "crypto/random.h"
#include "netdb/lookup/config.h"
#include "netdb/lookup/lookup_table.h"
#include "router/data/i2np/delivery.h"

namespace umbra::netdb {

struct PublishCounters {
    std::uint64_t stores_sent = 0;
    std::uint64_t confirmed = 0; // DeliveryStatus received
    std::uint64_t confirm_timeouts = 0;
    std::uint64_t verified = 0;        // the verification lookup found it
    std::uint64_t verify_failures = 0; // it did not (or found an older one)
    std::uint64_t rounds_succeeded = 0;
    std::uint64_t rounds_failed = 0; // max_attempts floodfills failed, or none known
};

// The next 00:00 UTC strictly after now.
WallTime next_utc_midnight(WallTime now);

class Publisher {
public:
    Publisher(NetDbStore& db, const IdentHash& self, PublishConfig config,
              PeerProfiles* profiles = nullptr);

    // Our signed RouterInfo; a new one is published at the next on_timer() (now).
    void set_router_info(std::vector<std::uint8_t> bytes, WallTime published, WallTime now);

    void on_timer(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out);
    // Whether status confirms our pending store (same token, from the floodfill stored to).
    bool on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status,
                            WallTime now);
    // A finished verification lookup of the table; others are ignored.
    void on_lookup_result(const LookupResult& result, WallTime now, crypto::Rng& rng, Outbox& out);
    std::optional<WallTime> next_deadline() const;

    // The floodfill our store went to in the current attempt (tests, console).
    std::optional<IdentHash> current_floodfill() const;
    std::optional<WallTime> next_publish() const;
    const PublishCounters& counters() const { return counters_; }

private:
    struct Idle {
        WallTime next_publish;
    };
    struct AwaitingStatus {
        IdentHash floodfill;
        MessageId token;
        WallTime deadline;
    };
    struct AwaitingVerify {
        IdentHash floodfill;
        WallTime verify_at;
    };
    struct Verifying {
        IdentHash floodfill;
        LookupId lookup;
    };
    using State = std::variant<Idle, AwaitingStatus, AwaitingVerify, Verifying>;

    void attempt(WallTime now, crypto::Rng& rng, Outbox& out);
    void fail_attempt(WallTime now, crypto::Rng& rng, Outbox& out);
    void verify(const AwaitingVerify& s, WallTime now, crypto::Rng& rng, LookupTable& table,
                Outbox& out);
    void round_done(bool ok, WallTime now);

    NetDbStore& db_;
    IdentHash self_;
    PublishConfig config_;
    PeerProfiles* profiles_;
    std::vector<std::uint8_t> gzipped_; // empty: nothing to publish yet
    WallTime published_;
    State state_ = Idle{};
    std::vector<IdentHash> tried_; // this round, at most max_attempts
    PublishCounters counters_;
};

} // namespace umbra::netdb
