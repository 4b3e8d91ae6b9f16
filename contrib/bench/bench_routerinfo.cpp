#include "contrib/bench/bench_routerinfo.h"

#include <cstdio>
#include <cstdlib>

#include "router/base/file.h"
#include "router/data/router_info.h"

namespace umbra::bench {

bool routerinfo(std::vector<Figure>& out, const std::string& path, double seconds)
{
    const auto bytes = read_file(path, data::max_router_info_size);
    if (!bytes) {
        std::fprintf(stderr, "cannot read %s (run from the repository root)\n", path.c_str());
        return false;
    }
    const auto ri = data::RouterInfo::parse(*bytes);
    if (!ri || !ri->verify()) {
        std::fprintf(stderr, "%s does not parse and verify\n", path.c_str());
        return false;
    }
    const std::size_t n = bytes->size();
    out.push_back(measure(
        "routerinfo parse (" + std::to_string(n) + " B)", n,
        [&] {
            if (!data::RouterInfo::parse(*bytes)) {
                std::abort();
            }
        },
        seconds));
    out.push_back(measure(
        "routerinfo verify", 0,
        [&] {
            if (!ri->verify()) {
                std::abort();
            }
        },
        seconds));
    out.push_back(measure(
        "routerinfo parse+verify", n,
        [&] {
            auto r = data::RouterInfo::parse(*bytes);
            if (!r || !r->verify()) {
                std::abort();
            }
        },
        seconds));
    return true;
}

} // namespace umbra::bench
