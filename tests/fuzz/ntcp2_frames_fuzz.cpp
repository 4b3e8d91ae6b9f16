// ntcp2_frames: a receiving DataPhase with fixed keys reads the input as the TCP stream would
// bring it: 2-byte obfuscated length, frame, length, frame... Properties: a frame that opens
// re-seals to the very same bytes under the mirrored sender (mask chain and nonce in step), and
// after any failure the receiver refuses everything.
#include <algorithm>
#include <cstdlib>

#include "router/transport/ntcp2/data_phase.h"
#include "router/transport/ntcp2/fuzz_keys.h"

namespace {

using namespace umbra::ntcp2;

// Opens one frame from the front of stream; false when the stream ends or the frame fails.
bool next_frame(DataPhase& receiver, DataPhase& sender, umbra::Bytes& stream)
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
    stream = stream.subspan(frame.size());
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    DataPhase receiver(DataPhaseKeys{DirectionKeys{}, fuzz_keys()});
    DataPhase sender(DataPhaseKeys{fuzz_keys(), DirectionKeys{}});
    umbra::Bytes stream(data, size);
    while (next_frame(receiver, sender, stream)) {
    }
    if (receiver.frames_received() != sender.frames_sent()) {
        std::abort();
    }
    const std::uint8_t zeros[2]{};
    if (receiver.receive_failed() && receiver.frame_length(zeros)) {
        std::abort();
    }
    return 0;
}
