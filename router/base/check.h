// UMBRA_CHECK: a broken invariant aborts loudly, in every build (ARCHITECTURE.md §5).
// Never use it on data from outside the process; parsers return Errc instead.
#pragma once

namespace umbra::detail {
[[noreturn]] void check_failed(const char* expr, const char* file, int line) noexcept;
}

#define UMBRA_CHECK(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) [[unlikely]] {                                                                \
            ::umbra::detail::check_failed(#cond, __FILE__, __LINE__);                              \
        }                                                                                          \
    } while (false)
