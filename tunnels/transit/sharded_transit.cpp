#include "tunnels/transit/sharded_transit.h"

#include <future>

#include <boost/asio/post.hpp>

namespace umbra::tunnels {

namespace asio = boost::asio;

struct ShardedTransit::Shard {
    Shard(TransitOut& o, TransitLimits limits)
        : out(o), table(limits, rng), timer(io), work(asio::make_work_guard(io))
    {
    }
    // Written by the shard after every task, read by anyone.
    void publish()
    {
        tunnels.store(table.size(), std::memory_order_relaxed);
        bytes.store(table.bytes_in(), std::memory_order_relaxed);
    }
    asio::io_context io{1}; // one thread: the concurrency hint lets Asio skip its locking
    TransitOut& out;
    crypto::ChaChaRng rng; // padding and IVs of inbound-gateway messages
    TransitTable table;
    asio::steady_timer timer;
    asio::executor_work_guard<asio::io_context::executor_type> work;
    std::atomic<std::size_t> tunnels{0};
    std::atomic<std::uint64_t> bytes{0};
    std::atomic<std::uint64_t> adds{0};
};

ShardedTransit::ShardedTransit(std::vector<TransitOut*> outs, TransitLimits per_shard,
                               Milliseconds expire_every)
    : expire_every_(expire_every)
{
    for (TransitOut* out : outs) {
        shards_.push_back(std::make_unique<Shard>(*out, per_shard));
    }
}

ShardedTransit::~ShardedTransit()
{
    stop();
}

std::size_t ShardedTransit::shard_of(TunnelId id, std::size_t shards)
{
    // Ids are random, but a peer may pick them; a multiplicative mix spreads sequential ones.
    return std::size_t((std::uint64_t{id.value()} * 0x9E3779B97F4A7C15ull) >> 32) % shards;
}

void ShardedTransit::arm_expiry(Shard& s)
{
    s.timer.expires_after(expire_every_);
    s.timer.async_wait([this, &s](const boost::system::error_code& ec) {
        if (ec) {
            return; // cancelled by stop()
        }
        s.table.expire(std::chrono::steady_clock::now(), &s.out);
        s.publish();
        arm_expiry(s);
    });
}

void ShardedTransit::start()
{
    if (running_) {
        return;
    }
    running_ = true;
    for (auto& s : shards_) {
        Shard* shard = s.get();
        asio::post(shard->io, [this, shard] { arm_expiry(*shard); });
        threads_.emplace_back([shard] { shard->io.run(); });
    }
}

void ShardedTransit::stop()
{
    for (auto& s : shards_) {
        Shard* shard = s.get();
        asio::post(shard->io, [shard] { shard->timer.cancel(); });
        shard->work.reset();
    }
    for (auto& t : threads_) {
        t.join();
    }
    threads_.clear();
    running_ = false;
}

void ShardedTransit::post_add(HopKeys keys, const IdentHash& from)
{
    Shard& s = *shards_[shard_of(keys.receive_tunnel, shards_.size())];
    auto k = std::make_shared<HopKeys>(std::move(keys)); // copyable handler; keys moved once
    asio::post(s.io, [&s, k, from] {
        (void)s.table.add(*k, from, std::chrono::steady_clock::now());
        s.publish();
        s.adds.fetch_add(1, std::memory_order_relaxed);
    });
}

void ShardedTransit::post_add(HopKeys keys)
{
    Shard& s = *shards_[shard_of(keys.receive_tunnel, shards_.size())];
    auto k = std::make_shared<HopKeys>(std::move(keys));
    asio::post(s.io, [&s, k] {
        (void)s.table.add(*k, std::chrono::steady_clock::now());
        s.publish();
        s.adds.fetch_add(1, std::memory_order_relaxed);
    });
}

void ShardedTransit::post_tunnel_data(i2np::TunnelData message, const IdentHash& from)
{
    Shard& s = *shards_[shard_of(message.tunnel, shards_.size())];
    asio::post(s.io, [&s, m = std::move(message), from]() mutable {
        s.table.on_tunnel_data(m, from, std::chrono::steady_clock::now(), s.out);
        s.publish();
    });
}

void ShardedTransit::post_tunnel_data(i2np::TunnelData message)
{
    Shard& s = *shards_[shard_of(message.tunnel, shards_.size())];
    asio::post(s.io, [&s, m = std::move(message)]() mutable {
        s.table.on_tunnel_data(m, std::chrono::steady_clock::now(), s.out);
        s.publish();
    });
}

void ShardedTransit::post_tunnel_gateway(i2np::TunnelGateway message)
{
    Shard& s = *shards_[shard_of(message.tunnel, shards_.size())];
    asio::post(s.io, [&s, m = std::move(message)] {
        s.table.on_tunnel_gateway(m, std::chrono::steady_clock::now(), s.out);
        s.publish();
    });
}

void ShardedTransit::post_inspect(std::size_t shard, std::function<void(const TransitTable&)> fn)
{
    Shard& s = *shards_.at(shard);
    asio::post(s.io, [&s, fn = std::move(fn)] { fn(s.table); });
}

void ShardedTransit::drain()
{
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        std::promise<void> done;
        auto f = done.get_future();
        post_inspect(i, [&done](const TransitTable&) { done.set_value(); });
        if (running_) {
            f.wait();
        } else {
            shards_[i]->io.poll(); // not started: run the queue here
        }
    }
}

std::size_t ShardedTransit::tunnel_count() const
{
    std::size_t n = 0;
    for (const auto& s : shards_) {
        n += s->tunnels.load(std::memory_order_relaxed);
    }
    return n;
}

std::uint64_t ShardedTransit::bytes_in() const
{
    std::uint64_t n = 0;
    for (const auto& s : shards_) {
        n += s->bytes.load(std::memory_order_relaxed);
    }
    return n;
}

std::uint64_t ShardedTransit::adds_done() const
{
    std::uint64_t n = 0;
    for (const auto& s : shards_) {
        n += s->adds.load(std::memory_order_relaxed);
    }
    return n;
}

const TransitTable& ShardedTransit::table(std::size_t shard) const
{
    return shards_.at(shard)->table;
}

TransitCounters ShardedTransit::counters() const
{
    TransitCounters sum;
    for (const auto& s : shards_) {
        const auto& c = s->table.counters();
        sum.added += c.added;
        sum.rejected += c.rejected;
        sum.expired += c.expired;
        sum.unknown_tunnel += c.unknown_tunnel;
        sum.wrong_role += c.wrong_role;
        sum.wrong_previous += c.wrong_previous;
        sum.duplicates += c.duplicates;
        sum.forwarded += c.forwarded;
        sum.gateway_messages += c.gateway_messages;
        sum.gateway_too_large += c.gateway_too_large;
        sum.endpoint_messages += c.endpoint_messages;
        sum.endpoint_dropped += c.endpoint_dropped;
    }
    return sum;
}

void ShardedTransit::close_all()
{
    for (const auto& s : shards_) {
        s->table.close_all(s->out);
    }
}

} // namespace umbra::tunnels
