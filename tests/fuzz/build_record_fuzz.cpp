// Cleartext ECIES build records (tunnels/build/records.h). Byte 0: bit 0 long (1) or short (0)
// format, bit 1 reply (1) or request (0) record; the rest is the record, cut or zero-padded to
// its fixed size. What parses must write and parse back to the same fields.
#include <algorithm>
#include <cstdlib>
#include <vector>

#include "tunnels/build/records.h"

using namespace umbra;
using namespace umbra::tunnels;

namespace {

bool same(const BuildRequestRecord& a, const BuildRequestRecord& b)
{
    return a.receive_tunnel == b.receive_tunnel && a.next_tunnel == b.next_tunnel &&
           a.next_ident == b.next_ident && a.flags == b.flags && a.more_flags == b.more_flags &&
           a.layer_encryption == b.layer_encryption &&
           crypto::constant_time_equal(a.layer_key.bytes(), b.layer_key.bytes()) &&
           crypto::constant_time_equal(a.iv_key.bytes(), b.iv_key.bytes()) &&
           crypto::constant_time_equal(a.reply_key.bytes(), b.reply_key.bytes()) &&
           a.reply_iv == b.reply_iv && a.request_time_minutes == b.request_time_minutes &&
           a.expiration_seconds == b.expiration_seconds && a.next_message_id == b.next_message_id &&
           a.options == b.options;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) {
        return 0;
    }
    const auto format = (data[0] & 1) ? RecordFormat::long_ecies : RecordFormat::short_ecies;
    const bool is_reply = data[0] & 2;
    std::vector<std::uint8_t> rec(is_reply ? reply_size(format) : request_size(format));
    std::copy_n(data + 1, std::min(size - 1, rec.size()), rec.begin());
    crypto::DeterministicRng rng(1);
    std::vector<std::uint8_t> out(rec.size());
    if (is_reply) {
        auto r = BuildReplyRecord::parse(format, rec);
        if (r) {
            if (!r->write(format, out, rng)) {
                std::abort(); // what parsed always fits
            }
            auto back = BuildReplyRecord::parse(format, out);
            if (!back || back->reply != r->reply || !(back->options == r->options)) {
                std::abort();
            }
        }
        return 0;
    }
    auto r = BuildRequestRecord::parse(format, rec);
    if (r) {
        if (!r->write(format, out, rng)) {
            std::abort();
        }
        auto back = BuildRequestRecord::parse(format, out);
        if (!back || !same(*back, *r)) {
            std::abort();
        }
    }
    return 0;
}
