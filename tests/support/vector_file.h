// Loader for test-vector files in tests/vectors/ (BoringSSL style):
//   # comment
//   KEY = value          (hex for byte fields; the file decides)
//   <blank line>         ends one vector
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace umbra::test {

struct Vector {
    std::map<std::string, std::string> fields;
    int line = 0; // line of the first field, for error messages

    const std::string& str(const std::string& key) const;          // throws if missing
    std::vector<std::uint8_t> bytes(const std::string& key) const; // hex-decoded
    bool has(const std::string& key) const { return fields.count(key) != 0; }
};

// Reads tests/vectors/<name> relative to the working directory (CTest runs from the repo root).
std::vector<Vector> load_vectors(const std::string& name);

// Reads a whole file (relative to the repo root) as bytes; throws if it cannot be read.
std::vector<std::uint8_t> read_file(const std::string& path);

} // namespace umbra::test
