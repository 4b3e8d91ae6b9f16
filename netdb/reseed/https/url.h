// Reseed URLs (updates.rst, "SU3 Reseed File Specification" 1; proposal 147): the configured URL
// names a folder (ending in '/') or the su3 file itself; the request asks for
// <folder>/i2pseeds.su3?netid=<our network id>, so a server can refuse another network.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "router/base/result.h"

namespace umbra::reseed {

struct ReseedUrl {
    std::string host; // DNS name or IP literal, IPv6 without brackets
    std::uint16_t port = 443;
    std::string target; // path and query of the GET, e.g. "/i2pseeds.su3?netid=2"

    // The Host header (RFC 9110 §7.2): IPv6 in brackets, the port unless it is 443.
    std::string host_header() const;
    // https://host[:port]/target, for logs.
    std::string to_string() const;
};

// Only https (reseeds are authenticated twice: TLS and the su3 signature). Errc::invalid_value
// for another scheme, user info, an empty or malformed host, a port outside 1-65535, or a query
// or fragment in the configured URL. A path that does not end in ".su3" gets "i2pseeds.su3"
// appended (after a '/' if it lacks one).
Result<ReseedUrl> parse_reseed_url(std::string_view url, unsigned net_id);

} // namespace umbra::reseed
