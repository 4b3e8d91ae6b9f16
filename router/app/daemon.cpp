#include "router/app/daemon.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "crypto/random.h"
#include "netdb/reseed/https/reseeder.h"
#include "router/app/garlic_service.h"
#include "router/app/local_router.h"
#include "router/app/netdb_service.h"
#include "router/app/outbound.h"
#include "router/app/own_tunnels.h"
#include "router/app/reseed_file.h"
#include "router/app/tunnel_service.h"
#include "router/base/file.h"
#include "router/base/log.h"
#include "router/dispatch/dispatcher.h"

#include <unistd.h>

namespace umbra::app {

namespace fs = std::filesystem;

namespace {

void prepare_datadir(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::exists(dir, ec)) {
        fs::create_directories(dir, ec);
        if (ec) {
            throw StartupError("cannot create data directory " + dir.string() + ": " +
                               ec.message() + "; choose another with --datadir");
        }
        fs::permissions(dir, fs::perms::owner_all, ec); // keys live here: 0700
    } else if (!fs::is_directory(dir)) {
        throw StartupError(dir.string() + " is not a directory; choose another with --datadir");
    }
}

void open_log(Logger& log, const Config& c)
{
    log.set_level(c.loglevel);
    if (c.log == "file" && !log.open_file(c.logfile.string())) {
        throw StartupError("cannot open log file " + c.logfile.string() +
                           "; choose another with --logfile or use --log=stdout");
    }
}

// Services whose options umbra already accepts but which later releases implement.
void report_pending_features(Logger& log, const Config& c)
{
    for (const auto& name : c.ignored_options) {
        UMBRA_LOG(log, warn, "config", "option '" << name << "' is not known to umbra; ignored");
    }
    struct Pending {
        const char* name;
        bool on;
    };
    std::string pending;
    for (auto p : {Pending{"ssu2", c.ssu2.enabled}, Pending{"http", c.http.enabled},
                   Pending{"httpproxy", c.httpproxy.enabled},
                   Pending{"socksproxy", c.socksproxy.enabled}, Pending{"sam", c.sam.enabled}}) {
        if (p.on) {
            pending += pending.empty() ? p.name : std::string(", ") + p.name;
        }
    }
    if (!pending.empty()) {
        UMBRA_LOG(log, info, "router",
                  "enabled but not implemented in this version yet: " << pending);
    }
}

class PidFile {
public:
    PidFile(fs::path path) : path_(std::move(path))
    {
        if (path_.empty()) {
            return;
        }
        const std::string pid = std::to_string(::getpid()) + "\n";
        if (!write_file_atomic(path_,
                               {reinterpret_cast<const std::uint8_t*>(pid.data()), pid.size()})) {
            throw StartupError("cannot write pid file " + path_.string());
        }
    }
    ~PidFile()
    {
        if (!path_.empty()) {
            std::error_code ec;
            fs::remove(path_, ec);
        }
    }
    PidFile(const PidFile&) = delete;
    PidFile& operator=(const PidFile&) = delete;

private:
    fs::path path_;
};

data::RouterInfo publish_router_info(const LocalRouter& router, const Config& c, Logger& log,
                                     crypto::Rng& rng)
{
    SystemClock clock;
    const auto ri = router.make_router_info(c, clock.wall(), rng);
    if (!write_file_atomic(c.datadir / "router.info", ri.bytes(), 0644)) {
        throw StartupError("cannot write " + (c.datadir / "router.info").string());
    }
    UMBRA_LOG(log, info, "router",
              "wrote router.info (" << ri.bytes().size() << " bytes, caps "
                                    << *ri.options().get("caps") << ", netId " << c.netid << ", "
                                    << ri.addresses().size() << " address(es))");
    return ri;
}

bool is_ipv6(const std::string& a)
{
    return a.find(':') != std::string::npos;
}

// Where NTCP2 listens and where outgoing connections leave from: address4/address6 when set
// (i2pd's options, for a published address that is not a local one), else host, else all.
transport::Ntcp2Options ntcp2_options(const Config& c)
{
    transport::Ntcp2Options o;
    o.port = c.ntcp2.port ? c.ntcp2.port : c.port;
    o.listen = o.port != 0;
    o.bind_v4 = !c.ipv4                               ? ""
                : !c.address4.empty()                 ? c.address4
                : !c.host.empty() && !is_ipv6(c.host) ? c.host
                                                      : "0.0.0.0";
    o.bind_v6 = !c.ipv6                              ? ""
                : !c.address6.empty()                ? c.address6
                : !c.host.empty() && is_ipv6(c.host) ? c.host
                                                     : "::";
    return o;
}

ntcp2::LocalNtcp2 local_ntcp2(const LocalRouter& router, const data::RouterInfo& ri,
                              const Config& c)
{
    return ntcp2::LocalNtcp2{router.identity().ident_hash(), &router.ntcp2().static_key,
                             router.ntcp2().iv,
                             std::vector<std::uint8_t>(ri.bytes().begin(), ri.bytes().end()),
                             static_cast<std::uint8_t>(c.netid)};
}

// The --ntcp2.peer files: each must be a valid RouterInfo of our network.
std::vector<IdentHash> load_peers(const Config& c, NetDbService& netdb)
{
    std::vector<IdentHash> peers;
    for (const auto& path : c.ntcp2.peers) {
        auto bytes = read_file(path, data::max_router_info_size);
        auto ri = bytes ? data::RouterInfo::parse(*bytes) : Result<data::RouterInfo>(bytes.error());
        if (!ri) {
            throw StartupError("ntcp2.peer " + path.string() + " is not a RouterInfo");
        }
        const IdentHash h = ri->ident_hash();
        if (const auto added = netdb.add(*bytes); !added) {
            throw StartupError("ntcp2.peer " + path.string() +
                               " refused: " + added.error().message());
        }
        peers.push_back(h);
    }
    return peers;
}

// Reseeds from reseed.file / reseed.zipfile when the netdb holds fewer than reseed.threshold
// RouterInfos. A failed reseed is logged; the router runs with what it has.
void reseed_if_needed(const Config& c, NetDbService& netdb, Logger& log)
{
    if (netdb.size() >= c.reseed.threshold) {
        return;
    }
    const std::string file = !c.reseed.file.empty() ? c.reseed.file : c.reseed.zipfile;
    if (file.empty()) {
        if (!c.reseed.urls.empty()) {
            UMBRA_LOG(log, info, "reseed",
                      netdb.size()
                          << " RouterInfos known (threshold " << c.reseed.threshold
                          << "); reseeding from " << c.reseed.urls.size() << " HTTPS source(s)");
        } else {
            UMBRA_LOG(log, warn, "reseed",
                      netdb.size() << " RouterInfos known (threshold " << c.reseed.threshold
                                   << "); reseed from a local file with reseed.file (su3) or "
                                      "reseed.zipfile (zip)");
        }
        return;
    }
    const auto certs = load_reseed_certs(c.reseed.certsdir);
    std::string why;
    if (!reseed_from_file(netdb, file, certs, c.reseed.certsdir, c.reseed.verify, why, log)) {
        UMBRA_LOG(log, error, "reseed", why);
    }
}

// Starts an HTTPS reseed (reseed.urls) in the background when a local one did not bring the
// netdb to reseed.threshold: sources in random order, bounded retries, progress logged
// (netdb/reseed/https/reseeder.h). `stop` cancels it at shutdown.
void start_https_reseed(boost::asio::io_context& io, const Config& c, NetDbService& netdb,
                        crypto::Rng& rng, Logger& log, boost::asio::cancellation_signal& stop)
{
    if (netdb.size() >= c.reseed.threshold || !c.reseed.file.empty() || !c.reseed.zipfile.empty() ||
        c.reseed.urls.empty()) {
        return;
    }
    reseed::ReseedOptions ro;
    ro.urls = c.reseed.urls;
    ro.net_id = c.netid;
    ro.min_routers = std::min<std::size_t>(c.reseed.threshold, 25);
    ro.verify = c.reseed.verify;
    ro.certs = load_reseed_certs(c.reseed.certsdir);
    ro.certs_dir = c.reseed.certsdir.string();
    ro.tls.ca_file = c.reseed.cafile;
    auto sink = [&netdb](const reseed::ReseedBundle& b) {
        std::size_t ok = 0;
        for (const auto& entry : b.router_infos) {
            ok += netdb.add(entry.second).has_value() ? 1 : 0;
        }
        return ok;
    };
    boost::asio::co_spawn(io,
                          reseed::reseed_with_retry(std::move(ro), {}, rng, sink, log,
                                                    [&netdb, threshold = c.reseed.threshold] {
                                                        return netdb.size() < threshold;
                                                    }),
                          boost::asio::bind_cancellation_slot(
                              stop.slot(), [](std::exception_ptr, reseed::ReseedOutcome) {}));
}

// The router's static X25519 key (crypto type 4), for garlic messages addressed to the router.
crypto::Key32 router_static_key(const LocalRouter& router)
{
    crypto::Key32 k;
    const auto priv = router.keys().crypto_private_key();
    if (priv.size() != k.size()) {
        throw StartupError("router.keys holds no X25519 encryption key (crypto type 4); "
                           "move router.keys away to create a new identity");
    }
    k.set(priv);
    return k;
}

// Transit options from the configuration (tunnels.threads 0: one shard per hardware thread).
TunnelServiceOptions transit_options(const Config& c)
{
    const std::size_t threads = c.tunnels_threads != 0
                                    ? c.tunnels_threads
                                    : std::max<std::size_t>(1, std::thread::hardware_concurrency());
    return TunnelServiceOptions{.accept_transit = !c.notransit,
                                .max_transit = c.transittunnels,
                                .builds_per_source_per_minute = 120,
                                .share_bytes_per_second =
                                    std::uint64_t{c.bandwidth_kbps} * 1024 * c.share / 100,
                                .threads = threads};
}

// A congestion cap changed (proposal 162): sign a new RouterInfo, save it, give it to the
// transports (for new sessions) and republish it to the floodfills.
void republish_with_cap(const LocalRouter& router, const Config& c, char cap,
                        transport::TransportManager& transport, NetDbService& netdb,
                        const Clock& clock, crypto::Rng& rng, Logger& log)
{
    const auto ri = router.make_router_info(c, clock.wall(), rng, cap);
    if (!write_file_atomic(c.datadir / "router.info", ri.bytes(), 0644)) {
        UMBRA_LOG(log, warn, "router", "cannot write " << (c.datadir / "router.info").string());
    }
    transport.update_router_info({ri.bytes().begin(), ri.bytes().end()});
    netdb.republish_router_info(ri);
}

// Calls on_timer() of the netdb and the tunnels every second until cancelled.
void schedule_tick(boost::asio::steady_timer& timer, NetDbService& netdb,
                   std::optional<TunnelService>& tunnels, std::optional<OwnTunnels>& own)
{
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([&timer, &netdb, &tunnels, &own](const boost::system::error_code& ec) {
        if (ec) {
            return;
        }
        netdb.on_timer();
        if (tunnels) {
            tunnels->on_timer();
        }
        if (own) {
            own->on_timer();
        }
        schedule_tick(timer, netdb, tunnels, own);
    });
}

// Our exploratory pool from the exploratory.* options (i2pd's names).
OwnTunnelsOptions own_tunnel_options(const Config& c)
{
    OwnTunnelsOptions o;
    o.exploratory.inbound_length = static_cast<std::uint8_t>(c.exploratory.inbound_length);
    o.exploratory.outbound_length = static_cast<std::uint8_t>(c.exploratory.outbound_length);
    o.exploratory.inbound_quantity = static_cast<std::uint8_t>(c.exploratory.inbound_quantity);
    o.exploratory.outbound_quantity = static_cast<std::uint8_t>(c.exploratory.outbound_quantity);
    o.restrict_subnet = c.restrict_subnet;
    return o;
}

// Runs the network io_context until SIGINT/SIGTERM. Composition (ARCHITECTURE.md §1): transport
// -> dispatcher -> netdb / garlic; netdb and garlic send through Outbound -> transport. Objects
// are built in that order and destroyed in reverse; NTCP2 sessions end with a Termination.
void run_network(const Config& c, Logger& log, const LocalRouter& router,
                 const data::RouterInfo& ri, crypto::Rng& rng)
{
    boost::asio::io_context io(1);
    SystemClock clock;
    const IdentHash self = router.identity().ident_hash();
    dispatch::Dispatcher dispatcher(clock);
    NetDbService netdb(NetDbOptions{.net_id = static_cast<std::uint8_t>(c.netid),
                                    .floodfill = c.floodfill,
                                    .netdb_dir = c.datadir / "netDb",
                                    .profiles_dir = c.datadir / "peerProfiles",
                                    .client = {}},
                       self, clock, rng, log);
    netdb.load();
    reseed_if_needed(c, netdb, log);
    boost::asio::cancellation_signal reseed_stop;
    start_https_reseed(io, c, netdb, rng, log, reseed_stop);
    const auto peers = load_peers(c, netdb);
    dispatcher.attach_netdb(netdb);
    garlic::GarlicRouterInbox inbox(router_static_key(router));
    std::optional<transport::TransportManager> transport;
    std::optional<Outbound> outbound;
    std::optional<GarlicService> garlic;
    std::optional<TunnelService> tunnels;
    std::optional<OwnTunnels> own;
    if (c.ntcp2.enabled) {
        transport.emplace(
            io, ntcp2_options(c), local_ntcp2(router, ri, c),
            [&netdb](const IdentHash& h) { return netdb.find(h); }, dispatcher, clock, rng, log);
        outbound.emplace(self, *transport, dispatcher, rng);
        garlic.emplace(inbox, dispatcher, *outbound, clock, log);
        tunnels.emplace(
            transit_options(c),
            crypto::X25519Keypair::from_private(router.keys().crypto_private_key()), self,
            io.get_executor(), [&outbound](netdb::OutMessage m) { outbound->send(std::move(m)); },
            clock, rng, log);
        tunnels->set_caps_listener([&](char cap) {
            republish_with_cap(router, c, cap, *transport, netdb, clock, rng, log);
        });
        dispatcher.attach_tunnels(*tunnels);
        dispatcher.attach_garlic(*garlic);
        own.emplace(own_tunnel_options(c), self, netdb, inbox, dispatcher, *outbound, clock, rng,
                    log);
        tunnels->set_own_tunnels(&*own);
        garlic->set_reply_source([&own](Bytes body) { return own->reply_source(body); });
        // Lookups go through the exploratory tunnels once there are some (own_tunnels.h).
        netdb.set_sender([&outbound, &own](netdb::OutMessage m) {
            if (!own->route_netdb(m)) {
                outbound->send(std::move(m));
            }
        });
        transport->start();
        tunnels->start();
        netdb.start(ri);
        for (const auto& peer : peers) {
            netdb.introduce_to(peer, ri);
        }
    }
    boost::asio::steady_timer tick(io);
    schedule_tick(tick, netdb, tunnels, own);
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
        if (!ec) {
            UMBRA_LOG(log, info, "router",
                      "received " << (signo == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down");
        }
        tick.cancel();
        reseed_stop.emit(boost::asio::cancellation_type::terminal);
        netdb.stop();
        if (own) {
            own->log_summary();
        }
        if (tunnels) { // shards first: their output goes to the transports
            tunnels->stop();
            tunnels->log_summary();
        }
        if (garlic) {
            garlic->log_summary();
        }
        if (transport) {
            transport->stop();
        }
    });
    UMBRA_LOG(log, info, "router", "running; stop with SIGINT or SIGTERM");
    io.run();
    if (transport) { // every session has ended: the counters are final
        transport->log_summary();
    }
}

// i2pd's range for a port chosen at random (above the well-known and common service ports).
constexpr std::uint16_t random_port_min = 9111;
constexpr std::uint16_t random_port_max = 30777;

// The NTCP2 port of the router.info a previous run wrote, if any.
std::uint16_t previous_port(const fs::path& datadir)
{
    const auto bytes = read_file(datadir / "router.info", data::max_router_info_size);
    const auto ri =
        bytes ? data::RouterInfo::parse(*bytes) : Result<data::RouterInfo>(bytes.error());
    if (!ri) {
        return 0;
    }
    for (const auto& a : ri->addresses()) {
        const auto port = a.options.get("port");
        unsigned v = 0;
        if (a.transport_style == data::ntcp2_style && port &&
            std::sscanf(std::string(*port).c_str(), "%u", &v) == 1 && v > 0 && v <= 65535) {
            return static_cast<std::uint16_t>(v);
        }
    }
    return 0;
}

// port = 0 (the default): the port published by the previous run, else one at random, so a
// router keeps its address across restarts (peers and floodfills hold our RouterInfo).
Config with_port(Config c, Logger& log, crypto::Rng& rng)
{
    if (c.port != 0 || c.ntcp2.port != 0 || !c.ntcp2.enabled) {
        return c;
    }
    c.port = previous_port(c.datadir);
    if (c.port != 0) {
        UMBRA_LOG(log, info, "router", "using port " << c.port << " from the previous run");
    } else {
        c.port = static_cast<std::uint16_t>(random_port_min +
                                            rng.uniform(random_port_max - random_port_min + 1));
        UMBRA_LOG(log, info, "router",
                  "chose port " << c.port << " at random (set one with --port)");
    }
    return c;
}

int serve(const Config& config, Logger& log)
{
    prepare_datadir(config.datadir);
    crypto::OsRng rng;
    const Config c = with_port(config, log, rng);
    bool created = false;
    const auto router = LocalRouter::load_or_create(c.datadir, rng, created);
    UMBRA_LOG(log, info, "router",
              (created ? "created new router identity " : "loaded router identity ")
                  << router.identity().ident_hash().to_base64());
    const auto ri = publish_router_info(router, c, log, rng);
    PidFile pid(c.pidfile);
    run_network(c, log, router, ri, rng);
    UMBRA_LOG(log, info, "router", "stopped");
    return 0;
}

} // namespace

int run_daemon(const Config& c)
{
    Logger log;
    try {
        open_log(log, c);
        UMBRA_LOG(log, info, "router",
                  "umbra starting: datadir " << c.datadir.string() << ", netId " << c.netid
                                             << (c.conf.empty() ? "" : ", config ")
                                             << c.conf.string());
        report_pending_features(log, c);
        return serve(c, log);
    } catch (const StartupError& e) {
        UMBRA_LOG(log, critical, "router", e.what());
        if (c.log == "file" || !log.enabled(LogLevel::critical)) {
            std::fprintf(stderr, "umbra: %s\n", e.what());
        }
        return 1;
    }
}

} // namespace umbra::app
