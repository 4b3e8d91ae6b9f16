#include <algorithm>
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "router/data/i2np/payload.h"
#include "router/data/i2np/test_samples.h"

using namespace umbra;
using namespace umbra::i2np;

namespace {

constexpr WallTime kExpiration{1'700'000'060'000}; // whole seconds, so the short header keeps it

Message message_of(const samples::NamedSample& sample)
{
    return make_message(sample.payload, MessageId(0x0badcafe), kExpiration);
}

void write_file(const std::filesystem::path& path, Bytes bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    BOOST_TEST_REQUIRE(out.good(), "cannot write " << path);
}

// Invalid standard-format inputs that exercise each rejection path of the header.
std::vector<std::pair<std::string, std::vector<std::uint8_t>>> invalid_standard_seeds()
{
    const auto valid = message_of(samples::all_samples()[6]).serialize_standard();
    auto bad_checksum = valid;
    bad_checksum[15] ^= 0xff;
    auto trailing = valid;
    trailing.push_back(0);
    auto oversize = valid;
    oversize[13] = 0xff;
    oversize[14] = 0xff;
    const auto unknown = Message{MessageType(0xe0), MessageId(1), kExpiration, {1, 2, 3}};
    const auto bad_count = Message{MessageType::short_tunnel_build, MessageId(1), kExpiration,
                                   std::vector<std::uint8_t>(1 + 9 * 218, 9)};
    return {{"invalid_bad_checksum", bad_checksum},
            {"invalid_trailing_byte", trailing},
            {"invalid_oversize", oversize},
            {"invalid_truncated", {valid.begin(), valid.begin() + 20}},
            {"invalid_unknown_type", unknown.serialize_standard()},
            {"invalid_record_count", bad_count.serialize_standard()}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(i2np_payload)

BOOST_AUTO_TEST_CASE(round_trips_every_message_type)
{
    for (const auto& sample : samples::all_samples()) {
        BOOST_TEST_CONTEXT(sample.name)
        {
            const auto bytes = serialize_payload(sample.payload);
            auto parsed = parse_payload(type_of(sample.payload), bytes);
            BOOST_TEST_REQUIRE(parsed.has_value());
            BOOST_TEST((*parsed == sample.payload));
            BOOST_TEST(serialize_payload(*parsed) == bytes);
        }
    }
}

BOOST_AUTO_TEST_CASE(covers_every_message_type)
{
    std::vector<bool> seen(std::variant_size_v<Payload>);
    for (const auto& sample : samples::all_samples()) {
        seen[sample.payload.index()] = true;
    }
    BOOST_TEST(std::count(seen.begin(), seen.end(), true) == long(seen.size()));
}

BOOST_AUTO_TEST_CASE(round_trips_every_message_type_through_both_headers)
{
    for (const auto& sample : samples::all_samples()) {
        BOOST_TEST_CONTEXT(sample.name)
        {
            const Message m = message_of(sample);
            const auto standard = m.serialize_standard();
            auto from_standard = Message::parse_standard(standard);
            BOOST_TEST_REQUIRE(from_standard.has_value());
            BOOST_TEST((*from_standard == m));
            BOOST_TEST(from_standard->serialize_standard() == standard);
            auto from_short = Message::parse_short(m.serialize_short());
            BOOST_TEST_REQUIRE(from_short.has_value());
            BOOST_TEST((*from_short == m));
            auto body = parse_payload(*from_short);
            BOOST_TEST_REQUIRE(body.has_value());
            BOOST_TEST((*body == sample.payload));
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_every_message_truncated_at_every_offset)
{
    for (const auto& sample : samples::all_samples()) {
        const auto bytes = message_of(sample).serialize_standard();
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            auto parsed = Message::parse_standard(Bytes(bytes).first(n));
            BOOST_TEST(parsed.error() == make_error_code(Errc::truncated),
                       sample.name << " length " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(rejects_reserved_and_obsolete_types)
{
    for (int type : {0, 4, 9, 12, 17, 27, 224, 254, 255}) {
        BOOST_TEST(parse_payload(MessageType(type), {}).error() ==
                       make_error_code(Errc::unsupported),
                   "type " << type);
    }
}

BOOST_AUTO_TEST_CASE(typed_make_message_matches_variant_make_message)
{
    const auto lookup = samples::sample_lookup_ecies();
    const Message a = make_message(lookup, MessageId(5), kExpiration);
    const Message b = make_message(Payload(lookup), MessageId(5), kExpiration);
    BOOST_TEST((a == b));
    BOOST_TEST((a.type == MessageType::database_lookup));
}

// Regenerates tests/fuzz/corpus/i2np_{standard,short}/. Disabled, so it runs only when named:
//   i2np_tests --run_test=i2np_payload/writes_fuzz_seed_corpus   (from the repository root)
BOOST_AUTO_TEST_CASE(writes_fuzz_seed_corpus, *boost::unit_test::disabled())
{
    const std::filesystem::path root = "tests/fuzz/corpus";
    std::filesystem::create_directories(root / "i2np_standard");
    std::filesystem::create_directories(root / "i2np_short");
    for (const auto& sample : samples::all_samples()) {
        const Message m = message_of(sample);
        write_file(root / "i2np_standard" / (sample.name + ".bin"), m.serialize_standard());
        write_file(root / "i2np_short" / (sample.name + ".bin"), m.serialize_short());
    }
    for (const auto& [name, bytes] : invalid_standard_seeds()) {
        write_file(root / "i2np_standard" / (name + ".bin"), bytes);
    }
    write_file(root / "i2np_short" / "invalid_truncated_header.bin",
               std::vector<std::uint8_t>{0x0a, 0, 0, 0, 1});
    auto bad_lookup = message_of(samples::all_samples()[2]).serialize_short();
    bad_lookup.push_back(0);
    write_file(root / "i2np_short" / "invalid_trailing_byte.bin", bad_lookup);
}

BOOST_AUTO_TEST_SUITE_END()
