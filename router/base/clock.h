// Two injected clocks (ARCHITECTURE.md §3/§4): SteadyTime drives deadlines; WallTime drives I2NP
// expirations, published dates and DateTime blocks and carries a skew correction learned from
// peers. Engines receive times as arguments; only the shell reads a Clock.
#pragma once
#include <chrono>
#include <cstdint>

namespace umbra {

using SteadyTime = std::chrono::steady_clock::time_point;
using Milliseconds = std::chrono::milliseconds;

// Milliseconds since the Unix epoch, as in I2P "Date" fields.
struct WallTime {
    std::int64_t ms = 0;
    std::int64_t seconds() const { return ms / 1000; }
    auto operator<=>(const WallTime&) const = default;
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual SteadyTime steady() const = 0;
    virtual WallTime wall() const = 0; // system time plus the skew offset
};

class SystemClock final : public Clock {
public:
    SteadyTime steady() const override;
    WallTime wall() const override;
    // Corrects wall() by offset_ms (positive when peers say our clock is behind).
    void set_skew(std::int64_t offset_ms) { skew_ms_ = offset_ms; }
    std::int64_t skew() const { return skew_ms_; }

private:
    std::int64_t skew_ms_ = 0;
};

// A clock the test moves by hand.
class ManualClock final : public Clock {
public:
    explicit ManualClock(WallTime start = {1'700'000'000'000}) : wall_(start) {}
    SteadyTime steady() const override { return steady_; }
    WallTime wall() const override { return wall_; }
    void advance(Milliseconds d)
    {
        steady_ += d;
        wall_.ms += d.count();
    }

private:
    SteadyTime steady_{};
    WallTime wall_;
};

} // namespace umbra
