#include "netdb/reseed/reseed.h"

#include <algorithm>

namespace umbra::reseed {

namespace {
constexpr std::string_view su3_magic = "I2Psu3";
constexpr std::string_view name_prefix = "routerInfo-";
constexpr std::string_view name_suffix = ".dat";

bool starts_with_su3_magic(Bytes b)
{
    return b.size() >= su3_magic.size() &&
           std::equal(su3_magic.begin(), su3_magic.end(), b.begin());
}
} // namespace

bool is_router_info_name(std::string_view name)
{
    return name.size() > name_prefix.size() + name_suffix.size() && name.starts_with(name_prefix) &&
           name.ends_with(name_suffix) && name.find('/') == std::string_view::npos &&
           name.find('\\') == std::string_view::npos;
}

Result<ReseedBundle> open_reseed(Bytes su3_or_zip, const CertMap& certs, bool verify,
                                 const ZipLimits& limits)
{
    ReseedBundle bundle;
    Bytes zip = su3_or_zip;
    if (starts_with_su3_magic(su3_or_zip)) {
        UMBRA_TRY(const Su3File su3, parse_su3(su3_or_zip));
        // The content type is the trust domain (updates.rst, "Notes"): a news signer's file is
        // no reseed bundle even if its signature is good.
        if (su3.content_type != Su3ContentType::reseed || su3.file_type != Su3FileType::zip) {
            return Errc::invalid_value;
        }
        if (verify) {
            UMBRA_TRY_VOID(verify_su3(su3, certs));
            bundle.verified = true;
        }
        bundle.version = su3.version;
        bundle.signer_id = su3.signer_id;
        zip = su3.content;
    } else if (verify) {
        return Errc::bad_signature;
    }
    UMBRA_TRY(bundle.router_infos, read_zip(zip, limits, &is_router_info_name));
    return bundle;
}

} // namespace umbra::reseed
