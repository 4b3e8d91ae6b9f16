// Hex helpers for tests: hex strings in test vectors become bytes and back.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace umbra::test {

// Decodes a hex string (whitespace ignored). Aborts the test binary on a bad digit.
std::vector<std::uint8_t> from_hex(std::string_view hex);
std::string to_hex(std::span<const std::uint8_t> bytes);

} // namespace umbra::test
