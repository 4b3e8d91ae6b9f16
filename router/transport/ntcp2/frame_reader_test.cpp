#include <boost/test/unit_test.hpp>

#include "crypto/random.h"
#include "router/transport/ntcp2/frame_reader.h"

using namespace umbra;
using namespace umbra::ntcp2;

namespace {

DirectionKeys direction_keys(std::uint8_t seed)
{
    DirectionKeys keys;
    std::array<std::uint8_t, 32> cipher{};
    std::array<std::uint8_t, 16> sip{};
    cipher.fill(seed);
    sip.fill(std::uint8_t(seed + 1));
    keys.sip_iv.fill(std::uint8_t(seed + 2));
    keys.cipher_key.set(cipher);
    keys.sip_key.set(sip);
    return keys;
}

struct Stream {
    DataPhase sender{DataPhaseKeys{direction_keys(1), direction_keys(2)}};
    DataPhase receiver{DataPhaseKeys{direction_keys(2), direction_keys(1)}};
    std::vector<std::vector<std::uint8_t>> plaintexts;
    std::vector<std::uint8_t> wire;

    void add_frame(std::size_t size, crypto::Rng& rng)
    {
        std::vector<std::uint8_t> p(size);
        rng.fill(p);
        const auto frame = sender.seal_frame(p);
        wire.insert(wire.end(), frame.begin(), frame.end());
        plaintexts.push_back(std::move(p));
    }
};

// Feeds the wire to a FrameReader in reads of the sizes `next_read` picks (never more than
// free_space()) and collects the frames.
template <class NextRead>
std::vector<std::vector<std::uint8_t>> receive(Stream& s, FrameReader& reader, NextRead next_read)
{
    std::vector<std::vector<std::uint8_t>> out;
    std::size_t at = 0;
    for (;;) {
        for (;;) {
            auto frame = reader.next_frame(s.receiver);
            BOOST_TEST_REQUIRE(frame.has_value());
            if (!*frame) {
                break;
            }
            out.emplace_back((*frame)->begin(), (*frame)->end());
        }
        if (at == s.wire.size()) {
            return out;
        }
        const MutableBytes room = reader.free_space();
        BOOST_TEST_REQUIRE(!room.empty());
        const std::size_t n = std::min({room.size(), s.wire.size() - at, next_read()});
        std::copy_n(s.wire.begin() + std::ptrdiff_t(at), n, room.begin());
        reader.commit(n);
        at += n;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_frame_reader)

BOOST_AUTO_TEST_CASE(frames_come_out_whole_and_in_order_however_the_reads_cut_them)
{
    crypto::OsRng rng;
    Stream s;
    const std::size_t sizes[] = {
        0, 1, 100, 1024, 16 * 1024, max_frame_plaintext, 3, 40'000, max_frame_plaintext, 7};
    for (std::size_t size : sizes) {
        s.add_frame(size, rng);
    }
    FrameReader reader;
    // Random reads from 1 byte to 70 KB: partial lengths, partial bodies, several frames per
    // read, and partial frames moved to the front of the buffer.
    std::size_t calls = 0;
    const auto got = receive(s, reader, [&] {
        ++calls;
        return calls % 5 == 0 ? std::size_t(1) : 1 + std::size_t(rng.uniform(70'000));
    });
    BOOST_TEST((got == s.plaintexts));
    BOOST_TEST(!reader.mid_frame());
}

BOOST_AUTO_TEST_CASE(byte_by_byte_reads_mark_a_frame_in_progress)
{
    crypto::OsRng rng;
    Stream s;
    s.add_frame(50, rng);
    FrameReader reader;
    BOOST_TEST(!reader.mid_frame());
    reader.free_space()[0] = s.wire[0];
    reader.commit(1);
    BOOST_TEST(!reader.next_frame(s.receiver).value().has_value());
    BOOST_TEST(reader.mid_frame()); // half a length field
    BOOST_TEST(!reader.in_frame_body());
    reader.free_space()[0] = s.wire[1];
    reader.commit(1);
    BOOST_TEST(!reader.next_frame(s.receiver).value().has_value());
    BOOST_TEST(reader.in_frame_body()); // the length is known, the body is not here yet
    for (std::size_t i = 2; i < s.wire.size(); ++i) {
        BOOST_TEST_REQUIRE(!reader.next_frame(s.receiver).value().has_value());
        reader.free_space()[0] = s.wire[i];
        reader.commit(1);
    }
    const auto frame = reader.next_frame(s.receiver).value();
    BOOST_TEST_REQUIRE(frame.has_value());
    BOOST_TEST((std::vector<std::uint8_t>(frame->begin(), frame->end()) == s.plaintexts[0]));
    BOOST_TEST(!reader.mid_frame());
}

BOOST_AUTO_TEST_CASE(a_tampered_frame_or_a_short_length_is_an_error)
{
    crypto::OsRng rng;
    {
        Stream s;
        s.add_frame(1000, rng);
        s.add_frame(1000, rng);
        s.wire[2 + 1016 + 2 + 10] ^= 1; // the second frame's ciphertext
        FrameReader reader;
        const MutableBytes room = reader.free_space();
        std::copy(s.wire.begin(), s.wire.end(), room.begin());
        reader.commit(s.wire.size());
        BOOST_TEST(reader.next_frame(s.receiver).value().has_value());
        BOOST_TEST(reader.next_frame(s.receiver).error() == make_error_code(Errc::bad_signature));
        BOOST_TEST(s.receiver.receive_failed());
    }
    {
        Stream s;
        s.add_frame(10, rng);
        // A de-obfuscated length below 16 (the tag): the first length flipped to 15.
        const std::uint16_t length = std::uint16_t(10 + 16);
        const std::uint16_t masked = std::uint16_t(s.wire[0] << 8 | s.wire[1]);
        const std::uint16_t bad = std::uint16_t(masked ^ length ^ 15);
        s.wire[0] = std::uint8_t(bad >> 8);
        s.wire[1] = std::uint8_t(bad);
        FrameReader reader;
        const MutableBytes room = reader.free_space();
        std::copy(s.wire.begin(), s.wire.end(), room.begin());
        reader.commit(s.wire.size());
        BOOST_TEST(reader.next_frame(s.receiver).error() == make_error_code(Errc::invalid_value));
    }
}

BOOST_AUTO_TEST_SUITE_END()
