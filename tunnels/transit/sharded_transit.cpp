#include "tunnels/transit/sharded_transit.h"

#include <boost/asio/post.hpp>

namespace umbra::tunnels {

namespace asio = boost::asio;

struct ShardedTransit::Shard {
    Shard(TransitOut& o, TransitLimits limits)
        : out(o), table(limits, rng), timer(io), work(asio::make_work_guard(io))
    {
    }
    asio::io_context io{1}; // one thread: the concurrency hint lets Asio skip its locking
    TransitOut& out;
    crypto::ChaChaRng rng; // padding and IVs of inbound-gateway messages
    TransitTable table;
    asio::steady_timer timer;
    asio::executor_work_guard<asio::io_context::executor_type> work;
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
        s.table.expire(std::chrono::steady_clock::now());
        arm_expiry(s);
    });
}

void ShardedTransit::start()
{
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
}

void ShardedTransit::post_add(HopKeys keys)
{
    Shard& s = *shards_[shard_of(keys.receive_tunnel, shards_.size())];
    auto k = std::make_shared<HopKeys>(std::move(keys)); // copyable handler; keys moved once
    asio::post(s.io, [&s, k] { (void)s.table.add(*k, std::chrono::steady_clock::now()); });
}

void ShardedTransit::post_tunnel_data(i2np::TunnelData message)
{
    Shard& s = *shards_[shard_of(message.tunnel, shards_.size())];
    asio::post(s.io, [&s, m = std::move(message)]() mutable {
        s.table.on_tunnel_data(m, std::chrono::steady_clock::now(), s.out);
    });
}

void ShardedTransit::post_tunnel_gateway(i2np::TunnelGateway message)
{
    Shard& s = *shards_[shard_of(message.tunnel, shards_.size())];
    asio::post(s.io, [&s, m = std::move(message)] {
        s.table.on_tunnel_gateway(m, std::chrono::steady_clock::now(), s.out);
    });
}

void ShardedTransit::post_inspect(std::size_t shard, std::function<void(const TransitTable&)> fn)
{
    Shard& s = *shards_.at(shard);
    asio::post(s.io, [&s, fn = std::move(fn)] { fn(s.table); });
}

} // namespace umbra::tunnels
