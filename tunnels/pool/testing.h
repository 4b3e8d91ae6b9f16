// A small in-process network for tests of tunnels/pool/: routers made of the real hop side
// (BuildHop, TransitTable, RouterDecryptor), some of them also creators with a LocalTunnels,
// linked by one FIFO queue of direct function calls in ManualClock time. The full simulator
// with virtual time and loss lives in tests/sim; this one only needs to be deterministic.
#pragma once
#include <cstdlib>
#include <deque>
#include <memory>
#include <vector>

#include "crypto/random.h"
#include "router/base/clock.h"
#include "router/base/log.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/reply.h"
#include "router/garlic/router_message.h"
#include "tunnels/build/hop.h"
#include "tunnels/pool/local_tunnels.h"
#include "tunnels/transit/transit_table.h"

namespace umbra::tunnels::testing {

class TestNetwork;

struct NetRouter {
    IdentHash ident;
    crypto::X25519Public encryption_key{};
    std::unique_ptr<BuildHop> hop;
    std::unique_ptr<TransitTable> transit;
    std::unique_ptr<garlic::RouterDecryptor> decryptor;
    std::unique_ptr<LocalTunnelsOut> local_out;
    std::unique_ptr<LocalTunnels> local; // creators only

    // Behaviour as a hop.
    bool forward_tunnel_data = true; // false: takes part in builds, then drops tunnel traffic
    bool answer_builds = true;       // false: build messages vanish (the creator times out)
    std::uint8_t reply = kReplyAccept;
    bool hold_builds = false; // keeps its HopOutputs in `held` instead of sending them

    std::vector<HopOutput> held;
    bool hold_gateway = false; // keeps TunnelGateway messages in `held_gateway` (from, message)
    std::vector<std::pair<IdentHash, i2np::Message>> held_gateway;
    std::uint64_t garlic_unwrapped = 0; // garlic to our router key (inbound builds via tunnels)

    // What reached this router.
    std::vector<std::pair<PoolId, i2np::Message>> delivered; // LocalTunnelsOut::deliver
    std::vector<std::pair<IdentHash, HopOutcome>> hop_results;
    std::vector<i2np::Message> direct; // anything else that arrived and nobody consumed
    std::uint64_t dropped_tunnel_messages = 0;
};

class TestNetwork {
public:
    // POOL_TEST_SEED=n shifts every seed (to look for seed-dependent failures by hand).
    TestNetwork(std::size_t count, std::uint64_t seed)
        : TestNetwork(count, seed, std::getenv("POOL_TEST_SEED"))
    {
    }
    TestNetwork(std::size_t count, std::uint64_t seed, const char* shift)
        : TestNetwork(count, seed + (shift ? std::strtoull(shift, nullptr, 10) * 7919 : 0), 0)
    {
    }
    TestNetwork(std::size_t count, std::uint64_t seed, int) : rng_(seed)
    {
        // POOL_TEST_LOG=info (or debug) prints the pool's log lines.
        LogLevel level = LogLevel::none;
        if (const char* l = std::getenv("POOL_TEST_LOG");
            l == nullptr || !parse_log_level(l, level)) {
            level = LogLevel::none;
        }
        log.set_level(level);
        for (std::size_t i = 0; i < count; ++i) {
            add_router(seed * 1000 + i);
        }
    }

    // Makes routers[index] a creator; its candidates are every other router.
    LocalTunnels& make_creator(std::size_t index, LocalTunnelsConfig config = {})
    {
        NetRouter& r = *routers[index];
        config.self = r.ident;
        r.local_out = std::make_unique<Out>(*this, r);
        r.local = std::make_unique<LocalTunnels>(std::move(config), *r.local_out, rng_, log);
        r.local->set_candidates(candidates_for(index));
        return *r.local;
    }

    std::vector<PeerCandidate> candidates_for(std::size_t index) const
    {
        std::vector<PeerCandidate> v;
        for (std::size_t i = 0; i < routers.size(); ++i) {
            if (i != index) {
                PeerCandidate c;
                c.ident = routers[i]->ident;
                c.encryption_key = routers[i]->encryption_key;
                c.ipv4 = (10u << 24) | (std::uint32_t(i + 1) << 16) | 1u; // one /16 each
                c.bandwidth = 'O';
                v.push_back(c);
            }
        }
        return v;
    }

    Now now() const { return {clock.wall(), clock.steady()}; }
    crypto::Rng& rng() { return rng_; }

    void send(const IdentHash& from, const IdentHash& to, i2np::Message&& m)
    {
        queue_.push_back({from, to, std::move(m)});
    }

    // Delivers queued messages until none is left (bounded: a loop is a test failure).
    std::size_t run(std::size_t max_messages = 200000)
    {
        std::size_t n = 0;
        while (!queue_.empty() && n < max_messages) {
            auto q = std::move(queue_.front());
            queue_.pop_front();
            if (NetRouter* r = find(q.to)) {
                dispatch(*r, q.from, std::move(q.message));
            }
            ++n;
        }
        return n;
    }

    // Advances time by `step`, runs every creator's timer, then the queue.
    void tick(Milliseconds step = std::chrono::seconds(1))
    {
        clock.advance(step);
        for (auto& r : routers) {
            if (r->local) {
                r->local->on_timer(now());
            }
            r->transit->expire(clock.steady());
        }
        run();
    }
    void run_for(Milliseconds total)
    {
        for (Milliseconds t{0}; t < total; t += std::chrono::seconds(1)) {
            tick();
        }
    }

    NetRouter* find(const IdentHash& h)
    {
        for (auto& r : routers) {
            if (r->ident == h) {
                return r.get();
            }
        }
        return nullptr;
    }

    ManualClock clock;
    Logger log;
    std::vector<std::unique_ptr<NetRouter>> routers;

private:
    struct Queued {
        IdentHash from;
        IdentHash to;
        i2np::Message message;
    };

    struct Out final : LocalTunnelsOut {
        TestNetwork& net;
        NetRouter& r;
        Out(TestNetwork& n, NetRouter& router) : net(n), r(router) {}
        void send(const IdentHash& to, i2np::Message&& m) override
        {
            net.send(r.ident, to, std::move(m));
        }
        void deliver(PoolId pool, i2np::Message&& m) override
        {
            r.delivered.emplace_back(pool, std::move(m));
        }
        void hop_result(const IdentHash& hop, HopOutcome o) override
        {
            r.hop_results.emplace_back(hop, o);
        }
    };

    struct TransitSink final : TransitOut {
        TestNetwork& net;
        NetRouter& r;
        TransitSink(TestNetwork& n, NetRouter& router) : net(n), r(router) {}
        void send_tunnel_data(const IdentHash& to, const i2np::TunnelData& m) override
        {
            net.send(r.ident, to, i2np::make_message(m, MessageId(net.rng_.u32()), net.expiry()));
        }
        void send_tunnel_gateway(const IdentHash& to, i2np::TunnelGateway&& m) override
        {
            net.send(r.ident, to, i2np::make_message(m, MessageId(net.rng_.u32()), net.expiry()));
        }
        void send_message(const IdentHash& to, i2np::Message&& m) override
        {
            net.send(r.ident, to, std::move(m));
        }
    };

    WallTime expiry() const { return WallTime{clock.wall().ms + 60'000}; }

    void add_router(std::uint64_t seed)
    {
        crypto::DeterministicRng keyrng(seed);
        auto r = std::make_unique<NetRouter>();
        std::array<std::uint8_t, 32> hash{};
        keyrng.fill(hash);
        r->ident = IdentHash(hash);
        auto keys = crypto::X25519Keypair::generate(keyrng);
        r->encryption_key = keys.public_key;
        r->decryptor = std::make_unique<garlic::RouterDecryptor>(keys.private_key.clone());
        r->hop = std::make_unique<BuildHop>(std::move(keys), r->ident);
        TransitLimits limits;
        limits.duplicate_filter_bits_log2 = 18;
        r->transit = std::make_unique<TransitTable>(limits, rng_);
        routers.push_back(std::move(r));
    }

    void dispatch(NetRouter& r, const IdentHash& from, i2np::Message&& m)
    {
        if (r.local && r.local->on_message(from, m, now())) {
            return;
        }
        TransitSink out(*this, r);
        using T = i2np::MessageType;
        switch (m.type) {
        case T::tunnel_data:
            if (auto td = i2np::TunnelData::parse(m.payload); td && r.forward_tunnel_data) {
                r.transit->on_tunnel_data(*td, clock.steady(), out);
            } else {
                ++r.dropped_tunnel_messages;
            }
            return;
        case T::tunnel_gateway:
            if (r.hold_gateway) {
                r.held_gateway.emplace_back(from, std::move(m));
                return;
            }
            if (auto tg = i2np::TunnelGateway::parse(m.payload); tg && r.forward_tunnel_data) {
                r.transit->on_tunnel_gateway(*tg, clock.steady(), out);
            } else {
                ++r.dropped_tunnel_messages;
            }
            return;
        case T::variable_tunnel_build:
        case T::short_tunnel_build:
            on_build(r, m);
            return;
        case T::garlic:
            if (auto g = i2np::Garlic::parse(m.payload)) {
                if (auto blocks = r.decryptor->decrypt(g->ciphertext, clock.wall())) {
                    ++r.garlic_unwrapped;
                    for (auto& clove : garlic::take_cloves(*blocks)) {
                        dispatch(r, from, std::move(clove.message));
                    }
                    return;
                }
            }
            break;
        default:
            break;
        }
        r.direct.push_back(std::move(m));
    }

    // What router/app/tunnel_service.cpp does with a build message (tunnels/build/README.md).
    void on_build(NetRouter& r, const i2np::Message& m)
    {
        if (!r.answer_builds) {
            return;
        }
        const std::uint8_t code = r.reply;
        auto o = r.hop->handle(m.type, m.payload, clock.wall(), rng_,
                               [code](const BuildRequestRecord&) { return HopDecision(code); });
        if (!o) {
            return;
        }
        if (o->reply == kReplyAccept && !r.transit->add(o->keys, clock.steady())) {
            return;
        }
        if (r.hold_builds) {
            r.held.push_back(std::move(*o));
            return;
        }
        emit(r, std::move(*o));
    }

public:
    // Sends what a hop's build output says: the build message on, or the OBEP's reply into the
    // reply tunnel (garlic-wrapped for short records).
    void emit(NetRouter& r, HopOutput&& out)
    {
        auto o = &out;
        i2np::Message next{o->type, o->message_id, expiry(), std::move(o->payload)};
        if (!o->via_gateway_tunnel) {
            send(r.ident, o->to, std::move(next));
            return;
        }
        if (o->garlic && o->to != r.ident) {
            i2np::EciesReplyKeys keys;
            std::copy(o->garlic->key.bytes().begin(), o->garlic->key.bytes().end(),
                      keys.key.begin());
            keys.tags.push_back(o->garlic->tag);
            auto g = garlic::encrypt_reply(keys, next, rng_);
            if (!g) {
                return;
            }
            next = i2np::make_message(*g, MessageId(rng_.u32()), expiry());
        }
        i2np::TunnelGateway tg{*o->via_gateway_tunnel, next.serialize_standard()};
        send(r.ident, o->to, i2np::make_message(tg, MessageId(rng_.u32()), expiry()));
    }

private:
    crypto::DeterministicRng rng_;
    std::deque<Queued> queue_;
};

} // namespace umbra::tunnels::testing
