// main() for fuzz targets in builds without libFuzzer (GCC, sanitizer builds): replays every file
// given on the command line, or every file in the directories given, through the target once.
// CTest runs this over tests/fuzz/corpus/<target>/ so every corpus file stays a regression test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
bool replay(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", file.c_str());
        return false;
    }
    std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    return true;
}
} // namespace

int main(int argc, char** argv)
{
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg = argv[i];
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg)) {
                if (entry.is_regular_file()) {
                    if (!replay(entry.path())) {
                        return 1;
                    }
                    ++count;
                }
            }
        } else if (replay(arg)) {
            ++count;
        } else {
            return 1;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "no corpus files replayed\n");
        return 1;
    }
    std::printf("replayed %zu inputs without a crash\n", count);
    return 0;
}
