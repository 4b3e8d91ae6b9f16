// Shared by the umbra_bench_ntcp2 sources (bench_ntcp2.cpp: engine level and main;
// bench_ntcp2_loopback.cpp: real sockets on 127.0.0.1).
#pragma once
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "contrib/bench/bench.h"

#include <sys/resource.h>

namespace umbra::bench_ntcp2 {

using clock_type = std::chrono::steady_clock;

inline double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

// CPU seconds (user + system) of the whole process (who = RUSAGE_SELF) or of the calling
// thread (RUSAGE_THREAD).
inline double cpu_seconds(int who = RUSAGE_SELF)
{
    rusage u{};
    getrusage(who, &u);
    return double(u.ru_utime.tv_sec) + double(u.ru_utime.tv_usec) / 1e6 +
           double(u.ru_stime.tv_sec) + double(u.ru_stime.tv_usec) / 1e6;
}

// User and system CPU seconds apart (the system part of a loopback transfer is the kernel's TCP
// and syscalls; the user part is the data phase in the process: umbra, OpenSSL, libc, Asio).
struct CpuSplit {
    double user = 0;
    double system = 0;
    CpuSplit operator-(const CpuSplit& o) const { return {user - o.user, system - o.system}; }
};
inline CpuSplit cpu_split(int who = RUSAGE_SELF)
{
    rusage u{};
    getrusage(who, &u);
    return {double(u.ru_utime.tv_sec) + double(u.ru_utime.tv_usec) / 1e6,
            double(u.ru_stime.tv_sec) + double(u.ru_stime.tv_usec) / 1e6};
}

[[noreturn]] inline void die(const char* what)
{
    std::fprintf(stderr, "umbra_bench_ntcp2: %s\n", what);
    std::exit(1);
}

inline bench::Figure rate_figure(std::string name, double seconds, std::size_t ops,
                                 std::size_t bytes)
{
    bench::Figure f{std::move(name), seconds * 1e9 / double(ops), 0, bytes};
    if (bytes) {
        f.mb_per_s = double(bytes) * double(ops) / seconds / 1e6;
    }
    return f;
}

// Loopback parts (bench_ntcp2_loopback.cpp), bounded in time by max_seconds.
void loopback_transfer(std::vector<bench::Figure>& out, double max_seconds, double megabytes);
void loopback_transfer_threads(std::vector<bench::Figure>& out, double max_seconds,
                               double megabytes);
void loopback_plain_tcp(std::vector<bench::Figure>& out, double max_seconds, double megabytes);
void loopback_handshakes(std::vector<bench::Figure>& out, double max_seconds,
                         std::size_t max_count);

} // namespace umbra::bench_ntcp2
