// Regenerates tests/fuzz/corpus/build_record/ and build_hop/. Disabled, so it runs only when
// named:  tunnel_build_tests --run_test=tunnel_build_corpus   (from the repository root)
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "tunnels/build/testing.h"

using namespace umbra;
using namespace umbra::tunnels;
using namespace umbra::tunnels::testing;

namespace {

void write_file(const std::filesystem::path& p, Bytes bytes)
{
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> with_selector(std::uint8_t selector, Bytes body)
{
    std::vector<std::uint8_t> v{selector};
    v.insert(v.end(), body.begin(), body.end());
    return v;
}

} // namespace

std::vector<std::uint8_t> read_file(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The checked-in build_hop seeds built by the creator still reach the accept path of a normal
// (non-fuzzing) build, so the replayed corpus exercises more than the parsers.
BOOST_AUTO_TEST_CASE(build_hop_seeds_are_accepted_by_the_fuzz_hop)
{
    for (const char* name : {"short_obep", "short_ibgw", "long_obep", "long_ibgw"}) {
        const auto seed = read_file(std::filesystem::path("tests/fuzz/corpus/build_hop") /
                                    (std::string(name) + ".bin"));
        BOOST_REQUIRE_MESSAGE(seed.size() > 1, name);
        TestRouter hop = make_fuzz_hop();
        crypto::DeterministicRng rng(1);
        const auto type = (seed[0] & 1) ? i2np::MessageType::variable_tunnel_build
                                        : i2np::MessageType::short_tunnel_build;
        auto out = hop.hop->handle(type, Bytes(seed).subspan(1), kFuzzNow, rng, accept_all);
        BOOST_TEST_MESSAGE(name);
        BOOST_TEST(out.has_value());
    }
}

BOOST_AUTO_TEST_SUITE(tunnel_build_corpus, *boost::unit_test::disabled())

BOOST_AUTO_TEST_CASE(writes_fuzz_seed_corpus)
{
    const std::filesystem::path root = "tests/fuzz/corpus";
    std::filesystem::create_directories(root / "build_record");
    std::filesystem::create_directories(root / "build_hop");
    crypto::DeterministicRng rng(40);
    TestRouter hop = make_fuzz_hop();
    TestRouter next = make_router(0xf023);
    for (int f = 0; f < 2; ++f) {
        const auto format = f ? RecordFormat::long_ecies : RecordFormat::short_ecies;
        const std::string name = f ? "long" : "short";
        // build_record: selector bit 0 = format, bit 1 = reply record.
        BuildRequestRecord req;
        req.receive_tunnel = TunnelId(1);
        req.next_tunnel = TunnelId(2);
        req.flags = kFlagOutboundEndpoint;
        req.request_time_minutes = static_cast<std::uint32_t>(kFuzzNow.ms / 60'000);
        BOOST_REQUIRE(req.options.set("m", "10"));
        std::vector<std::uint8_t> clear(request_size(format));
        BOOST_REQUIRE(req.write(format, clear, rng));
        write_file(root / "build_record" / (name + "_request.bin"),
                   with_selector(static_cast<std::uint8_t>(f), clear));
        BuildReplyRecord reply;
        reply.reply = kRejectBandwidth;
        std::vector<std::uint8_t> reply_clear(reply_size(format));
        BOOST_REQUIRE(reply.write(format, reply_clear, rng));
        write_file(root / "build_record" / (name + "_reply.bin"),
                   with_selector(static_cast<std::uint8_t>(f | 2), reply_clear));
        // build_hop: real builds (outbound with the fuzz hop as OBEP, inbound as IBGW)...
        for (bool inbound : {false, true}) {
            auto hops = inbound ? std::vector<TestRouter*>{&hop, &next}
                                : std::vector<TestRouter*>{&next, &hop};
            auto plan = make_plan(hops, format, inbound, next.ident);
            auto created = PendingBuild::create(std::move(plan), kFuzzNow, rng);
            BOOST_REQUIRE(created.has_value());
            auto payload = created->second.payload;
            if (!inbound) { // the fuzz hop is second: give it the record as hop 1 left it
                auto out =
                    next.hop->handle(created->second.type, payload, kFuzzNow, rng, accept_all);
                BOOST_REQUIRE(out.has_value());
                payload = out->payload;
            }
            write_file(root / "build_hop" / (name + (inbound ? "_ibgw.bin" : "_obep.bin")),
                       with_selector(static_cast<std::uint8_t>(f), payload));
        }
        // ...and one whose "ciphertext" is the cleartext, for the fuzzing build's AEAD bypass.
        std::vector<std::uint8_t> bypass(1 + record_size(format));
        bypass[0] = 1;
        std::copy_n(hop.ident.bytes().begin(), kTruncatedHashSize, bypass.begin() + 1);
        rng.fill(MutableBytes(bypass).subspan(1 + kTruncatedHashSize, 32));
        bypass[1 + kTruncatedHashSize + 31] &= 0x7f; // a well-formed X25519 public key
        req.next_ident = next.ident;
        BOOST_REQUIRE(req.write(
            format, MutableBytes(bypass).subspan(1 + kRecordHeaderSize, request_size(format)),
            rng));
        write_file(root / "build_hop" / (name + "_bypass_cleartext.bin"),
                   with_selector(static_cast<std::uint8_t>(f), bypass));
    }
}

BOOST_AUTO_TEST_SUITE_END()
