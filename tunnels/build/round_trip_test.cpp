// Creator -> hop 1 -> hop 2 -> hop 3 -> creator, for both record formats and both directions
// (tunnel-creation-ecies.rst "Message Flow"), through the real hop and creator code.
#include <boost/test/unit_test.hpp>

#include "tunnels/build/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace umbra::tunnels::testing;

namespace {

const WallTime kNow{1'764'000'000'000};

struct Network {
    TestRouter creator = make_router(100);
    TestRouter reply_gateway = make_router(101);
    std::vector<TestRouter> hops;
    Network()
    {
        for (std::uint64_t i = 0; i < 3; ++i) {
            hops.push_back(make_router(200 + i));
        }
    }
    std::vector<TestRouter*> chain() { return {&hops[0], &hops[1], &hops[2]}; }
    TestRouter* by_ident(const IdentHash& h)
    {
        for (auto& r : hops) {
            if (r.ident == h) {
                return &r;
            }
        }
        return nullptr;
    }
};

struct Walk {
    std::vector<HopOutput> outputs; // per hop, in order
    i2np::MessageType last_type{};
    std::vector<std::uint8_t> last_payload;
};

// Carries the build message hop to hop, checking each hop sends where the plan says.
Walk walk(Network& net, const BuildRequest& req, const HopPolicy& policy, crypto::Rng& rng)
{
    Walk w;
    IdentHash to = req.first_hop;
    i2np::MessageType type = req.type;
    std::vector<std::uint8_t> payload = req.payload;
    while (TestRouter* r = net.by_ident(to)) {
        auto out = r->hop->handle(type, payload, kNow, rng, policy);
        BOOST_REQUIRE_MESSAGE(out.has_value(), out.error().message());
        to = out->to;
        type = out->type;
        payload = out->payload;
        w.outputs.push_back(std::move(*out));
    }
    w.last_type = type;
    w.last_payload = std::move(payload);
    return w;
}

bool same_key(const crypto::Key32& a, const crypto::Key32& b)
{
    return crypto::constant_time_equal(a.bytes(), b.bytes());
}

void round_trip(RecordFormat format, bool inbound)
{
    Network net;
    crypto::DeterministicRng rng(7);
    const IdentHash reply_to = inbound ? net.creator.ident : net.reply_gateway.ident;
    auto plan = make_plan(net.chain(), format, inbound, reply_to);
    auto created = PendingBuild::create(std::move(plan), kNow, rng);
    BOOST_REQUIRE(created.has_value());
    auto& [pending, req] = *created;
    BOOST_TEST(req.payload[0] == 4); // 3 hops (+1 fake for us inbound) in at least 4 records

    Walk w = walk(net, req, accept_all, rng);
    BOOST_REQUIRE(w.outputs.size() == 3u);
    const HopOutput& last = w.outputs.back();
    BOOST_TEST((last.to == reply_to));
    BOOST_TEST(last.message_id.value() == 777u);
    if (inbound) {
        BOOST_TEST((w.outputs.front().keys.role == HopRole::inbound_gateway));
        BOOST_TEST(!last.via_gateway_tunnel.has_value());
    } else {
        BOOST_TEST((last.keys.role == HopRole::outbound_endpoint));
        BOOST_REQUIRE(last.via_gateway_tunnel.has_value());
        BOOST_TEST(last.via_gateway_tunnel->value() == 4242u);
        // The OBEP and the creator agree on the garlic reply key and tag (short records only).
        BOOST_TEST(last.garlic.has_value() == (format == RecordFormat::short_ecies));
        BOOST_TEST(pending.garlic_reply().has_value() == last.garlic.has_value());
        if (last.garlic) {
            BOOST_TEST(same_key(last.garlic->key, pending.garlic_reply()->key));
            BOOST_TEST((last.garlic->tag == pending.garlic_reply()->tag));
        }
    }

    auto outcome = pending.handle_reply(w.last_type, w.last_payload);
    BOOST_REQUIRE_MESSAGE(outcome.has_value(), outcome.error().message());
    BOOST_TEST(outcome->accepted);
    BOOST_TEST((outcome->replies == std::vector<std::uint8_t>{0, 0, 0}));
    BOOST_REQUIRE(outcome->hops.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const HopKeys& mine = outcome->hops[i];
        const HopKeys& theirs = w.outputs[i].keys;
        BOOST_TEST(same_key(mine.layer_key, theirs.layer_key));
        BOOST_TEST(same_key(mine.iv_key, theirs.iv_key));
        BOOST_TEST(same_key(mine.reply_key, theirs.reply_key));
        BOOST_TEST(!same_key(mine.layer_key, mine.iv_key));
        BOOST_TEST(mine.receive_tunnel.value() == theirs.receive_tunnel.value());
        BOOST_TEST(mine.next_tunnel.value() == theirs.next_tunnel.value());
        BOOST_TEST((mine.role == theirs.role));
        BOOST_TEST(theirs.expires_at_seconds() == kNow.ms / 1000 + 600);
        BOOST_TEST(theirs.request_time_minutes == kNow.ms / 60'000);
    }
    // A second reply finds no build.
    BOOST_TEST(!pending.handle_reply(w.last_type, w.last_payload).has_value());
}

} // namespace

BOOST_AUTO_TEST_SUITE(tunnel_build_round_trip)

BOOST_AUTO_TEST_CASE(short_outbound)
{
    round_trip(RecordFormat::short_ecies, false);
}
BOOST_AUTO_TEST_CASE(short_inbound)
{
    round_trip(RecordFormat::short_ecies, true);
}
BOOST_AUTO_TEST_CASE(long_outbound)
{
    round_trip(RecordFormat::long_ecies, false);
}
BOOST_AUTO_TEST_CASE(long_inbound)
{
    round_trip(RecordFormat::long_ecies, true);
}

BOOST_AUTO_TEST_CASE(rejecting_hop_code_reaches_the_creator)
{
    for (auto format : {RecordFormat::short_ecies, RecordFormat::long_ecies}) {
        Network net;
        crypto::DeterministicRng rng(8);
        auto created = PendingBuild::create(
            make_plan(net.chain(), format, false, net.reply_gateway.ident), kNow, rng);
        BOOST_REQUIRE(created.has_value());
        const IdentHash middle = net.hops[1].ident;
        Walk w = walk(
            net, created->second,
            [&](const BuildRequestRecord& r) {
                return r.next_ident == net.hops[2].ident ? kRejectBandwidth : kReplyAccept;
            },
            rng);
        BOOST_TEST(w.outputs[1].reply == kRejectBandwidth);
        (void)middle;
        auto outcome = created->first.handle_reply(w.last_type, w.last_payload);
        BOOST_REQUIRE(outcome.has_value());
        BOOST_TEST(!outcome->accepted);
        BOOST_TEST((outcome->replies == std::vector<std::uint8_t>{0, kRejectBandwidth, 0}));
    }
}

BOOST_AUTO_TEST_CASE(bandwidth_options_reach_the_hop_and_its_offer_reaches_the_creator)
{
    Network net;
    crypto::DeterministicRng rng(15);
    auto plan = make_plan(net.chain(), RecordFormat::short_ecies, false, net.reply_gateway.ident);
    BOOST_REQUIRE(plan.hops[1].options.set("m", "64"));
    BOOST_REQUIRE(plan.hops[1].options.set("r", "128"));
    auto created = PendingBuild::create(std::move(plan), kNow, rng);
    BOOST_REQUIRE(created.has_value());
    Walk w = walk(
        net, created->second,
        [](const BuildRequestRecord& r) -> HopDecision {
            if (!r.options.get("m")) {
                return kReplyAccept;
            }
            data::Mapping offer;
            BOOST_REQUIRE(offer.set("b", std::string(*r.options.get("r"))));
            return {kReplyAccept, std::move(offer)};
        },
        rng);
    auto outcome = created->first.handle_reply(w.last_type, w.last_payload);
    BOOST_REQUIRE(outcome.has_value());
    BOOST_TEST(outcome->accepted);
    BOOST_TEST(outcome->reply_options[0].empty());
    BOOST_TEST((outcome->reply_options[1].get("b") == std::optional<std::string_view>("128")));
}

BOOST_AUTO_TEST_CASE(eight_records_with_random_placement)
{
    Network net;
    crypto::DeterministicRng rng(9);
    auto plan = make_plan(net.chain(), RecordFormat::short_ecies, true, net.creator.ident);
    plan.record_count = 8;
    auto created = PendingBuild::create(std::move(plan), kNow, rng);
    BOOST_REQUIRE(created.has_value());
    BOOST_TEST(created->second.payload.size() == 1 + 8 * kShortRecordSize);
    Walk w = walk(net, created->second, accept_all, rng);
    auto outcome = created->first.handle_reply(w.last_type, w.last_payload);
    BOOST_REQUIRE(outcome.has_value());
    BOOST_TEST(outcome->accepted);
}

BOOST_AUTO_TEST_CASE(record_order_is_random)
{
    // Over a few builds hop 1's record does not always sit in the same slot.
    std::set<std::size_t> slots;
    for (std::uint64_t seed = 0; seed < 16; ++seed) {
        Network net;
        crypto::DeterministicRng rng(seed);
        auto created = PendingBuild::create(
            make_plan(net.chain(), RecordFormat::short_ecies, false, net.reply_gateway.ident), kNow,
            rng);
        BOOST_REQUIRE(created.has_value());
        const auto& payload = created->second.payload;
        for (std::size_t s = 0; s < 4; ++s) {
            if (std::equal(net.hops[0].ident.bytes().begin(),
                           net.hops[0].ident.bytes().begin() + 16,
                           payload.begin() + 1 + s * kShortRecordSize)) {
                slots.insert(s);
            }
        }
    }
    BOOST_TEST(slots.size() > 1u);
}

BOOST_AUTO_TEST_CASE(inbound_creator_record_carries_our_hash_prefix_on_arrival)
{
    Network net;
    crypto::DeterministicRng rng(10);
    auto created = PendingBuild::create(
        make_plan(net.chain(), RecordFormat::short_ecies, true, net.creator.ident), kNow, rng);
    BOOST_REQUIRE(created.has_value());
    Walk w = walk(net, created->second, accept_all, rng);
    bool found = false;
    for (std::size_t s = 0; s < 4; ++s) {
        found |=
            std::equal(net.creator.ident.bytes().begin(), net.creator.ident.bytes().begin() + 16,
                       w.last_payload.begin() + 1 + s * kShortRecordSize);
    }
    BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(modified_fake_record_voids_an_inbound_build)
{
    Network net;
    crypto::DeterministicRng rng(11);
    auto created = PendingBuild::create(
        make_plan(net.chain(), RecordFormat::short_ecies, true, net.creator.ident), kNow, rng);
    BOOST_REQUIRE(created.has_value());
    Walk w = walk(net, created->second, accept_all, rng);
    for (std::size_t s = 0; s < 4; ++s) {
        auto* rec = w.last_payload.data() + 1 + s * kShortRecordSize;
        if (std::equal(net.creator.ident.bytes().begin(), net.creator.ident.bytes().begin() + 16,
                       rec)) {
            rec[100] ^= 1;
        }
    }
    auto outcome = created->first.handle_reply(w.last_type, w.last_payload);
    BOOST_TEST((outcome.error() == BuildErrc::bad_reply));
}

BOOST_AUTO_TEST_CASE(tampered_reply_record_is_a_bad_reply)
{
    for (auto format : {RecordFormat::short_ecies, RecordFormat::long_ecies}) {
        Network net;
        crypto::DeterministicRng rng(12);
        auto created = PendingBuild::create(
            make_plan(net.chain(), format, false, net.reply_gateway.ident), kNow, rng);
        BOOST_REQUIRE(created.has_value());
        Walk w = walk(net, created->second, accept_all, rng);
        // Flip one byte in every record: some hop's reply no longer verifies.
        for (std::size_t s = 0; s < 4; ++s) {
            w.last_payload[1 + s * record_size(format) + 5] ^= 0x80;
        }
        auto outcome = created->first.handle_reply(w.last_type, w.last_payload);
        BOOST_TEST((outcome.error() == BuildErrc::bad_reply));
    }
}

BOOST_AUTO_TEST_CASE(reply_of_the_wrong_type_is_unexpected)
{
    Network net;
    crypto::DeterministicRng rng(13);
    auto created = PendingBuild::create(
        make_plan(net.chain(), RecordFormat::short_ecies, false, net.reply_gateway.ident), kNow,
        rng);
    BOOST_REQUIRE(created.has_value());
    Walk w = walk(net, created->second, accept_all, rng);
    auto outcome =
        created->first.handle_reply(i2np::MessageType::short_tunnel_build, w.last_payload);
    BOOST_TEST((outcome.error() == BuildErrc::unexpected));
}

BOOST_AUTO_TEST_CASE(create_refuses_impossible_plans)
{
    Network net;
    crypto::DeterministicRng rng(14);
    auto empty = make_plan({}, RecordFormat::short_ecies, false, net.reply_gateway.ident);
    BOOST_TEST(!PendingBuild::create(std::move(empty), kNow, rng).has_value());
    auto tight = make_plan(net.chain(), RecordFormat::short_ecies, true, net.creator.ident);
    tight.record_count = 3; // inbound needs 3 + 1
    BOOST_TEST(!PendingBuild::create(std::move(tight), kNow, rng).has_value());
    auto nine = make_plan(net.chain(), RecordFormat::short_ecies, false, net.creator.ident);
    nine.record_count = 9;
    BOOST_TEST(!PendingBuild::create(std::move(nine), kNow, rng).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
