// The NTCP2 data phase (ntcp2.rst "4) Data Phase", "Termination"): a reader (2-byte obfuscated
// length, then the frame, then its blocks), a writer draining the owner's per-peer queue into
// frames of several I2NP blocks plus padding, and a watchdog, run together so the first to
// finish ends the session; then a Termination block when we chose to end it.
#include "router/transport/ntcp2_session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace umbra::transport {

using namespace asio::experimental::awaitable_operators;
using ntcp2::TerminationReason;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// ntcp2.rst "Clock Skew Guidelines": more than 60 s is "generally fatal".
constexpr std::int64_t max_skew_ms = 60'000;

void fail(Session& s, TerminationReason reason, std::string text)
{
    if (s.end.empty()) {
        s.end = std::move(text);
        s.reason = reason;
        s.terminate = true;
    }
}

void ended_by_io(Session& s, const ErrorCode& ec)
{
    if (s.end.empty()) {
        s.end = ec == asio::error::eof ? "closed by peer" : ec.message();
    }
}

asio::awaitable<bool> cancelled()
{
    auto state = co_await asio::this_coro::cancellation_state;
    co_return state.cancelled() != asio::cancellation_type::none;
}

struct BlockHandler {
    Session& s;
    Ntcp2Transport::Impl& t;

    bool operator()(ntcp2::DateTime& b)
    {
        const std::int64_t skew = std::int64_t{b.seconds} * 1000 - t.clock.wall().ms;
        if (std::abs(skew) > max_skew_ms && std::abs(s.clock_skew_ms) <= max_skew_ms) {
            UMBRA_LOG(t.log, warn, "ntcp2",
                      "clock of " << s.peer().to_base64() << " differs by " << skew / 1000 << " s");
        }
        s.clock_skew_ms = skew;
        if (!s.got_date_time) { // once per session, not per packet
            s.got_date_time = true;
            UMBRA_LOG(t.log, debug, "ntcp2",
                      "DateTime from " << s.peer().to_base64() << ": clock skew " << skew / 1000
                                       << " s");
        }
        return true;
    }
    bool operator()(ntcp2::RouterInfoBlock& b)
    {
        auto ri = data::RouterInfo::parse(b.router_info);
        if (ri && ri->validate(t.local.net_id, t.clock.wall())) {
            t.events.received_router_info(s, std::move(*ri));
        }
        return true;
    }
    bool operator()(ntcp2::I2npBlock& b)
    {
        auto m = i2np::Message::parse_short(b.message);
        if (!m) {
            fail(s, TerminationReason::payload_format_error, "malformed I2NP block");
            return false;
        }
        ++t.events.counters().i2np_received;
        t.events.received(s, std::move(*m));
        return true;
    }
    bool operator()(ntcp2::Termination& b)
    {
        ++t.events.counters().terminations_received;
        if (s.end.empty()) {
            s.end = "peer sent Termination (reason " + std::to_string(int(b.reason)) + ")";
        }
        return false; // nothing is sent back
    }
    bool operator()(const ntcp2::OptionsBlock&) { return true; }
    bool operator()(const ntcp2::Padding&) { return true; }
    bool operator()(const ntcp2::UnknownBlock&) { return true; } // "should be ignored"
};

bool handle_frame(Session& s, Bytes plaintext)
{
    auto blocks = ntcp2::parse_blocks(plaintext);
    if (!blocks) {
        fail(s, TerminationReason::payload_format_error, "malformed frame");
        return false;
    }
    for (auto& block : *blocks) {
        if (!std::visit(BlockHandler{s, s.transport}, block)) {
            return false;
        }
    }
    return true;
}

asio::awaitable<void> read_loop(Session& s)
{
    auto& t = s.transport;
    std::array<std::uint8_t, 2> head{};
    std::vector<std::uint8_t> frame;
    for (;;) {
        auto [ec, n] = co_await asio::async_read(s.socket, asio::buffer(head), nothrow);
        if (ec) {
            s.read_broken = n != 0 || ec != asio::error::operation_aborted;
            co_return ended_by_io(s, ec);
        }
        s.read_broken = true; // until the frame is complete and handled
        const auto length = s.data->frame_length(head);
        if (!length) {
            fail(s, TerminationReason::aead_framing_error, "bad frame length");
            co_return co_await probe_read(t, s);
        }
        frame.resize(*length);
        s.frame_started = t.clock.steady();
        auto [fec, fn] = co_await asio::async_read(s.socket, asio::buffer(frame), nothrow);
        s.frame_started.reset();
        if (fec) {
            co_return ended_by_io(s, fec);
        }
        auto plaintext = s.data->open_frame(frame);
        if (!plaintext) { // "AEAD Error Handling": random wait and read, then Termination
            fail(s, TerminationReason::data_phase_aead_failure, "AEAD failure");
            co_return co_await probe_read(t, s);
        }
        Counters& c = t.events.counters();
        ++c.frames_received;
        c.bytes_received += 2 + fn;
        s.last_activity = t.clock.steady();
        if (!handle_frame(s, *plaintext)) {
            co_return;
        }
        s.read_broken = false;
    }
}

// Padding last (ntcp2.rst "Padding"), random size, kept inside one frame.
void add_padding(Session& s, std::vector<ntcp2::Block>& blocks, std::size_t used)
{
    const std::size_t room = ntcp2::max_frame_plaintext - used - ntcp2::block_header_size;
    const std::size_t size = s.transport.rng.uniform(s.transport.options.max_padding + 1);
    blocks.emplace_back(ntcp2::Padding{std::min(size, room)});
}

std::vector<ntcp2::Block> i2np_blocks(Session& s, std::vector<i2np::Message> messages)
{
    Counters& c = s.transport.events.counters();
    std::vector<ntcp2::Block> blocks;
    std::size_t used = 0;
    for (auto& m : messages) {
        auto body = m.serialize_short();
        const std::size_t size = ntcp2::block_header_size + body.size();
        if (body.size() > ntcp2::max_block_data ||
            used + size + ntcp2::block_header_size > ntcp2::max_frame_plaintext) {
            ++c.dropped_too_large;
            continue;
        }
        used += size;
        ++c.i2np_sent;
        blocks.emplace_back(ntcp2::I2npBlock{std::move(body)});
    }
    add_padding(s, blocks, used);
    return blocks;
}

// The first frame: DateTime (ntcp2.rst: peers should send it at the start of the data phase so
// the other side can check clock skew); Bob adds his RouterInfo ("Bob may ... send his
// RouterInfo to Alice as his first message").
std::vector<ntcp2::Block> first_blocks(Session& s)
{
    auto& t = s.transport;
    std::vector<ntcp2::Block> blocks;
    blocks.emplace_back(ntcp2::DateTime{static_cast<std::uint32_t>(t.clock.wall().seconds())});
    std::size_t used = ntcp2::block_header_size + 4;
    if (s.direction() == Direction::inbound && !t.local.router_info.empty()) {
        blocks.emplace_back(ntcp2::RouterInfoBlock{false, t.local.router_info});
        used += ntcp2::block_header_size + 1 + t.local.router_info.size();
    }
    add_padding(s, blocks, used);
    return blocks;
}

asio::awaitable<bool> write_frame(Session& s, const std::vector<ntcp2::Block>& blocks)
{
    auto& t = s.transport;
    const auto frame = s.data->seal_blocks(blocks); // length and frame in one write (spec)
    auto [ec, n] = co_await asio::async_write(s.socket, asio::buffer(frame), nothrow);
    if (ec) {
        s.stream_broken = n != 0 && n != frame.size();
        ended_by_io(s, ec);
        co_return false;
    }
    Counters& c = t.events.counters();
    ++c.frames_sent;
    c.bytes_sent += n;
    s.last_activity = t.clock.steady();
    co_return true;
}

asio::awaitable<void> write_loop(Session& s)
{
    if (!co_await write_frame(s, first_blocks(s))) {
        co_return;
    }
    while (!s.closing) {
        auto messages = s.transport.events.outgoing(s, s.transport.options.frame_budget);
        if (messages.empty()) {
            s.wake_timer.expires_at(asio::steady_timer::time_point::max());
            co_await s.wake_timer.async_wait(nothrow); // wake() and close() cancel it
            if (co_await cancelled()) {
                co_return;
            }
            continue;
        }
        if (!co_await write_frame(s, i2np_blocks(s, std::move(messages)))) {
            co_return;
        }
    }
}

asio::awaitable<void> watchdog(Session& s)
{
    auto& t = s.transport;
    const auto& o = t.options;
    const auto tick = std::max(Milliseconds(10), std::min(o.idle_timeout, o.frame_timeout) / 4);
    for (;;) {
        co_await sleep_for(tick);
        if (co_await cancelled()) {
            co_return;
        }
        const auto now = t.clock.steady();
        if (now - s.last_activity > o.idle_timeout) {
            co_return fail(s, TerminationReason::idle_timeout, "idle timeout");
        }
        if (s.frame_started && now - *s.frame_started > o.frame_timeout) {
            co_return fail(s, TerminationReason::intra_frame_read_timeout, "frame read timeout");
        }
    }
}

asio::awaitable<void> send_termination(Session& s)
{
    std::vector<ntcp2::Block> blocks;
    blocks.emplace_back(ntcp2::Termination{s.data->frames_received(), s.reason, {}});
    add_padding(s, blocks, ntcp2::block_header_size + 9);
    co_await (write_frame(s, blocks) || sleep_for(s.transport.options.termination_timeout));
}

} // namespace

asio::awaitable<void> run_data_phase(std::shared_ptr<Session> s, bool accepted)
{
    auto& t = s->transport;
    if (!accepted) {
        fail(*s, TerminationReason::normal, "duplicate session");
    } else if (!s->closing) {
        co_await (read_loop(*s) || write_loop(*s) || watchdog(*s));
    }
    if (s->terminate && !s->stream_broken && s->socket.is_open()) {
        co_await send_termination(*s);
        // Deliver what the peer sent before it saw our Termination (e.g. on the losing
        // connection of a simultaneous connect), until it closes or a short time passes.
        if (!s->read_broken) {
            co_await (read_loop(*s) || sleep_for(t.options.termination_timeout));
        }
    }
    ErrorCode ec;
    s->socket.shutdown(tcp::socket::shutdown_both, ec);
    s->socket.close(ec);
    t.events.closed(*s, s->end.empty() ? "closed" : s->end);
}

} // namespace umbra::transport
