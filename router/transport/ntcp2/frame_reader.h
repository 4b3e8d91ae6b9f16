// The receive side of the NTCP2 data phase (ntcp2.rst "4) Data Phase") over a stream: the shell
// reads whatever the socket has into free_space() and takes every complete frame out with
// next_frame(), so a burst of frames costs one read call rather than two per frame (the 2-byte
// length, then the frame). Frames are decrypted where they were read (no copy). Sans-IO.
#pragma once
#include <memory>
#include <optional>

#include "router/base/bytes.h"
#include "router/base/result.h"
#include "router/transport/ntcp2/data_phase.h"

namespace umbra::ntcp2 {

class FrameReader {
public:
    // Room for the largest frame and its length field; the storage is allocated on first use.
    static constexpr std::size_t capacity = 2 + max_frame_size;

    // Where the next read may write (never empty). Moves the bytes of an unfinished frame to the
    // front first when the room behind them is short; spans from next_frame() end here.
    MutableBytes free_space();
    // `n` bytes were read into free_space(). Aborts if n exceeds it (a caller bug).
    void commit(std::size_t n);

    // The plaintext of the next complete frame, decrypted in place (valid until free_space()),
    // or nullopt when more bytes are needed. Errors are DataPhase's (frame_length,
    // open_in_place), after which the receive direction is dead for good.
    Result<std::optional<MutableBytes>> next_frame(DataPhase& data);

    // Bytes of a frame not yet complete are buffered (a read stopping now stops mid-frame).
    bool mid_frame() const { return pending_ != 0 || end_ != begin_; }
    // The pending frame's length was read and its body is incomplete (the frame timeout runs).
    bool in_frame_body() const { return pending_ != 0; }

private:
    std::unique_ptr<std::uint8_t[]> buffer_; // capacity bytes, uninitialised (only read bytes
                                             // are ever looked at); null until used
    std::size_t begin_ = 0;                  // first unread byte
    std::size_t end_ = 0;                    // one past the last read byte
    std::size_t pending_ = 0; // length of the frame whose length field was consumed; 0: none
};

} // namespace umbra::ntcp2
