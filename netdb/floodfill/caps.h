// What a floodfill publishes in its own RouterInfo (network-database.html, "Expected Options",
// "Floodfill Router Opt-in"): the 'f' caps letter, and the optional netdb.knownLeaseSets and
// netdb.knownRouters counts.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netdb/store/store.h"

namespace umbra::netdb {

// caps with any 'f' removed, then 'f' added before the reachability letter (R/U) when
// floodfill, e.g. ("XR", true) -> "XfR", ("XfR", false) -> "XR".
std::string published_caps(std::string_view caps, bool floodfill);

// The two statistics options "floodfill routers should include in every published RI".
std::vector<std::pair<std::string, std::string>> floodfill_options(const NetDbStore& store);

} // namespace umbra::netdb
