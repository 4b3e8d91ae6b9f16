#include "netdb/floodfill/caps.h"

namespace umbra::netdb {

std::string published_caps(std::string_view caps, bool floodfill)
{
    std::string out;
    for (const char c : caps) {
        if (c != 'f') {
            out += c;
        }
    }
    if (floodfill) {
        const auto at = out.find_first_of("RU");
        out.insert(at == std::string::npos ? out.size() : at, 1, 'f');
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> floodfill_options(const NetDbStore& store)
{
    return {{"netdb.knownLeaseSets", std::to_string(store.lease_set_count())},
            {"netdb.knownRouters", std::to_string(store.size())}};
}

} // namespace umbra::netdb
