// The simulator's discrete-event scheduler: one virtual clock and a queue of events ordered by
// (time, insertion sequence), so events at the same virtual millisecond run in the order they were
// scheduled and a run with a given seed always executes the same events in the same order.
// Single-threaded: events run one at a time, each may schedule more.
#pragma once
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "router/base/clock.h"

namespace umbra::sim {

// Virtual time in milliseconds since the start of the run.
using VirtualMs = std::int64_t;

class Scheduler {
public:
    using Event = std::function<void()>;

    VirtualMs now() const { return now_; }
    // Runs `event` at now() + delay (delay < 0 is taken as 0).
    void after(VirtualMs delay, Event event);
    // Runs every event due at or before `until`, then sets now() to `until`. Returns the number
    // of events run.
    std::uint64_t run_until(VirtualMs until);
    std::size_t pending() const { return queue_.size(); }
    std::uint64_t executed() const { return executed_; }

private:
    struct Entry {
        VirtualMs at;
        std::uint64_t seq;
        Event event;
    };
    struct Later {
        bool operator()(const Entry& a, const Entry& b) const
        {
            return a.at != b.at ? a.at > b.at : a.seq > b.seq;
        }
    };

    VirtualMs now_ = 0;
    std::uint64_t next_seq_ = 0;
    std::uint64_t executed_ = 0;
    std::priority_queue<Entry, std::vector<Entry>, Later> queue_;
};

} // namespace umbra::sim
