// The transit data plane on every core (issue 5 "The data plane uses every core").
//
// Threading design
// ----------------
// Transit work is split into N shards (N = cores by default). A transit tunnel belongs to the
// shard `shard_of(receive tunnel id)`; tunnel ids are chosen at random by each hop, so the
// shards get an even share. Each shard is one TransitTable with its own RNG and reassembly
// budget, owned by one io_context run by one thread (ARCHITECTURE.md §4: one owner, no mutex in
// protocol code). Everything that touches a transit tunnel is posted to its shard:
//   - tunnels/build posts an accepted build record (HopKeys) with post_add(),
//   - the transports post TunnelData / TunnelGateway with post_tunnel_data() / post_...(),
//     keyed by the message's tunnel id, so the layer crypto of different tunnels runs in
//     parallel and the messages of one tunnel stay in order;
//   - each shard runs expire() from its own timer.
// Output goes to the TransitOut the caller gives per shard; it runs on the shard's thread and
// must hand messages to the transports by posting to their executors (the transport manager
// owns sessions; the shard never touches them). Counters are read by posting to a shard, or
// from any thread through the few atomics each shard writes after every task (tunnel count and
// bytes in: what the admission and bandwidth-share checks need), or directly once stopped.
// With no cross-shard state there is nothing to lock; the only shared objects are the
// io_contexts' queues and those atomics.
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "crypto/random.h"
#include "tunnels/transit/transit_table.h"

namespace umbra::tunnels {

class ShardedTransit {
public:
    // outs[i] receives shard i's output (one per shard, called only on shard i's thread).
    ShardedTransit(std::vector<TransitOut*> outs, TransitLimits per_shard,
                   Milliseconds expire_every = std::chrono::seconds(10));
    ~ShardedTransit(); // stop()s
    ShardedTransit(const ShardedTransit&) = delete;
    ShardedTransit& operator=(const ShardedTransit&) = delete;

    static std::size_t shard_of(TunnelId id, std::size_t shards);
    std::size_t shards() const { return shards_.size(); }

    // One thread per shard.
    void start();
    // Lets each shard finish what was posted, then joins the threads.
    void stop();

    // Thread-safe: each posts to the owning shard. `from` is the router the build request or
    // the TunnelData came from (the previous-hop check, TransitTable::add).
    void post_add(HopKeys keys, const IdentHash& from);
    void post_add(HopKeys keys); // previous hop not checked (tests, benchmarks)
    void post_tunnel_data(i2np::TunnelData message, const IdentHash& from);
    void post_tunnel_data(i2np::TunnelData message); // previous hop not checked
    void post_tunnel_gateway(i2np::TunnelGateway message);
    // Runs fn(table) on shard i's thread (counters, tests).
    void post_inspect(std::size_t shard, std::function<void(const TransitTable&)> fn);
    // Blocks until every shard has run what was posted before (tests).
    void drain();

    // Any thread: transit tunnels and bytes in over all shards, as of each shard's last task,
    // and the post_add() calls the shards have run (a caller that counts its own posts knows
    // how many are still queued: admission decisions then see tunnels not yet installed).
    std::size_t tunnel_count() const;
    std::uint64_t bytes_in() const;
    std::uint64_t adds_done() const;

    // Only after stop() (or before start()): the shard's table, read on the caller's thread.
    const TransitTable& table(std::size_t shard) const;
    TransitCounters counters() const; // summed; same rule
    // After stop(): hands every tunnel left to its shard's TransitOut::on_tunnel_closed().
    void close_all();

private:
    struct Shard;
    void arm_expiry(Shard& s);

    Milliseconds expire_every_;
    std::vector<std::unique_ptr<Shard>> shards_;
    std::vector<std::thread> threads_;
    bool running_ = false;
};

} // namespace umbra::tunnels
