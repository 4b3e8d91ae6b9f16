#include "router/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace umbra::detail {

void check_failed(const char* expr, const char* file, int line) noexcept
{
    std::fprintf(stderr, "umbra: invariant failed: %s at %s:%d\n", expr, file, line);
    std::abort();
}

} // namespace umbra::detail
