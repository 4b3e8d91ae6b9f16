#include <csignal>
#include <cstdlib>

#include <boost/test/unit_test.hpp>

#include "crypto/chacha.h"
#include "crypto/random.h"
#include "crypto/siphash.h"
#include "router/transport/ntcp2/data_phase.h"

#include <sys/wait.h>
#include <unistd.h>

using namespace umbra;
using namespace umbra::ntcp2;

namespace {

// Keys derived from a seed byte; the KDF itself belongs to the handshake.
DirectionKeys direction_keys(std::uint8_t seed)
{
    DirectionKeys keys;
    std::array<std::uint8_t, 32> cipher{};
    std::array<std::uint8_t, 16> sip{};
    for (std::size_t i = 0; i < cipher.size(); ++i) {
        cipher[i] = std::uint8_t(seed * 31 + i);
    }
    for (std::size_t i = 0; i < sip.size(); ++i) {
        sip[i] = std::uint8_t(seed * 17 + i);
    }
    for (std::size_t i = 0; i < keys.sip_iv.size(); ++i) {
        keys.sip_iv[i] = std::uint8_t(seed * 7 + i);
    }
    keys.cipher_key.set(cipher);
    keys.sip_key.set(sip);
    return keys;
}

// Alice sends with what Bob receives with, and the other way round.
struct Pair {
    DataPhase alice;
    DataPhase bob;
};
Pair mirrored_pair()
{
    return {DataPhase(DataPhaseKeys{direction_keys(1), direction_keys(2)}),
            DataPhase(DataPhaseKeys{direction_keys(2), direction_keys(1)})};
}

// What the shell does: read 2 bytes, ask for the length, read that many bytes, open them.
// Errc::truncated stands for "the shell would still be waiting for bytes".
Result<std::vector<std::uint8_t>> receive(DataPhase& receiver, Bytes& stream)
{
    if (stream.size() < 2) {
        return Errc::truncated;
    }
    UMBRA_TRY(const std::size_t length, receiver.frame_length(stream.first(2)));
    if (stream.size() - 2 < length) {
        return Errc::truncated;
    }
    auto plaintext = receiver.open_frame(stream.subspan(2, length));
    stream = stream.subspan(2 + length);
    return plaintext;
}

std::vector<std::uint8_t> random_bytes(crypto::Rng& rng, std::size_t n)
{
    std::vector<std::uint8_t> out(n);
    rng.fill(out);
    return out;
}

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, Bytes b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// Runs f in a child process; true if the child died of SIGABRT.
template <class F> bool aborts(F f)
{
    const pid_t pid = fork();
    if (pid == 0) {
        std::signal(SIGABRT, SIG_DFL); // not Boost.Test's handler: die for real
        f();
        std::_Exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

const ErrorCode invalid = make_error_code(Errc::invalid_value);
const ErrorCode bad_tag = make_error_code(Errc::bad_signature);

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_data_phase)

BOOST_AUTO_TEST_CASE(exchanges_1000_frames_of_random_sizes_both_ways)
{
    auto [alice, bob] = mirrored_pair();
    crypto::DeterministicRng rng(2024);
    for (int i = 0; i < 2000; ++i) {
        const bool from_alice = rng.uniform(2) == 0;
        DataPhase& sender = from_alice ? alice : bob;
        DataPhase& receiver = from_alice ? bob : alice;
        // Mostly small frames, now and then up to the largest.
        const std::size_t size =
            rng.uniform(20) == 0 ? rng.uniform(max_frame_plaintext + 1) : rng.uniform(2048);
        const auto plaintext = random_bytes(rng, size);
        const auto frame = sender.seal_frame(plaintext);
        BOOST_TEST_REQUIRE(frame.size() == 2 + size + 16);
        Bytes stream(frame);
        auto opened = receive(receiver, stream);
        BOOST_TEST_REQUIRE(opened.has_value(), "frame " << i);
        BOOST_TEST_REQUIRE((*opened == plaintext), "frame " << i);
        BOOST_TEST_REQUIRE(stream.empty());
    }
    BOOST_TEST(alice.frames_sent() == bob.frames_received());
    BOOST_TEST(bob.frames_sent() == alice.frames_received());
    BOOST_TEST(alice.frames_sent() + bob.frames_sent() == 2000u);
    BOOST_TEST(alice.frames_sent() > 900u);
    BOOST_TEST(bob.frames_sent() > 900u);
}

BOOST_AUTO_TEST_CASE(opens_frames_sent_back_to_back_in_one_stream)
{
    auto [alice, bob] = mirrored_pair();
    std::vector<std::uint8_t> stream_bytes;
    for (std::uint8_t i = 0; i < 10; ++i) {
        stream_bytes = concat(stream_bytes, alice.seal_frame(std::vector<std::uint8_t>(i, i)));
    }
    Bytes stream(stream_bytes);
    for (std::uint8_t i = 0; i < 10; ++i) {
        auto opened = receive(bob, stream);
        BOOST_TEST_REQUIRE(opened.has_value());
        BOOST_TEST((*opened == std::vector<std::uint8_t>(i, i)));
    }
    BOOST_TEST(stream.empty());
}

BOOST_AUTO_TEST_CASE(nonces_count_from_zero_per_direction_without_associated_data)
{
    auto [alice, bob] = mirrored_pair();
    const DirectionKeys keys = direction_keys(1); // Alice's send keys
    const std::vector<std::uint8_t> plaintext{1, 2, 3};
    for (std::uint64_t n = 0; n < 3; ++n) {
        const auto frame = alice.seal_frame(plaintext);
        std::vector<std::uint8_t> out(plaintext.size());
        BOOST_TEST(crypto::aead_decrypt(keys.cipher_key.bytes(), crypto::noise_nonce(n), {},
                                        Bytes(frame).subspan(2), out));
        BOOST_TEST((out == plaintext));
    }
    // Bob's direction starts at 0 too, whatever Alice sent.
    const auto frame = bob.seal_frame(plaintext);
    std::vector<std::uint8_t> out(plaintext.size());
    BOOST_TEST(crypto::aead_decrypt(direction_keys(2).cipher_key.bytes(), crypto::noise_nonce(0),
                                    {}, Bytes(frame).subspan(2), out));
}

BOOST_AUTO_TEST_CASE(first_length_mask_matches_siphash_reference_vector)
{
    // sipk1||sipk2 = 00..0f and sipiv = 00..07: IV[1] is the reference vector for the message
    // 00..07 (tests/vectors/siphash.txt): 62 24 93 9a 79 f5 f5 93, so Mask[1] is 0x2462 (the
    // least significant two bytes of the 64-bit output, ntcp2.rst "SipHash obfuscated length"
    // Notes). An empty frame has length 16: 0x0010 ^ 0x2462 = 0x2472, sent big endian.
    DirectionKeys send = direction_keys(3);
    std::array<std::uint8_t, 16> key{};
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = std::uint8_t(i);
    }
    send.sip_key.set(key);
    for (std::size_t i = 0; i < send.sip_iv.size(); ++i) {
        send.sip_iv[i] = std::uint8_t(i);
    }
    DataPhase sender(DataPhaseKeys{std::move(send), direction_keys(9)});
    const auto frame = sender.seal_frame({});
    BOOST_TEST(frame[0] == 0x24);
    BOOST_TEST(frame[1] == 0x72);
}

BOOST_AUTO_TEST_CASE(length_mask_chain_matches_computation_from_spec_text)
{
    // ntcp2.rst "SipHash obfuscated length", as written: IV[0] = sipiv; for each frame
    // IV[n] = SipHash-2-4(sipk1, sipk2, IV[n-1]); Mask[n] = the least significant two bytes of
    // the 64-bit result; obfuscatedLength = length ^ Mask[n], big endian; the result, little
    // endian, is the next IV.
    auto [alice, bob] = mirrored_pair();
    const DirectionKeys keys = direction_keys(1);
    std::uint64_t iv = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        iv |= std::uint64_t(keys.sip_iv[i]) << (8 * i);
    }
    crypto::DeterministicRng rng(5);
    for (int n = 1; n <= 200; ++n) {
        std::array<std::uint8_t, 8> iv_bytes{};
        for (std::size_t i = 0; i < 8; ++i) {
            iv_bytes[i] = std::uint8_t(iv >> (8 * i));
        }
        iv = crypto::siphash24(keys.sip_key.bytes(), iv_bytes);
        const std::size_t length = rng.uniform(3000) + 16;
        const std::uint16_t expected = std::uint16_t(length ^ (iv & 0xffff));
        const auto frame = alice.seal_frame(std::vector<std::uint8_t>(length - 16));
        BOOST_TEST_REQUIRE(load_be16(frame.data()) == expected, "frame " << n);
        auto decoded = bob.frame_length(Bytes(frame).first(2));
        BOOST_TEST_REQUIRE((decoded && *decoded == length));
        BOOST_TEST_REQUIRE(bob.open_frame(Bytes(frame).subspan(2)).has_value());
    }
}

BOOST_AUTO_TEST_CASE(opens_empty_and_largest_frames)
{
    auto [alice, bob] = mirrored_pair();
    for (std::size_t size : {std::size_t{0}, max_frame_plaintext}) {
        const std::vector<std::uint8_t> plaintext(size, 0x5a);
        const auto frame = alice.seal_frame(plaintext);
        BOOST_TEST(frame.size() == size + 18); // 18 to 65537 bytes (ntcp2.rst "Raw contents")
        auto length = bob.frame_length(Bytes(frame).first(2));
        BOOST_TEST_REQUIRE(length.has_value());
        BOOST_TEST(*length == size + 16);
        auto opened = bob.open_frame(Bytes(frame).subspan(2));
        BOOST_TEST_REQUIRE(opened.has_value());
        BOOST_TEST((*opened == plaintext));
    }
}

BOOST_AUTO_TEST_CASE(aborts_when_sealing_more_than_max_frame_plaintext)
{
    // Documented contract: an oversize plaintext is a caller bug (split with pack_frames).
    BOOST_TEST(aborts([] {
        auto pair = mirrored_pair();
        pair.alice.seal_frame(std::vector<std::uint8_t>(max_frame_plaintext + 1));
    }));
    BOOST_TEST(!aborts([] {
        auto pair = mirrored_pair();
        pair.alice.seal_frame(std::vector<std::uint8_t>(max_frame_plaintext));
    }));
}

BOOST_AUTO_TEST_CASE(seals_blocks_as_their_written_plaintext)
{
    const std::vector<Block> blocks{DateTime{7}, I2npBlock{std::vector<std::uint8_t>(20, 3)},
                                    Padding{5}};
    DataPhase a(DataPhaseKeys{direction_keys(1), direction_keys(2)});
    DataPhase b(DataPhaseKeys{direction_keys(1), direction_keys(2)});
    ByteWriter out;
    for (const Block& block : blocks) {
        write_block(out, block);
    }
    BOOST_TEST((a.seal_blocks(blocks) == b.seal_frame(out.view())));
    auto [alice, bob] = mirrored_pair();
    const auto frame = alice.seal_blocks(blocks);
    Bytes stream(frame);
    auto opened = receive(bob, stream);
    BOOST_TEST_REQUIRE(opened.has_value());
    auto parsed = parse_blocks(*opened);
    BOOST_TEST_REQUIRE(parsed.has_value());
    BOOST_TEST((*parsed == blocks));
}

BOOST_AUTO_TEST_CASE(opens_frames_in_place_as_open_frame_does)
{
    auto [alice, bob] = mirrored_pair();
    crypto::OsRng rng;
    for (std::size_t size : {0, 1, 100, 1021, 16000}) {
        const auto plaintext = random_bytes(rng, size);
        auto frame = alice.seal_frame(plaintext);
        BOOST_TEST_REQUIRE(bob.frame_length(Bytes(frame).first(2)).value() == size + 16);
        const MutableBytes body = MutableBytes(frame).subspan(2);
        auto opened = bob.open_in_place(body);
        BOOST_TEST_REQUIRE(opened.has_value());
        BOOST_TEST(opened->data() == body.data()); // the plaintext is where the frame was
        BOOST_TEST((std::vector<std::uint8_t>(opened->begin(), opened->end()) == plaintext));
    }
    BOOST_TEST(bob.frames_received() == 5u);
}

BOOST_AUTO_TEST_CASE(open_in_place_rejects_tampered_frame_and_refuses_later_frames)
{
    auto [alice, bob] = mirrored_pair();
    auto bad = alice.seal_frame(std::vector<std::uint8_t>(100, 1));
    auto after = alice.seal_frame(std::vector<std::uint8_t>(100, 2));
    bad[2 + 7] ^= 0x04;
    BOOST_TEST_REQUIRE(bob.frame_length(Bytes(bad).first(2)).has_value());
    BOOST_TEST(bob.open_in_place(MutableBytes(bad).subspan(2)).error() == bad_tag);
    BOOST_TEST(bob.receive_failed());
    BOOST_TEST(bob.frame_length(Bytes(after).first(2)).error() == invalid);
    BOOST_TEST(bob.open_in_place(MutableBytes(after).subspan(2)).error() == invalid);
}

BOOST_AUTO_TEST_CASE(rejects_tampered_ciphertext_and_refuses_later_frames)
{
    auto [alice, bob] = mirrored_pair();
    auto first = alice.seal_frame(std::vector<std::uint8_t>(100, 1));
    const auto second = alice.seal_frame(std::vector<std::uint8_t>(100, 2));
    first[2 + 50] ^= 0x01;
    Bytes stream(first);
    BOOST_TEST(receive(bob, stream).error() == bad_tag);
    BOOST_TEST(bob.receive_failed());
    BOOST_TEST(bob.frames_received() == 0u);
    Bytes next(second);
    BOOST_TEST(receive(bob, next).error() == invalid); // an intact frame is refused too
}

BOOST_AUTO_TEST_CASE(rejects_tampered_tag_and_refuses_later_frames)
{
    auto [alice, bob] = mirrored_pair();
    const auto good = alice.seal_frame(std::vector<std::uint8_t>(10, 1));
    auto bad = alice.seal_frame(std::vector<std::uint8_t>(10, 2));
    const auto after = alice.seal_frame(std::vector<std::uint8_t>(10, 3));
    bad.back() ^= 0x80;
    Bytes stream(good);
    BOOST_TEST(receive(bob, stream).has_value());
    stream = bad;
    BOOST_TEST(receive(bob, stream).error() == bad_tag);
    stream = after;
    BOOST_TEST(receive(bob, stream).error() == invalid);
    BOOST_TEST(bob.frames_received() == 1u); // what a Termination block would report
}

BOOST_AUTO_TEST_CASE(rejects_tampered_length_and_refuses_later_frames)
{
    // One bit flipped in the low byte: the receiver reads one byte too many or too few, so the
    // frame cannot authenticate. A later frame follows, so the longer read is satisfied.
    for (std::uint8_t bit : {0x01, 0x02, 0x40}) {
        auto [alice, bob] = mirrored_pair();
        auto frame = alice.seal_frame(std::vector<std::uint8_t>(100, 1));
        frame[1] ^= bit;
        const auto stream_bytes = concat(frame, alice.seal_frame(std::vector<std::uint8_t>(200)));
        Bytes stream(stream_bytes);
        BOOST_TEST(!receive(bob, stream).has_value(), "bit " << int(bit));
        BOOST_TEST(bob.receive_failed());
    }
}

BOOST_AUTO_TEST_CASE(rejects_frame_length_below_16)
{
    for (std::size_t wanted : {0, 1, 15}) {
        auto [alice, bob] = mirrored_pair();
        auto frame = alice.seal_frame({}); // length 16 under the mask
        frame[1] ^= std::uint8_t(16 ^ wanted);
        BOOST_TEST(bob.frame_length(Bytes(frame).first(2)).error() == invalid);
        BOOST_TEST(bob.receive_failed());
    }
}

BOOST_AUTO_TEST_CASE(rejects_replayed_frame)
{
    auto [alice, bob] = mirrored_pair();
    const auto first = alice.seal_frame(std::vector<std::uint8_t>(64, 1));
    const auto second = alice.seal_frame(std::vector<std::uint8_t>(64, 2));
    Bytes stream(first);
    BOOST_TEST(receive(bob, stream).has_value());
    // Replayed whole: the next mask garbles its length, and whatever length comes out, the
    // bytes read fail to authenticate (enough bytes follow for any length up to 65535).
    {
        auto [a2, b2] = mirrored_pair();
        const auto f1 = a2.seal_frame(std::vector<std::uint8_t>(64, 1));
        Bytes s1(f1);
        BOOST_TEST(receive(b2, s1).has_value());
        const auto replay = concat(f1, std::vector<std::uint8_t>(65536));
        Bytes s2(replay);
        BOOST_TEST(!receive(b2, s2).has_value());
        BOOST_TEST(b2.receive_failed());
    }
    // Replayed ciphertext under a correctly de-obfuscated length: nonce 1 does not open it.
    BOOST_TEST_REQUIRE(bob.frame_length(Bytes(second).first(2)).has_value());
    BOOST_TEST(bob.open_frame(Bytes(first).subspan(2)).error() == bad_tag);
    BOOST_TEST(bob.receive_failed());
}

BOOST_AUTO_TEST_CASE(rejects_reordered_frames)
{
    auto [alice, bob] = mirrored_pair();
    const auto first = alice.seal_frame(std::vector<std::uint8_t>(64, 1));
    const auto second = alice.seal_frame(std::vector<std::uint8_t>(64, 2));
    BOOST_TEST_REQUIRE(bob.frame_length(Bytes(first).first(2)).has_value());
    BOOST_TEST(bob.open_frame(Bytes(second).subspan(2)).error() == bad_tag);

    auto [a2, b2] = mirrored_pair();
    const auto f1 = a2.seal_frame(std::vector<std::uint8_t>(64, 1));
    const auto f2 = a2.seal_frame(std::vector<std::uint8_t>(64, 2));
    const auto swapped = concat(concat(f2, f1), std::vector<std::uint8_t>(65536));
    Bytes stream(swapped);
    BOOST_TEST(!receive(b2, stream).has_value());
    BOOST_TEST(b2.receive_failed());
}

BOOST_AUTO_TEST_CASE(rejects_calls_out_of_turn)
{
    {
        auto [alice, bob] = mirrored_pair();
        const auto frame = alice.seal_frame({});
        BOOST_TEST(bob.open_frame(Bytes(frame).subspan(2)).error() == invalid); // no length yet
        BOOST_TEST(bob.receive_failed());
    }
    {
        auto [alice, bob] = mirrored_pair();
        const auto frame = alice.seal_frame({});
        BOOST_TEST_REQUIRE(bob.frame_length(Bytes(frame).first(2)).has_value());
        BOOST_TEST(bob.frame_length(Bytes(frame).first(2)).error() == invalid); // twice
    }
    {
        auto [alice, bob] = mirrored_pair();
        const auto frame = alice.seal_frame(std::vector<std::uint8_t>(8));
        BOOST_TEST_REQUIRE(bob.frame_length(Bytes(frame).first(2)).has_value());
        BOOST_TEST(bob.open_frame(Bytes(frame).subspan(3)).error() == invalid); // wrong size
    }
    {
        auto [alice, bob] = mirrored_pair();
        const std::uint8_t three[3]{};
        BOOST_TEST(bob.frame_length(three).error() == invalid);
    }
}

BOOST_AUTO_TEST_CASE(still_seals_a_termination_after_a_receive_failure)
{
    // ntcp2.rst "AEAD Error Handling": after the failure, send a termination block with the
    // "AEAD failure" reason, quoting the valid frames received.
    auto [alice, bob] = mirrored_pair();
    Bytes stream;
    const auto good = alice.seal_frame(std::vector<std::uint8_t>(4));
    stream = good;
    BOOST_TEST_REQUIRE(receive(bob, stream).has_value());
    auto bad = alice.seal_frame(std::vector<std::uint8_t>(4));
    bad[5] ^= 0xff;
    stream = bad;
    BOOST_TEST_REQUIRE(!receive(bob, stream).has_value());
    const Termination termination{
        bob.frames_received(), TerminationReason::data_phase_aead_failure, {}};
    const auto frame = bob.seal_blocks({termination, Padding{8}});
    stream = frame;
    auto opened = receive(alice, stream);
    BOOST_TEST_REQUIRE(opened.has_value());
    auto blocks = parse_blocks(*opened);
    BOOST_TEST_REQUIRE(blocks.has_value());
    BOOST_TEST((std::get<Termination>(blocks->at(0)) == termination));
    BOOST_TEST(termination.valid_frames_received == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
