// Tunnel tests and expiry (docs/tunnels/implementation.html "Tunnel Testing": "a tunnel is
// tested by sending a message through the outbound tunnel into the inbound tunnel";
// "Tunnels themselves are short-lived (10 minutes)").
#include <algorithm>

#include "crypto/secret.h"
#include "router/base/bytes.h"
#include "router/data/i2np/payload.h"
#include "router/garlic/blocks.h"
#include "router/garlic/reply.h"
#include "tunnels/pool/pool_impl.h"

namespace umbra::tunnels {

void LocalTunnels::Impl::start_probes(Now now)
{
    std::vector<OwnTunnel*> due;
    for (auto& [id, t] : tunnels) {
        // Zero-hop tunnels have no hop that could fail.
        if (!t->zero_hop() && !t->fallback && !t->testing && now.steady >= t->next_test &&
            usable(*t, now)) {
            due.push_back(t.get());
        }
    }
    std::sort(due.begin(), due.end(), [](auto* a, auto* b) { return a->local_id < b->local_id; });
    for (OwnTunnel* t : due) {
        // The partner comes from the same pool and the other direction; pick() prefers real
        // tunnels whose last test passed, so a failure mostly points at the tunnel under test.
        OwnTunnel* partner = pick(t->pool, !t->inbound, now, t->tried);
        if (partner == nullptr) {
            continue;
        }
        send_probe(*t, *partner, now);
    }
}

void LocalTunnels::Impl::send_probe(OwnTunnel& t, OwnTunnel& partner, Now now)
{
    OwnTunnel& outbound = t.inbound ? partner : t;
    const InboundPath into = path_of(t.inbound ? t : partner);
    std::uint32_t test_id = 0;
    while (test_id == 0 || probes.contains(test_id)) {
        test_id = rng.u32();
    }
    const WallTime expires{now.wall.ms + config.test_timeout.count()};
    const i2np::DeliveryStatus status{MessageId(test_id), now.wall};
    garlic::ReplyTag tag{};
    rng.fill(tag);
    crypto::Key32 key;
    rng.fill(key.mutable_bytes());
    auto garlic = garlic::encrypt_reply(
        key, tag, i2np::make_message(status, MessageId(rng.u32()), expires), rng);
    if (!garlic) {
        return; // cannot happen for a 12-byte payload; nothing sent, nothing waited for
    }
    Probe probe{t.local_id.value(), partner.local_id.value(), now.steady + config.test_timeout,
                std::move(key), load_be64(tag.data())};
    send_via(outbound, Delivery{DeliveryType::tunnel, into.tunnel, into.gateway},
             i2np::make_message(*garlic, MessageId(rng.u32()), expires), now);
    probe_tags[probe.tag] = test_id;
    probes.emplace(test_id, std::move(probe));
    t.testing = true;
    t.next_test = now.steady + config.test_interval;
    ++counters.tests_sent;
}

bool LocalTunnels::Impl::on_probe_garlic(const i2np::Message& m, Now now)
{
    auto garlic = i2np::Garlic::parse(m.payload);
    if (!garlic || garlic->ciphertext.size() < garlic::kReplyTagSize) {
        return false;
    }
    const auto tag = probe_tags.find(load_be64(garlic->ciphertext.data()));
    if (tag == probe_tags.end()) {
        return false;
    }
    const auto it = probes.find(tag->second);
    if (it == probes.end()) {
        probe_tags.erase(tag);
        return false;
    }
    auto plain = garlic::open_with_tag(it->second.key, garlic->ciphertext);
    auto blocks = garlic::parse_blocks(plain ? Bytes(*plain) : Bytes());
    if (plain && blocks) {
        for (auto& clove : garlic::take_cloves(*blocks)) {
            if (clove.message.type == i2np::MessageType::delivery_status &&
                on_delivery_status(clove.message, now)) {
                return true;
            }
        }
    }
    ++counters.messages_dropped; // a forgery with a test's tag: the test goes on waiting
    return true;
}

bool LocalTunnels::Impl::on_delivery_status(const i2np::Message& m, Now)
{
    const auto status = i2np::DeliveryStatus::parse(m.payload);
    if (!status) {
        return false;
    }
    const auto it = probes.find(status->acked_id.value());
    if (it == probes.end()) {
        return false;
    }
    const Probe probe = std::move(it->second);
    probes.erase(it);
    probe_tags.erase(probe.tag);
    ++counters.tests_passed;
    // The message went through both tunnels: both work.
    if (const auto t = tunnels.find(probe.tunnel); t != tunnels.end()) {
        ++t->second->tests_passed;
        t->second->failures_in_row = t->second->fails_in_row = 0;
        t->second->suspect = false;
        t->second->tried.clear();
        t->second->testing = false;
    }
    if (const auto p = tunnels.find(probe.partner); p != tunnels.end()) {
        p->second->failures_in_row = p->second->fails_in_row = 0;
        p->second->suspect = false;
    }
    return true;
}

void LocalTunnels::Impl::expire_probes(Now now)
{
    struct Outcome {
        std::uint32_t tunnel;
        std::uint32_t partner;
        bool trusted; // the partner's state before this round, so map order does not matter
        auto operator<=>(const Outcome&) const = default;
    };
    std::vector<Outcome> outcomes;
    for (auto it = probes.begin(); it != probes.end();) {
        if (now.steady < it->second.deadline) {
            ++it;
            continue;
        }
        const auto p = tunnels.find(it->second.partner);
        outcomes.push_back(
            {it->second.tunnel, it->second.partner, p != tunnels.end() && p->second->trusted()});
        it = probes.erase(it);
    }
    // Tags of tests that ended (timed out, or their tunnel went away).
    std::erase_if(probe_tags, [&](const auto& p) { return !probes.contains(p.second); });
    std::sort(outcomes.begin(), outcomes.end());
    std::vector<std::uint32_t> failed;
    for (const auto& o : outcomes) {
        ++counters.tests_failed;
        if (const auto t = tunnels.find(o.tunnel); t != tunnels.end()) {
            // The next test goes through another partner, while there is one.
            t->second->tried.push_back(o.partner);
            test_failed(*t->second, o.trusted, failed, now);
        }
        // One of the two tunnels is broken: the partner is not trusted either until a test
        // through it passes.
        if (const auto p = tunnels.find(o.partner); p != tunnels.end()) {
            p->second->suspect = true;
        }
    }
    for (const auto id : failed) {
        if (const auto t = tunnels.find(id); t != tunnels.end()) {
            fail_tunnel(*t->second, now);
        }
    }
}

void LocalTunnels::Impl::test_failed(OwnTunnel& t, bool partner_trusted,
                                     std::vector<std::uint32_t>& failed, Now now)
{
    ++t.tests_failed;
    ++t.fails_in_row;
    t.failures_in_row += partner_trusted;
    t.testing = false;
    t.next_test = now.steady; // again at once, most likely with another partner
    UMBRA_LOG(log, debug, "tunnels",
              "tunnel test failed: " << describe(t)
                                     << (partner_trusted ? "" : " (partner unproven)"));
    if (t.failures_in_row >= config.max_test_failures ||
        t.fails_in_row >= 2 * config.max_test_failures) {
        failed.push_back(t.local_id.value());
    }
}

void LocalTunnels::Impl::fail_tunnel(OwnTunnel& t, Now now)
{
    ++counters.tunnels_failed;
    UMBRA_LOG(log, info, "tunnels",
              "tunnel failed: " << describe(t) << " after " << t.fails_in_row << " failed tests");
    // Which hop broke is unknown; all of them sit out a while (peer_selection.h "a failed
    // tunnel's hops"). Bounded: expired entries go first, then the table stops growing.
    std::erase_if(avoid, [&](const auto& a) { return a.second.until <= now.steady; });
    for (const auto& h : t.hops) {
        if (avoid.size() < kMaxAvoided || avoid.contains(h)) {
            auto& a = avoid[h];
            a.until = now.steady + kAvoidFailedHops;
            ++a.failures;
        }
    }
    remove_tunnel(t.local_id.value());
}

void LocalTunnels::Impl::expire_tunnels(Now now)
{
    std::vector<std::uint32_t> ended;
    for (auto& [id, t] : tunnels) {
        if (now.steady >= t->ends) {
            ended.push_back(id);
        } else if (t->endpoint) {
            t->endpoint->expire(now.steady);
        }
    }
    std::sort(ended.begin(), ended.end());
    for (const auto id : ended) {
        ++counters.tunnels_expired;
        UMBRA_LOG(log, info, "tunnels", "tunnel expired: " << describe(*tunnels.at(id)));
        remove_tunnel(id);
    }
    std::erase_if(avoid, [&](const auto& a) { return a.second.until <= now.steady; });
}

} // namespace umbra::tunnels
