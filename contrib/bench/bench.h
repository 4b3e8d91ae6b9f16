// A tiny benchmark runner: repeats an operation until a time budget is spent and reports ns/op
// and MB/s. Figures are printed next to `openssl speed` by run_bench.sh; nothing here asserts.
#pragma once
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace umbra::bench {

struct Figure {
    std::string name;
    double ns_per_op = 0;
    double mb_per_s = 0; // 0 when the operation has no byte size
    std::size_t bytes = 0;
};

template <class F>
Figure measure(const std::string& name, std::size_t bytes, F&& op, double seconds = 0.5)
{
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < 16; ++i) {
        op(); // warm up
    }
    std::size_t ops = 0;
    std::size_t batch = 1;
    const auto start = clock::now();
    double elapsed = 0;
    while (elapsed < seconds) {
        for (std::size_t i = 0; i < batch; ++i) {
            op();
        }
        ops += batch;
        batch = batch < 4096 ? batch * 2 : batch;
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
    }
    Figure f{name, elapsed * 1e9 / double(ops), 0, bytes};
    if (bytes) {
        f.mb_per_s = double(bytes) * double(ops) / elapsed / 1e6;
    }
    return f;
}

inline void print(const std::vector<Figure>& figures, bool json)
{
    if (json) {
        std::printf("[\n");
        for (std::size_t i = 0; i < figures.size(); ++i) {
            const auto& f = figures[i];
            std::printf(
                "  {\"name\": \"%s\", \"bytes\": %zu, \"ns_per_op\": %.1f, \"mb_per_s\": %.1f}%s\n",
                f.name.c_str(), f.bytes, f.ns_per_op, f.mb_per_s,
                i + 1 < figures.size() ? "," : "");
        }
        std::printf("]\n");
        return;
    }
    std::printf("%-34s %12s %12s\n", "operation", "ns/op", "MB/s");
    for (const auto& f : figures) {
        if (f.bytes) {
            std::printf("%-34s %12.1f %12.1f\n", f.name.c_str(), f.ns_per_op, f.mb_per_s);
        } else {
            std::printf("%-34s %12.1f %12s\n", f.name.c_str(), f.ns_per_op, "-");
        }
    }
}

} // namespace umbra::bench
