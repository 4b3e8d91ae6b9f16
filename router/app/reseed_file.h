// Reseeding from local files (reseed.file: su3, reseed.zipfile: zip) and the reseed
// certificates folder (reseed.certsdir).
#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "netdb/reseed/su3.h"
#include "router/app/netdb_service.h"

namespace umbra::app {

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
