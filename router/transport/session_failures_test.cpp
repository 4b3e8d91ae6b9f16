// The data phase's failure paths over real sockets on 127.0.0.1, seen from a raw Alice that
// completed the handshake (raw_peer_testing.h): each ends the session with the Termination
// reason of ntcp2.rst "Termination" ("AEAD Error Handling", "Block Ordering Rules", "DoS
// Mitigation"), and blocks the spec says to ignore are ignored while the session goes on.
#include "router/transport/raw_peer_testing.h"

using namespace umbra;
using namespace umbra::transport;
using namespace umbra::transport::testing;
using ntcp2::TerminationReason;

namespace {

// Bob (a listening manager with options `o`) meets a raw Alice who sends `script`'s bytes.
struct Scenario {
    PeerView view;
    Counters bob;
    std::size_t bob_sessions_after = 0;
    std::size_t bob_messages = 0;
};

Scenario run_scenario(Fixture& f, Ntcp2Options o, Script script, bool reset = false)
{
    Scenario out;
    Node b(f.io, f.rng, f.log, o);
    const auto alice = ntcp2::testing::make_router(f.rng);
    run_task(f.io, raw_alice(b.manager.local_port(), alice, b.router, f.rng, std::move(script),
                             out.view, reset));
    BOOST_TEST(run_until(f.io, [&] { return b.manager.session_count() == 0; }));
    out.bob = b.manager.stats();
    out.bob_sessions_after = b.manager.session_count();
    out.bob_messages = b.recorder.messages.size();
    b.manager.stop();
    f.io.restart();
    f.io.run_for(std::chrono::seconds(2));
    return out;
}

std::vector<std::uint8_t> i2np_block(std::uint32_t id)
{
    return data_message(id, 10).serialize_short();
}

bool ended_with(const Scenario& s, TerminationReason reason)
{
    return s.view.handshake_ok && s.view.closed && s.view.termination == reason;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(session_failures, Fixture)

BOOST_AUTO_TEST_CASE(a_frame_length_below_16_ends_with_reason_9)
{
    // ntcp2.rst "AEAD Error Handling": an invalid length is handled like an AEAD failure; the
    // reason is "AEAD framing error". The wire length is XORed so that it decodes to 5.
    const auto s = run_scenario(*this, test_options(), [](ntcp2::DataPhase& dp) {
        auto frame = dp.seal_frame(std::vector<std::uint8_t>(10)); // length 26 on the wire
        const std::uint16_t wire = load_be16(frame.data()) ^ std::uint16_t(26 ^ 5);
        store_be16(frame.data(), wire);
        return frame;
    });
    BOOST_TEST(ended_with(s, TerminationReason::aead_framing_error));
    BOOST_TEST(s.bob.sessions_closed == 1u);
}

BOOST_AUTO_TEST_CASE(a_tampered_frame_ends_with_reason_4_and_delivers_nothing)
{
    const auto s = run_scenario(*this, test_options(), [](ntcp2::DataPhase& dp) {
        auto frame = dp.seal_blocks({ntcp2::I2npBlock{i2np_block(1)}});
        frame.back() ^= 0x01;
        return frame;
    });
    BOOST_TEST(ended_with(s, TerminationReason::data_phase_aead_failure));
    BOOST_TEST(s.bob_messages == 0u);
}

BOOST_AUTO_TEST_CASE(blocks_out_of_order_end_with_reason_10_and_deliver_nothing)
{
    // "Block Ordering Rules": Padding last. The I2NP block before it is not acted on either.
    const auto s = run_scenario(*this, test_options(), [](ntcp2::DataPhase& dp) {
        return dp.seal_blocks(
            {ntcp2::I2npBlock{i2np_block(1)}, ntcp2::Padding{4}, ntcp2::Padding{4}});
    });
    BOOST_TEST(ended_with(s, TerminationReason::payload_format_error));
    BOOST_TEST(s.bob_messages == 0u);
}

BOOST_AUTO_TEST_CASE(a_malformed_i2np_block_ends_with_reason_10)
{
    // "I2NP Message": the block holds an I2NP message with the 9-byte short header (type,
    // message id, expiration; the size is the block's). A block too short for that header ends
    // the session as a payload format error; the good message before it arrives.
    for (const std::size_t keep : {std::size_t(1), std::size_t(8)}) {
        const auto s = run_scenario(*this, test_options(), [keep](ntcp2::DataPhase& dp) {
            auto good = dp.seal_blocks({ntcp2::I2npBlock{i2np_block(1)}});
            auto bad = i2np_block(2);
            bad.resize(keep);
            const auto frame = dp.seal_blocks({ntcp2::I2npBlock{bad}});
            good.insert(good.end(), frame.begin(), frame.end());
            return good;
        });
        BOOST_TEST(ended_with(s, TerminationReason::payload_format_error), "keep " << keep);
        BOOST_TEST(s.bob_messages == 1u);
    }
}

BOOST_AUTO_TEST_CASE(a_frame_that_never_completes_ends_with_reason_14)
{
    auto o = test_options();
    o.frame_timeout = Milliseconds(300);
    const auto s = run_scenario(*this, o, [](ntcp2::DataPhase& dp) {
        auto frame = dp.seal_frame(std::vector<std::uint8_t>(100));
        frame.resize(2 + 10); // the length and 10 of its 116 bytes
        return frame;
    });
    BOOST_TEST(ended_with(s, TerminationReason::intra_frame_read_timeout));
}

BOOST_AUTO_TEST_CASE(an_idle_session_ends_with_reason_2)
{
    auto o = test_options();
    o.idle_timeout = Milliseconds(300);
    const auto s = run_scenario(*this, o, [](ntcp2::DataPhase&) {
        return std::vector<std::uint8_t>{}; // Alice says nothing after message 3
    });
    BOOST_TEST(ended_with(s, TerminationReason::idle_timeout));
    // Bob's first frame (DateTime, Options, RouterInfo) came before the Termination.
    BOOST_TEST(s.view.blocks.size() > 2u);
}

BOOST_AUTO_TEST_CASE(bad_router_info_short_options_and_unknown_blocks_are_ignored)
{
    // "RouterInfo": an invalid one is not stored; "Options": a body too short to read is
    // ignored like an unknown type; "Other block types": ignored. The I2NP after them arrives.
    auto o = test_options();
    o.idle_timeout = Milliseconds(300); // then the session ends by itself
    const auto s = run_scenario(*this, o, [](ntcp2::DataPhase& dp) {
        return dp.seal_blocks({ntcp2::RouterInfoBlock{false, std::vector<std::uint8_t>(500, 7)},
                               ntcp2::OptionsBlock{{1, 2, 3, 4, 5}},
                               ntcp2::I2npBlock{i2np_block(1)}, ntcp2::Padding{3}});
    });
    BOOST_TEST(s.bob_messages == 1u);
    BOOST_TEST(s.bob.router_infos_received == 1u); // Alice's, from message 3; not the junk
    BOOST_TEST(s.bob.options_received == 0u);
    BOOST_TEST(ended_with(s, TerminationReason::idle_timeout)); // not an error: it went on
}

BOOST_AUTO_TEST_CASE(unknown_block_types_are_skipped)
{
    auto o = test_options();
    o.idle_timeout = Milliseconds(300);
    const auto s = run_scenario(*this, o, [](ntcp2::DataPhase& dp) {
        std::vector<std::uint8_t> plain = {200, 0, 3, 9, 9, 9}; // type 200, 3 bytes
        const auto m = i2np_block(2);
        plain.push_back(std::uint8_t(ntcp2::BlockType::i2np));
        plain.push_back(0);
        plain.push_back(std::uint8_t(m.size()));
        plain.insert(plain.end(), m.begin(), m.end());
        return dp.seal_frame(plain);
    });
    BOOST_TEST(s.bob_messages == 1u);
    BOOST_TEST(ended_with(s, TerminationReason::idle_timeout));
}

BOOST_AUTO_TEST_CASE(a_connection_reset_by_the_peer_ends_the_session)
{
    const auto s = run_scenario(
        *this, test_options(),
        [](ntcp2::DataPhase& dp) { return dp.seal_blocks({ntcp2::I2npBlock{i2np_block(3)}}); },
        true);
    BOOST_TEST(s.view.handshake_ok);
    BOOST_TEST(s.bob.sessions_closed == 1u);
    BOOST_TEST(s.bob_sessions_after == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
