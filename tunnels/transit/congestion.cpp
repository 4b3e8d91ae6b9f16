#include "tunnels/transit/congestion.h"

#include <algorithm>

namespace umbra::tunnels {

namespace {

constexpr unsigned medium_percent = 70;
constexpr unsigned high_percent = 90;
constexpr unsigned hysteresis_percent = 10;

std::int64_t second_of(SteadyTime t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Usage in percent of a limit, saturating; a zero limit counts as full.
std::uint64_t percent(std::uint64_t used, std::uint64_t limit)
{
    return limit == 0 ? 100 : std::min<std::uint64_t>(used * 100 / limit, 1000);
}

// Ring index of a second (seconds may be negative in virtual time).
std::size_t slot(std::int64_t second, std::size_t n)
{
    const auto m = std::int64_t(n);
    return std::size_t(((second % m) + m) % m);
}

} // namespace

BandwidthMeter::BandwidthMeter(std::size_t window_seconds)
    : buckets_(std::max<std::size_t>(1, window_seconds), 0)
{
}

void BandwidthMeter::advance(std::int64_t second)
{
    if (!started_ || second - current_second_ >= std::int64_t(buckets_.size())) {
        std::fill(buckets_.begin(), buckets_.end(), 0);
        started_ = true;
        current_second_ = second;
        return;
    }
    for (auto s = current_second_ + 1; s <= second; ++s) {
        buckets_[slot(s, buckets_.size())] = 0;
    }
    current_second_ = second;
}

void BandwidthMeter::sample(std::uint64_t total, SteadyTime now)
{
    const auto second = second_of(now);
    if (!started_ || second > current_second_) {
        advance(second);
    }
    const std::uint64_t rise = last_total_ && total >= *last_total_ ? total - *last_total_ : 0;
    last_total_ = total;
    buckets_[slot(current_second_, buckets_.size())] += rise;
}

std::uint64_t BandwidthMeter::rate(SteadyTime now) const
{
    const auto second = second_of(now);
    if (!started_ || second - current_second_ >= std::int64_t(buckets_.size())) {
        return 0;
    }
    // Buckets older than the window (seconds between the last sample and now) count as zero.
    std::uint64_t sum = 0;
    const auto stale = second - current_second_;
    for (std::int64_t i = 0; i < std::int64_t(buckets_.size()) - stale; ++i) {
        sum += buckets_[slot(current_second_ - i, buckets_.size())];
    }
    return sum / buckets_.size();
}

char cap_letter(CongestionCap c)
{
    switch (c) {
    case CongestionCap::none:
        return 0;
    case CongestionCap::medium:
        return 'D';
    case CongestionCap::high:
        return 'E';
    case CongestionCap::rejecting_all:
        return 'G';
    }
    return 0;
}

TransitAdmission::TransitAdmission(AdmissionLimits limits) : limits_(limits)
{
    if (!limits_.accept_transit || limits_.max_tunnels == 0 ||
        limits_.share_bytes_per_second == 0) {
        // Configuration, not congestion: published from the start.
        wanted_ = published_ = CongestionCap::rejecting_all;
    }
}

CongestionCap TransitAdmission::level(std::size_t tunnels, std::uint64_t rate) const
{
    if (wanted_ == CongestionCap::rejecting_all) {
        return CongestionCap::rejecting_all; // by configuration: for good
    }
    const auto usage = std::max(percent(tunnels, limits_.max_tunnels),
                                percent(rate, limits_.share_bytes_per_second));
    // Entering a level takes its threshold; staying in it, the threshold less the hysteresis.
    const auto keep = [this](CongestionCap at, unsigned threshold) {
        return wanted_ >= at ? threshold - hysteresis_percent : threshold;
    };
    if (over_share_ || usage >= keep(CongestionCap::high, high_percent)) {
        return CongestionCap::high;
    }
    if (usage >= keep(CongestionCap::medium, medium_percent)) {
        return CongestionCap::medium;
    }
    return CongestionCap::none;
}

std::optional<CongestionCap> TransitAdmission::update(std::size_t tunnels,
                                                      std::uint64_t bytes_total, SteadyTime now)
{
    meter_.sample(bytes_total, now);
    const auto r = meter_.rate(now);
    over_share_ = limits_.share_bytes_per_second != 0 && r >= limits_.share_bytes_per_second;
    wanted_ = level(tunnels, r);
    if (wanted_ == published_ || (last_change_ && now - *last_change_ < limits_.min_cap_interval)) {
        return std::nullopt;
    }
    published_ = wanted_;
    last_change_ = now;
    return published_;
}

bool TransitAdmission::refuse(std::size_t tunnels) const
{
    return wanted_ == CongestionCap::rejecting_all || over_share_ || tunnels >= limits_.max_tunnels;
}

} // namespace umbra::tunnels
