// The hop side alone: what it drops (and that it drops without a reply), replay protection and
// the reply it writes.
#include <boost/test/unit_test.hpp>

#include "tunnels/build/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace umbra::tunnels::testing;

namespace {

const WallTime kNow{1'764'000'000'000};

struct Fixture {
    TestRouter hop1 = make_router(300);
    TestRouter hop2 = make_router(301);
    TestRouter gateway = make_router(302);
    crypto::DeterministicRng rng{20};

    std::pair<PendingBuild, BuildRequest> build(RecordFormat format = RecordFormat::short_ecies,
                                                WallTime now = kNow)
    {
        auto created =
            PendingBuild::create(make_plan({&hop1, &hop2}, format, false, gateway.ident), now, rng);
        BOOST_REQUIRE(created.has_value());
        return std::move(*created);
    }
    Result<HopOutput> at_hop1(const BuildRequest& req, WallTime now = kNow)
    {
        return hop1.hop->handle(req.type, req.payload, now, rng, accept_all);
    }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(tunnel_build_hop, Fixture)

BOOST_AUTO_TEST_CASE(forwards_to_the_next_hop_with_the_next_message_id)
{
    auto [pending, req] = build();
    auto out = at_hop1(req);
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST((out->to == hop2.ident));
    BOOST_TEST((out->type == i2np::MessageType::short_tunnel_build));
    BOOST_TEST(out->keys.next_tunnel.value() == 1002u);
    BOOST_TEST(!out->via_gateway_tunnel.has_value());
    BOOST_TEST(out->payload.size() == req.payload.size());
    BOOST_TEST((out->keys.role == HopRole::participant));
}

BOOST_AUTO_TEST_CASE(replayed_record_is_dropped)
{
    auto [pending, req] = build();
    BOOST_REQUIRE(at_hop1(req).has_value());
    auto again = at_hop1(req);
    BOOST_TEST((again.error() == BuildErrc::replayed));
    BOOST_TEST(hop1.hop->replay_cache().size() == 1u);
}

BOOST_AUTO_TEST_CASE(replay_window_outlives_the_request_window)
{
    auto [pending, req] = build();
    BOOST_REQUIRE(at_hop1(req).has_value());
    // 7 minutes later the request is still in its time window and still a replay.
    auto later = at_hop1(req, WallTime{kNow.ms + 7 * 60'000});
    BOOST_TEST((later.error() == BuildErrc::replayed));
}

BOOST_AUTO_TEST_CASE(record_for_someone_else_is_not_found)
{
    auto [pending, req] = build();
    TestRouter stranger = make_router(999);
    auto out = stranger.hop->handle(req.type, req.payload, kNow, rng, accept_all);
    BOOST_TEST((out.error() == BuildErrc::not_for_us));
}

BOOST_AUTO_TEST_CASE(tampered_record_is_dropped_without_reply)
{
    for (std::size_t offset : {20u, 60u, 210u}) { // ephemeral key, ciphertext, tag
        Fixture f;
        auto [pending, req] = f.build();
        std::size_t slot = 0;
        while (!std::equal(f.hop1.ident.bytes().begin(), f.hop1.ident.bytes().begin() + 16,
                           req.payload.begin() + 1 + slot * kShortRecordSize)) {
            ++slot;
        }
        req.payload[1 + slot * kShortRecordSize + offset] ^= 0x01;
        auto out = f.at_hop1(req);
        BOOST_TEST((out.error() == BuildErrc::bad_record));
        BOOST_TEST(f.hop1.hop->replay_cache().size() == 0u); // forged records do not fill it
    }
}

BOOST_AUTO_TEST_CASE(ephemeral_key_with_the_top_bit_set_is_dropped_before_the_dh)
{
    auto [pending, req] = build();
    std::size_t slot = 0;
    while (!std::equal(hop1.ident.bytes().begin(), hop1.ident.bytes().begin() + 16,
                       req.payload.begin() + 1 + slot * kShortRecordSize)) {
        ++slot;
    }
    const std::size_t last_key_byte = 1 + slot * kShortRecordSize + 16 + 31;
    BOOST_TEST((req.payload[last_key_byte] & 0x80) == 0); // as every X25519 public key
    req.payload[last_key_byte] |= 0x80;
    BOOST_TEST((at_hop1(req).error() == BuildErrc::bad_record));
}

BOOST_AUTO_TEST_CASE(record_from_the_wrong_time_is_stale)
{
    auto [p1, old_req] = build(RecordFormat::short_ecies, WallTime{kNow.ms - 20 * 60'000});
    BOOST_TEST((at_hop1(old_req).error() == BuildErrc::stale));
    auto [p2, future_req] = build(RecordFormat::short_ecies, WallTime{kNow.ms + 10 * 60'000});
    BOOST_TEST((at_hop1(future_req).error() == BuildErrc::stale));
    auto [p3, fine] = build(RecordFormat::short_ecies, WallTime{kNow.ms - 4 * 60'000});
    BOOST_TEST(at_hop1(fine).has_value());
}

BOOST_AUTO_TEST_CASE(full_replay_cache_refuses_with_the_bandwidth_code)
{
    HopConfig tiny;
    tiny.replay_capacity = 1;
    hop1 = make_router(300, tiny);
    auto [p1, first] = build();
    BOOST_TEST(at_hop1(first)->reply == kReplyAccept);
    auto [p2, second] = build();
    auto out = at_hop1(second);
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(out->reply == kRejectBandwidth);
}

BOOST_AUTO_TEST_CASE(wrong_message_types_and_bad_counts_are_refused)
{
    auto [pending, req] = build();
    auto out =
        hop1.hop->handle(i2np::MessageType::tunnel_build, req.payload, kNow, rng, accept_all);
    BOOST_TEST(!out.has_value());
    req.payload[0] = 9;
    BOOST_TEST(!at_hop1(req).has_value());
    auto as_long = hop1.hop->handle(i2np::MessageType::variable_tunnel_build, req.payload, kNow,
                                    rng, accept_all);
    BOOST_TEST(!as_long.has_value());
}

BOOST_AUTO_TEST_CASE(policy_sees_the_request_and_its_code_is_sealed)
{
    auto [pending, req] = build(RecordFormat::long_ecies);
    TunnelId seen;
    auto out = hop1.hop->handle(req.type, req.payload, kNow, rng, [&](const BuildRequestRecord& r) {
        seen = r.receive_tunnel;
        return kRejectTransientOverload;
    });
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(seen.value() == 1001u);
    BOOST_TEST(out->reply == kRejectTransientOverload);
    // Our reply record (sealed) replaced our request record.
    BOOST_TEST((out->payload != req.payload));
}

BOOST_AUTO_TEST_CASE(reply_options_too_long_for_the_record_are_left_out)
{
    auto [pending, req] = build();
    auto out = hop1.hop->handle(req.type, req.payload, kNow, rng, [](const BuildRequestRecord&) {
        data::Mapping big;
        BOOST_REQUIRE(big.set("x", std::string(250, 'y')));
        return HopDecision{kReplyAccept, std::move(big)};
    });
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(out->reply == kReplyAccept);
}

BOOST_AUTO_TEST_SUITE_END()
