// tunnel_endpoint: an outbound endpoint with fixed keys fed a run of tunnel messages. The input
// is chunks of [control byte][IV 16][data 1008] (the last chunk zero-padded): the plaintext a
// gateway would have built. Control bit 0 asks the harness to fix the checksum so the fuzzer
// reaches the delivery instructions and reassembly; bits 1-4 advance virtual time by that many
// seconds (timeouts, tunnel expiry). Each plaintext is pre-encrypted for the hop with the
// creator's layer, then handed to the TransitTable, whose layer reveals it again. Bounds on the
// reassembly state are checked after every message.
#include <array>
#include <cstdlib>
#include <cstring>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "tunnels/transit/layer.h"
#include "tunnels/transit/testing.h"
#include "tunnels/transit/transit_table.h"

namespace {

using namespace umbra;
using namespace umbra::tunnels;
constexpr std::size_t kChunk = 1 + crypto::tunnel_block_size;

struct NullOut final : TransitOut {
    void send_tunnel_data(const IdentHash&, const i2np::TunnelData&) override {}
    void send_tunnel_gateway(const IdentHash&, i2np::TunnelGateway&& m) override
    {
        if (m.tunnel.value() == 0) {
            std::abort(); // parsed TUNNEL delivery never has tunnel id 0
        }
    }
    void send_message(const IdentHash&, i2np::Message&&) override {}
};

void fix_checksum(MutableBytes block)
{
    auto data = block.subspan(crypto::tunnel_iv_size);
    const auto zero = std::find(data.begin() + 4, data.end(), std::uint8_t{0});
    if (zero == data.end()) {
        return;
    }
    crypto::Sha256 h;
    h.update(Bytes(&*zero + 1, std::size_t(data.end() - zero - 1)));
    h.update(block.first(crypto::tunnel_iv_size));
    const auto digest = h.finish();
    std::memcpy(data.data(), digest.data(), 4);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    crypto::DeterministicRng rng(1);
    auto keys = testing::make_hop(rng, HopRole::outbound_endpoint, 7);
    CreatorLayers creator(std::span(&keys, 1));
    TransitLimits limits;
    limits.reassembly.max_messages_per_tunnel = 8;
    limits.reassembly.max_bytes_per_tunnel = 16 * 1024;
    limits.max_reassembly_bytes = 12 * 1024;
    limits.duplicate_filter_bits_log2 = 10; // small: rotates often, cheap to set up per input
    TransitTable table(limits, rng);
    SteadyTime now{};
    if (!table.add(keys, now)) {
        std::abort();
    }
    NullOut out;
    for (std::size_t at = 0; at < size; at += kChunk) {
        const std::uint8_t control = data[at];
        i2np::TunnelData m;
        m.tunnel = TunnelId(7);
        const std::size_t n = std::min(crypto::tunnel_block_size, size - at - 1);
        std::memcpy(m.data.data(), data + at + 1, n);
        if (control & 1) {
            fix_checksum(m.data);
        }
        now += std::chrono::seconds((control >> 1) & 0x0f);
        table.expire(now);
        creator.apply(m.data);
        table.on_tunnel_data(m, now, out);
        const auto* t = table.find(TunnelId(7));
        const auto& budget = table.reassembly();
        if (budget.bytes > limits.max_reassembly_bytes ||
            (t && t->endpoint &&
             (t->endpoint->bytes_held() != budget.bytes ||
              t->endpoint->incomplete_messages() > limits.reassembly.max_messages_per_tunnel))) {
            std::abort();
        }
    }
    return 0;
}
