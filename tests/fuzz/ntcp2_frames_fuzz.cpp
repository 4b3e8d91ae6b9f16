// ntcp2_frames: a receiving DataPhase with fixed keys reads the input as the TCP stream would
// bring it: 2-byte obfuscated length, frame, length, frame... Properties: a frame that opens
// re-seals to the very same bytes under the mirrored sender (mask chain and nonce in step), and
// after any failure the receiver refuses everything. The same stream also goes through a
// FrameReader (the session's receive path) in reads whose sizes come from the stream's own
// bytes: it must give the same frames in the same order, and fail exactly when the direct path
// failed.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/frame_reader.h"
#include "router/transport/ntcp2/fuzz_keys.h"

namespace {

using namespace umbra::ntcp2;

using Frames = std::vector<std::vector<std::uint8_t>>;

// Opens one frame from the front of stream; false when the stream ends or the frame fails.
bool next_frame(DataPhase& receiver, DataPhase& sender, umbra::Bytes& stream, Frames& opened)
{
    if (stream.size() < 2) {
        return false;
    }
    auto length = receiver.frame_length(stream.first(2));
    if (!length || stream.size() - 2 < *length) {
        return false;
    }
    const umbra::Bytes frame = stream.first(2 + *length);
    auto plaintext = receiver.open_frame(frame.subspan(2));
    if (!plaintext) {
        return false;
    }
    const auto resealed = sender.seal_frame(*plaintext);
    if (!std::ranges::equal(resealed, frame)) {
        std::abort();
    }
    (void)parse_blocks(*plaintext);
    opened.push_back(std::move(*plaintext));
    stream = stream.subspan(frame.size());
    return true;
}

// The stream through a FrameReader; aborts where it differs from the direct path's `opened`
// frames and failure.
void through_reader(umbra::Bytes stream, const Frames& opened, bool failed)
{
    DataPhase receiver(DataPhaseKeys{DirectionKeys{}, fuzz_keys()});
    FrameReader reader;
    std::size_t at = 0;
    std::size_t got = 0;
    for (;;) {
        auto frame = reader.next_frame(receiver);
        if (!frame) {
            if (!failed || got != opened.size()) {
                std::abort();
            }
            return;
        }
        if (*frame) {
            if (got == opened.size() || !std::ranges::equal(**frame, opened[got])) {
                std::abort();
            }
            ++got;
            continue;
        }
        if (at == stream.size()) {
            break;
        }
        const umbra::MutableBytes room = reader.free_space();
        const std::size_t want = 1 + std::size_t(stream[at]) * 300; // 1 .. 76501 bytes
        const std::size_t n = std::min({room.size(), stream.size() - at, want});
        std::copy_n(stream.begin() + std::ptrdiff_t(at), n, room.begin());
        reader.commit(n);
        at += n;
    }
    if (failed || got != opened.size()) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    DataPhase receiver(DataPhaseKeys{DirectionKeys{}, fuzz_keys()});
    DataPhase sender(DataPhaseKeys{fuzz_keys(), DirectionKeys{}});
    umbra::Bytes stream(data, size);
    Frames opened;
    while (next_frame(receiver, sender, stream, opened)) {
    }
    through_reader(umbra::Bytes(data, size), opened, receiver.receive_failed());
    if (receiver.frames_received() != sender.frames_sent()) {
        std::abort();
    }
    const std::uint8_t zeros[2]{};
    if (receiver.receive_failed() && receiver.frame_length(zeros)) {
        std::abort();
    }
    return 0;
}
