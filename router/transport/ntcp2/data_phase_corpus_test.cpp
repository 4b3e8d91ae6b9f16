// Seed corpora of the ntcp2_blocks and ntcp2_frames fuzz targets (tests/fuzz/ntcp2_data.cmake).
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <boost/test/unit_test.hpp>

#include "router/data/i2np/header.h"
#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/fuzz_keys.h"
#include "tests/support/hex.h"

using namespace umbra;
using namespace umbra::ntcp2;
using umbra::test::from_hex;

namespace {

using Seeds = std::vector<std::pair<std::string, std::vector<std::uint8_t>>>;

// The sender toward the fuzz target; its own receive keys do not matter.
DataPhase fuzz_sender()
{
    DirectionKeys other;
    other.sip_iv.fill(0xee);
    return DataPhase(DataPhaseKeys{fuzz_keys(), std::move(other)});
}

std::vector<std::uint8_t> serialize(const std::vector<Block>& blocks)
{
    ByteWriter out;
    for (const Block& block : blocks) {
        write_block(out, block);
    }
    return out.take();
}

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<std::pair<std::string, Block>> named_blocks()
{
    const i2np::Message status{i2np::MessageType::delivery_status, MessageId(0x01020304),
                               WallTime{1'700'000'000'000}, from_hex("deadbeef0000018bcfe56800")};
    return {
        {"date_time", DateTime{1'700'000'000}},
        {"options", OptionsBlock{from_hex("00 10 00 10 0000 0000 0000 0000")}},
        {"router_info", RouterInfoBlock{true, std::vector<std::uint8_t>(40, 0x42)}},
        {"i2np", I2npBlock{status.serialize_short()}},
        {"termination", Termination{3, TerminationReason::idle_timeout, from_hex("6279")}},
        {"padding", Padding{32}},
        {"unknown", UnknownBlock{224}},
    };
}

std::vector<Block> all_blocks()
{
    std::vector<Block> blocks;
    for (auto& [name, block] : named_blocks()) {
        if (!std::holds_alternative<Termination>(block) &&
            !std::holds_alternative<Padding>(block)) {
            blocks.push_back(block);
        }
    }
    blocks.push_back(Termination{9, TerminationReason::normal, {}});
    blocks.push_back(Padding{5});
    return blocks;
}

Seeds block_seeds()
{
    Seeds seeds;
    for (const auto& [name, block] : named_blocks()) {
        seeds.emplace_back(name, serialize({block}));
    }
    seeds.emplace_back("all_types", serialize(all_blocks()));
    seeds.emplace_back("empty", std::vector<std::uint8_t>{});
    seeds.emplace_back("invalid_block_after_padding", from_hex("fe 0000 00 0004 00000001"));
    seeds.emplace_back("invalid_two_paddings", from_hex("fe 0001 00 fe 0000"));
    seeds.emplace_back("invalid_block_after_termination",
                       from_hex("04 0009 0000000000000000 00 00 0004 00000001"));
    seeds.emplace_back("invalid_date_time_size_3", from_hex("00 0003 000001"));
    seeds.emplace_back("invalid_termination_size_8", from_hex("04 0008 0000000000000000"));
    seeds.emplace_back("invalid_i2np_size_8", from_hex("03 0008 0a01020304000000"));
    seeds.emplace_back("invalid_router_info_flag_only", from_hex("02 0001 01"));
    seeds.emplace_back("invalid_block_longer_than_frame", from_hex("03 0100 0a01020304"));
    seeds.emplace_back("invalid_truncated_header", from_hex("00 00"));
    return seeds;
}

Seeds valid_frame_seeds()
{
    Seeds seeds;
    for (const auto& [name, block] : named_blocks()) {
        seeds.emplace_back("frame_" + name, fuzz_sender().seal_blocks({block}));
    }
    DataPhase sender = fuzz_sender();
    std::vector<std::uint8_t> stream;
    stream = concat(stream, sender.seal_blocks({DateTime{1'700'000'000}, Padding{3}}));
    stream = concat(stream, sender.seal_blocks(all_blocks()));
    stream = concat(stream, sender.seal_frame({}));
    stream = concat(stream, sender.seal_blocks({Padding{4000}}));
    seeds.emplace_back("stream_of_four_frames", stream);
    return seeds;
}

Seeds invalid_frame_seeds()
{
    Seeds seeds;
    DataPhase sender = fuzz_sender();
    const auto first = sender.seal_blocks({DateTime{1}, Padding{8}});
    const auto second = sender.seal_blocks({DateTime{2}, Padding{8}});
    auto tampered_tag = first;
    tampered_tag.back() ^= 0x01;
    auto tampered_length = first;
    tampered_length[1] ^= 0x01;
    auto short_length = fuzz_sender().seal_frame({});
    short_length[1] ^= 0x10 ^ 0x0f; // de-obfuscates to 15
    seeds.emplace_back("invalid_tampered_tag", concat(tampered_tag, second));
    seeds.emplace_back("invalid_tampered_length", concat(tampered_length, second));
    seeds.emplace_back("invalid_length_below_16", short_length);
    seeds.emplace_back("invalid_replayed_frame", concat(first, first));
    seeds.emplace_back("invalid_reordered_frames", concat(second, first));
    seeds.emplace_back("invalid_truncated_stream",
                       std::vector<std::uint8_t>(first.begin(), first.begin() + 10));
    seeds.emplace_back("invalid_blocks_in_valid_frame",
                       fuzz_sender().seal_frame(from_hex("fe 0000 00 0004 00000001")));
    return seeds;
}

void write_seeds(const std::filesystem::path& dir, const Seeds& seeds)
{
    std::filesystem::create_directories(dir);
    for (const auto& [name, bytes] : seeds) {
        std::ofstream out(dir / (name + ".bin"), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        BOOST_TEST_REQUIRE(out.good(), "cannot write " << name);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(ntcp2_data_corpus)

BOOST_AUTO_TEST_CASE(valid_frame_seeds_open_with_the_fuzz_keys)
{
    for (const auto& [name, bytes] : valid_frame_seeds()) {
        DirectionKeys other;
        DataPhase receiver(DataPhaseKeys{std::move(other), fuzz_keys()});
        Bytes stream(bytes);
        while (!stream.empty()) {
            auto length = receiver.frame_length(stream.first(2));
            BOOST_TEST_REQUIRE(length.has_value(), name);
            auto plaintext = receiver.open_frame(stream.subspan(2, *length));
            BOOST_TEST_REQUIRE(plaintext.has_value(), name);
            BOOST_TEST(parse_blocks(*plaintext).has_value(), name);
            stream = stream.subspan(2 + *length);
        }
    }
}

// Regenerates tests/fuzz/corpus/ntcp2_{blocks,frames}/. Disabled, so it runs only when named:
//   ntcp2_tests --run_test=ntcp2_data_corpus/writes_fuzz_seed_corpus   (from the repository root)
BOOST_AUTO_TEST_CASE(writes_fuzz_seed_corpus, *boost::unit_test::disabled())
{
    const std::filesystem::path root = "tests/fuzz/corpus";
    write_seeds(root / "ntcp2_blocks", block_seeds());
    write_seeds(root / "ntcp2_frames", valid_frame_seeds());
    write_seeds(root / "ntcp2_frames", invalid_frame_seeds());
}

BOOST_AUTO_TEST_SUITE_END()
