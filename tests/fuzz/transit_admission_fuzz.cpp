// transit_admission: a TransitTable with the previous-hop check and a TransitAdmission driven by
// a run of operations, in virtual time. Each op is 4 bytes [op][a][b][c]:
//   0 add a tunnel (role a % 3, id b % 16 + 1, previous router c % 4),
//   1 TunnelData for id a % 16 + 1 from router b % 4 (c seeds the data),
//   2 TunnelGateway for id a % 16 + 1 with b * 4 bytes of message,
//   3 advance a seconds, expire, and update the admission with the table's count and bytes,
//   4 the same with a byte total that jumps by a * 65536 (bandwidth bursts).
// Checked: the table never exceeds its limit; a message from a router other than a tunnel's
// previous hop never reaches the layer (its message count stays); refuse() holds at the limit;
// the published cap changes at most once a minute and G never comes from traffic.
#include <array>
#include <cstdlib>
#include <optional>

#include "crypto/random.h"
#include "tunnels/transit/congestion.h"
#include "tunnels/transit/testing.h"
#include "tunnels/transit/transit_table.h"

namespace {

using namespace umbra;
using namespace umbra::tunnels;

struct NullOut final : TransitOut {
    void send_tunnel_data(const IdentHash&, const i2np::TunnelData&) override {}
    void send_tunnel_gateway(const IdentHash&, i2np::TunnelGateway&&) override {}
    void send_message(const IdentHash&, i2np::Message&&) override {}
};

IdentHash router(std::uint8_t n)
{
    std::array<std::uint8_t, 32> h{};
    h.fill(std::uint8_t(n % 4 + 1));
    return IdentHash(h);
}

void check(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    constexpr std::size_t max_tunnels = 12;
    crypto::DeterministicRng rng(3);
    TransitLimits limits;
    limits.max_tunnels = max_tunnels;
    limits.duplicate_filter_bits_log2 = 0;
    TransitTable table(limits, rng);
    TransitAdmission admission(AdmissionLimits{.accept_transit = true,
                                               .max_tunnels = max_tunnels,
                                               .share_bytes_per_second = 100'000,
                                               .min_cap_interval = std::chrono::minutes(1)});
    NullOut out;
    SteadyTime now{};
    std::optional<SteadyTime> last_change;
    std::uint64_t burst = 0;
    for (std::size_t at = 0; at + 4 <= size; at += 4) {
        const std::uint8_t op = data[at] % 5, a = data[at + 1], b = data[at + 2], c = data[at + 3];
        if (op == 0) {
            auto keys = testing::make_hop(rng, HopRole(a % 3), std::uint32_t(b % 16 + 1));
            (void)table.add(keys, router(c), now);
        } else if (op == 1) {
            i2np::TunnelData m;
            m.tunnel = TunnelId(std::uint32_t(a % 16 + 1));
            m.data.fill(c);
            const auto* t = table.find(m.tunnel);
            const auto before = t ? t->messages : 0;
            const bool stranger = t && t->previous && *t->previous != router(b);
            table.on_tunnel_data(m, router(b), now, out);
            if (stranger) {
                check(table.find(m.tunnel)->messages == before);
            }
        } else if (op == 2) {
            const i2np::TunnelGateway g{TunnelId(std::uint32_t(a % 16 + 1)),
                                        std::vector<std::uint8_t>(std::size_t(b) * 4, c)};
            table.on_tunnel_gateway(g, now, out);
        } else {
            now += std::chrono::seconds(a);
            table.expire(now);
            burst += op == 4 ? std::uint64_t(a) * 65536 : 0;
            const auto before = admission.published();
            const auto changed = admission.update(table.size(), table.bytes_in() + burst, now);
            if (changed) {
                check(*changed != before && *changed != CongestionCap::rejecting_all);
                check(!last_change || now - *last_change >= std::chrono::minutes(1));
                last_change = now;
            }
        }
        check(table.size() <= max_tunnels);
        check(admission.refuse(max_tunnels));
    }
    return 0;
}
