// Seed corpora of the ntcp2_responder and ntcp2_initiator fuzz targets
// (tests/fuzz/ntcp2_handshake.cmake): real transcripts between the fixed fuzz parties of
// handshake_testing.h, and truncations of them. Regenerate from the repository root with
//   ntcp2_tests --run_test=ntcp2_handshake_corpus/writes_fuzz_seed_corpus
// whenever the handshake's use of randomness changes (the enabled test below says when).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <boost/test/unit_test.hpp>

#include "router/transport/ntcp2/handshake.h"
#include "router/transport/ntcp2/handshake_testing.h"

using namespace umbra;
using namespace umbra::ntcp2;
using namespace umbra::ntcp2::testing;

namespace {

const std::filesystem::path corpus_root = "tests/fuzz/corpus";
using Bytes8 = std::vector<std::uint8_t>;

struct Transcript {
    Bytes8 m1, m2, m3;
};

// Alice's randomness varies the responder seeds; Bob's the initiator seeds (the fuzz targets
// fix the other party's seed).
Transcript transcript(std::uint64_t alice_seed, std::uint64_t bob_seed)
{
    crypto::DeterministicRng alice_rng(alice_seed);
    crypto::DeterministicRng bob_rng(bob_seed);
    ReplayCache cache;
    Initiator a(fuzz_alice().local(), fuzz_bob().remote());
    Responder b(fuzz_bob().local(), cache);
    Transcript t;
    t.m1 = a.start(test_now, alice_rng);
    t.m2 = feed(b, t.m1, bob_rng, test_now, SteadyTime{}).value();
    t.m3 = feed(a, t.m2, alice_rng, test_now).value();
    BOOST_REQUIRE(feed(b, t.m3, bob_rng, test_now, SteadyTime{}));
    BOOST_REQUIRE(b.established());
    return t;
}

Bytes8 cat(Bytes8 a, const Bytes8& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes8 prefix(const Bytes8& b, std::size_t n)
{
    return Bytes8(b.begin(), b.begin() + std::ptrdiff_t(std::min(n, b.size())));
}

void write(const std::string& target, const std::string& name, const Bytes8& bytes)
{
    const auto dir = corpus_root / target;
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    BOOST_REQUIRE(out.good());
}

Bytes8 read(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return Bytes8{std::istreambuf_iterator<char>(in), {}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_handshake_corpus)

BOOST_AUTO_TEST_CASE(writes_fuzz_seed_corpus, *boost::unit_test::disabled())
{
    for (std::uint64_t i = 0; i < 3; ++i) {
        const auto t = transcript(100 + i, fuzz_responder_rng_seed);
        const auto n = std::to_string(i);
        write("ntcp2_responder", "valid-" + n, cat(t.m1, t.m3));
        if (i == 0) {
            write("ntcp2_responder", "message1-only", t.m1);
            write("ntcp2_responder", "message1-fixed-part", prefix(t.m1, 64));
            write("ntcp2_responder", "message3-part1-only",
                  prefix(cat(t.m1, t.m3), t.m1.size() + 48));
            write("ntcp2_responder", "message3-short",
                  prefix(cat(t.m1, t.m3), t.m1.size() + t.m3.size() - 1));
            write("ntcp2_responder", "short", prefix(t.m1, 63));
        }
    }
    for (std::uint64_t i = 0; i < 3; ++i) {
        const auto t = transcript(fuzz_initiator_rng_seed, 200 + i);
        const auto n = std::to_string(i);
        write("ntcp2_initiator", "valid-" + n, t.m2);
        if (i == 0) {
            write("ntcp2_initiator", "message2-fixed-part", prefix(t.m2, 64));
            write("ntcp2_initiator", "message2-short", prefix(t.m2, t.m2.size() - 1));
            write("ntcp2_initiator", "short", prefix(t.m2, 63));
        }
    }
}

// The valid seeds must still complete a handshake, or the fuzzers start shallow again.
BOOST_AUTO_TEST_CASE(valid_fuzz_seeds_still_complete_the_handshake)
{
    for (const std::string target : {"ntcp2_responder", "ntcp2_initiator"}) {
        for (int i = 0; i < 3; ++i) {
            const auto file = corpus_root / target / ("valid-" + std::to_string(i));
            BOOST_TEST_REQUIRE(std::filesystem::exists(file), file);
            const auto seed = read(file);
            ReplayCache cache;
            if (target == "ntcp2_responder") {
                crypto::DeterministicRng rng(fuzz_responder_rng_seed);
                Responder b(fuzz_bob().local(), cache);
                BOOST_TEST(feed(b, seed, rng, test_now, SteadyTime{}).has_value(), file);
                BOOST_TEST(b.established(), file);
            } else {
                crypto::DeterministicRng rng(fuzz_initiator_rng_seed);
                Initiator a(fuzz_alice().local(), fuzz_bob().remote());
                (void)a.start(test_now, rng);
                BOOST_TEST(feed(a, seed, rng, test_now).has_value(), file);
                BOOST_TEST(a.established(), file);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
