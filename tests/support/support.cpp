#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

namespace umbra::test {

namespace {
int hex_digit(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}
} // namespace

std::vector<std::uint8_t> from_hex(std::string_view hex)
{
    std::vector<std::uint8_t> out;
    int hi = -1;
    for (char c : hex) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':') {
            continue;
        }
        const int d = hex_digit(c);
        if (d < 0) {
            throw std::invalid_argument("bad hex digit in test data");
        }
        if (hi < 0) {
            hi = d;
        } else {
            out.push_back(static_cast<std::uint8_t>(hi << 4 | d));
            hi = -1;
        }
    }
    if (hi >= 0) {
        throw std::invalid_argument("odd number of hex digits in test data");
    }
    return out;
}

std::string to_hex(std::span<const std::uint8_t> bytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

const std::string& Vector::str(const std::string& key) const
{
    auto it = fields.find(key);
    if (it == fields.end()) {
        throw std::out_of_range("vector at line " + std::to_string(line) + " has no " + key);
    }
    return it->second;
}

std::vector<std::uint8_t> Vector::bytes(const std::string& key) const
{
    return from_hex(str(key));
}

std::vector<Vector> load_vectors(const std::string& name)
{
    std::ifstream in("tests/vectors/" + name);
    if (!in) {
        throw std::runtime_error("cannot open tests/vectors/" + name +
                                 " (run from the repository root)");
    }
    std::vector<Vector> out;
    Vector cur;
    std::string line;
    int lineno = 0;
    auto flush = [&] {
        if (!cur.fields.empty()) {
            out.push_back(std::move(cur));
        }
        cur = Vector{};
    };
    while (std::getline(in, line)) {
        ++lineno;
        const std::string t = trim(line);
        if (t.empty()) {
            flush();
            continue;
        }
        if (t[0] == '#') {
            continue;
        }
        const auto eq = t.find('=');
        if (eq == std::string::npos) {
            throw std::runtime_error(name + ":" + std::to_string(lineno) +
                                     ": expected KEY = value");
        }
        if (cur.fields.empty()) {
            cur.line = lineno;
        }
        // A repeated key continues the value (long hex split across lines).
        cur.fields[trim(t.substr(0, eq))] += trim(t.substr(eq + 1));
    }
    flush();
    return out;
}

std::vector<std::uint8_t> read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open " + path);
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace umbra::test
