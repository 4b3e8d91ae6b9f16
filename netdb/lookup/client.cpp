#include "netdb/lookup/client.h"

#include <utility>

namespace umbra::netdb {

NetDbClient::NetDbClient(NetDbStore& db, const IdentHash& self, ClientConfig config,
                         PeerProfiles* profiles)
    : table_(db, self, config.lookup, profiles), explorer_(db, self, config.explore),
      publisher_(db, self, config.publish, profiles)
{
}

Outbox NetDbClient::start(WallTime now, crypto::Rng& rng)
{
    explorer_.start(now);
    return on_timer(now, rng);
}

Outbox NetDbClient::set_router_info(std::span<const std::uint8_t> bytes, WallTime published,
                                    WallTime now, crypto::Rng& rng)
{
    publisher_.set_router_info({bytes.begin(), bytes.end()}, published, now);
    Outbox out;
    publisher_.on_timer(now, rng, table_, out);
    dispatch(now, rng, out);
    return out;
}

NetDbClient::Started NetDbClient::lookup(const IdentHash& key, i2np::LookupType type, WallTime now,
                                         crypto::Rng& rng)
{
    Started s;
    LookupRequest r;
    r.key = key;
    r.type = type;
    s.id = table_.start(std::move(r), now, rng, s.out);
    if (!s.id) {
        LookupResult refused;
        refused.key = key;
        refused.type = type;
        refused.purpose = LookupPurpose::client;
        refused.outcome = LookupOutcome::refused;
        push_result(refused);
    }
    dispatch(now, rng, s.out);
    return s;
}

Handled NetDbClient::on_database_store(const IdentHash& from, const i2np::DatabaseStore& store,
                                       WallTime now, crypto::Rng& rng)
{
    Handled h;
    h.consumed = table_.on_database_store(from, store, now, rng, h.out);
    dispatch(now, rng, h.out);
    return h;
}

Handled NetDbClient::on_search_reply(const IdentHash& from, const i2np::DatabaseSearchReply& reply,
                                     WallTime now, crypto::Rng& rng)
{
    Handled h;
    h.consumed = table_.on_search_reply(from, reply, now, rng, h.out);
    dispatch(now, rng, h.out);
    return h;
}

Handled NetDbClient::on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status,
                                        WallTime now, crypto::Rng& /*rng*/)
{
    Handled h;
    h.consumed = publisher_.on_delivery_status(from, status, now);
    return h;
}

Outbox NetDbClient::on_timer(WallTime now, crypto::Rng& rng)
{
    Outbox out;
    table_.on_timer(now, rng, out);
    dispatch(now, rng, out);
    explorer_.on_timer(now, rng, table_, out);
    publisher_.on_timer(now, rng, table_, out);
    dispatch(now, rng, out);
    return out;
}

// Routes finished lookups: verifications to the publisher (which may start another attempt,
// hence the loop), the owner's to results_. Fetches and explorations only had to store.
void NetDbClient::dispatch(WallTime now, crypto::Rng& rng, Outbox& out)
{
    for (auto finished = table_.take_results(); !finished.empty();
         finished = table_.take_results()) {
        for (const auto& r : finished) {
            const bool stored = r.outcome == LookupOutcome::found &&
                                r.type != i2np::LookupType::lease_set &&
                                r.purpose != LookupPurpose::verify; // verify does not keep
            if (stored && stored_.size() < max_stored) {
                stored_.push_back(r.key);
            }
            if (r.purpose == LookupPurpose::verify) {
                publisher_.on_lookup_result(r, now, rng, out);
            } else if (r.purpose == LookupPurpose::client) {
                push_result(r);
            }
        }
    }
}

void NetDbClient::push_result(const LookupResult& r)
{
    if (results_.size() >= max_results) { // the owner is not polling: keep the newest
        results_.erase(results_.begin());
    }
    results_.push_back(r);
}

std::optional<WallTime> NetDbClient::next_deadline() const
{
    std::optional<WallTime> next;
    for (const auto& t :
         {table_.next_deadline(), explorer_.next_deadline(), publisher_.next_deadline()}) {
        if (t && (!next || *t < *next)) {
            next = t;
        }
    }
    return next;
}

std::vector<IdentHash> NetDbClient::take_stored_router_infos()
{
    return std::exchange(stored_, {});
}

std::vector<LookupResult> NetDbClient::take_results()
{
    return std::exchange(results_, {});
}

} // namespace umbra::netdb
