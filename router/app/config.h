// The router's configuration: command line plus an INI file (--conf), with i2pd's option names
// where the concept is the same (i2pd's docs/configuration.md), so an i2pd.conf mostly carries
// over. Parsing and validation happen once at start-up; errors are exceptions with a message that
// names the option and says what to do.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "router/base/log.h"

namespace umbra::app {

struct ServiceConfig {
    bool enabled = false;
    std::string address = "127.0.0.1";
    std::uint16_t port = 0;
};

struct TransportConfig {
    bool enabled = true;
    bool published = true;
    std::uint16_t port = 0; // 0: the router's main port
    // NTCP2 only: router.info files of peers to connect to at start (each is sent a
    // DatabaseStore of our RouterInfo asking for a DeliveryStatus).
    std::vector<std::filesystem::path> peers;
};

struct ReseedConfig {
    bool verify = true;
    // HTTPS reseed URLs. Default: the public I2P reseeds (default_reseed_urls) on the public
    // network (netid 2) only; another netid gets none unless reseed.urls is given.
    std::vector<std::string> urls;
    std::string file;
    std::string zipfile;
    unsigned threshold = 25;
    // Reseed certificates (PEM, named <signer id with @ as _at_>.crt); default:
    // default_reseed_certsdir.
    std::filesystem::path certsdir;
    // CAs trusted for the TLS of HTTPS reseed servers (PEM); empty: the system store.
    std::filesystem::path cafile;
};

// The reseed URLs i2pd 2.45.1 ships as its reseed.urls default (`i2pd --help` of Debian's
// i2pd 2.45.1): the public I2P network's reseed servers.
const std::vector<std::string>& default_reseed_urls();

// The first folder that exists of: <datadir>/certificates/reseed (i2pd's layout; a user's own
// certificates win), then, relative to the executable `exe`, <exe dir>/../share/umbra/
// certificates/reseed (an installed umbra) and <exe dir>/../../../contrib/certificates/reseed
// (a build folder inside the repo, e.g. build-release/router/app/umbra from contrib/run.sh).
// If none exists: <datadir>/certificates/reseed, so messages name the documented place.
std::filesystem::path default_reseed_certsdir(const std::filesystem::path& datadir,
                                              const std::filesystem::path& exe);

struct Config {
    std::filesystem::path datadir;
    std::filesystem::path conf; // empty: none was read
    std::filesystem::path tunconf;
    std::filesystem::path pidfile;

    std::string log = "stdout"; // stdout | file
    std::filesystem::path logfile;
    LogLevel loglevel = LogLevel::info;

    std::string host; // published IPv4/IPv6 address; empty: not published yet
    std::uint16_t port = 0;
    // Local addresses to bind (i2pd's address4/address6) when they differ from `host`, e.g.
    // behind NAT or in a test network that maps published addresses; empty: derived from host.
    std::string address4;
    std::string address6;
    bool ipv4 = true;
    bool ipv6 = false;
    unsigned netid = 2;
    bool floodfill = false;
    char bandwidth = 'L'; // class letter K L M N O P X
    // The bandwidth limit in KBytes/s: the number given, or the top of the class given.
    unsigned bandwidth_kbps = 48;
    unsigned share = 100;
    bool notransit = false;

    TransportConfig ntcp2;
    TransportConfig ssu2;
    ReseedConfig reseed;
    ServiceConfig http{true, "127.0.0.1", 7070};
    ServiceConfig httpproxy{true, "127.0.0.1", 4444};
    ServiceConfig socksproxy{true, "127.0.0.1", 4447};
    ServiceConfig sam{true, "127.0.0.1", 7656};
    unsigned transittunnels = 5000; // limits.transittunnels
    unsigned tunnels_threads = 0;   // tunnels.threads: transit shards; 0: one per hardware thread
    // Our exploratory tunnels (i2pd's exploratory.* options and defaults): hops besides us,
    // tunnels kept.
    struct Exploratory {
        unsigned inbound_length = 2;
        unsigned outbound_length = 2;
        unsigned inbound_quantity = 3;
        unsigned outbound_quantity = 3;
    } exploratory;
    // tunnels.restrictsubnet: never two hops of one IPv4 /16 in a tunnel of ours
    // (peer-selection.html); off only for private test networks on one subnet.
    bool restrict_subnet = true;

    std::vector<std::string> ignored_options; // in the config file but unknown to umbra
};

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ParseOutcome {
    std::optional<Config> config; // empty when --help or --version was answered
    std::string message;          // help or version text to print
};

// Parses argv and the config file it names (or <datadir>/umbra.conf when that exists).
// Throws ConfigError with a message naming the bad option.
ParseOutcome parse_config(int argc, const char* const* argv);

// Maps i2pd's bandwidth setting (a class letter, or a number of KBytes/s) to a class letter.
std::optional<char> bandwidth_class(const std::string& value);
// The limit in KBytes/s of a valid bandwidth setting: the number, or the top of the class.
unsigned bandwidth_kbps(const std::string& value);

} // namespace umbra::app
