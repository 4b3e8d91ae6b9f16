// I2P base64 (RFC 4648 with '-' and '~' in place of '+' and '/', '=' padding) and base32 (RFC
// 4648 alphabet in lower case, no padding), as used for destinations, hashes and .b32.i2p names
// (common-structures.rst, naming.html).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "router/base/result.h"

namespace umbra {

std::string base64_encode(std::span<const std::uint8_t> data);
// Rejects characters outside the I2P alphabet, bad padding and non-zero trailing bits.
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text);

std::string base32_encode(std::span<const std::uint8_t> data);
// Case-insensitive; rejects characters outside the alphabet.
Result<std::vector<std::uint8_t>> base32_decode(std::string_view text);

} // namespace umbra
