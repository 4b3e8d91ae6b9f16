#include "router/app/reseed_file.h"

#include "netdb/reseed/reseed.h"
#include "router/base/file.h"

namespace umbra::app {

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
