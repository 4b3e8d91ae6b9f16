// Test helpers of netdb/lookup (header only, so the library does not build it): a pool of test
// routers, a trivial floodfill responder over a real NetDbStore, and a loop that carries the
// messages between a client engine and such responders, instantly, in virtual time.
#pragma once
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <variant>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "netdb/lookup/client.h"
#include "netdb/store/testing.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

namespace umbra {
// For Boost.Test's messages (found by ADL).
inline std::ostream& operator<<(std::ostream& os, const IdentHash& h)
{
    return os << h.to_base64().substr(0, 8);
}
inline std::ostream& operator<<(std::ostream& os, WallTime t)
{
    return os << t.ms << "ms";
}
} // namespace umbra

namespace umbra::netdb::testing {

// Routers are costly to make under sanitizers; tests share one deterministic pool.
inline const std::vector<TestRouter>& router_pool()
{
    static const std::vector<TestRouter> routers = [] {
        crypto::DeterministicRng rng(41);
        std::vector<TestRouter> v;
        for (int i = 0; i < 48; ++i) {
            v.push_back(make_router(rng));
        }
        return v;
    }();
    return routers;
}

inline const IdentHash& hash_of(std::size_t i)
{
    return router_pool().at(i).identity.ident_hash();
}

inline std::vector<std::uint8_t> pool_ri(std::size_t i, bool floodfill, WallTime published = t0)
{
    crypto::DeterministicRng rng(1000 + i);
    RiOptions o;
    o.published = published;
    o.caps = floodfill ? "XfR" : "XR";
    return make_ri_bytes(router_pool().at(i), rng, o);
}

inline i2np::DatabaseStore ri_store(const IdentHash& key, std::span<const std::uint8_t> ri)
{
    i2np::DatabaseStore s;
    s.key = key;
    s.entry_type = i2np::DatabaseEntryType::router_info;
    s.data = gzip_compress(ri);
    return s;
}

inline i2np::Payload payload_of(const OutMessage& m)
{
    auto p = i2np::parse_payload(m.message);
    BOOST_REQUIRE(p);
    return std::move(*p);
}

inline i2np::DatabaseLookup as_lookup(const OutMessage& m)
{
    auto p = payload_of(m);
    BOOST_REQUIRE(std::holds_alternative<i2np::DatabaseLookup>(p));
    return std::get<i2np::DatabaseLookup>(p);
}

// A message a responder sends: to whom, what.
struct Sent {
    IdentHash to;
    i2np::Payload payload;
};

// Answers like a floodfill, from its own store: the entry when it holds it, else a search reply
// naming up to 3 floodfills (non-floodfills for exploration) closest to the key.
class FakeFloodfill {
public:
    FakeFloodfill(const IdentHash& self, WallTime started)
        : self_(self), db(NetDbConfig{test_net_id, true, 10'000, 10'000}, started)
    {
    }

    IdentHash self_;
    NetDbStore db;
    bool silent = false;             // answers nothing
    bool confirm_stores = true;      // DeliveryStatus for a store with a reply token
    bool answer_entries = true;      // false: search replies even when it holds the entry
    std::vector<IdentHash> flood_to; // floodfills a new store with a reply token goes to
    std::optional<std::vector<IdentHash>> referrals; // fixed search reply peers
    std::size_t lookups_seen = 0;
    std::size_t stores_seen = 0;

    std::vector<Sent> handle(const i2np::Payload& p, WallTime now)
    {
        if (const auto* dl = std::get_if<i2np::DatabaseLookup>(&p)) {
            return answer(*dl, now);
        }
        if (const auto* st = std::get_if<i2np::DatabaseStore>(&p)) {
            return take(*st, now);
        }
        return {};
    }

private:
    std::vector<Sent> answer(const i2np::DatabaseLookup& dl, WallTime now)
    {
        ++lookups_seen;
        BOOST_REQUIRE(!dl.reply_tunnel); // direct replies only, today
        if (silent) {
            return {};
        }
        const auto* ri = db.find_router_info(dl.key);
        if (answer_entries && ri != nullptr && dl.lookup_type != i2np::LookupType::lease_set &&
            dl.lookup_type != i2np::LookupType::exploration) {
            return {{dl.from, ri_store(dl.key, ri->bytes())}};
        }
        i2np::DatabaseSearchReply r;
        r.key = dl.key;
        r.from = self_;
        r.peers = referrals ? *referrals : closest_to(dl, now);
        return {{dl.from, r}};
    }

    std::vector<IdentHash> closest_to(const i2np::DatabaseLookup& dl, WallTime now) const
    {
        const bool explore = dl.lookup_type == i2np::LookupType::exploration;
        std::vector<IdentHash> pick;
        db.for_each_router_info([&](const data::RouterInfo& ri) {
            const auto& h = ri.ident_hash();
            const bool excluded = std::find(dl.excluded_peers.begin(), dl.excluded_peers.end(),
                                            h) != dl.excluded_peers.end();
            if (!excluded && h != self_ && ri.caps().floodfill != explore) {
                pick.push_back(h);
            }
        });
        return closest(routing_key(dl.key, now), pick, 3);
    }

    std::vector<Sent> take(const i2np::DatabaseStore& st, WallTime now)
    {
        ++stores_seen;
        bool fresh = false;
        if (st.entry_type == i2np::DatabaseEntryType::router_info) {
            const auto raw = gzip_decompress(st.data, data::max_router_info_size);
            fresh = raw && db.store_router_info(*raw, now).has_value();
        }
        std::vector<Sent> out;
        if (!st.reply || silent) {
            return out;
        }
        if (confirm_stores) {
            out.push_back({st.reply->gateway, i2np::DeliveryStatus{st.reply->token, now}});
        }
        if (fresh) {
            auto flooded = st;
            flooded.reply.reset();
            for (const auto& f : flood_to) {
                out.push_back({f, flooded});
            }
        }
        return out;
    }
};

// Gives a client the reply p from `from`.
inline Handled deliver(NetDbClient& c, const IdentHash& from, const i2np::Payload& p, WallTime now,
                       crypto::Rng& rng)
{
    if (const auto* st = std::get_if<i2np::DatabaseStore>(&p)) {
        return c.on_database_store(from, *st, now, rng);
    }
    if (const auto* r = std::get_if<i2np::DatabaseSearchReply>(&p)) {
        return c.on_search_reply(from, *r, now, rng);
    }
    if (const auto* s = std::get_if<i2np::DeliveryStatus>(&p)) {
        return c.on_delivery_status(from, *s, now, rng);
    }
    return {};
}

// One client (hash `self`) and the floodfills it talks to; messages arrive instantly.
struct Net {
    explicit Net(const IdentHash& us) : self(us) {}

    IdentHash self;
    std::map<IdentHash, FakeFloodfill*> floodfills;
    std::vector<OutMessage> sent = {}; // everything the client sent, in order
    std::size_t dropped = 0;           // sent to a router that is not here

    // Carries out and every message it causes until nothing is left (bounded).
    void run(NetDbClient& c, Outbox out, WallTime now, crypto::Rng& rng)
    {
        std::deque<Sent> q;
        const auto push_out = [&](Outbox& o) {
            for (auto& m : o) {
                sent.push_back(m);
                q.push_back({m.to, payload_of(m)});
                from_.push_back(self);
            }
        };
        from_.clear();
        push_out(out);
        for (int steps = 0; !q.empty() && steps < 10'000; ++steps) {
            Sent m = std::move(q.front());
            q.pop_front();
            const IdentHash sender = from_.front();
            from_.pop_front();
            if (m.to == self) {
                auto h = deliver(c, sender, m.payload, now, rng);
                push_out(h.out);
                continue;
            }
            const auto ff = floodfills.find(m.to);
            if (ff == floodfills.end()) {
                ++dropped;
                continue;
            }
            for (auto& r : ff->second->handle(m.payload, now)) {
                q.push_back(std::move(r));
                from_.push_back(m.to);
            }
        }
    }

private:
    std::deque<IdentHash> from_;
};

} // namespace umbra::netdb::testing
