#include <boost/test/unit_test.hpp>

#include "tunnels/build/records.h"

using namespace umbra;
using namespace umbra::tunnels;

namespace {

BuildRequestRecord sample_request()
{
    BuildRequestRecord r;
    r.receive_tunnel = TunnelId(0x01020304);
    r.next_tunnel = TunnelId(0x05060708);
    std::array<std::uint8_t, 32> next{};
    next.fill(0xab);
    r.next_ident = IdentHash(next);
    r.flags = kFlagOutboundEndpoint;
    r.request_time_minutes = 29'000'000;
    r.expiration_seconds = 600;
    r.next_message_id = MessageId(0xdeadbeef);
    BOOST_REQUIRE(r.options.set("m", "100"));
    BOOST_REQUIRE(r.options.set("r", "200"));
    return r;
}

void check_same(const BuildRequestRecord& a, const BuildRequestRecord& b, RecordFormat f)
{
    BOOST_TEST(a.receive_tunnel.value() == b.receive_tunnel.value());
    BOOST_TEST(a.next_tunnel.value() == b.next_tunnel.value());
    BOOST_TEST((a.next_ident == b.next_ident));
    BOOST_TEST(a.flags == b.flags);
    BOOST_TEST(a.request_time_minutes == b.request_time_minutes);
    BOOST_TEST(a.expiration_seconds == b.expiration_seconds);
    BOOST_TEST(a.next_message_id.value() == b.next_message_id.value());
    BOOST_TEST((a.options == b.options));
    if (f == RecordFormat::long_ecies) {
        BOOST_TEST(crypto::constant_time_equal(a.layer_key.bytes(), b.layer_key.bytes()));
        BOOST_TEST(crypto::constant_time_equal(a.reply_key.bytes(), b.reply_key.bytes()));
        BOOST_TEST((a.reply_iv == b.reply_iv));
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(tunnel_build_records)

BOOST_AUTO_TEST_CASE(short_request_writes_spec_offsets_and_reads_back)
{
    crypto::DeterministicRng rng(1);
    const auto r = sample_request();
    std::array<std::uint8_t, kShortRequestSize> buf{};
    BOOST_REQUIRE(r.write(RecordFormat::short_ecies, buf, rng));
    // tunnel-creation-ecies.rst "Short Request Record Unencrypted": flags at 40, layer type at
    // 43, request time at 44, expiration at 48, next message id at 52, Mapping at 56.
    BOOST_TEST(buf[0] == 0x01);
    BOOST_TEST(buf[7] == 0x08);
    BOOST_TEST(buf[8] == 0xab);
    BOOST_TEST(buf[40] == kFlagOutboundEndpoint);
    BOOST_TEST(buf[43] == 0);
    BOOST_TEST(load_be32(&buf[44]) == 29'000'000u);
    BOOST_TEST(load_be32(&buf[48]) == 600u);
    BOOST_TEST(load_be32(&buf[52]) == 0xdeadbeefu);
    BOOST_TEST(load_be16(&buf[56]) == r.options.wire_size() - 2);
    auto back = BuildRequestRecord::parse(RecordFormat::short_ecies, buf);
    BOOST_REQUIRE(back.has_value());
    check_same(r, *back, RecordFormat::short_ecies);
    BOOST_TEST((back->role() == HopRole::outbound_endpoint));
}

BOOST_AUTO_TEST_CASE(long_request_carries_keys_at_spec_offsets)
{
    crypto::DeterministicRng rng(2);
    auto r = sample_request();
    r.flags = kFlagInboundGateway;
    rng.fill(r.layer_key.mutable_bytes());
    rng.fill(r.iv_key.mutable_bytes());
    rng.fill(r.reply_key.mutable_bytes());
    rng.fill(r.reply_iv);
    std::array<std::uint8_t, kLongRequestSize> buf{};
    BOOST_REQUIRE(r.write(RecordFormat::long_ecies, buf, rng));
    BOOST_TEST(buf[40] == r.layer_key.data()[0]);
    BOOST_TEST(buf[104] == r.reply_key.data()[0]);
    BOOST_TEST(buf[136] == r.reply_iv[0]);
    BOOST_TEST(buf[152] == kFlagInboundGateway);
    BOOST_TEST(load_be32(&buf[156]) == 29'000'000u);
    BOOST_TEST(load_be32(&buf[164]) == 0xdeadbeefu);
    auto back = BuildRequestRecord::parse(RecordFormat::long_ecies, buf);
    BOOST_REQUIRE(back.has_value());
    check_same(r, *back, RecordFormat::long_ecies);
    BOOST_TEST((back->role() == HopRole::inbound_gateway));
}

BOOST_AUTO_TEST_CASE(rejects_zero_tunnel_ids_and_both_role_flags)
{
    crypto::DeterministicRng rng(3);
    for (int variant = 0; variant < 3; ++variant) {
        auto r = sample_request();
        if (variant == 0) {
            r.receive_tunnel = TunnelId(0);
        } else if (variant == 1) {
            r.next_tunnel = TunnelId(0);
        } else {
            r.flags = kFlagInboundGateway | kFlagOutboundEndpoint;
        }
        std::array<std::uint8_t, kShortRequestSize> buf{};
        BOOST_REQUIRE(r.write(RecordFormat::short_ecies, buf, rng));
        auto back = BuildRequestRecord::parse(RecordFormat::short_ecies, buf);
        BOOST_TEST((back.error() == Errc::invalid_value));
    }
}

BOOST_AUTO_TEST_CASE(mapping_that_overruns_the_short_record_is_rejected)
{
    crypto::DeterministicRng rng(4);
    std::array<std::uint8_t, kShortRequestSize> buf{};
    BOOST_REQUIRE(sample_request().write(RecordFormat::short_ecies, buf, rng));
    store_be16(&buf[56], 97); // 98 bytes available after the size field... minus 2: 96 max
    BOOST_TEST(!BuildRequestRecord::parse(RecordFormat::short_ecies, buf).has_value());
    BOOST_TEST(!BuildRequestRecord::parse(RecordFormat::short_ecies, Bytes(buf).first(153)));
}

BOOST_AUTO_TEST_CASE(options_too_large_for_a_short_record_are_refused_on_write)
{
    crypto::DeterministicRng rng(5);
    auto r = sample_request();
    BOOST_REQUIRE(r.options.set("x", std::string(95, 'a')));
    std::array<std::uint8_t, kShortRequestSize> buf{};
    BOOST_TEST((r.write(RecordFormat::short_ecies, buf, rng).error() == Errc::too_large));
    std::array<std::uint8_t, kLongRequestSize> long_buf{};
    BOOST_TEST(r.write(RecordFormat::long_ecies, long_buf, rng).has_value());
}

BOOST_AUTO_TEST_CASE(reply_record_round_trips_with_reply_byte_last)
{
    crypto::DeterministicRng rng(6);
    for (auto f : {RecordFormat::short_ecies, RecordFormat::long_ecies}) {
        BuildReplyRecord r;
        r.reply = kRejectBandwidth;
        BOOST_REQUIRE(r.options.set("b", "512"));
        std::vector<std::uint8_t> buf(reply_size(f));
        BOOST_REQUIRE(r.write(f, buf, rng));
        BOOST_TEST(buf.back() == kRejectBandwidth);
        auto back = BuildReplyRecord::parse(f, buf);
        BOOST_REQUIRE(back.has_value());
        BOOST_TEST(back->reply == kRejectBandwidth);
        BOOST_TEST((back->options == r.options));
    }
}

BOOST_AUTO_TEST_SUITE_END()
