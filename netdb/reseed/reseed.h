// A reseed bundle (reseed.html; updates.rst, "SU3 Reseed File Specification"): an su3 file of
// content type reseed holding a zip of routerInfo-<hash>.dat files, or a bare zip a user supplied.
// Each RouterInfo returned is unparsed bytes: the netdb parses and validates it like any store.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "netdb/reseed/su3.h"
#include "netdb/reseed/zip.h"

namespace umbra::reseed {

struct ReseedBundle {
    ZipEntries router_infos; // (file name, RouterInfo bytes)
    std::string version;     // su3 version (seconds since the epoch, ASCII); empty for a zip
    std::string signer_id;   // empty for a zip
    bool verified = false;   // the su3 signature was checked
};

// "routerInfo-" + at least one character + ".dat", at the top level.
bool is_router_info_name(std::string_view name);

// su3_or_zip starts with "I2Psu3" or is a zip. An su3 must be content type reseed and file type
// zip (Errc::invalid_value otherwise); with verify its signature must check against certs. A bare
// zip carries no signature, so it is refused (Errc::bad_signature) when verify is set. Entries
// not named like a RouterInfo are skipped without being inflated.
Result<ReseedBundle> open_reseed(Bytes su3_or_zip, const CertMap& certs, bool verify,
                                 const ZipLimits& limits = {});

} // namespace umbra::reseed
