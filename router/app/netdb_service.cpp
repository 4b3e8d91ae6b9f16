#include "router/app/netdb_service.h"

#include <algorithm>

#include "netdb/profiles/persistence.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

namespace umbra::app {

namespace {

constexpr std::chrono::milliseconds expiry_interval = std::chrono::minutes(1);
constexpr std::chrono::milliseconds profile_save_interval = std::chrono::minutes(30);

netdb::FloodfillConfig floodfill_config(const NetDbOptions& o)
{
    netdb::FloodfillConfig c;
    c.floodfill = o.floodfill;
    return c;
}

const char* outcome_name(netdb::LookupOutcome o)
{
    switch (o) {
    case netdb::LookupOutcome::found:
        return "found";
    case netdb::LookupOutcome::not_found:
        return "not found";
    case netdb::LookupOutcome::timed_out:
        return "timed out";
    case netdb::LookupOutcome::refused:
        return "refused (too many lookups)";
    }
    return "?";
}

} // namespace

NetDbService::NetDbService(NetDbOptions options, const IdentHash& self, const Clock& clock,
                           crypto::Rng& rng, Logger& log)
    : options_(std::move(options)), self_(self), clock_(clock), rng_(rng), log_(log),
      store_(netdb::NetDbConfig{.net_id = options_.net_id, .floodfill = options_.floodfill},
             clock.wall()),
      floodfill_(store_, self_, floodfill_config(options_)),
      client_(store_, self_, options_.client, &profiles_)
{
}

netdb::LoadReport NetDbService::load()
{
    const WallTime now = clock_.wall();
    const auto report = netdb::load_router_infos(options_.netdb_dir, store_, now);
    UMBRA_LOG(log_, info, "netdb",
              "loaded " << report.loaded << " RouterInfos (deleted " << report.deleted
                        << " bad files) from " << options_.netdb_dir.string());
    if (report.kept != 0) {
        UMBRA_LOG(log_, debug, "netdb", report.kept << " RouterInfo files kept but not loaded");
    }
    const auto profiles = netdb::load_profiles(options_.profiles_dir, profiles_, now);
    if (profiles.loaded + profiles.expired + profiles.rejected != 0) {
        UMBRA_LOG(log_, info, "netdb",
                  "loaded " << profiles.loaded << " peer profiles (" << profiles.expired
                            << " expired, " << profiles.rejected << " unusable, deleted)");
    }
    return report;
}

Result<void> NetDbService::add(Bytes ri_bytes)
{
    auto parsed = data::RouterInfo::parse(ri_bytes);
    if (!parsed || ri_bytes.size() > data::max_router_info_size) {
        // The store refuses it too, and counts why.
        const auto refused = store_.store_router_info(ri_bytes, clock_.wall());
        const ErrorCode e = refused ? make_error_code(Errc::invalid_value) : refused.error();
        UMBRA_LOG(log_, debug, "netdb", "RouterInfo refused: " << e.message());
        return e;
    }
    return add(std::move(*parsed));
}

Result<void> NetDbService::add(data::RouterInfo parsed)
{
    const IdentHash hash = parsed.ident_hash();
    const auto outcome = store_.store_router_info(std::move(parsed), clock_.wall());
    if (!outcome) {
        if (outcome.error() == make_error_code(netdb::StoreErrc::not_newer)) {
            return {}; // what we hold is as new
        }
        UMBRA_LOG(log_, debug, "netdb", "RouterInfo refused: " << outcome.error().message());
        return outcome.error();
    }
    const auto* ri = store_.find_router_info(hash);
    if (ri == nullptr) {
        return Errc::invalid_value;
    }
    UMBRA_LOG(log_, debug, "netdb",
              "RouterInfo " << (*outcome == netdb::StoreOutcome::added ? "added: " : "updated: ")
                            << ri->ident_hash().to_base64());
    if (const auto saved = netdb::save_router_info(options_.netdb_dir, *ri); !saved) {
        UMBRA_LOG(log_, warn, "netdb",
                  "cannot save RouterInfo " << ri->ident_hash().to_base64() << " in "
                                            << options_.netdb_dir.string() << ": "
                                            << saved.error().message());
    }
    return {};
}

void NetDbService::start(const data::RouterInfo& ours)
{
    const WallTime now = clock_.wall();
    if (!started_) {
        started_ = true;
        next_expiry_ = WallTime{now.ms + expiry_interval.count()};
        next_profile_save_ = WallTime{now.ms + profile_save_interval.count()};
        send(client_.start(now, rng_));
        UMBRA_LOG(log_, info, "netdb",
                  (options_.floodfill ? "floodfill" : "client")
                      << " role started with " << store_.size() << " routers");
    }
    set_router_info(ours);
}

void NetDbService::set_router_info(const data::RouterInfo& ours)
{
    send(client_.set_router_info(ours.bytes(), ours.published(), clock_.wall(), rng_));
}

void NetDbService::republish_router_info(const data::RouterInfo& ours)
{
    UMBRA_LOG(log_, info, "netdb",
              "republishing our RouterInfo (caps " << ours.options().get("caps").value_or("")
                                                   << ")");
    set_router_info(ours);
}

void NetDbService::introduce_to(const IdentHash& peer, const data::RouterInfo& ours)
{
    constexpr std::size_t max_introductions = 64;
    std::uint32_t token = 0;
    while (token == 0) {
        token = rng_.u32();
    }
    i2np::DatabaseStore store;
    store.key = ours.ident_hash();
    store.entry_type = i2np::DatabaseEntryType::router_info;
    store.reply = i2np::StoreReply{MessageId(token), TunnelId(0), ours.ident_hash()};
    store.data = gzip_compress(ours.bytes());
    const WallTime now = clock_.wall();
    if (introductions_.size() == max_introductions) {
        introductions_.erase(introductions_.begin());
    }
    introductions_.emplace_back(token, peer);
    send({netdb::OutMessage{
        peer,
        {},
        {},
        i2np::make_message(store, MessageId(rng_.u32()), WallTime{now.ms + 60'000})}});
    UMBRA_LOG(log_, info, "netdb",
              "sent DatabaseStore of our RouterInfo to " << peer.to_base64() << ", reply token "
                                                         << token);
}

void NetDbService::lookup(const IdentHash& key, i2np::LookupType type)
{
    auto started = client_.lookup(key, type, clock_.wall(), rng_);
    UMBRA_LOG(log_, info, "netdb", "looking up " << key.to_base64());
    send(std::move(started.out));
    log_results();
}

void NetDbService::on_timer()
{
    const WallTime now = clock_.wall();
    if (!started_) {
        return;
    }
    const auto before = client_.publisher().counters();
    const auto stored = stored_count();
    send(client_.on_timer(now, rng_));
    if (stored_count() != stored) {
        UMBRA_LOG(log_, debug, "netdb", "now " << store_.size() << " routers known");
    }
    const auto& after = client_.publisher().counters();
    if (after.verified != before.verified) {
        UMBRA_LOG(log_, info, "netdb", "publish verified: our RouterInfo is found at a floodfill");
    }
    if (after.rounds_failed != before.rounds_failed) {
        UMBRA_LOG(log_, warn, "netdb",
                  "publishing our RouterInfo failed at every floodfill tried; retrying later");
    }
    log_results();
    if (now.ms >= next_expiry_.ms) {
        next_expiry_ = WallTime{now.ms + expiry_interval.count()};
        expire(now);
    }
    if (now.ms >= next_profile_save_.ms) {
        next_profile_save_ = WallTime{now.ms + profile_save_interval.count()};
        (void)netdb::save_profiles(options_.profiles_dir, profiles_);
    }
}

void NetDbService::expire(WallTime now)
{
    const auto dropped = store_.expire(now);
    for (const auto& h : dropped) {
        (void)netdb::remove_router_info_file(options_.netdb_dir, h);
    }
    if (!dropped.empty()) {
        UMBRA_LOG(log_, info, "netdb",
                  "expired " << dropped.size() << " RouterInfos; " << store_.size() << " left");
    }
    profiles_.expire(now);
}

void NetDbService::stop()
{
    const auto& f = floodfill_.counters();
    const auto& l = client_.table().counters();
    const auto& p = client_.publisher().counters();
    UMBRA_LOG(
        log_, info, "netdb",
        store_.size() << " routers known; stores received " << f.stores_received << " (accepted "
                      << f.stores_accepted << ", rate-limited " << f.stores_rate_limited
                      << "), floods sent " << f.floods_sent << "; lookups received "
                      << f.lookups_received << " (entry " << f.lookups_answered_with_entry
                      << ", peers " << f.lookups_answered_with_peers << ", rate-limited "
                      << f.lookups_rate_limited << "); our lookups " << l.started << " (found "
                      << l.found << ", not found " << l.not_found << ", timed out " << l.timed_out
                      << "); publish confirmed " << p.confirmed << ", verified " << p.verified);
    const auto saved = netdb::save_profiles(options_.profiles_dir, profiles_);
    if (!saved) {
        UMBRA_LOG(log_, warn, "netdb",
                  "cannot save peer profiles in " << options_.profiles_dir.string() << ": "
                                                  << saved.error().message());
    }
}

void NetDbService::save_client_stores()
{
    for (const auto& h : client_.take_stored_router_infos()) {
        if (const auto* ri = store_.find_router_info(h)) {
            (void)netdb::save_router_info(options_.netdb_dir, *ri);
        }
    }
}

void NetDbService::log_results()
{
    save_client_stores();
    for (const auto& r : client_.take_results()) {
        UMBRA_LOG(log_, info, "netdb",
                  "lookup of " << r.key.to_base64() << ": " << outcome_name(r.outcome) << " ("
                               << r.asked << " floodfills asked)");
    }
}

std::uint64_t NetDbService::stored_count() const
{
    const auto& c = store_.counters();
    return c.router_infos_added + c.router_infos_replaced;
}

void NetDbService::persist_if_stored(const IdentHash& key, std::uint64_t stored_before)
{
    if (stored_count() == stored_before) {
        return;
    }
    if (const auto* ri = store_.find_router_info(key)) {
        if (const auto saved = netdb::save_router_info(options_.netdb_dir, *ri); !saved) {
            UMBRA_LOG(log_, warn, "netdb",
                      "cannot save RouterInfo " << key.to_base64() << ": "
                                                << saved.error().message());
        }
    }
}

bool NetDbService::on_netdb_message(const IdentHash& from, const i2np::Message& message)
{
    const auto payload = i2np::parse_payload(message);
    if (!payload) {
        return true; // ours by type, malformed: dropped (the parse error is the peer's)
    }
    const WallTime now = clock_.wall();
    if (const auto* store = std::get_if<i2np::DatabaseStore>(&*payload)) {
        on_store(from, *store);
    } else if (const auto* lookup = std::get_if<i2np::DatabaseLookup>(&*payload)) {
        const auto answered = floodfill_.counters().lookups_answered_with_entry;
        send(floodfill_.on_database_lookup(from, *lookup, now, rng_));
        UMBRA_LOG(log_, debug, "netdb",
                  "DatabaseLookup for "
                      << lookup->key.to_base64() << " from " << from.to_base64()
                      << (floodfill_.counters().lookups_answered_with_entry != answered
                              ? ": answered with the entry"
                              : ""));
    } else if (const auto* reply = std::get_if<i2np::DatabaseSearchReply>(&*payload)) {
        auto handled = client_.on_search_reply(from, *reply, now, rng_);
        send(std::move(handled.out));
    } else if (const auto* status = std::get_if<i2np::DeliveryStatus>(&*payload)) {
        const auto confirmed = client_.publisher().counters().confirmed;
        auto handled = client_.on_delivery_status(from, *status, now, rng_);
        send(std::move(handled.out));
        const auto intro = std::find(introductions_.begin(), introductions_.end(),
                                     std::pair{status->acked_id.value(), from});
        const bool introduced = intro != introductions_.end();
        if (introduced) {
            introductions_.erase(intro);
            handled.consumed = true;
        }
        if (client_.publisher().counters().confirmed != confirmed || introduced) {
            UMBRA_LOG(log_, info, "netdb",
                      "received DeliveryStatus " << status->acked_id.value() << " from "
                                                 << from.to_base64()
                                                 << " (confirms our DatabaseStore)");
        }
        return handled.consumed;
    }
    log_results();
    return true;
}

void NetDbService::record_peer(const IdentHash& peer, netdb::PeerEvent event)
{
    profiles_.record(peer, event, clock_.wall());
}

void NetDbService::on_store(const IdentHash& from, const i2np::DatabaseStore& store)
{
    const WallTime now = clock_.wall();
    const auto before = stored_count();
    auto handled = client_.on_database_store(from, store, now, rng_);
    send(std::move(handled.out));
    std::uint64_t flooded = 0;
    if (!handled.consumed) {
        const auto statuses = floodfill_.counters().delivery_statuses_sent;
        const auto floods = floodfill_.counters().floods_sent;
        send(floodfill_.on_database_store(from, store, now, rng_));
        flooded = floodfill_.counters().floods_sent - floods;
        if (floodfill_.counters().delivery_statuses_sent != statuses) {
            UMBRA_LOG(log_, info, "netdb",
                      "answered DatabaseStore with DeliveryStatus "
                          << store.reply->token.value() << " to "
                          << store.reply->gateway.to_base64());
        }
    }
    if (stored_count() != before || flooded != 0) {
        UMBRA_LOG(log_, info, "netdb",
                  "DatabaseStore of "
                      << store.key.to_base64() << " from " << from.to_base64()
                      << (stored_count() != before ? ": stored" : ": known")
                      << (handled.consumed ? " (answer to our lookup)" : "")
                      << (flooded != 0 ? ", flooded to " : "")
                      << (flooded != 0 ? std::to_string(flooded) + " floodfills" : std::string()));
    }
    persist_if_stored(store.key, before);
}

void NetDbService::on_peer_router_info(const IdentHash& from, const data::RouterInfo& ri)
{
    const auto before = stored_count();
    if (add(ri)) {
        if (stored_count() != before) {
            floodfill_.note_unflooded(ri.ident_hash());
        }
        UMBRA_LOG(log_, info, "netdb",
                  "RouterInfo of " << ri.ident_hash().to_base64() << " received from "
                                   << from.to_base64());
    }
}

void NetDbService::on_peer_session(const IdentHash& peer, bool up)
{
    if (up) {
        profiles_.record(peer, netdb::PeerEvent::connected, clock_.wall());
    }
}

void NetDbService::on_peer_unreachable(const IdentHash& peer)
{
    // Unreachable for a while: not picked for tunnels (PeerProfiles "recently unreachable").
    profiles_.record(peer, netdb::PeerEvent::connect_failed, clock_.wall());
}

void NetDbService::send(netdb::Outbox out)
{
    if (!sender_) {
        return;
    }
    for (auto& m : out) {
        sender_(std::move(m));
    }
}

} // namespace umbra::app
