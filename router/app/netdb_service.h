// The daemon's network database service: netdb::NetDbStore (validation, counters) persisted in
// <datadir>/netDb (i2pd's layout, netdb/store/persistence.h), plus just enough I2NP handling to
// prove the transport against other routers: a DatabaseStore with a reply token and reply tunnel 0
// is answered with a DeliveryStatus sent directly to the reply gateway (i2np.rst
// "DatabaseStore"); DeliveryStatus messages are logged. Every RouterInfo stored (added or
// replaced) is written to disk at once, atomically. One owner (the network executor), no locks.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "netdb/reseed/su3.h"
#include "netdb/store/persistence.h"
#include "netdb/store/store.h"
#include "router/data/i2np/database_store.h"
#include "router/data/i2np/delivery.h"
#include "router/transport/transport_manager.h"

namespace umbra::app {

class NetDbService final : public transport::I2npHandler {
public:
    // netdb_dir: where RouterInfos are loaded from and saved to (<datadir>/netDb).
    NetDbService(std::uint8_t net_id, std::filesystem::path netdb_dir, const Clock& clock,
                 crypto::Rng& rng, Logger& log);
    // Replies go through `t`; call before any message can arrive.
    void attach(transport::TransportManager& t) { transport_ = &t; }

    // Loads the RouterInfos of netdb_dir (deleting files that can never load) and logs it.
    netdb::LoadReport load();

    // Stores `ri_bytes` (parsed and validated by the store) and saves it when it is new or newer.
    // Refusals are counted by the store; not_newer is not an error (what we hold is as new).
    Result<void> add(Bytes ri_bytes);
    bool add(const data::RouterInfo& ri) { return add(ri.bytes()).has_value(); }
    const data::RouterInfo* find(const IdentHash& h) const { return store_.find_router_info(h); }
    std::size_t size() const { return store_.size(); }
    const netdb::NetDbStore& store() const { return store_; }
    const std::filesystem::path& dir() const { return dir_; }

    // Sends `peer` a DatabaseStore of `ours` with a fresh reply token (reply tunnel 0, gateway
    // us), so the peer answers with a DeliveryStatus; returns the token.
    std::uint32_t store_to(const IdentHash& peer, const data::RouterInfo& ours);

    void on_i2np(const IdentHash& from, i2np::Message message) override;
    void on_router_info(const IdentHash& from, const data::RouterInfo& ri) override;

private:
    void on_database_store(const IdentHash& from, const i2np::DatabaseStore& store);
    void on_delivery_status(const IdentHash& from, const i2np::DeliveryStatus& status);

    std::filesystem::path dir_;
    const Clock& clock_;
    crypto::Rng& rng_;
    Logger& log_;
    netdb::NetDbStore store_;
    transport::TransportManager* transport_ = nullptr;
    std::unordered_map<std::uint32_t, IdentHash> pending_tokens_; // our stores awaiting status
};

// Reseed certificates: every *.crt and *.pem file of dir, keyed by signer id. The signer id is
// the file name without its extension, with "_at_" replaced by "@" (the naming of the reseed
// certificates shipped by Java I2P and i2pd, e.g. hottuna_at_mail.i2p.crt for hottuna@mail.i2p).
// A missing dir gives no certificates.
reseed::CertMap load_reseed_certs(const std::filesystem::path& dir);

struct ReseedReport {
    std::size_t router_infos = 0; // in the bundle
    std::size_t stored = 0;
    std::size_t rejected = 0;
};

// Reseeds from a local su3 or zip file: opens it with reseed::open_reseed and stores every
// RouterInfo in it. On failure (unreadable, invalid, unsigned, unknown signer) returns nothing
// and sets `error` to a message that says what to do. With verify false an unsigned zip or an
// su3 whose signature cannot be checked is accepted with a warning. certs_dir: for messages.
std::optional<ReseedReport> reseed_from_file(NetDbService& netdb, const std::filesystem::path& file,
                                             const reseed::CertMap& certs,
                                             const std::filesystem::path& certs_dir, bool verify,
                                             std::string& error, Logger& log);

} // namespace umbra::app
