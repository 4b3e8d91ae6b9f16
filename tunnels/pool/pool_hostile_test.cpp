// Hostile input to LocalTunnels: garbage for our endpoint ids, forged build replies that carry
// the right message id or garlic tag, random tunnel messages. Consumed or refused, counted,
// never a crash, and the genuine replies and tunnels keep working.
#include <boost/test/unit_test.hpp>

#include "tunnels/pool/testing.h"
#include "tunnels/transit/layer.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace umbra::tunnels::testing;
using namespace std::chrono_literals;

namespace {

struct Held {
    NetRouter* router;
    HopOutput output;
    bool inbound() const { return !output.via_gateway_tunnel.has_value(); }
};

// Lets every build message go hop to hop, but keeps the last hop's output (the reply to the
// creator) instead of sending it.
std::vector<Held> hold_replies(TestNetwork& net, const IdentHash& creator)
{
    std::vector<Held> finals;
    for (int round = 0; round < 10; ++round) {
        for (auto& r : net.routers) {
            auto held = std::move(r->held);
            r->held.clear();
            for (auto& o : held) {
                if (o.via_gateway_tunnel || o.to == creator) {
                    finals.push_back({r.get(), std::move(o)});
                } else {
                    net.emit(*r, std::move(o));
                }
            }
        }
        net.run();
    }
    return finals;
}

i2np::Message random_message(crypto::Rng& rng, i2np::MessageType type, std::size_t size,
                             WallTime now)
{
    i2np::Message m{type, MessageId(rng.u32()), WallTime{now.ms + 60'000}, {}};
    m.payload.resize(size);
    rng.fill(m.payload);
    return m;
}

// What an inbound gateway and its participants make of `message` with `delivery`: the
// gateway's plaintext, then each hop's layer with the keys their transit tables hold (a real
// IBGW only ever uses LOCAL; this is how a hostile one would send anything else).
i2np::Message through_inbound(TestNetwork& net, const TunnelSummary& t, const Delivery& delivery,
                              const i2np::Message& message)
{
    struct One final : BlockSink {
        std::array<std::uint8_t, crypto::tunnel_block_size> block{};
        void on_block(crypto::TunnelBlock b) override
        {
            std::copy(b.begin(), b.end(), block.begin());
        }
    } sink;
    Gateway gateway(net.rng());
    BOOST_REQUIRE(gateway.add(delivery, message.serialize_standard(), sink).has_value());
    gateway.flush(sink);
    TunnelId id = t.id;
    for (const auto& hop : t.hops) {
        const TransitTunnel* tt = net.find(hop)->transit->find(id);
        BOOST_REQUIRE(tt != nullptr);
        TunnelLayerCipher layer(tt->layer_key.bytes(), tt->iv_key.bytes(),
                                TunnelLayerCipher::Direction::encrypt);
        layer.apply(sink.block);
        id = tt->next_tunnel;
    }
    BOOST_REQUIRE(id.value() == t.endpoint_id.value());
    i2np::TunnelData td;
    td.tunnel = id;
    td.data = sink.block;
    return i2np::make_message(td, MessageId(net.rng().u32()), net.clock.wall());
}

} // namespace

BOOST_AUTO_TEST_SUITE(local_tunnels_hostile)

BOOST_AUTO_TEST_CASE(only_local_delivery_comes_out_of_our_inbound_endpoint)
{
    TestNetwork net(6, 23);
    LocalTunnels& lt = net.make_creator(0);
    net.run_for(5s);
    const auto all = lt.tunnels(kExploratoryPool);
    const auto t = std::find_if(all.begin(), all.end(),
                                [](const auto& x) { return x.inbound && !x.hops.empty(); });
    BOOST_REQUIRE(t != all.end());
    i2np::Data d;
    d.data.assign(200, 0x5a);
    const auto msg = i2np::make_message(d, MessageId(77), net.clock.wall());
    const IdentHash from = t->hops.back();

    // Positive control: LOCAL comes out and is delivered.
    const auto local = through_inbound(net, *t, Delivery{}, msg);
    BOOST_TEST(lt.on_message(from, local, net.now()));
    BOOST_REQUIRE(net.routers[0]->delivered.size() == 1u);
    BOOST_TEST((net.routers[0]->delivered[0].second == msg));

    const auto dropped = lt.counters().messages_dropped;
    const Delivery router{DeliveryType::router, {}, net.routers[2]->ident};
    const Delivery tunnel{DeliveryType::tunnel, TunnelId(99), net.routers[2]->ident};
    BOOST_TEST(lt.on_message(from, through_inbound(net, *t, router, msg), net.now()));
    BOOST_TEST(lt.on_message(from, through_inbound(net, *t, tunnel, msg), net.now()));
    BOOST_TEST(lt.counters().messages_dropped - dropped == 2u);
    BOOST_TEST(net.routers[0]->delivered.size() == 1u);
    net.run();
    BOOST_TEST(net.routers[2]->direct.empty()); // nothing was forwarded
}

BOOST_AUTO_TEST_CASE(random_tunnel_data_for_our_endpoint_is_consumed_and_counted)
{
    TestNetwork net(6, 21);
    LocalTunnels& lt = net.make_creator(0);
    net.run_for(5s);
    BOOST_REQUIRE(lt.established(kExploratoryPool, true, net.now()) == 3u);
    TunnelId endpoint;
    TunnelId zero_hop;
    for (const auto& t : lt.tunnels(kExploratoryPool)) {
        if (t.inbound && !t.hops.empty()) {
            endpoint = t.endpoint_id;
        } else if (t.inbound) {
            zero_hop = t.id;
        }
    }
    BOOST_REQUIRE(endpoint.value() != 0u);
    BOOST_REQUIRE(zero_hop.value() != 0u);
    const IdentHash from = net.routers[1]->ident;
    const auto dropped = lt.counters().messages_dropped;
    for (int i = 0; i < 500; ++i) {
        auto m = random_message(net.rng(), i2np::MessageType::tunnel_data, 1028, net.clock.wall());
        store_be32(m.payload.data(), endpoint.value());
        BOOST_TEST(lt.on_message(from, m, net.now()));
    }
    // Every one fails the endpoint's checksum.
    BOOST_TEST(lt.counters().messages_dropped - dropped == 500u);
    BOOST_TEST(net.routers[0]->delivered.empty());

    // Garbage inside a TunnelGateway for the zero-hop inbound tunnel: consumed, dropped.
    i2np::TunnelGateway tg{zero_hop, std::vector<std::uint8_t>(40, 0xab)};
    BOOST_TEST(
        lt.on_message(from, i2np::make_message(tg, MessageId(5), net.clock.wall()), net.now()));
    BOOST_TEST(lt.counters().messages_dropped - dropped == 501u);

    // Wrong size, unknown ids and other types are not ours.
    auto short_td =
        random_message(net.rng(), i2np::MessageType::tunnel_data, 100, net.clock.wall());
    store_be32(short_td.payload.data(), endpoint.value());
    BOOST_TEST(!lt.on_message(from, short_td, net.now()));
    for (int i = 0; i < 2000; ++i) {
        static constexpr std::uint8_t kTypes[] = {1, 3, 10, 11, 18, 19, 20, 21, 22, 23, 24, 25, 26};
        const auto type = i2np::MessageType(kTypes[net.rng().uniform(std::size(kTypes))]);
        auto m = random_message(net.rng(), type, net.rng().uniform(1100), net.clock.wall());
        lt.on_message(from, m, net.now()); // must not crash; the outcome does not matter
    }
    // The tunnels still work: tests keep passing.
    const auto failed = lt.counters().tests_failed;
    net.run_for(40s);
    BOOST_TEST(lt.counters().tests_failed == failed);
    BOOST_TEST(lt.counters().tests_passed >= 6u);
}

BOOST_AUTO_TEST_CASE(forged_build_replies_are_counted_and_genuine_garlic_replies_survive_them)
{
    TestNetwork net(6, 22);
    LocalTunnels& lt = net.make_creator(0);
    NetRouter& me = *net.routers[0];
    for (std::size_t i = 1; i < net.routers.size(); ++i) {
        net.routers[i]->hold_builds = true;
    }
    net.tick();
    auto finals = hold_replies(net, me.ident);
    std::vector<Held*> in;
    std::vector<Held*> out;
    for (auto& f : finals) {
        (f.inbound() ? in : out).push_back(&f);
    }
    BOOST_REQUIRE(in.size() == 3u);
    BOOST_REQUIRE(out.size() == 3u);
    const auto& c = lt.counters();

    // Inbound: a forged build message with the reply id voids the build (PendingBuild cannot
    // tell which copy is genuine); the genuine one that follows is no longer ours.
    auto forged = random_message(net.rng(), in[0]->output.type, in[0]->output.payload.size(),
                                 net.clock.wall());
    forged.id = in[0]->output.message_id;
    BOOST_TEST(lt.on_message(in[0]->router->ident, forged, net.now()));
    BOOST_TEST(c.builds_bad_reply == 1u);
    net.emit(*in[0]->router, std::move(in[0]->output));
    net.run();
    BOOST_TEST(c.builds_succeeded == 0u);
    // A truncated one.
    auto tiny = random_message(net.rng(), in[1]->output.type, 10, net.clock.wall());
    tiny.id = in[1]->output.message_id;
    BOOST_TEST(lt.on_message(in[1]->router->ident, tiny, net.now()));
    BOOST_TEST(c.builds_bad_reply == 2u);

    // Outbound, garlic-wrapped: a forgery with the right tag fails the MAC and the build waits.
    const Held& g = *out[0];
    BOOST_REQUIRE(g.output.garlic.has_value());
    crypto::Key32 wrong_key;
    std::array<std::uint8_t, 32> kb{};
    net.rng().fill(kb);
    wrong_key.set(kb);
    auto sealed =
        garlic::seal_with_tag(wrong_key, g.output.garlic->tag, std::vector<std::uint8_t>(64, 1));
    BOOST_REQUIRE(sealed.has_value());
    const auto forged_garlic = i2np::make_message(*sealed, MessageId(9), net.clock.wall());
    i2np::TunnelGateway tg{*g.output.via_gateway_tunnel, forged_garlic.serialize_standard()};
    BOOST_TEST(lt.on_message(g.router->ident,
                             i2np::make_message(tg, MessageId(10), net.clock.wall()), net.now()));
    BOOST_TEST(c.builds_bad_reply == 3u);
    net.emit(*out[0]->router, std::move(out[0]->output));
    net.run();
    BOOST_TEST(c.builds_succeeded == 1u);

    // Outbound, a plain forged reply (26) with the right id: void, like the inbound case.
    auto plain = random_message(net.rng(), i2np::MessageType::outbound_tunnel_build_reply,
                                1 + 4 * kShortRecordSize, net.clock.wall());
    plain.payload[0] = 4;
    plain.id = out[1]->output.message_id;
    i2np::TunnelGateway tg2{*out[1]->output.via_gateway_tunnel, plain.serialize_standard()};
    BOOST_TEST(lt.on_message(out[1]->router->ident,
                             i2np::make_message(tg2, MessageId(11), net.clock.wall()), net.now()));
    BOOST_TEST(c.builds_bad_reply == 4u);
    net.emit(*out[1]->router, std::move(out[1]->output));
    net.run();
    BOOST_TEST(c.builds_succeeded == 1u);

    // The untouched ones complete.
    net.emit(*in[2]->router, std::move(in[2]->output));
    net.emit(*out[2]->router, std::move(out[2]->output));
    net.run();
    BOOST_TEST(c.builds_succeeded == 3u);
    BOOST_TEST(c.builds_timed_out == 0u);
}

BOOST_AUTO_TEST_CASE(tunnel_tests_are_garlic_wrapped_and_a_forged_tag_does_not_end_them)
{
    TestNetwork net(6, 24);
    LocalTunnels& lt = net.make_creator(0);
    net.run_for(5s);
    // The gateway of some inbound tunnel keeps what it is asked to send into the tunnel.
    const auto all = lt.tunnels(kExploratoryPool);
    const auto t = std::find_if(all.begin(), all.end(),
                                [](const auto& x) { return x.inbound && !x.hops.empty(); });
    BOOST_REQUIRE(t != all.end());
    NetRouter& ibgw = *net.find(t->hops.front());
    ibgw.hold_gateway = true;
    for (int s = 0; s < 30 && ibgw.held_gateway.empty(); ++s) {
        net.tick(); // until a test (or another message) goes in
    }
    std::vector<std::pair<IdentHash, i2np::Message>> held = std::move(ibgw.held_gateway);
    ibgw.held_gateway.clear();
    ibgw.hold_gateway = false;
    BOOST_REQUIRE(!held.empty());
    std::size_t wrapped = 0;
    for (const auto& [from, m] : held) {
        auto tg = i2np::TunnelGateway::parse(m.payload);
        BOOST_REQUIRE(tg.has_value());
        auto inner = i2np::Message::parse_standard(tg->message);
        BOOST_REQUIRE(inner.has_value());
        BOOST_TEST((inner->type != i2np::MessageType::delivery_status));
        wrapped += inner->type == i2np::MessageType::garlic;
    }
    BOOST_TEST(wrapped == held.size());

    // A forgery with the first test's tag goes in first: counted, the test still passes.
    auto tg = i2np::TunnelGateway::parse(held.front().second.payload);
    auto inner = i2np::Message::parse_standard(tg->message);
    auto garlic = i2np::Garlic::parse(inner->payload);
    BOOST_REQUIRE(garlic.has_value());
    for (std::size_t i = garlic::kReplyTagSize; i < garlic->ciphertext.size(); ++i) {
        garlic->ciphertext[i] ^= 0x01;
    }
    const auto forged = i2np::make_message(*garlic, MessageId(1), net.clock.wall());
    i2np::TunnelGateway forged_tg{tg->tunnel, forged.serialize_standard()};
    const auto dropped = lt.counters().messages_dropped;
    const auto passed = lt.counters().tests_passed;
    net.send(held.front().first, ibgw.ident,
             i2np::make_message(forged_tg, MessageId(2), net.clock.wall()));
    net.run();
    BOOST_TEST(lt.counters().messages_dropped == dropped + 1);
    BOOST_TEST(lt.counters().tests_passed == passed);
    for (auto& [from, m] : held) { // the genuine ones, late but within the test timeout
        net.send(from, ibgw.ident, std::move(m));
    }
    net.run();
    BOOST_TEST(lt.counters().tests_passed >= passed + 1);
    BOOST_TEST(net.routers[0]->delivered.empty()); // nothing of ours leaked to deliver()
}

BOOST_AUTO_TEST_SUITE_END()
