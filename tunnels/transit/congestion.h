// Admission limits for transit tunnels and the congestion caps they publish (proposal 162,
// "Congestion Caps"; tunnel-creation-ecies.rst for the reject code). Sans-IO: the owner feeds
// the transit tunnel count and the transit bytes taken in, with the time, and reads whether new
// tunnels are refused and which cap letter our RouterInfo should carry.
//
//   D  "medium congestion": above 70% of the transit tunnel limit or of the bandwidth share;
//   E  "high congestion ... rejecting or dropping most tunnel requests": above 90%, or refusing
//      because the bandwidth share is used up;
//   G  "rejecting all tunnels": transit off (notransit, a zero limit or a zero share).
// A level is left only 10 points below where it was entered (hysteresis), and the published
// cap changes at most once a minute, so peers are not sent a new RouterInfo every second; the
// proposal asks for "an average of conditions over several minutes", which the bandwidth window
// and the minute between changes give.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "router/base/clock.h"

namespace umbra::tunnels {

// Transit bytes per second over a sliding window of one-second buckets.
class BandwidthMeter {
public:
    explicit BandwidthMeter(std::size_t window_seconds = 30);
    // `total` is a running total of bytes (e.g. the shards' counters): the meter adds the rise
    // since the last sample to the current second's bucket.
    void sample(std::uint64_t total, SteadyTime now);
    // Mean bytes/s over the window (the buckets of the last window_seconds seconds).
    std::uint64_t rate(SteadyTime now) const;

private:
    void advance(std::int64_t second);

    std::vector<std::uint64_t> buckets_;
    std::int64_t current_second_ = 0;
    bool started_ = false;
    std::optional<std::uint64_t> last_total_;
};

enum class CongestionCap : std::uint8_t { none, medium, high, rejecting_all };

// The cap letter ('D', 'E', 'G'), or 0 for none.
char cap_letter(CongestionCap c);

struct AdmissionLimits {
    bool accept_transit = true;
    std::size_t max_tunnels = 5000;
    std::uint64_t share_bytes_per_second = 0; // 0: transit refused (share 0)
    Milliseconds min_cap_interval{std::chrono::minutes(1)};
};

class TransitAdmission {
public:
    explicit TransitAdmission(AdmissionLimits limits);

    // Once a second (or so): the transit tunnel count and the running total of transit bytes.
    // Returns the new cap when the published one changes (at most once per min_cap_interval).
    std::optional<CongestionCap> update(std::size_t tunnels, std::uint64_t bytes_total,
                                        SteadyTime now);
    // Whether a new transit tunnel is refused now (the build reply then says 30).
    bool refuse(std::size_t tunnels) const;

    CongestionCap published() const { return published_; }
    CongestionCap wanted() const { return wanted_; }
    std::uint64_t rate(SteadyTime now) const { return meter_.rate(now); }
    bool over_share() const { return over_share_; }
    const AdmissionLimits& limits() const { return limits_; }

private:
    CongestionCap level(std::size_t tunnels, std::uint64_t rate) const;

    AdmissionLimits limits_;
    BandwidthMeter meter_;
    bool over_share_ = false;
    CongestionCap wanted_ = CongestionCap::none;
    CongestionCap published_ = CongestionCap::none;
    std::optional<SteadyTime> last_change_;
};

} // namespace umbra::tunnels
