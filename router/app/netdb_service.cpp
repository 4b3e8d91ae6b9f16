#include "router/app/netdb_service.h"

#include <algorithm>

#include "netdb/reseed/reseed.h"
#include "router/base/file.h"
#include "router/base/gzip.h"
#include "router/data/i2np/payload.h"

namespace umbra::app {

namespace {

constexpr std::int64_t message_lifetime_ms = 60'000;

std::uint32_t nonzero_u32(crypto::Rng& rng)
{
    for (;;) {
        if (const auto v = rng.u32(); v != 0) {
            return v;
        }
    }
}

} // namespace

NetDbService::NetDbService(std::uint8_t net_id, std::filesystem::path netdb_dir, const Clock& clock,
                           crypto::Rng& rng, Logger& log)
    : dir_(std::move(netdb_dir)), clock_(clock), rng_(rng), log_(log),
      store_(netdb::NetDbConfig{.net_id = net_id}, clock.wall())
{
}

netdb::LoadReport NetDbService::load()
{
    const auto report = netdb::load_router_infos(dir_, store_, clock_.wall());
    UMBRA_LOG(log_, info, "netdb",
              "loaded " << report.loaded << " RouterInfos (deleted " << report.deleted
                        << " bad files) from " << dir_.string());
    if (report.kept != 0) {
        UMBRA_LOG(log_, debug, "netdb", report.kept << " RouterInfo files kept but not loaded");
    }
    return report;
}

Result<void> NetDbService::add(Bytes ri_bytes)
{
    const auto outcome = store_.store_router_info(ri_bytes, clock_.wall());
    if (!outcome) {
        if (outcome.error() == make_error_code(netdb::StoreErrc::not_newer)) {
            return {}; // what we hold is as new
        }
        UMBRA_LOG(log_, debug, "netdb", "RouterInfo refused: " << outcome.error().message());
        return outcome.error();
    }
    const auto parsed = data::RouterInfo::parse(ri_bytes); // the store just parsed it too
    const auto* ri = parsed ? store_.find_router_info(parsed->ident_hash()) : nullptr;
    if (ri == nullptr) {
        return Errc::invalid_value;
    }
    UMBRA_LOG(log_, debug, "netdb",
              "RouterInfo " << (*outcome == netdb::StoreOutcome::added ? "added: " : "updated: ")
                            << ri->ident_hash().to_base64());
    if (const auto saved = netdb::save_router_info(dir_, *ri); !saved) {
        UMBRA_LOG(log_, warn, "netdb",
                  "cannot save RouterInfo " << ri->ident_hash().to_base64() << " in "
                                            << dir_.string() << ": " << saved.error().message());
    }
    return {};
}

std::uint32_t NetDbService::store_to(const IdentHash& peer, const data::RouterInfo& ours)
{
    const std::uint32_t token = nonzero_u32(rng_);
    i2np::DatabaseStore store;
    store.key = ours.ident_hash();
    store.entry_type = i2np::DatabaseEntryType::router_info;
    store.reply = i2np::StoreReply{MessageId(token), TunnelId(0), ours.ident_hash()};
    store.data = gzip_compress(ours.bytes());
    const WallTime expires{clock_.wall().ms + message_lifetime_ms};
    pending_tokens_[token] = peer;
    transport_->send(peer, i2np::make_message(store, MessageId(nonzero_u32(rng_)), expires));
    UMBRA_LOG(log_, info, "netdb",
              "sent DatabaseStore of our RouterInfo to " << peer.to_base64() << ", reply token "
                                                         << token);
    return token;
}

void NetDbService::on_i2np(const IdentHash& from, i2np::Message message)
{
    const auto payload = i2np::parse_payload(message);
    if (!payload) {
        UMBRA_LOG(log_, debug, "netdb",
                  "unparsable I2NP type " << int(message.type) << " from " << from.to_base64());
        return;
    }
    if (const auto* store = std::get_if<i2np::DatabaseStore>(&*payload)) {
        on_database_store(from, *store);
    } else if (const auto* status = std::get_if<i2np::DeliveryStatus>(&*payload)) {
        on_delivery_status(from, *status);
    } else {
        UMBRA_LOG(log_, debug, "netdb",
                  "I2NP type " << int(message.type) << " from " << from.to_base64()
                               << " not handled yet");
    }
}

void NetDbService::on_database_store(const IdentHash& from, const i2np::DatabaseStore& store)
{
    if (store.entry_type == i2np::DatabaseEntryType::router_info) {
        const auto raw = gzip_decompress(store.data, data::max_router_info_size);
        const auto ri = raw ? data::RouterInfo::parse(*raw) : Result<data::RouterInfo>(raw.error());
        const bool ok = ri && ri->ident_hash() == store.key && add(*raw).has_value();
        UMBRA_LOG(log_, info, "netdb",
                  "DatabaseStore of RouterInfo " << store.key.to_base64() << " from "
                                                 << from.to_base64()
                                                 << (ok ? ": stored" : ": invalid, dropped"));
    }
    if (!store.reply) {
        return;
    }
    if (store.reply->tunnel.value() != 0) { // needs tunnels: a later release
        UMBRA_LOG(log_, debug, "netdb", "reply through a tunnel not possible yet; no answer");
        return;
    }
    const WallTime now = clock_.wall();
    const i2np::DeliveryStatus status{store.reply->token, now};
    transport_->send(store.reply->gateway,
                     i2np::make_message(status, MessageId(nonzero_u32(rng_)),
                                        WallTime{now.ms + message_lifetime_ms}));
    UMBRA_LOG(log_, info, "netdb",
              "answered DatabaseStore with DeliveryStatus " << store.reply->token.value() << " to "
                                                            << store.reply->gateway.to_base64());
}

void NetDbService::on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status)
{
    const auto it = pending_tokens_.find(status.acked_id.value());
    const bool ours = it != pending_tokens_.end() && it->second == from;
    if (ours) {
        pending_tokens_.erase(it);
    }
    UMBRA_LOG(log_, info, "netdb",
              "received DeliveryStatus " << status.acked_id.value() << " from " << from.to_base64()
                                         << (ours ? " (confirms our DatabaseStore)" : ""));
}

void NetDbService::on_router_info(const IdentHash& from, const data::RouterInfo& ri)
{
    if (add(ri.bytes())) {
        UMBRA_LOG(log_, info, "netdb",
                  "RouterInfo of " << ri.ident_hash().to_base64() << " received from "
                                   << from.to_base64());
    }
}

namespace {

std::string signer_file_name(std::string id)
{
    for (auto at = id.find('@'); at != std::string::npos; at = id.find('@', at)) {
        id.replace(at, 1, "_at_");
    }
    return id + ".crt";
}

} // namespace

reseed::CertMap load_reseed_certs(const std::filesystem::path& dir)
{
    reseed::CertMap certs;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto& p = entry.path();
        if (!entry.is_regular_file(ec) || (p.extension() != ".crt" && p.extension() != ".pem")) {
            continue;
        }
        auto pem = read_file(p, 64 * 1024);
        if (!pem) {
            continue;
        }
        std::string id = p.stem().string();
        if (id.ends_with(".crt")) { // name.crt.pem
            id.resize(id.size() - 4);
        }
        for (auto at = id.find("_at_"); at != std::string::npos; at = id.find("_at_", at)) {
            id.replace(at, 4, "@");
        }
        certs.insert_or_assign(std::move(id), std::string(pem->begin(), pem->end()));
    }
    return certs;
}

std::optional<ReseedReport> reseed_from_file(NetDbService& netdb, const std::filesystem::path& file,
                                             const reseed::CertMap& certs,
                                             const std::filesystem::path& certs_dir, bool verify,
                                             std::string& error, Logger& log)
{
    const auto bytes = read_file(file, 64 * 1024 * 1024);
    if (!bytes) {
        error = "cannot read reseed file " + file.string() + " (" + bytes.error().message() +
                "); check the path given with reseed.file/reseed.zipfile";
        return std::nullopt;
    }
    auto bundle = reseed::open_reseed(*bytes, certs, verify);
    const auto su3 = reseed::parse_su3(*bytes);
    if (!bundle && verify && su3 && bundle.error() == make_error_code(Errc::bad_signature)) {
        error = "reseed file " + file.string() + " is signed by '" + su3->signer_id +
                "', whose signature does not verify with the certificates in " +
                certs_dir.string() + " (" + std::to_string(certs.size()) +
                " loaded); put that signer's certificate there as " +
                signer_file_name(su3->signer_id) +
                " (or set reseed.certsdir), or set reseed.verify=false to accept it unverified";
        return std::nullopt;
    }
    if (!bundle && verify && !su3 && bundle.error() == make_error_code(Errc::bad_signature)) {
        error = "reseed file " + file.string() +
                " is a zip, which carries no signature; use a signed su3 file, or set "
                "reseed.verify=false to accept it unverified";
        return std::nullopt;
    }
    if (!bundle && verify && su3 && bundle.error() == make_error_code(Errc::unsupported)) {
        error = "reseed file " + file.string() +
                " uses a signature type umbra cannot check yet; "
                "use an RSA-signed su3, or set reseed.verify=false to accept it unverified";
        return std::nullopt;
    }
    if (!bundle) {
        error = "reseed file " + file.string() + " is not a valid su3 reseed file or zip (" +
                bundle.error().message() + "); download it again";
        return std::nullopt;
    }
    if (!verify) {
        if (!su3) {
            UMBRA_LOG(log, warn, "reseed",
                      "using unsigned zip " << file.string() << " (reseed.verify=false)");
        } else if (!reseed::verify_su3(*su3, certs)) {
            UMBRA_LOG(log, warn, "reseed",
                      "signature of " << file.string() << " (signer '" << su3->signer_id
                                      << "') not verified; used anyway (reseed.verify=false)");
        }
    } else if (bundle->verified) {
        UMBRA_LOG(log, info, "reseed",
                  "su3 signature of " << file.string() << " verified (signer '" << bundle->signer_id
                                      << "')");
    }
    ReseedReport report;
    for (const auto& entry : bundle->router_infos) {
        ++report.router_infos;
        if (netdb.add(entry.second)) {
            ++report.stored;
        } else {
            ++report.rejected;
        }
    }
    UMBRA_LOG(log, info, "reseed",
              "reseed: " << report.router_infos << " RouterInfos from " << file.string() << ", "
                         << report.stored << " stored, " << report.rejected << " rejected");
    return report;
}

} // namespace umbra::app
