// gzip (RFC 1952) via zlib, for DatabaseStore RouterInfos, streaming and su3 content. The output
// of decompression is capped: a small bomb must not become unbounded memory.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "router/base/result.h"

namespace umbra {

std::vector<std::uint8_t> gzip_compress(std::span<const std::uint8_t> data, int level = 6);
// Errc::bad_encoding on malformed input or trailing garbage, Errc::too_large if the output would
// exceed max_output bytes.
Result<std::vector<std::uint8_t>> gzip_decompress(std::span<const std::uint8_t> data,
                                                  std::size_t max_output);

} // namespace umbra
