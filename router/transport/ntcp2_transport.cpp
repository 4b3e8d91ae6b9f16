// Listener, outbound connections and the two handshakes (ntcp2.rst "1) SessionRequest" to
// "3) SessionConfirmed"); the data phase is in ntcp2_session.cpp.
#include "router/transport/ntcp2_transport.h"

#include <charconv>
#include <exception>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "router/base/encoding.h"
#include "router/transport/ntcp2_session.h"

namespace umbra::transport {

using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// How a handshake ended. `protocol`: the engine refused the bytes (probing resistance applies);
// otherwise the socket failed or the deadline passed.
struct Outcome {
    std::optional<ntcp2::Established> established;
    std::string reason;
    bool protocol = false;
};

// Reads exactly what the engine wants, feeds it, sends what it returns, until established.
template <class Engine, class Step>
asio::awaitable<Outcome> drive(tcp::socket& socket, Engine& engine, Step step)
{
    std::vector<std::uint8_t> in;
    while (!engine.established()) {
        const std::size_t n = engine.wants();
        if (n == 0) {
            co_return Outcome{{}, "handshake engine stalled", true};
        }
        in.resize(n);
        auto [ec, got] = co_await asio::async_read(socket, asio::buffer(in), nothrow);
        if (ec) {
            co_return Outcome{{}, ec == asio::error::eof ? "closed by peer" : ec.message(), false};
        }
        auto out = step(Bytes(in));
        if (!out) {
            co_return Outcome{{}, out.error().message(), true};
        }
        if (!out->empty()) {
            auto [wec, sent] = co_await asio::async_write(socket, asio::buffer(*out), nothrow);
            if (wec) {
                co_return Outcome{{}, wec.message(), false};
            }
        }
    }
    co_return Outcome{engine.take_established(), {}, false};
}

asio::awaitable<Outcome> with_deadline(asio::awaitable<Outcome> task, Milliseconds deadline)
{
    auto r = co_await (std::move(task) || sleep_for(deadline));
    if (r.index() == 1) {
        co_return Outcome{{}, "timeout", false};
    }
    co_return std::get<0>(std::move(r));
}

// Forgets a connection when its coroutine ends, however it ends.
struct Registered {
    Ntcp2Transport::Impl& t;
    SessionId id;
    ~Registered() { t.connections.erase(id); }
};

struct DialTarget {
    ntcp2::RemoteNtcp2 remote;
    tcp::endpoint endpoint;
};

template <std::size_t N> bool decode_exact(std::string_view b64, std::array<std::uint8_t, N>& out)
{
    auto bytes = base64_decode(b64);
    if (!bytes || bytes->size() != N) {
        return false;
    }
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return true;
}

// One published NTCP2 address we can reach: host, port, s and i (ntcp2.rst "Published
// Addresses"). Addresses without host/port are "unpublished" (outbound only) and skipped.
std::optional<DialTarget> parse_address(const data::RouterAddress& a, const IdentHash& peer)
{
    const auto host = a.option("host");
    const auto port = a.option("port");
    const auto s = a.option("s");
    const auto i = a.option("i");
    if (!host || !port || !s || !i) {
        return std::nullopt;
    }
    ErrorCode ec;
    const auto ip = asio::ip::make_address(std::string(*host), ec);
    unsigned p = 0;
    const auto [end, err] = std::from_chars(port->data(), port->data() + port->size(), p);
    if (ec || err != std::errc() || end != port->data() + port->size() || p == 0 || p > 65535) {
        return std::nullopt;
    }
    DialTarget d;
    d.remote.ident_hash = peer;
    if (!decode_exact(*s, d.remote.static_key) || !decode_exact(*i, d.remote.iv)) {
        return std::nullopt;
    }
    d.endpoint = tcp::endpoint(ip, static_cast<std::uint16_t>(p));
    return d;
}

std::optional<DialTarget> dial_target(const data::RouterInfo& ri, const Ntcp2Options& o)
{
    for (const auto* a : ri.addresses(data::ntcp2_style)) {
        auto d = parse_address(*a, ri.ident_hash());
        if (d && (d->endpoint.address().is_v4() ? !o.bind_v4.empty() : !o.bind_v6.empty())) {
            return d;
        }
    }
    return std::nullopt;
}

// Outbound sockets leave from the bound address, so the peer sees the address we publish.
ErrorCode open_and_bind(const Ntcp2Options& o, tcp::socket& socket, const tcp::endpoint& to)
{
    ErrorCode ec;
    socket.open(to.protocol(), ec);
    const std::string& local = to.address().is_v4() ? o.bind_v4 : o.bind_v6;
    if (ec || local.empty()) {
        return ec;
    }
    const auto addr = asio::ip::make_address(local, ec);
    if (!ec && !addr.is_unspecified()) {
        socket.bind(tcp::endpoint(addr, 0), ec);
    }
    return ec;
}

void deliver_router_info(Ntcp2Transport::Impl& t, Session& s, Bytes bytes)
{
    auto ri = data::RouterInfo::parse(bytes);
    if (ri && ri->validate(t.local.net_id, t.clock.wall())) {
        t.events.received_router_info(s, std::move(*ri));
    }
}

asio::awaitable<void> begin_session(Ntcp2Transport::Impl& t, std::shared_ptr<Session> s,
                                    ntcp2::Established e)
{
    s->peer_ = e.peer;
    s->clock_skew_ms = e.clock_skew_ms;
    s->data.emplace(std::move(e.keys));
    s->last_activity = t.clock.steady();
    const bool accepted = !t.stopping && t.events.established(s);
    if (!e.peer_router_info.empty()) {
        deliver_router_info(t, *s, e.peer_router_info); // Alice's, from message 3
    }
    co_await run_data_phase(s, accepted);
}

// ntcp2.rst "AEAD Error Handling": reads a random number of bytes for a random time, then
// resets the connection; nothing is ever sent back.
asio::awaitable<void> probe_close(Ntcp2Transport::Impl& t, Session& s)
{
    co_await probe_read(t, s);
    reset_close(s.socket);
}

// Prepares ephemeral key pairs (ephemeral_keys.h) a batch per turn of the executor (8 pairs,
// about 130 us): each turn ends with a post, so handlers already waiting (socket reads, timers)
// run before the next batch. Stops when the pool is full or the transport stops.
asio::awaitable<void> refill_ephemeral_keys(Ntcp2Transport::Impl& t)
{
    while (!t.stopping && t.ephemeral_keys.refill(t.rng)) {
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
    t.refilling = false;
}

void keep_ephemeral_keys(Ntcp2Transport::Impl& t)
{
    if (!t.refilling && !t.stopping && !t.ephemeral_keys.full()) {
        t.refilling = true;
        spawn(t.io, refill_ephemeral_keys(t));
    }
}

asio::awaitable<void> inbound(Ntcp2Transport::Impl& t, std::shared_ptr<Session> s)
{
    Registered reg{t, s->id()};
    ntcp2::Responder responder(t.local, t.replay, &t.verified_router_infos, &t.ephemeral_keys);
    auto step = [&](Bytes b) {
        return responder.on_read(b, t.clock.wall(), t.clock.steady(), t.rng);
    };
    Outcome out =
        co_await with_deadline(drive(s->socket, responder, step), t.options.handshake_timeout);
    keep_ephemeral_keys(t); // the responder may have taken a pair
    if (!out.established) {
        if (!t.stopping) {
            t.events.handshake_failed(s->remote_ip(), Direction::inbound, IdentHash{}, out.reason);
        }
        if (out.protocol && !t.stopping) {
            co_await probe_close(t, *s);
        }
        reset_close(s->socket);
        co_return;
    }
    co_await begin_session(t, s, std::move(*out.established));
}

asio::awaitable<Outcome> connect_and_handshake(Ntcp2Transport::Impl& t, Session& s,
                                               const DialTarget& target)
{
    if (auto ec = open_and_bind(t.options, s.socket, target.endpoint)) {
        co_return Outcome{{}, "bind: " + ec.message(), false};
    }
    auto [ec] = co_await s.socket.async_connect(target.endpoint, nothrow);
    if (ec) {
        co_return Outcome{{}, "connect: " + ec.message(), false};
    }
    ntcp2::Initiator initiator(t.local, target.remote, &t.ephemeral_keys);
    const auto request = initiator.start(t.clock.wall(), t.rng); // sent in one write (spec)
    keep_ephemeral_keys(t);
    auto [wec, n] = co_await asio::async_write(s.socket, asio::buffer(request), nothrow);
    if (wec) {
        co_return Outcome{{}, wec.message(), false};
    }
    auto step = [&](Bytes b) {
        return initiator.on_read(b, t.clock.wall(), t.rng);
    };
    co_return co_await drive(s.socket, initiator, step);
}

asio::awaitable<void> outbound(Ntcp2Transport::Impl& t, std::shared_ptr<Session> s,
                               DialTarget target)
{
    Registered reg{t, s->id()};
    const auto deadline = t.options.connect_timeout + t.options.handshake_timeout;
    Outcome out = co_await with_deadline(connect_and_handshake(t, *s, target), deadline);
    if (!out.established) {
        t.events.handshake_failed(s->remote_ip(), Direction::outbound, target.remote.ident_hash,
                                  t.stopping ? "router shutdown" : out.reason);
        reset_close(s->socket);
        co_return;
    }
    co_await begin_session(t, s, std::move(*out.established));
}

asio::awaitable<void> accept_loop(Ntcp2Transport::Impl& t, tcp::acceptor& acceptor)
{
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(nothrow);
        if (t.stopping || !acceptor.is_open()) {
            co_return;
        }
        if (ec) { // e.g. out of file descriptors: do not spin
            co_await sleep_for(Milliseconds(100));
            continue;
        }
        ErrorCode pec;
        const auto remote = socket.remote_endpoint(pec);
        if (pec) {
            continue;
        }
        std::string ip = remote.address().to_string();
        if (!t.events.admit(ip, Direction::inbound)) {
            reset_close(socket);
            continue;
        }
        auto s = std::make_shared<Session>(t, std::move(socket), Direction::inbound, std::move(ip));
        t.connections[s->id()] = s;
        spawn(t.io, inbound(t, s));
    }
}

std::unique_ptr<tcp::acceptor> bind_acceptor(asio::io_context& io, const std::string& address,
                                             std::uint16_t port, ErrorCode& ec)
{
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) {
        return nullptr;
    }
    auto a = std::make_unique<tcp::acceptor>(io);
    const tcp::endpoint ep(ip, port);
    a->open(ep.protocol(), ec);
    if (!ec && ip.is_v6()) {
        a->set_option(asio::ip::v6_only(true), ec);
    }
    if (!ec) {
        a->set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
        a->bind(ep, ec);
    }
    if (!ec) {
        a->listen(asio::socket_base::max_listen_connections, ec);
    }
    return ec ? nullptr : std::move(a);
}

} // namespace

void spawn(asio::io_context& io, asio::awaitable<void> task)
{
    asio::co_spawn(io, std::move(task), [](std::exception_ptr e) {
        if (e) {
            std::rethrow_exception(e);
        }
    });
}

asio::awaitable<void> sleep_for(Milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(nothrow);
}

void reset_close(tcp::socket& socket)
{
    ErrorCode ec;
    if (socket.is_open()) {
        socket.set_option(asio::socket_base::linger(true, 0), ec);
    }
    socket.close(ec);
}

asio::awaitable<void> probe_read(Ntcp2Transport::Impl& t, Session& s)
{
    const auto& o = t.options;
    const Milliseconds delay(
        static_cast<Milliseconds::rep>(t.rng.uniform(o.probe_delay_max.count() + 1)));
    std::vector<std::uint8_t> sink(t.rng.uniform(o.probe_read_max + 1));
    if (sink.empty()) {
        co_await sleep_for(delay);
        co_return;
    }
    co_await (asio::async_read(s.socket, asio::buffer(sink), nothrow) || sleep_for(delay));
}

void Session::close(ntcp2::TerminationReason r)
{
    if (closing) {
        return;
    }
    closing = true;
    reason = r;
    if (!data) { // still in the handshake: nothing to terminate
        ErrorCode ec;
        socket.close(ec);
        return;
    }
    terminate = true;
    if (end.empty()) {
        end = r == ntcp2::TerminationReason::router_shutdown ? "router shutdown" : "closed locally";
    }
    wake_timer.cancel();
}

void Session::abort()
{
    if (closing) {
        return;
    }
    closing = true;
    if (end.empty()) {
        end = "closed locally without Termination";
    }
    if (!data) {
        ErrorCode ec;
        socket.close(ec);
        return;
    }
    wake_timer.cancel(); // the writer sees `closing`; no Termination follows
}

bool Session::lost() const
{
    if (closing || terminate || !data) {
        return false;
    }
    return !peer_frames_received || *peer_frames_received < data->frames_sent();
}

Ntcp2Transport::Ntcp2Transport(asio::io_context& io, Ntcp2Options options, ntcp2::LocalNtcp2 local,
                               Ntcp2Events& events, const Clock& clock, crypto::Rng& rng,
                               Logger& log)
    : impl_(
          std::make_unique<Impl>(io, std::move(options), std::move(local), events, clock, rng, log))
{
}

Ntcp2Transport::~Ntcp2Transport() = default;

bool Ntcp2Transport::listen()
{
    Impl& t = *impl_;
    for (const std::string* address : {&t.options.bind_v4, &t.options.bind_v6}) {
        if (address->empty()) {
            continue;
        }
        ErrorCode ec;
        auto acceptor = bind_acceptor(t.io, *address, t.options.port, ec);
        if (!acceptor) {
            UMBRA_LOG(t.log, error, "ntcp2",
                      "cannot listen on " << *address << " port " << t.options.port << ": "
                                          << ec.message() << "; inbound connections are off");
            continue;
        }
        const auto ep = acceptor->local_endpoint(ec);
        UMBRA_LOG(t.log, info, "ntcp2",
                  "listening on " << ep.address().to_string() << " port " << ep.port());
        spawn(t.io, accept_loop(t, *acceptor));
        t.acceptors.push_back(std::move(acceptor));
    }
    keep_ephemeral_keys(t); // ready before the first SessionRequest
    return !t.acceptors.empty();
}

std::uint16_t Ntcp2Transport::local_port() const
{
    for (const auto& a : impl_->acceptors) {
        ErrorCode ec;
        const auto ep = a->local_endpoint(ec);
        if (!ec) {
            return ep.port();
        }
    }
    return 0;
}

bool Ntcp2Transport::dial(const data::RouterInfo& ri)
{
    Impl& t = *impl_;
    auto target = dial_target(ri, t.options);
    if (!target || t.stopping) {
        return false;
    }
    auto s = std::make_shared<Session>(t, tcp::socket(t.io), Direction::outbound,
                                       target->endpoint.address().to_string());
    t.connections[s->id()] = s;
    spawn(t.io, outbound(t, s, std::move(*target)));
    return true;
}

void Ntcp2Transport::set_router_info_vouch(ntcp2::VerifiedRouterInfos::Vouch vouch)
{
    impl_->verified_router_infos.set_vouch(std::move(vouch));
}

std::uint64_t Ntcp2Transport::router_infos_vouched() const
{
    return impl_->verified_router_infos.vouched();
}

void Ntcp2Transport::update_router_info(std::vector<std::uint8_t> router_info)
{
    Impl& t = *impl_;
    t.local.router_info = std::move(router_info);
    for (auto& [id, weak] : t.connections) {
        auto s = weak.lock();
        if (s && s->data) { // established; handshakes in progress already took a copy
            s->router_info_pending = true;
            s->wake();
        }
    }
}

void Ntcp2Transport::stop()
{
    Impl& t = *impl_;
    t.stopping = true;
    for (auto& a : t.acceptors) {
        ErrorCode ec;
        a->close(ec);
    }
    for (auto& [id, weak] : t.connections) {
        if (auto s = weak.lock()) {
            s->close(ntcp2::TerminationReason::router_shutdown);
        }
    }
}

} // namespace umbra::transport
