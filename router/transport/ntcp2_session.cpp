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

#include "router/transport/ntcp2/options_block.h"

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

// ntcp2.rst "DateTime" and "Clock Skew Guidelines": beyond 60 s the session ends with reason 7
// (clock skew), and the owner may ban the address for a while.
bool on_date_time(Session& s, Bytes body)
{
    auto& t = s.transport;
    const std::int64_t skew = std::int64_t{load_be32(body.data())} * 1000 - t.clock.wall().ms;
    s.clock_skew_ms = skew;
    if (std::abs(skew) > max_skew_ms) {
        fail(s, TerminationReason::clock_skew,
             "clock skew of " + std::to_string(skew / 1000) + " s in DateTime block");
        ++t.events.counters().clock_skew_terminations;
        t.events.clock_skew(s, skew);
        return false;
    }
    if (!s.got_date_time) { // once per session, not per packet
        s.got_date_time = true;
        ++t.events.counters().date_times_received;
        UMBRA_LOG(t.log, debug, "ntcp2",
                  "DateTime from " << s.peer().to_base64() << ": clock skew " << skew / 1000
                                   << " s");
    }
    return true;
}

// ntcp2.rst "Options": the peer's padding limits; we then pad within them. A body too short
// to hold them is ignored like an unknown block (the format is TBD).
void on_options(Session& s, Bytes body)
{
    auto peer = ntcp2::parse_options(body);
    if (peer) {
        s.padding = ntcp2::negotiate_padding(s.transport.options.padding_options, *peer);
        ++s.transport.events.counters().options_received;
    }
}

void on_router_info(Session& s, Bytes body)
{
    auto& t = s.transport;
    auto ri = data::RouterInfo::parse(body.subspan(1)); // after the flag byte
    if (ri && ri->validate(t.local.net_id, t.clock.wall())) {
        t.events.received_router_info(s, std::move(*ri));
    }
}

// The message's one copy on the receive path: from the decrypted frame into its payload.
bool on_i2np(Session& s, Bytes body)
{
    auto& t = s.transport;
    auto m = i2np::Message::parse_short(body);
    if (!m) {
        fail(s, TerminationReason::payload_format_error, "malformed I2NP block");
        return false;
    }
    ++t.events.counters().i2np_received;
    t.events.received(s, std::move(*m));
    return true;
}

bool on_termination(Session& s, Bytes body)
{
    ++s.transport.events.counters().terminations_received;
    s.peer_frames_received = load_be64(body.data()); // "valid frames received"
    if (s.end.empty()) {
        s.end = "peer sent Termination (reason " + std::to_string(int(body[8])) + ")";
    }
    return false; // nothing is sent back
}

// Acts on one block split_blocks admitted (its size rules hold). False: the session ends.
bool on_block(Session& s, const ntcp2::BlockView& b)
{
    using ntcp2::BlockType;
    switch (BlockType(b.type)) {
    case BlockType::date_time:
        return on_date_time(s, b.body);
    case BlockType::router_info:
        on_router_info(s, b.body);
        return true;
    case BlockType::i2np:
        return on_i2np(s, b.body);
    case BlockType::termination:
        return on_termination(s, b.body);
    case BlockType::options:
        on_options(s, b.body);
        return true;
    case BlockType::padding:
        return true;
    }
    return true; // unknown types "should be ignored"
}

// The whole frame is checked before any block is acted on.
bool handle_frame(Session& s, Bytes plaintext)
{
    if (!ntcp2::split_blocks(plaintext, s.blocks)) {
        fail(s, TerminationReason::payload_format_error, "malformed frame");
        return false;
    }
    for (const auto& block : s.blocks) {
        if (!on_block(s, block)) {
            return false;
        }
    }
    return true;
}

// Handles every complete frame buffered in s.reader. False: the session ends (`probe`: after an
// AEAD or length failure, with probing resistance).
bool handle_buffered_frames(Session& s, bool& probe)
{
    auto& t = s.transport;
    for (;;) {
        auto frame = s.reader.next_frame(*s.data);
        if (!frame) { // "AEAD Error Handling": random wait and read, then Termination
            if (frame.error() == make_error_code(Errc::bad_signature)) {
                fail(s, TerminationReason::data_phase_aead_failure, "AEAD failure");
            } else { // a length below 16 ("handled like an AEAD failure")
                fail(s, TerminationReason::aead_framing_error, "bad frame length");
            }
            probe = true;
            return false;
        }
        if (!*frame) {
            return true;
        }
        Counters& c = t.events.counters();
        ++c.frames_received;
        c.bytes_received += 2 + (*frame)->size() + crypto::aead_tag_size;
        s.last_activity = t.clock.steady();
        if (!handle_frame(s, **frame)) {
            return false;
        }
    }
}

// Reads whatever the socket has (up to a frame and its length) and handles the complete frames
// in it: one read call per burst rather than two per frame. The reader keeps a partial frame
// across calls, so the loop can stop at a read and run again (after our Termination).
asio::awaitable<void> read_loop(Session& s)
{
    auto& t = s.transport;
    for (;;) {
        bool probe = false;
        if (!handle_buffered_frames(s, probe)) {
            s.read_broken = true; // nothing more is read after a frame that ended the session
            if (probe) {
                co_await probe_read(t, s);
            }
            co_return;
        }
        s.read_broken = s.reader.mid_frame();
        if (!s.reader.in_frame_body()) {
            s.frame_started.reset();
        } else if (!s.frame_started) {
            s.frame_started = t.clock.steady();
        }
        const MutableBytes room = s.reader.free_space();
        auto [ec, n] =
            co_await s.socket.async_read_some(asio::buffer(room.data(), room.size()), nothrow);
        if (ec) {
            s.read_broken = s.reader.mid_frame() || ec != asio::error::operation_aborted;
            co_return ended_by_io(s, ec);
        }
        s.reader.commit(n);
    }
}

// Padding last (ntcp2.rst "Padding"), random size, kept inside one frame: within the ratios
// negotiated from the peer's Options block once it came ("Options"), else 0..max_padding.
std::size_t padding_size(Session& s, std::size_t used)
{
    auto& t = s.transport;
    const std::size_t room = ntcp2::max_frame_plaintext - used - ntcp2::block_header_size;
    if (s.padding) {
        return ntcp2::padding_length(used, *s.padding, room, t.padding_rng);
    }
    const std::size_t size = t.padding_rng.uniform(t.options.max_padding + 1);
    return std::min(size, room);
}

void add_padding(Session& s, std::vector<ntcp2::Block>& blocks, std::size_t used)
{
    blocks.emplace_back(ntcp2::Padding{padding_size(s, used)});
}

std::vector<ntcp2::Block> with_padding(Session& s, std::vector<ntcp2::Block> blocks)
{
    std::size_t used = 0;
    for (const auto& b : blocks) {
        used += ntcp2::block_wire_size(b);
    }
    add_padding(s, blocks, used);
    return blocks;
}

constexpr std::size_t length_field_size = 2;

// Block header plus short I2NP header plus payload; whether it joins a frame that already
// holds `used` plaintext bytes (room must stay for the padding block header).
std::size_t i2np_block_size(const i2np::Message& m)
{
    return ntcp2::block_header_size + i2np::kShortHeaderSize + m.payload.size();
}
bool i2np_block_fits(const i2np::Message& m, std::size_t used)
{
    return i2np::kShortHeaderSize + m.payload.size() <= ntcp2::max_block_data &&
           used + i2np_block_size(m) + ntcp2::block_header_size <= ntcp2::max_frame_plaintext;
}

// The I2NP block (ntcp2.rst "I2NP Message") with the message in the 9-byte short header form
// (i2np.rst: type, message id, expiration in seconds), as i2np::Message::serialize_short.
std::uint8_t* write_i2np_block(std::uint8_t* p, const i2np::Message& m)
{
    const std::size_t body = i2np::kShortHeaderSize + m.payload.size();
    p[0] = std::uint8_t(ntcp2::BlockType::i2np);
    store_be16(p + 1, std::uint16_t(body));
    p[3] = static_cast<std::uint8_t>(m.type);
    store_be32(p + 4, m.id.value());
    store_be32(p + 8, static_cast<std::uint32_t>(m.expiration.seconds())); // wraps in 2106
    p += ntcp2::block_header_size + i2np::kShortHeaderSize;
    return std::copy(m.payload.begin(), m.payload.end(), p);
}

constexpr std::size_t date_time_block_size = ntcp2::block_header_size + 4;

std::uint8_t* write_date_time_block(std::uint8_t* p, WallTime now)
{
    p[0] = std::uint8_t(ntcp2::BlockType::date_time);
    store_be16(p + 1, 4);
    store_be32(p + 3, static_cast<std::uint32_t>(now.seconds())); // wraps in 2106
    return p + date_time_block_size;
}

// Lays out one frame of I2NP blocks plus a padding block in s.send_buffer from `offset` (length
// field, blocks, room for the tag): the messages are written where they are encrypted, no copy
// per message. A message too large for a block or for what is left of the frame is dropped.
// Returns the frame's size.
std::size_t layout_i2np_frame(Session& s, const std::vector<i2np::Message>& messages,
                              std::size_t offset)
{
    // ntcp2.rst "DateTime": sent again now and then so the peer can follow our clock; only in
    // frames that go out anyway, so an idle session stays idle.
    const SteadyTime now = s.transport.clock.steady();
    bool date_time = now - s.date_time_sent >= s.transport.options.date_time_interval;
    // A message that fits a frame only without the DateTime block goes alone; DateTime waits.
    if (date_time && !messages.empty() && i2np_block_fits(messages.front(), 0) &&
        !i2np_block_fits(messages.front(), date_time_block_size)) {
        date_time = false;
    }
    std::size_t used = date_time ? date_time_block_size : 0;
    for (const auto& m : messages) {
        if (i2np_block_fits(m, used)) {
            used += i2np_block_size(m);
        }
    }
    const std::size_t padding = padding_size(s, used);
    const std::size_t size =
        length_field_size + used + ntcp2::block_header_size + padding + crypto::aead_tag_size;
    if (s.send_buffer.size() < offset + size) {
        s.send_buffer.resize(offset + size);
    }
    Counters& c = s.transport.events.counters();
    std::uint8_t* p = s.send_buffer.data() + offset + length_field_size;
    used = 0;
    if (date_time) {
        p = write_date_time_block(p, s.transport.clock.wall());
        s.date_time_sent = now;
        used = date_time_block_size;
    }
    for (const auto& m : messages) {
        if (!i2np_block_fits(m, used)) {
            ++c.dropped_too_large;
            continue;
        }
        used += i2np_block_size(m);
        ++c.i2np_sent;
        p = write_i2np_block(p, m);
    }
    p[0] = std::uint8_t(ntcp2::BlockType::padding);
    store_be16(p + 1, std::uint16_t(padding));
    std::fill_n(p + ntcp2::block_header_size, padding, std::uint8_t{0}); // as write_block
    return size;
}

// Room for a RouterInfo block beside DateTime, Options and a padding header in one frame (a
// RouterInfo that large cannot be sent in this frame and is left out).
bool router_info_fits(const std::vector<std::uint8_t>& ri)
{
    constexpr std::size_t others = date_time_block_size + ntcp2::block_header_size +
                                   ntcp2::options_body_size + 2 * ntcp2::block_header_size + 1;
    return !ri.empty() && ri.size() + others <= ntcp2::max_frame_plaintext;
}

// The first frame: DateTime (ntcp2.rst: peers should send it at the start of the data phase so
// the other side can check clock skew) and Options (our padding limits, "Options"); Bob adds
// his RouterInfo ("Bob may ... send his RouterInfo to Alice as his first message").
std::vector<ntcp2::Block> first_blocks(Session& s)
{
    auto& t = s.transport;
    std::vector<ntcp2::Block> blocks;
    blocks.emplace_back(ntcp2::DateTime{static_cast<std::uint32_t>(t.clock.wall().seconds())});
    blocks.emplace_back(ntcp2::OptionsBlock{
        ntcp2::write_options(ntcp2::advertised_options(t.options.padding_options))});
    if (s.direction() == Direction::inbound && router_info_fits(t.local.router_info)) {
        blocks.emplace_back(ntcp2::RouterInfoBlock{false, t.local.router_info});
    }
    s.date_time_sent = t.clock.steady();
    return with_padding(s, std::move(blocks));
}

// Our RouterInfo again, after it changed (ntcp2.rst "RouterInfo": "used optionally in the data
// phase"), with a DateTime as i2pd sends it.
std::vector<ntcp2::Block> router_info_blocks(Session& s)
{
    auto& t = s.transport;
    std::vector<ntcp2::Block> blocks;
    blocks.emplace_back(ntcp2::DateTime{static_cast<std::uint32_t>(t.clock.wall().seconds())});
    blocks.emplace_back(ntcp2::RouterInfoBlock{false, t.local.router_info});
    s.date_time_sent = t.clock.steady();
    return with_padding(s, std::move(blocks));
}

// `frames` sealed frames back to back, each with its length (spec: length and frame in one
// write), in one write.
asio::awaitable<bool> write_sealed(Session& s, Bytes frames_bytes, std::size_t frames = 1)
{
    auto& t = s.transport;
    auto [ec, n] = co_await asio::async_write(s.socket, asio::buffer(frames_bytes), nothrow);
    if (ec) {
        s.stream_broken = n != 0 && n != frames_bytes.size();
        ended_by_io(s, ec);
        co_return false;
    }
    Counters& c = t.events.counters();
    c.frames_sent += frames;
    c.bytes_sent += n;
    s.last_activity = t.clock.steady();
    co_return true;
}

asio::awaitable<bool> write_frame(Session& s, const std::vector<ntcp2::Block>& blocks)
{
    const auto frame = s.data->seal_blocks(blocks);
    co_return co_await write_sealed(s, frame);
}

// Frames of queued I2NP messages, laid out and sealed back to back in s.send_buffer while the
// owner has more and they stay under Ntcp2Options::max_write_bytes: one socket write for a
// burst, not one per frame. Returns the bytes and the number of frames.
std::pair<std::size_t, std::size_t> seal_i2np_frames(Session& s,
                                                     std::vector<i2np::Message> messages)
{
    const auto& o = s.transport.options;
    std::size_t size = 0;
    std::size_t frames = 0;
    for (;;) {
        const std::size_t frame = layout_i2np_frame(s, messages, size); // may grow send_buffer
        messages.clear(); // the payloads are in the frame now
        s.data->seal_in_place(MutableBytes(s.send_buffer).subspan(size, frame));
        size += frame;
        ++frames;
        if (size + length_field_size + o.frame_budget > o.max_write_bytes) {
            break;
        }
        messages = s.transport.events.outgoing(s, o.frame_budget);
        if (messages.empty()) {
            break;
        }
    }
    return {size, frames};
}

asio::awaitable<void> write_loop(Session& s)
{
    if (!co_await write_frame(s, first_blocks(s))) {
        co_return;
    }
    while (!s.closing) {
        if (s.router_info_pending && router_info_fits(s.transport.local.router_info)) {
            s.router_info_pending = false;
            if (!co_await write_frame(s, router_info_blocks(s))) {
                co_return;
            }
            ++s.transport.events.counters().router_infos_sent;
            continue;
        }
        s.router_info_pending = false;
        auto messages = s.transport.events.outgoing(s, s.transport.options.frame_budget);
        if (messages.empty()) {
            s.send_buffer = {}; // idle sessions keep no frame buffer
            s.wake_timer.expires_at(asio::steady_timer::time_point::max());
            co_await s.wake_timer.async_wait(nothrow); // wake() and close() cancel it
            if (co_await cancelled()) {
                co_return;
            }
            continue;
        }
        const auto [size, frames] = seal_i2np_frames(s, std::move(messages));
        if (!co_await write_sealed(s, Bytes(s.send_buffer).first(size), frames)) {
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
