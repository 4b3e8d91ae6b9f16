// RouterInfo parse + verify figures for umbra_bench.
#pragma once
#include <string>
#include <vector>

#include "contrib/bench/bench.h"

namespace umbra::bench {

// Appends parse, verify and parse+verify figures for the RouterInfo in `path`; false (with a
// message on stderr) if it cannot be read or does not parse and verify.
bool routerinfo(std::vector<Figure>& out, const std::string& path, double seconds);

} // namespace umbra::bench
