#include "router/app/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/program_options.hpp>

#include <arpa/inet.h>

namespace umbra::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* version_text = "umbra 0.1.0 (I2P router, speaks I2P 0.9.58)";

// A boolean that is also a plain switch on the command line: --floodfill or --floodfill=false.
po::typed_value<bool>* flag(bool def)
{
    return po::value<bool>()->default_value(def)->implicit_value(true);
}

void add_general(po::options_description& d)
{
    d.add_options()("help,h", "Print this help and exit.")("version",
                                                           "Print the version and exit.")(
        "conf", po::value<std::string>(),
        "Config file (INI, i2pd syntax). Default: <datadir>/umbra.conf if it exists. "
        "Command-line options override the file.")(
        "tunconf", po::value<std::string>(),
        "Client/server tunnels file. Default: <datadir>/tunnels.conf.")(
        "datadir", po::value<std::string>(),
        "Data directory for router.keys, router.info and netDb/. Default: $HOME/.umbra. "
        "Created (mode 0700) when missing.")("pidfile", po::value<std::string>(),
                                             "Write the process id to this file while running.")(
        "log", po::value<std::string>()->default_value("stdout"),
        "Where logs go: stdout or file (see --logfile).")(
        "logfile", po::value<std::string>(),
        "Log file when log=file. Default: <datadir>/umbra.log.")(
        "loglevel", po::value<std::string>()->default_value("info"),
        "Log level: none, critical, error, warn, info or debug.")(
        "host", po::value<std::string>(),
        "Public IP address to publish in the RouterInfo (IPv4 or IPv6 literal).")(
        "address4", po::value<std::string>(),
        "IPv4 address to bind NTCP2 to (listener and outgoing connections) when it differs "
        "from --host. Default: --host if it is IPv4, else all interfaces.")(
        "address6", po::value<std::string>(),
        "IPv6 address to bind NTCP2 to when --ipv6. Default: --host if it is IPv6, else all.")(
        "port", po::value<unsigned>()->default_value(0),
        "Port for NTCP2 and SSU2 (1-65535). 0: chosen at random on first start.")(
        "ipv4", flag(true), "Use IPv4.")("ipv6", flag(false), "Use IPv6.")(
        "netid", po::value<unsigned>()->default_value(2),
        "Network id: 2 is the public I2P network; use another (e.g. 99) for a private "
        "test network. Routers of other networks are refused.")(
        "floodfill", flag(false), "Act as a floodfill (serve the network database).")(
        "bandwidth", po::value<std::string>()->default_value("L"),
        "Bandwidth class letter (K L M N O P X) or a limit in KBytes/s, as in i2pd.")(
        "share", po::value<unsigned>()->default_value(100),
        "Percent of the bandwidth limit shared with transit tunnels (0-100).")(
        "notransit", flag(false), "Refuse transit tunnels.");
}

void add_transport(po::options_description& d, const std::string& name)
{
    d.add_options()((name + ".enabled").c_str(), flag(true),
                    ("Enable the " + name + " transport.").c_str())(
        (name + ".published").c_str(), flag(true),
        ("Publish the " + name + " address in the RouterInfo.").c_str())(
        (name + ".port").c_str(), po::value<unsigned>()->default_value(0),
        ("Port for " + name + "; 0 uses --port.").c_str());
    if (name == "ntcp2") {
        d.add_options()("ntcp2.peer", po::value<std::vector<std::string>>()->composing(),
                        "router.info file of a peer to connect to at start (repeatable); umbra "
                        "sends it a DatabaseStore of its own RouterInfo and logs the "
                        "DeliveryStatus that answers it.");
    }
}

void add_service(po::options_description& d, const std::string& name, const std::string& what,
                 const ServiceConfig& def)
{
    d.add_options()((name + ".enabled").c_str(), flag(def.enabled),
                    ("Enable the " + what + ".").c_str())(
        (name + ".address").c_str(), po::value<std::string>()->default_value(def.address),
        ("Address the " + what + " listens on.").c_str())(
        (name + ".port").c_str(), po::value<unsigned>()->default_value(def.port),
        ("Port the " + what + " listens on.").c_str());
}

po::options_description all_options()
{
    po::options_description general("General");
    add_general(general);
    po::options_description transports("Transports");
    add_transport(transports, "ntcp2");
    add_transport(transports, "ssu2");
    po::options_description reseed("Reseed (first start: fetch RouterInfos to join the network)");
    reseed.add_options()("reseed.verify", flag(true),
                         "Verify su3 signatures against the reseed certificates.")(
        "reseed.urls", po::value<std::string>(),
        "Comma-separated HTTPS reseed URLs. Default: the public I2P reseed servers when netid "
        "is 2, none otherwise.")("reseed.file", po::value<std::string>()->default_value(""),
                                 "Reseed from a local su3 file.")(
        "reseed.zipfile", po::value<std::string>()->default_value(""),
        "Reseed from a local zip file of RouterInfos.")(
        "reseed.threshold", po::value<unsigned>()->default_value(25),
        "Reseed when fewer routers than this are known.")(
        "reseed.certsdir", po::value<std::string>(),
        "Folder of reseed signer certificates (PEM, *.crt or *.pem), each named after its signer "
        "id with '@' written as '_at_' (e.g. hottuna_at_mail.i2p.crt). Default: "
        "<datadir>/certificates/reseed if it exists, else the certificates shipped with umbra "
        "(<prefix>/share/umbra/certificates/reseed, or contrib/certificates/reseed of the "
        "source tree the binary was built in).")(
        "reseed.cafile", po::value<std::string>(),
        "PEM file of the certificate authorities trusted for HTTPS reseed servers (e.g. a test "
        "CA). Default: the system store (/etc/ssl/certs).");
    po::options_description services("Local services (bound to loopback by default)");
    const Config defaults;
    add_service(services, "http", "web console", defaults.http);
    add_service(services, "httpproxy", "HTTP proxy", defaults.httpproxy);
    add_service(services, "socksproxy", "SOCKS proxy", defaults.socksproxy);
    add_service(services, "sam", "SAM v3 bridge", defaults.sam);
    po::options_description limits("Limits");
    limits.add_options()("limits.transittunnels", po::value<unsigned>()->default_value(5000),
                         "Maximum number of transit tunnels.");
    po::options_description tunnels("Tunnels");
    tunnels.add_options()(
        "tunnels.threads", po::value<unsigned>()->default_value(0),
        "Threads relaying transit tunnel data (each owns a share of the transit tunnels). "
        "0: one per hardware thread.")(
        "exploratory.inbound.length", po::value<unsigned>()->default_value(2),
        "Hops of our exploratory inbound tunnels (besides us), 0-7. They carry netdb replies.")(
        "exploratory.outbound.length", po::value<unsigned>()->default_value(2),
        "Hops of our exploratory outbound tunnels, 0-7. They carry netdb lookups.")(
        "exploratory.inbound.quantity", po::value<unsigned>()->default_value(3),
        "Exploratory inbound tunnels kept established, 1-16.")(
        "exploratory.outbound.quantity", po::value<unsigned>()->default_value(3),
        "Exploratory outbound tunnels kept established, 1-16.")(
        "tunnels.restrictsubnet", po::value<bool>()->default_value(true),
        "Never put two routers of one IPv4 /16 into a tunnel of ours. Turn off only in a "
        "private test network whose routers share one subnet.");
    po::options_description all("umbra: an I2P router\n\nUsage: umbra [options]\n\nOptions");
    all.add(general).add(transports).add(reseed).add(services).add(limits).add(tunnels);
    return all;
}

} // namespace

unsigned bandwidth_kbps(const std::string& value)
{
    // The top of each class (network-database.html "caps"); X: i2pd's "unlimited".
    switch (value.size() == 1 ? value[0] : '\0') {
    case 'K':
        return 12;
    case 'L':
        return 48;
    case 'M':
        return 64;
    case 'N':
        return 128;
    case 'O':
        return 256;
    case 'P':
        return 2000;
    case 'X':
        return 1'000'000;
    default:
        break;
    }
    return unsigned(std::strtoul(value.c_str(), nullptr, 10));
}

std::optional<char> bandwidth_class(const std::string& value)
{
    if (value.size() == 1 && std::string_view("KLMNOPX").find(value[0]) != std::string::npos) {
        return value[0];
    }
    char* end = nullptr;
    const unsigned long kbps = std::strtoul(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0') {
        return std::nullopt;
    }
    // Class thresholds in KBytes/s (docs/how/network-database.html, "caps").
    if (kbps < 12) {
        return 'K';
    }
    if (kbps <= 48) {
        return 'L';
    }
    if (kbps <= 64) {
        return 'M';
    }
    if (kbps <= 128) {
        return 'N';
    }
    if (kbps <= 256) {
        return 'O';
    }
    if (kbps <= 2000) {
        return 'P';
    }
    return 'X';
}

namespace {

[[noreturn]] void fail(const std::string& option, const std::string& what)
{
    throw ConfigError("option '" + option + "': " + what + " (see umbra --help)");
}

std::uint16_t port_value(const po::variables_map& vm, const std::string& name, bool allow_zero)
{
    const unsigned v = vm[name].as<unsigned>();
    if (v > 65535 || (v == 0 && !allow_zero)) {
        fail(name, "port " + std::to_string(v) + " is out of range 1-65535");
    }
    return static_cast<std::uint16_t>(v);
}

bool is_ipv4_literal(const std::string& s)
{
    unsigned char buf[16];
    return ::inet_pton(AF_INET, s.c_str(), buf) == 1;
}

bool is_ipv6_literal(const std::string& s)
{
    unsigned char buf[16];
    return ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_ip_literal(const std::string& s)
{
    return is_ipv4_literal(s) || is_ipv6_literal(s);
}

std::string bind_address(const po::variables_map& vm, const char* name,
                         bool (*valid)(const std::string&))
{
    if (!vm.count(name)) {
        return {};
    }
    std::string a = vm[name].as<std::string>();
    if (!valid(a)) {
        fail(name, "'" + a + "' is not an IPv" + std::string(1, name[7]) + " address");
    }
    return a;
}

ServiceConfig service(const po::variables_map& vm, const std::string& name)
{
    ServiceConfig s{vm[name + ".enabled"].as<bool>(), vm[name + ".address"].as<std::string>(),
                    port_value(vm, name + ".port", false)};
    if (!is_ip_literal(s.address)) {
        fail(name + ".address", "'" + s.address + "' is not an IP address");
    }
    return s;
}

std::vector<std::string> split_urls(const std::string& s)
{
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) {
        const auto b = item.find_first_not_of(" \t");
        if (b != std::string::npos) {
            out.push_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
        }
    }
    return out;
}

// The public reseeds serve the public network only (proposal 147), so another netid never
// reaches them by default.
ReseedConfig read_reseed(const po::variables_map& vm, const Config& c)
{
    ReseedConfig r;
    r.verify = vm["reseed.verify"].as<bool>();
    if (vm.count("reseed.urls")) {
        r.urls = split_urls(vm["reseed.urls"].as<std::string>());
    } else if (c.netid == 2) {
        r.urls = default_reseed_urls();
    }
    r.file = vm["reseed.file"].as<std::string>();
    r.zipfile = vm["reseed.zipfile"].as<std::string>();
    r.threshold = vm["reseed.threshold"].as<unsigned>();
    std::error_code ec;
    r.certsdir = vm.count("reseed.certsdir")
                     ? fs::path(vm["reseed.certsdir"].as<std::string>())
                     : default_reseed_certsdir(c.datadir, fs::read_symlink("/proc/self/exe", ec));
    if (vm.count("reseed.cafile")) {
        r.cafile = vm["reseed.cafile"].as<std::string>();
        if (!fs::is_regular_file(r.cafile)) {
            fail("reseed.cafile", "cannot read " + r.cafile.string());
        }
    }
    return r;
}

std::filesystem::path default_datadir()
{
    const char* home = std::getenv("HOME");
    return home && *home ? std::filesystem::path(home) / ".umbra"
                         : std::filesystem::path("/var/lib/umbra");
}

void read_general(const po::variables_map& vm, Config& c)
{
    c.log = vm["log"].as<std::string>();
    if (c.log != "stdout" && c.log != "file") {
        fail("log", "'" + c.log + "' is not supported; use stdout or file");
    }
    c.logfile =
        vm.count("logfile") ? fs::path(vm["logfile"].as<std::string>()) : c.datadir / "umbra.log";
    if (!parse_log_level(vm["loglevel"].as<std::string>(), c.loglevel)) {
        fail("loglevel", "use none, critical, error, warn, info or debug");
    }
    if (vm.count("host")) {
        c.host = vm["host"].as<std::string>();
        if (!is_ip_literal(c.host)) {
            fail("host", "'" + c.host + "' is not an IP address (host names are not allowed)");
        }
    }
    c.port = port_value(vm, "port", true);
    c.address4 = bind_address(vm, "address4", is_ipv4_literal);
    c.address6 = bind_address(vm, "address6", is_ipv6_literal);
    c.ipv4 = vm["ipv4"].as<bool>();
    c.ipv6 = vm["ipv6"].as<bool>();
    c.netid = vm["netid"].as<unsigned>();
    if (c.netid < 1 || c.netid > 255) {
        fail("netid", "must be 1-255");
    }
    c.floodfill = vm["floodfill"].as<bool>();
    const auto bw = bandwidth_class(vm["bandwidth"].as<std::string>());
    if (!bw) {
        fail("bandwidth", "use a class letter K L M N O P X or a number of KBytes/s");
    }
    c.bandwidth = *bw;
    c.bandwidth_kbps = bandwidth_kbps(vm["bandwidth"].as<std::string>());
    c.share = vm["share"].as<unsigned>();
    if (c.share > 100) {
        fail("share", "must be a percentage 0-100");
    }
    c.notransit = vm["notransit"].as<bool>();
}

Config to_config(const po::variables_map& vm, std::filesystem::path datadir,
                 std::filesystem::path conf)
{
    Config c;
    c.datadir = std::move(datadir);
    c.conf = std::move(conf);
    c.tunconf = vm.count("tunconf") ? fs::path(vm["tunconf"].as<std::string>())
                                    : c.datadir / "tunnels.conf";
    if (vm.count("pidfile")) {
        c.pidfile = vm["pidfile"].as<std::string>();
    }
    read_general(vm, c);
    for (auto [name, t] : {std::pair{"ntcp2", &c.ntcp2}, std::pair{"ssu2", &c.ssu2}}) {
        const std::string n = name;
        *t = {vm[n + ".enabled"].as<bool>(),
              vm[n + ".published"].as<bool>(),
              port_value(vm, n + ".port", true),
              {}};
    }
    if (vm.count("ntcp2.peer")) {
        for (const auto& p : vm["ntcp2.peer"].as<std::vector<std::string>>()) {
            if (!fs::is_regular_file(p)) {
                fail("ntcp2.peer", "cannot read " + p);
            }
            c.ntcp2.peers.emplace_back(p);
        }
    }
    c.reseed = read_reseed(vm, c);
    c.http = service(vm, "http");
    c.httpproxy = service(vm, "httpproxy");
    c.socksproxy = service(vm, "socksproxy");
    c.sam = service(vm, "sam");
    c.transittunnels = vm["limits.transittunnels"].as<unsigned>();
    c.tunnels_threads = vm["tunnels.threads"].as<unsigned>();
    const auto count = [&](const char* name, unsigned lo, unsigned hi) {
        const unsigned v = vm[name].as<unsigned>();
        if (v < lo || v > hi) {
            fail(name, "must be " + std::to_string(lo) + "-" + std::to_string(hi));
        }
        return v;
    };
    c.exploratory.inbound_length = count("exploratory.inbound.length", 0, 7);
    c.exploratory.outbound_length = count("exploratory.outbound.length", 0, 7);
    c.exploratory.inbound_quantity = count("exploratory.inbound.quantity", 1, 16);
    c.exploratory.outbound_quantity = count("exploratory.outbound.quantity", 1, 16);
    c.restrict_subnet = vm["tunnels.restrictsubnet"].as<bool>();
    if (c.tunnels_threads > 256) {
        fail("tunnels.threads", "must be 0-256");
    }
    return c;
}

} // namespace

const std::vector<std::string>& default_reseed_urls()
{
    static const std::vector<std::string> urls = {
        "https://reseed2.i2p.net/",    "https://reseed.diva.exchange/",
        "https://reseed-fr.i2pd.xyz/", "https://reseed.memcpy.io/",
        "https://reseed.onion.im/",    "https://i2pseed.creativecowpat.net:8443/",
        "https://reseed.i2pgit.org/",  "https://i2p.novg.net/",
        "https://banana.incognet.io/", "https://reseed-pl.i2pd.xyz/",
        "https://www2.mk16.de/",
    };
    return urls;
}

fs::path default_reseed_certsdir(const fs::path& datadir, const fs::path& exe)
{
    const fs::path own = datadir / "certificates" / "reseed";
    std::vector<fs::path> candidates{own};
    if (!exe.empty()) {
        const fs::path dir = exe.parent_path();
        candidates.push_back(dir / ".." / "share" / "umbra" / "certificates" / "reseed");
        candidates.push_back(dir / ".." / ".." / ".." / "contrib" / "certificates" / "reseed");
    }
    for (const auto& p : candidates) {
        std::error_code ec;
        if (fs::is_directory(p.lexically_normal(), ec)) {
            return p.lexically_normal();
        }
    }
    return own;
}

ParseOutcome parse_config(int argc, const char* const* argv)
{
    const auto desc = all_options();
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        if (vm.count("help")) {
            std::ostringstream os;
            os << desc;
            return {std::nullopt, os.str()};
        }
        if (vm.count("version")) {
            return {std::nullopt, std::string(version_text) + "\n"};
        }
        std::filesystem::path datadir = vm.count("datadir")
                                            ? std::filesystem::path(vm["datadir"].as<std::string>())
                                            : default_datadir();
        std::filesystem::path conf;
        if (vm.count("conf")) {
            conf = vm["conf"].as<std::string>();
            if (!std::filesystem::is_regular_file(conf)) {
                fail("conf", "cannot read config file " + conf.string());
            }
        } else if (std::filesystem::is_regular_file(datadir / "umbra.conf")) {
            conf = datadir / "umbra.conf";
        }
        std::vector<std::string> ignored;
        if (!conf.empty()) {
            const bool datadir_on_command_line = vm.count("datadir") != 0;
            std::ifstream in(conf);
            // Options of i2pd that umbra does not have are allowed (and reported), so an
            // i2pd.conf carries over.
            auto parsed = po::parse_config_file(in, desc, true);
            for (const auto& o : parsed.options) {
                if (o.unregistered) {
                    ignored.push_back(o.string_key);
                }
            }
            po::store(parsed, vm);
            if (!datadir_on_command_line && vm.count("datadir")) {
                datadir = vm["datadir"].as<std::string>();
            }
        }
        po::notify(vm);
        Config c = to_config(vm, std::move(datadir), std::move(conf));
        c.ignored_options = std::move(ignored);
        return {std::move(c), {}};
    } catch (const po::error& e) {
        throw ConfigError(std::string(e.what()) + " (see umbra --help)");
    }
}

} // namespace umbra::app
