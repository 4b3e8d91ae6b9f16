#include "netdb/lookup/publisher.h"

#include <algorithm>

#include "netdb/profiles/profiles.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

namespace umbra::netdb {

namespace {

constexpr std::int64_t day_ms = 24 * 60 * 60 * 1000;

std::uint32_t nonzero_u32(crypto::Rng& rng)
{
    for (;;) {
        if (const auto v = rng.u32(); v != 0) {
            return v;
        }
    }
}

} // namespace

WallTime next_utc_midnight(WallTime now)
{
    std::int64_t day = now.ms / day_ms;
    if (now.ms < 0 && now.ms % day_ms != 0) {
        --day; // floor division
    }
    return WallTime{(day + 1) * day_ms};
}

Publisher::Publisher(NetDbStore& db, const IdentHash& self, PublishConfig config,
                     PeerProfiles* profiles)
    : db_(db), self_(self), config_(config), profiles_(profiles)
{
}

void Publisher::set_router_info(std::vector<std::uint8_t> bytes, WallTime published, WallTime now)
{
    gzipped_ = gzip_compress(bytes);
    published_ = published;
    // A pending attempt carries the old one; start a fresh round with the new one.
    state_ = Idle{now};
    tried_.clear();
}

void Publisher::on_timer(WallTime now, crypto::Rng& rng, LookupTable& table, Outbox& out)
{
    if (const auto* idle = std::get_if<Idle>(&state_)) {
        if (!gzipped_.empty() && idle->next_publish <= now) {
            tried_.clear();
            attempt(now, rng, out);
        }
    } else if (const auto* wait = std::get_if<AwaitingStatus>(&state_)) {
        if (wait->deadline <= now) {
            ++counters_.confirm_timeouts;
            fail_attempt(now, rng, out);
        }
    } else if (const auto* pending = std::get_if<AwaitingVerify>(&state_)) {
        if (pending->verify_at <= now) {
            verify(AwaitingVerify(*pending), now, rng, table, out);
        }
    }
    // Verifying: the table's lookup has its own deadline and reports through on_lookup_result.
}

// "The DatabaseStoreMessage should be sent to the floodfill that is closest to the current
// routing key", with a nonzero reply token so that it answers with a DeliveryStatus.
void Publisher::attempt(WallTime now, crypto::Rng& rng, Outbox& out)
{
    std::vector<IdentHash> exclude = tried_;
    exclude.push_back(self_);
    const auto ff = db_.closest_floodfills(routing_key(self_, now), 1, exclude);
    if (ff.empty()) {
        round_done(false, now);
        return;
    }
    const MessageId token(nonzero_u32(rng));
    i2np::DatabaseStore store;
    store.key = self_;
    store.entry_type = i2np::DatabaseEntryType::router_info;
    store.reply = i2np::StoreReply{token, TunnelId(0), self_};
    store.data = gzipped_;
    const WallTime expires{now.ms + config_.confirm_timeout.count()};
    out.push_back(OutMessage{ff.front(), std::nullopt, std::monostate{},
                             i2np::make_message(store, MessageId(nonzero_u32(rng)), expires)});
    ++counters_.stores_sent;
    tried_.push_back(ff.front());
    state_ = AwaitingStatus{ff.front(), token, WallTime{now.ms + config_.confirm_timeout.count()}};
}

void Publisher::fail_attempt(WallTime now, crypto::Rng& rng, Outbox& out)
{
    if (tried_.size() >= config_.max_attempts) {
        round_done(false, now);
        return;
    }
    attempt(now, rng, out);
}

bool Publisher::on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status,
                                   WallTime now)
{
    const auto* wait = std::get_if<AwaitingStatus>(&state_);
    if (wait == nullptr || wait->token != status.acked_id || wait->floodfill != from) {
        return false;
    }
    ++counters_.confirmed;
    if (profiles_ != nullptr) {
        profiles_->record(from, PeerEvent::store_confirmed, now);
    }
    if (!config_.verify) {
        round_done(true, now);
        return true;
    }
    state_ = AwaitingVerify{wait->floodfill, WallTime{now.ms + config_.verify_delay.count()}};
    return true;
}

// "sends a lookup to another floodfill router close to the key (but not the one the store was
// sent to)".
void Publisher::verify(const AwaitingVerify& s, WallTime now, crypto::Rng& rng, LookupTable& table,
                       Outbox& out)
{
    const IdentHash exclude[] = {s.floodfill, self_};
    const auto other = db_.closest_floodfills(routing_key(self_, now), 1, exclude);
    if (other.empty()) { // nobody else to ask: the DeliveryStatus is all we get
        round_done(true, now);
        return;
    }
    LookupRequest r;
    r.key = self_;
    r.type = i2np::LookupType::router_info;
    r.purpose = LookupPurpose::verify;
    r.targets = other;
    const auto id = table.start(std::move(r), now, rng, out);
    if (!id) { // table full: cannot check now; the store itself was confirmed
        round_done(true, now);
        return;
    }
    state_ = Verifying{s.floodfill, *id};
}

void Publisher::on_lookup_result(const LookupResult& result, WallTime now, crypto::Rng& rng,
                                 Outbox& out)
{
    const auto* v = std::get_if<Verifying>(&state_);
    if (v == nullptr || result.id != v->lookup) {
        return;
    }
    // An older copy there means ours was not flooded (yet).
    if (result.outcome == LookupOutcome::found && result.published &&
        *result.published >= published_) {
        ++counters_.verified;
        round_done(true, now);
        return;
    }
    ++counters_.verify_failures;
    fail_attempt(now, rng, out);
}

void Publisher::round_done(bool ok, WallTime now)
{
    tried_.clear();
    if (!ok) {
        ++counters_.rounds_failed;
        state_ = Idle{WallTime{now.ms + config_.retry_after_failure.count()}};
        return;
    }
    ++counters_.rounds_succeeded;
    // The keyspace rotates at midnight: publish again to the floodfills of the new key then.
    state_ = Idle{std::min(WallTime{now.ms + config_.interval.count()}, next_utc_midnight(now))};
}

std::optional<WallTime> Publisher::next_deadline() const
{
    if (const auto* idle = std::get_if<Idle>(&state_)) {
        return gzipped_.empty() ? std::nullopt : std::optional(idle->next_publish);
    }
    if (const auto* wait = std::get_if<AwaitingStatus>(&state_)) {
        return wait->deadline;
    }
    if (const auto* pending = std::get_if<AwaitingVerify>(&state_)) {
        return pending->verify_at;
    }
    return std::nullopt;
}

std::optional<IdentHash> Publisher::current_floodfill() const
{
    if (const auto* wait = std::get_if<AwaitingStatus>(&state_)) {
        return wait->floodfill;
    }
    if (const auto* pending = std::get_if<AwaitingVerify>(&state_)) {
        return pending->floodfill;
    }
    if (const auto* v = std::get_if<Verifying>(&state_)) {
        return v->floodfill;
    }
    return std::nullopt;
}

std::optional<WallTime> Publisher::next_publish() const
{
    if (const auto* idle = std::get_if<Idle>(&state_); idle != nullptr && !gzipped_.empty()) {
        return idle->next_publish;
    }
    return std::nullopt;
}

} // namespace umbra::netdb
