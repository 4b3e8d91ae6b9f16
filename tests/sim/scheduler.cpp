#include "tests/sim/scheduler.h"

#include <algorithm>
#include <utility>

namespace umbra::sim {

void Scheduler::after(VirtualMs delay, Event event)
{
    queue_.push(Entry{now_ + std::max<VirtualMs>(delay, 0), next_seq_++, std::move(event)});
}

std::uint64_t Scheduler::run_until(VirtualMs until)
{
    std::uint64_t ran = 0;
    while (!queue_.empty() && queue_.top().at <= until) {
        // priority_queue::top() is const: move the callable out through a copy of the entry's
        // handle before popping (the entry is destroyed by pop()).
        Event event = std::move(const_cast<Entry&>(queue_.top()).event);
        now_ = queue_.top().at;
        queue_.pop();
        event();
        ++ran;
    }
    now_ = std::max(now_, until);
    executed_ += ran;
    return ran;
}

} // namespace umbra::sim
