// A fresh directory under the system temp dir, removed with everything in it at scope exit.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace umbra::test {

struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "umbra-test")
    {
        std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
        if (::mkdtemp(t.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path = t;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

} // namespace umbra::test
