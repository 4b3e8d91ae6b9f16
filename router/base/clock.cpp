#include "router/base/clock.h"

namespace umbra {

SteadyTime SystemClock::steady() const
{
    return std::chrono::steady_clock::now();
}

WallTime SystemClock::wall() const
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return {std::chrono::duration_cast<Milliseconds>(now).count() + skew_ms_};
}

} // namespace umbra
