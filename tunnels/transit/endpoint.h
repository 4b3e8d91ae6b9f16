// Endpoint processing (tunnel-message.rst; implementation.html "Endpoint Processing"): checks
// a decrypted tunnel message's checksum, walks its {instructions, fragment} pairs and
// reassembles fragmented I2NP messages. Reassembly is bounded per tunnel and in total (a shared
// ReassemblyBudget per owner executor), and fragments that never complete time out.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/clock.h"
#include "tunnels/transit/delivery_instructions.h"

namespace umbra::tunnels {

struct ReassemblyLimits {
    // Incomplete messages are dropped this long after their first fragment arrived (i2pd
    // drops incomplete messages after its 8 s I2NP expiration timeout).
    Milliseconds timeout{8000};
    std::size_t max_messages_per_tunnel = 64;
    std::size_t max_bytes_per_tunnel = 256 * 1024;
};

// Accounting shared by every endpoint of one owner (one transit shard): bytes held in
// incomplete messages, charged per fragment with a fixed overhead so that a flood of tiny
// fragments is charged for what it costs.
struct ReassemblyBudget {
    static constexpr std::size_t kFragmentOverhead = 64;
    std::size_t max_bytes = 16 * 1024 * 1024;
    std::size_t bytes = 0;
    std::size_t fragments = 0;
};

struct EndpointCounters {
    std::uint64_t blocks = 0;
    std::uint64_t bad_checksum = 0; // dropped whole
    std::uint64_t malformed = 0;    // no zero byte, bad instructions, fragment past the end
    std::uint64_t messages = 0;     // delivered to the sink
    std::uint64_t fragments = 0;    // fragments of fragmented messages accepted
    std::uint64_t duplicates = 0;   // fragment already held: ignored
    std::uint64_t over_limit = 0;   // fragment refused or partial evicted by a bound
    std::uint64_t expired = 0;      // incomplete messages dropped by the timeout
    std::uint64_t inconsistent = 0; // partial dropped: fragment numbers contradict each other
};

// Receives reassembled messages: the first fragment's delivery and the whole I2NP message.
class MessageSink {
public:
    virtual ~MessageSink() = default;
    virtual void on_message(const Delivery& delivery, std::vector<std::uint8_t>&& message) = 0;
};

class Endpoint {
public:
    Endpoint(ReassemblyLimits limits, ReassemblyBudget& budget) : limits_(limits), budget_(&budget)
    {
    }
    ~Endpoint(); // returns what it holds to the budget
    Endpoint(const Endpoint&) = delete;
    Endpoint& operator=(const Endpoint&) = delete;

    // `block`: a decrypted tunnel message, IV (16) + data (1008). Complete messages go to
    // `sink` at once; a tunnel message that is malformed part-way keeps what came before.
    void on_block(Bytes block, SteadyTime now, MessageSink& sink);
    // Drops incomplete messages older than the timeout.
    void expire(SteadyTime now);

    const EndpointCounters& counters() const { return counters_; }
    std::size_t incomplete_messages() const { return partials_.size(); }
    std::size_t bytes_held() const { return bytes_; }

private:
    struct Fragment {
        std::uint8_t number;
        std::vector<std::uint8_t> bytes;
    };
    struct Partial {
        SteadyTime started;
        Delivery delivery;
        std::uint64_t have = 0;  // bit n: fragment n held (0 = first fragment)
        std::uint8_t last = 0;   // number of the last fragment, 0 while unknown
        std::size_t charged = 0; // bytes charged to the budgets
        std::vector<Fragment> fragments;
    };

    bool check(Bytes iv, Bytes data, std::size_t& pairs_at);
    void on_fragment(const DeliveryInstructions& di, Bytes fragment, SteadyTime now,
                     MessageSink& sink);
    Partial* partial_for(MessageId id, std::size_t cost, SteadyTime now);
    void complete(std::uint32_t id, Partial& p, MessageSink& sink);
    void drop(std::unordered_map<std::uint32_t, Partial>::iterator it);
    void evict_oldest();

    ReassemblyLimits limits_;
    ReassemblyBudget* budget_;
    std::size_t bytes_ = 0;
    std::unordered_map<std::uint32_t, Partial> partials_; // by message id
    EndpointCounters counters_;
};

} // namespace umbra::tunnels
