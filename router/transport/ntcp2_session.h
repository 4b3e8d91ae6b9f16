// Private to router/transport/*.cpp (never included by a public header): the connection object
// and the coroutines shared by ntcp2_transport.cpp (listener, dial, handshakes) and
// ntcp2_session.cpp (data phase).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/frame_reader.h"
#include "router/transport/ntcp2/options_block.h"
#include "router/transport/ntcp2_transport.h"

namespace umbra::transport {

namespace asio = boost::asio;
using asio::ip::tcp;

class Session;

struct Ntcp2Transport::Impl {
    Impl(asio::io_context& io_, Ntcp2Options options_, ntcp2::LocalNtcp2 local_,
         Ntcp2Events& events_, const Clock& clock_, crypto::Rng& rng_, Logger& log_)
        : io(io_), options(std::move(options_)), local(std::move(local_)), events(events_),
          clock(clock_), rng(rng_), padding_rng(rng_), log(log_)
    {
    }
    asio::io_context& io;
    Ntcp2Options options;
    ntcp2::LocalNtcp2 local;
    Ntcp2Events& events;
    const Clock& clock;
    crypto::Rng& rng; // keys (through the handshakes), probe reads
    // Padding lengths of data phase frames: a ChaCha20 keystream keyed from `rng`, so a frame
    // costs no system RNG call. Never for keys. On the transport's (single) executor.
    crypto::ChaChaRng padding_rng;
    Logger& log;
    ntcp2::ReplayCache replay;
    ntcp2::VerifiedRouterInfos verified_router_infos; // Bob skips re-verifying known bytes
    ntcp2::EphemeralKeys ephemeral_keys; // X and Y made ahead, when the executor is free
    bool refilling = false;              // refill_ephemeral_keys is running
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::unordered_map<SessionId, std::weak_ptr<Session>> connections; // for stop()
    SessionId next_id = 1;
    bool stopping = false;
};

class Session final : public SessionHandle, public std::enable_shared_from_this<Session> {
public:
    Session(Ntcp2Transport::Impl& t, tcp::socket s, Direction d, std::string ip)
        : transport(t), socket(std::move(s)), wake_timer(t.io), id_(t.next_id++), direction_(d),
          ip_(std::move(ip))
    {
    }
    SessionId id() const override { return id_; }
    const IdentHash& peer() const override { return peer_; }
    Direction direction() const override { return direction_; }
    const std::string& remote_ip() const override { return ip_; }
    void wake() override { wake_timer.cancel(); }
    void close(ntcp2::TerminationReason reason) override;
    void abort() override;
    bool lost() const override;

    Ntcp2Transport::Impl& transport;
    tcp::socket socket;
    asio::steady_timer wake_timer; // the writer sleeps on it; wake() and close() cancel it
    std::optional<ntcp2::DataPhase> data;
    // The writer lays I2NP frames out here and seals them in place; kept while the writer is
    // busy, released when it goes idle. Grows to the largest frame, never shrinks in use.
    std::vector<std::uint8_t> send_buffer;
    ntcp2::FrameReader reader;            // bytes read, cut into frames, decrypted in place
    std::vector<ntcp2::BlockView> blocks; // the reader's views into the frame being handled
    IdentHash peer_;
    bool closing = false;       // close() asked for; the writer sends Termination
    bool terminate = false;     // we end it: send a Termination block before closing
    bool stream_broken = false; // a frame write failed midway: nothing more may be sent
    bool read_broken = false;   // a frame read stopped midway, or the reader saw the end
    std::optional<std::uint64_t> peer_frames_received; // from the peer's Termination block
    ntcp2::TerminationReason reason = ntcp2::TerminationReason::normal;
    std::string end; // the one reason the session ended, for the log
    SteadyTime last_activity{};
    std::optional<SteadyTime> frame_started; // reading a frame body since
    std::int64_t clock_skew_ms = 0;
    bool got_date_time = false;
    SteadyTime date_time_sent{};                // our last DateTime block
    std::optional<ntcp2::PaddingRange> padding; // from the peer's Options block
    bool router_info_pending = false;           // our RouterInfo changed: send it again

private:
    SessionId id_;
    Direction direction_;
    std::string ip_;
};

// co_spawn whose completion rethrows: an exception escaping a coroutine is a bug and must end
// io_context::run() loudly (ARCHITECTURE.md §3), never be swallowed.
void spawn(asio::io_context& io, asio::awaitable<void> task);
asio::awaitable<void> sleep_for(Milliseconds d);
// Abnormal close (TCP RST), as the spec asks after a handshake failure.
void reset_close(tcp::socket& socket);
// Probing resistance (ntcp2.rst "AEAD Error Handling"): reads a random number of bytes for a
// random time, up to Ntcp2Options::probe_read_max and probe_delay_max.
asio::awaitable<void> probe_read(Ntcp2Transport::Impl& t, Session& s);
// Runs the data phase of an established session until it ends, then reports closed().
asio::awaitable<void> run_data_phase(std::shared_ptr<Session> s, bool accepted);

} // namespace umbra::transport
