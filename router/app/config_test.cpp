#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "router/app/config.h"
#include "tests/support/temp_dir.h"

using namespace umbra::app;
namespace fs = std::filesystem;

namespace {

ParseOutcome parse(std::vector<const char*> args)
{
    args.insert(args.begin(), "umbra");
    return parse_config(static_cast<int>(args.size()), args.data());
}

bool error_mentions(std::vector<const char*> args, const std::string& what)
{
    try {
        parse(std::move(args));
    } catch (const ConfigError& e) {
        return std::string(e.what()).find(what) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_match_i2pd_where_the_concept_is_the_same)
{
    const auto c = *parse({"--datadir", "/nonexistent-umbra"}).config;
    BOOST_TEST(c.netid == 2u);
    BOOST_TEST(!c.floodfill);
    BOOST_TEST(c.httpproxy.port == 4444);
    BOOST_TEST(c.socksproxy.port == 4447);
    BOOST_TEST(c.sam.port == 7656);
    BOOST_TEST(c.http.port == 7070);
    BOOST_TEST(c.tunconf == fs::path("/nonexistent-umbra/tunnels.conf"));
    std::error_code ec;
    BOOST_TEST(
        c.reseed.certsdir ==
        default_reseed_certsdir("/nonexistent-umbra", fs::read_symlink("/proc/self/exe", ec)));
    BOOST_TEST(c.conf.empty());
    const auto other =
        *parse({"--datadir", "/nonexistent-umbra", "--reseed.certsdir", "/c"}).config;
    BOOST_TEST(other.reseed.certsdir == fs::path("/c"));
}

BOOST_AUTO_TEST_CASE(reseed_urls_default_to_the_public_reseeds_on_the_public_network_only)
{
    const auto pub = *parse({"--datadir", "/nonexistent-umbra"}).config;
    BOOST_TEST(pub.reseed.urls == default_reseed_urls());
    BOOST_TEST(pub.reseed.urls.size() == 11u);
    for (const auto& url : pub.reseed.urls) {
        BOOST_TEST(url.rfind("https://", 0) == 0u);
    }
    const auto test_net = *parse({"--datadir", "/nonexistent-umbra", "--netid", "99"}).config;
    BOOST_TEST(test_net.reseed.urls.empty());
    const auto given = *parse({"--netid", "99", "--reseed.urls",
                               " https://127.0.0.1:4443/ ,https://localhost:4444/"})
                            .config;
    BOOST_TEST(given.reseed.urls ==
               (std::vector<std::string>{"https://127.0.0.1:4443/", "https://localhost:4444/"}));
    BOOST_TEST(parse({"--reseed.urls", ""}).config->reseed.urls.empty());
    BOOST_TEST(pub.reseed.cafile.empty());
    const auto ca = "tests/fixtures/reseed/test-only-tls-ca.crt.pem";
    BOOST_TEST(parse({"--reseed.cafile", ca}).config->reseed.cafile == fs::path(ca));
    BOOST_TEST(error_mentions({"--reseed.cafile", "/nonexistent/ca.pem"}, "reseed.cafile"));
}

BOOST_AUTO_TEST_CASE(reseed_certsdir_prefers_the_datadir_then_the_shipped_certificates)
{
    const umbra::test::TempDir tmp("umbra-certsdir");
    const auto exe = tmp.path / "repo" / "build-release" / "router" / "app" / "umbra";
    const auto own = tmp.path / "data" / "certificates" / "reseed";
    const auto repo = tmp.path / "repo" / "contrib" / "certificates" / "reseed";
    const auto installed = tmp.path / "repo" / "build-release" / "router" / "share" / "umbra" /
                           "certificates" / "reseed";
    BOOST_TEST(default_reseed_certsdir(tmp.path / "data", exe) == own);
    fs::create_directories(repo);
    BOOST_TEST(default_reseed_certsdir(tmp.path / "data", exe) == repo);
    fs::create_directories(installed);
    BOOST_TEST(default_reseed_certsdir(tmp.path / "data", exe) == installed);
    fs::create_directories(own);
    BOOST_TEST(default_reseed_certsdir(tmp.path / "data", exe) == own);
    BOOST_TEST(default_reseed_certsdir(tmp.path / "none", {}) ==
               tmp.path / "none" / "certificates" / "reseed");
}

BOOST_AUTO_TEST_CASE(the_repo_certificates_are_found_from_a_build_folder_in_the_repo)
{
    const auto dir = default_reseed_certsdir("/nonexistent-umbra", fs::current_path() / "build-x" /
                                                                       "router" / "app" / "umbra");
    BOOST_TEST(dir == (fs::current_path() / "contrib" / "certificates" / "reseed"));
    BOOST_TEST(fs::exists(dir / "hottuna_at_mail.i2p.crt"));
}

BOOST_AUTO_TEST_CASE(help_lists_every_option_with_a_description)
{
    const auto out = parse({"--help"});
    BOOST_TEST(!out.config.has_value());
    for (const char* name : {"--datadir",        "--conf",           "--tunconf",
                             "--host",           "--port",           "--netid",
                             "--floodfill",      "--bandwidth",      "--log ",
                             "--logfile",        "--loglevel",       "--ntcp2.enabled",
                             "--ssu2.port",      "--reseed.urls",    "--reseed.certsdir",
                             "--reseed.cafile",  "--httpproxy.port", "--socksproxy.address",
                             "--sam.enabled",    "--http.port",      "--limits.transittunnels",
                             "--tunnels.threads"}) {
        BOOST_TEST_CONTEXT(name)
        {
            BOOST_TEST(out.message.find(name) != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(bad_values_name_the_option)
{
    BOOST_TEST(error_mentions({"--port", "70000"}, "port"));
    BOOST_TEST(error_mentions({"--port", "abc"}, "port"));
    BOOST_TEST(error_mentions({"--netid", "0"}, "netid"));
    BOOST_TEST(error_mentions({"--netid", "256"}, "netid"));
    BOOST_TEST(error_mentions({"--loglevel", "loud"}, "loglevel"));
    BOOST_TEST(error_mentions({"--bandwidth", "Q"}, "bandwidth"));
    BOOST_TEST(error_mentions({"--host", "example.com"}, "host"));
    BOOST_TEST(error_mentions({"--log", "syslog"}, "log"));
    BOOST_TEST(error_mentions({"--sam.address", "nowhere"}, "sam.address"));
    BOOST_TEST(error_mentions({"--no-such-option"}, "no-such-option"));
    BOOST_TEST(error_mentions({"--conf", "/nonexistent/umbra.conf"}, "conf"));
}

BOOST_AUTO_TEST_CASE(booleans_work_as_switches_and_with_values)
{
    BOOST_TEST(parse({"--floodfill"}).config->floodfill);
    BOOST_TEST(!parse({"--floodfill=false"}).config->floodfill);
    BOOST_TEST(!parse({"--ntcp2.enabled=0"}).config->ntcp2.enabled);
}

BOOST_AUTO_TEST_CASE(bandwidth_accepts_letters_and_kbytes_per_second)
{
    BOOST_TEST(*bandwidth_class("X") == 'X');
    BOOST_TEST(*bandwidth_class("10") == 'K');
    BOOST_TEST(*bandwidth_class("48") == 'L');
    BOOST_TEST(*bandwidth_class("256") == 'O');
    BOOST_TEST(*bandwidth_class("2000") == 'P');
    BOOST_TEST(*bandwidth_class("5000") == 'X');
    BOOST_TEST(!bandwidth_class("").has_value());
    BOOST_TEST(!bandwidth_class("12k").has_value());
}

BOOST_AUTO_TEST_CASE(bandwidth_limit_is_the_number_or_the_top_of_the_class)
{
    BOOST_TEST(parse({}).config->bandwidth_kbps == 48u); // L
    BOOST_TEST(parse({"--bandwidth", "300"}).config->bandwidth_kbps == 300u);
    BOOST_TEST(parse({"--bandwidth", "300"}).config->bandwidth == 'P');
    BOOST_TEST(parse({"--bandwidth", "O"}).config->bandwidth_kbps == 256u);
    BOOST_TEST(parse({"--bandwidth", "X"}).config->bandwidth_kbps == 1'000'000u);
}

BOOST_AUTO_TEST_CASE(tunnel_threads_default_to_every_hardware_thread)
{
    BOOST_TEST(parse({}).config->tunnels_threads == 0u);
    BOOST_TEST(parse({"--tunnels.threads", "3"}).config->tunnels_threads == 3u);
    BOOST_TEST(error_mentions({"--tunnels.threads", "1000"}, "tunnels.threads"));
}

BOOST_AUTO_TEST_CASE(config_file_in_i2pd_syntax_is_read_and_command_line_wins)
{
    umbra::test::TempDir dir("umbra-config-test");
    const auto conf = dir.path / "umbra.conf";
    std::ofstream(conf) << "# i2pd-style file\nnetid = 99\nfloodfill = true\nloglevel = warn\n"
                           "bandwidth = P\nport = 20001\n"
                           "[ntcp2]\nport = 20002\n[httpproxy]\nport = 14401\n"
                           "[upnp]\nenabled = false\n";
    const auto c = *parse({"--datadir", dir.path.c_str(), "--port", "20005"}).config;
    BOOST_TEST(c.conf == conf); // found in the data directory
    BOOST_TEST(c.netid == 99u);
    BOOST_TEST(c.floodfill);
    BOOST_TEST(c.bandwidth == 'P');
    BOOST_TEST(c.port == 20005); // the command line overrides the file
    BOOST_TEST(c.ntcp2.port == 20002);
    BOOST_TEST(c.httpproxy.port == 14401);
    BOOST_TEST(c.ignored_options == std::vector<std::string>{"upnp.enabled"});
}

BOOST_AUTO_TEST_CASE(bad_value_in_config_file_names_the_option)
{
    umbra::test::TempDir dir("umbra-config-test");
    std::ofstream(dir.path / "umbra.conf") << "[sam]\nport = 123456\n";
    BOOST_TEST(error_mentions({"--datadir", dir.path.c_str()}, "sam.port"));
}

BOOST_AUTO_TEST_CASE(bind_addresses_and_ntcp2_peers_are_read_and_checked)
{
    umbra::test::TempDir dir("umbra-config-test");
    const auto peer = (dir.path / "peer.info").string();
    std::ofstream(peer) << "x";
    const auto c = *parse({"--address4", "127.18.0.100", "--ntcp2.peer", peer.c_str(),
                           "--ntcp2.peer", peer.c_str()})
                        .config;
    BOOST_TEST(c.address4 == "127.18.0.100");
    BOOST_TEST(c.address6.empty());
    BOOST_TEST(c.ntcp2.peers.size() == 2u);
    BOOST_TEST(error_mentions({"--address4", "::1"}, "address4"));
    BOOST_TEST(error_mentions({"--address6", "127.0.0.1"}, "address6"));
    BOOST_TEST(error_mentions({"--ntcp2.peer", "/nonexistent/router.info"}, "ntcp2.peer"));
    const auto help = parse({"--help"}).message;
    for (const char* name : {"--address4", "--address6", "--ntcp2.peer"}) {
        BOOST_TEST(help.find(name) != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
