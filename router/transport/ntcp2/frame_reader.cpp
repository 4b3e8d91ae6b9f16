// ntcp2.rst "4) Data Phase": 2-byte obfuscated length, then that many bytes of ChaCha20-Poly1305
// ciphertext; see frame_reader.h.
#include "router/transport/ntcp2/frame_reader.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace umbra::ntcp2 {

namespace {

constexpr std::size_t length_field_size = 2;
// Below this much room behind the buffered bytes, they move to the front so reads stay large.
constexpr std::size_t min_read = 16 * 1024;

} // namespace

MutableBytes FrameReader::free_space()
{
    if (!buffer_) {
        buffer_ = std::make_unique_for_overwrite<std::uint8_t[]>(capacity); // not zeroed
    }
    if (begin_ == end_) {
        begin_ = end_ = 0;
    }
    const std::size_t buffered = end_ - begin_;
    const std::size_t wanted = pending_ != 0 ? pending_ : length_field_size;
    const std::size_t rest = wanted > buffered ? wanted - buffered : 0;
    // A frame and its length always fit the capacity, so after the move `rest` fits too.
    if (begin_ != 0 && capacity - end_ < std::max(rest, min_read)) {
        std::memmove(buffer_.get(), buffer_.get() + begin_, buffered);
        begin_ = 0;
        end_ = buffered;
    }
    return MutableBytes(buffer_.get() + end_, capacity - end_);
}

void FrameReader::commit(std::size_t n)
{
    if (!buffer_ || n > capacity - end_) {
        std::abort(); // a caller bug: more than free_space() offered
    }
    end_ += n;
}

Result<std::optional<MutableBytes>> FrameReader::next_frame(DataPhase& data)
{
    if (pending_ == 0) {
        if (end_ - begin_ < length_field_size) {
            return std::optional<MutableBytes>{};
        }
        const Bytes field(buffer_.get() + begin_, length_field_size);
        UMBRA_TRY(pending_, data.frame_length(field));
        begin_ += length_field_size;
    }
    if (end_ - begin_ < pending_) {
        return std::optional<MutableBytes>{};
    }
    const MutableBytes frame(buffer_.get() + begin_, pending_);
    begin_ += pending_;
    pending_ = 0;
    UMBRA_TRY(const MutableBytes plaintext, data.open_in_place(frame));
    return std::optional<MutableBytes>{plaintext};
}

} // namespace umbra::ntcp2
