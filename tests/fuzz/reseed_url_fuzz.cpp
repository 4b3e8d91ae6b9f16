// Reseed URLs: whatever parses has a host, a port, and a target of the required shape, and
// parses again to the same fields from its own https:// form.
#include <cstdlib>
#include <string>
#include <string_view>

#include "netdb/reseed/https/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto url = umbra::reseed::parse_reseed_url(text, 99);
    if (!url) {
        return 0;
    }
    const std::string suffix = "?netid=99";
    if (url->host.empty() || url->port == 0 || url->target.empty() || url->target[0] != '/' ||
        url->target.size() < suffix.size() ||
        url->target.compare(url->target.size() - suffix.size(), suffix.size(), suffix) != 0) {
        std::abort();
    }
    const std::string path = url->target.substr(0, url->target.size() - suffix.size());
    const auto again = umbra::reseed::parse_reseed_url("https://" + url->host_header() + path, 99);
    if (!again || again->host != url->host || again->port != url->port ||
        again->target != url->target) {
        std::abort();
    }
    return 0;
}
