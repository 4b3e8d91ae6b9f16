#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "router/base/log.h"

#include <unistd.h>

using namespace umbra;

namespace {

// A fresh file name in the temp directory, removed when the test ends.
class TempFile {
public:
    TempFile()
    {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("umbra_log_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove(path_);
    }
    ~TempFile() { std::filesystem::remove(path_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    std::string path() const { return path_.string(); }
    std::vector<std::string> lines() const
    {
        std::ifstream in(path_);
        std::vector<std::string> out;
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }

private:
    std::filesystem::path path_;
};

const std::regex
    line_format(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} ([a-z]+) ([^:]+): (.*))");

} // namespace

BOOST_AUTO_TEST_SUITE(logging)

BOOST_AUTO_TEST_CASE(parses_i2pd_level_names_and_warning)
{
    const std::pair<std::string_view, LogLevel> names[] = {
        {"none", LogLevel::none},   {"critical", LogLevel::critical}, {"error", LogLevel::error},
        {"warn", LogLevel::warn},   {"warning", LogLevel::warn},      {"info", LogLevel::info},
        {"debug", LogLevel::debug}, {"DEBUG", LogLevel::debug}};
    for (const auto& [text, level] : names) {
        LogLevel out = LogLevel::none;
        BOOST_TEST(parse_log_level(text, out), text);
        BOOST_TEST((out == level), text);
    }
    for (const auto& level : {LogLevel::none, LogLevel::error, LogLevel::debug}) {
        LogLevel out = LogLevel::info;
        BOOST_TEST(parse_log_level(to_string(level), out));
        BOOST_TEST((out == level));
    }
}

BOOST_AUTO_TEST_CASE(rejects_unknown_level_names_and_keeps_the_output)
{
    for (const std::string_view bad : {"", "verbose", "warn ", "inf", "information", "3"}) {
        LogLevel out = LogLevel::error;
        BOOST_TEST(!parse_log_level(bad, out), bad);
        BOOST_TEST((out == LogLevel::error));
    }
}

BOOST_AUTO_TEST_CASE(writes_one_timestamped_line_per_message_to_a_file)
{
    TempFile file;
    {
        Logger log;
        BOOST_TEST_REQUIRE(log.open_file(file.path()));
        log.write(LogLevel::info, "ntcp2", "session with peer closed: timeout");
        UMBRA_LOG(log, error, "netdb", "stored " << 3 << " entries");
    }
    const auto lines = file.lines();
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    std::smatch m;
    BOOST_TEST_REQUIRE(std::regex_match(lines[0], m, line_format));
    BOOST_TEST(m[1] == "info");
    BOOST_TEST(m[2] == "ntcp2");
    BOOST_TEST(m[3] == "session with peer closed: timeout");
    BOOST_TEST_REQUIRE(std::regex_match(lines[1], m, line_format));
    BOOST_TEST(m[1] == "error");
    BOOST_TEST(m[3] == "stored 3 entries");
}

BOOST_AUTO_TEST_CASE(drops_messages_above_the_level)
{
    TempFile file;
    Logger log;
    BOOST_TEST_REQUIRE(log.open_file(file.path()));
    log.set_level(LogLevel::warn);
    log.write(LogLevel::debug, "t", "debug");
    log.write(LogLevel::info, "t", "info");
    log.write(LogLevel::warn, "t", "warn");
    log.write(LogLevel::critical, "t", "critical");
    log.set_level(LogLevel::none);
    log.write(LogLevel::critical, "t", "silenced");
    log.write(LogLevel::none, "t", "never");
    const auto lines = file.lines();
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    BOOST_TEST(lines[0].ends_with(" warn t: warn"));
    BOOST_TEST(lines[1].ends_with(" critical t: critical"));
    BOOST_TEST(!log.enabled(LogLevel::critical));
}

BOOST_AUTO_TEST_CASE(escapes_control_characters_so_a_message_stays_one_line)
{
    TempFile file;
    Logger log;
    BOOST_TEST_REQUIRE(log.open_file(file.path()));
    log.write(LogLevel::info, "sam", "name a\n2024-01-01 00:00:00.000 critical fake: x\r\x7f");
    const auto lines = file.lines();
    BOOST_TEST_REQUIRE(lines.size() == 1u);
    BOOST_TEST(lines[0].ends_with(
        " info sam: name a\\x0a2024-01-01 00:00:00.000 critical fake: x\\x0d\\x7f"));
}

BOOST_AUTO_TEST_CASE(appends_to_an_existing_file)
{
    TempFile file;
    {
        Logger log;
        BOOST_TEST_REQUIRE(log.open_file(file.path()));
        log.write(LogLevel::info, "t", "first");
    }
    Logger log;
    BOOST_TEST_REQUIRE(log.open_file(file.path()));
    log.write(LogLevel::info, "t", "second");
    BOOST_TEST(file.lines().size() == 2u);
}

BOOST_AUTO_TEST_CASE(keeps_the_current_sink_when_a_file_cannot_be_opened)
{
    TempFile file;
    Logger log;
    BOOST_TEST_REQUIRE(log.open_file(file.path()));
    BOOST_TEST(!log.open_file("/nonexistent-umbra-dir/umbra.log"));
    log.write(LogLevel::info, "t", "still here");
    BOOST_TEST(file.lines().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
