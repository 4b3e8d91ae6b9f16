// A small in-process network in virtual time: 3 floodfill responders (testing.h) that flood to
// each other and 10 routers, each a NetDbStore and a NetDbClient that knows one floodfill at
// first. Messages arrive instantly; the clock moves in 1 s steps.
#include <deque>
#include <memory>

#include <boost/test/unit_test.hpp>

#include "netdb/lookup/client.h"
#include "netdb/lookup/testing.h"

using namespace umbra;
using namespace umbra::netdb;
using namespace umbra::netdb::testing;

namespace {

struct Router {
    IdentHash self;
    std::unique_ptr<NetDbStore> db;
    std::unique_ptr<NetDbClient> client;
};

struct Message {
    IdentHash from;
    IdentHash to;
    i2np::Payload payload;
};

struct Sim {
    crypto::DeterministicRng rng{77};
    WallTime now = t0;
    std::map<IdentHash, std::unique_ptr<FakeFloodfill>> floodfills;
    std::map<IdentHash, Router> routers;
    std::deque<Message> queue;
    std::size_t delivered = 0;

    Sim()
    {
        const WallTime long_ago{t0.ms - 7'200'000};
        std::vector<IdentHash> ffs = {hash_of(1), hash_of(2), hash_of(3)};
        for (std::size_t i = 1; i <= 3; ++i) {
            auto f = std::make_unique<FakeFloodfill>(hash_of(i), long_ago);
            for (std::size_t j = 1; j <= 3; ++j) {
                BOOST_REQUIRE(f->db.store_router_info(pool_ri(j, true), t0));
            }
            f->flood_to = ffs;
            floodfills[hash_of(i)] = std::move(f);
        }
        for (std::size_t i = 10; i < 20; ++i) {
            Router r{hash_of(i),
                     std::make_unique<NetDbStore>(NetDbConfig{test_net_id, false, 10'000, 10'000},
                                                  long_ago),
                     nullptr};
            BOOST_REQUIRE(r.db->store_router_info(pool_ri(1, true), t0)); // one floodfill known
            // No floodfill discovery (explorer_test covers it): the lookup below must find the
            // third floodfill by following a search reply.
            ClientConfig config;
            config.explore.few_floodfills = 0;
            r.client = std::make_unique<NetDbClient>(*r.db, r.self, config);
            routers.emplace(r.self, std::move(r));
        }
    }

    void send(const IdentHash& from, Outbox out)
    {
        for (auto& m : out) {
            queue.push_back({from, m.to, payload_of(m)});
        }
    }

    void drain()
    {
        for (int steps = 0; !queue.empty() && steps < 100'000; ++steps) {
            Message m = std::move(queue.front());
            queue.pop_front();
            ++delivered;
            if (auto f = floodfills.find(m.to); f != floodfills.end()) {
                for (auto& s : f->second->handle(m.payload, now)) {
                    queue.push_back({m.to, s.to, std::move(s.payload)});
                }
            } else if (auto r = routers.find(m.to); r != routers.end()) {
                send(m.to, deliver(*r->second.client, m.from, m.payload, now, rng).out);
            }
        }
        BOOST_REQUIRE(queue.empty());
    }

    void start()
    {
        for (auto& [h, r] : routers) {
            send(h, r.client->start(now, rng));
            send(h, r.client->set_router_info(own_ri(h), now, now, rng));
        }
        drain();
    }

    std::vector<std::uint8_t> own_ri(const IdentHash& h)
    {
        for (std::size_t i = 10; i < 20; ++i) {
            if (hash_of(i) == h) {
                return pool_ri(i, false, now);
            }
        }
        BOOST_FAIL("not a router of the simulation");
        return {};
    }

    // Moves the clock by 1 s steps for `seconds`, firing due timers.
    void run_for(int seconds)
    {
        for (int s = 0; s < seconds; ++s) {
            now.ms += 1'000;
            for (auto& [h, r] : routers) {
                const auto due = r.client->next_deadline();
                if (due && *due <= now) {
                    send(h, r.client->on_timer(now, rng));
                }
            }
            drain();
        }
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(simulation)

BOOST_AUTO_TEST_CASE(ten_routers_publish_explore_and_look_each_other_up)
{
    Sim sim;
    sim.start();
    sim.run_for(5 * 60);

    // Every router published: the floodfills hold all ten (stored at one, flooded to the rest).
    for (const auto& [h, f] : sim.floodfills) {
        for (const auto& [rh, r] : sim.routers) {
            BOOST_TEST(f->db.find_router_info(rh) != nullptr);
        }
    }
    // Exploration alone taught every router every other router.
    for (const auto& [h, r] : sim.routers) {
        BOOST_TEST(r.client->publisher().counters().rounds_succeeded >= 1u);
        BOOST_TEST(r.client->publisher().counters().rounds_failed == 0u);
        for (const auto& [other, o] : sim.routers) {
            if (other != h) {
                BOOST_TEST(r.db->find_router_info(other) != nullptr);
            }
        }
        BOOST_TEST(r.client->table().counters().unsolicited_replies == 0u);
    }

    // A router only floodfill 3 holds: found by following the search reply of floodfill 1,
    // after fetching the RouterInfos of the floodfills it names.
    BOOST_REQUIRE(sim.floodfills[hash_of(3)]->db.store_router_info(pool_ri(30, false), sim.now));
    auto& asker = sim.routers.begin()->second;
    auto started =
        asker.client->lookup(hash_of(30), i2np::LookupType::router_info, sim.now, sim.rng);
    BOOST_REQUIRE(started.id);
    sim.send(asker.self, std::move(started.out));
    sim.drain();
    const auto results = asker.client->take_results();
    BOOST_REQUIRE_EQUAL(results.size(), 1u);
    BOOST_TEST((results[0].outcome == LookupOutcome::found));
    BOOST_TEST(asker.db->find_router_info(hash_of(30)) != nullptr);
    BOOST_TEST(asker.db->find_router_info(hash_of(3)) != nullptr); // fetched on the way
    BOOST_TEST(results[0].fetches >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
