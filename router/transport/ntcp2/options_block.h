// The data-phase Options block (ntcp2.rst "Options"): padding limits as 4.4 fixed-point ratios
// of padding to data, dummy traffic and delay. The spec calls the format and its negotiation
// TBD and the limits "guidelines, there is no enforcement"; what umbra does with them: "Sender
// should honor receiver's maximum", and honours the receiver's minimum too while it stays under
// our own transmit maximum (the bandwidth limit). Dummy traffic and delays: tdmy and tdelay are
// what the block's sender is "willing" to do, rdmy and rdelay requests, so what one side owes
// the other is at most min(own t..., peer's r...); umbra sends no dummy traffic and inserts no
// delay, so it advertises tdmy = tdelay = 0 (advertised_options) and owes nothing. The peer's
// requests are parsed and need no action; what the peer does for us needs none either.
#pragma once
#include <cstdint>
#include <vector>

#include "crypto/random.h"
#include "router/base/bytes.h"

namespace umbra::ntcp2 {

// Ratios are 4.4 fixed point: 0x00 no padding, 0x01 6.25 %, 0x10 100 %, 0xff 1593.75 %.
struct PaddingOptions {
    std::uint8_t tmin = 0, tmax = 0;      // what the sender of the block will transmit
    std::uint8_t rmin = 0, rmax = 0;      // what the sender of the block asks to receive
    std::uint16_t tdmy = 0, rdmy = 0;     // dummy traffic, bytes/s average
    std::uint16_t tdelay = 0, rdelay = 0; // intra-message delay, ms average
    bool operator==(const PaddingOptions&) const = default;
};

// The size of the fields above; "12 bytes minimum" (more_options follow, format TBD).
inline constexpr std::size_t options_body_size = 12;

// The Options block body (12 bytes).
std::vector<std::uint8_t> write_options(const PaddingOptions& o);
// Errc::truncated under 12 bytes; anything after the 12 bytes (more_options) is ignored.
Result<PaddingOptions> parse_options(Bytes body);

// Our block as sent: the configured padding ratios and rdmy/rdelay, with tdmy and tdelay 0
// (we never promise dummy traffic or delays we do not produce).
PaddingOptions advertised_options(const PaddingOptions& configured);

// Dummy traffic (bytes/s) and intra-message delay (ms) a sender owes its peer: min(what the
// sender is willing to send, what the peer requested); 0 for umbra (advertised_options).
struct DummyTraffic {
    std::uint16_t bytes_per_s = 0;
    std::uint16_t delay_ms = 0;
    bool operator==(const DummyTraffic&) const = default;
};
DummyTraffic negotiate_dummy_traffic(const PaddingOptions& ours, const PaddingOptions& peer);

// The padding ratios to transmit with: at most min(our tmax, peer's rmax); at least the peer's
// rmin (or our tmin, whichever is larger) but never above that maximum.
struct PaddingRange {
    std::uint8_t min = 0;
    std::uint8_t max = 0;
    bool operator==(const PaddingRange&) const = default;
};
PaddingRange negotiate_padding(const PaddingOptions& ours, const PaddingOptions& peer);

// A padding length for a frame holding `data` bytes of other blocks: uniform between
// data*min/16 and data*max/16, never above `room` (what is left of the frame).
std::size_t padding_length(std::size_t data, PaddingRange range, std::size_t room,
                           crypto::Rng& rng);

} // namespace umbra::ntcp2
