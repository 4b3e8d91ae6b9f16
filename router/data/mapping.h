// Mapping (common-structures.rst, "Mapping"): a 2-byte size, then key=value; pairs of Strings.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "router/base/bytes.h"

namespace umbra::data {

inline constexpr std::size_t max_string_size = 255;    // "String": length byte limit
inline constexpr std::size_t max_mapping_size = 65535; // bytes after the size field

// Key order on the wire. Every Mapping in a signed structure (RouterAddress, RouterInfo,
// LeaseSet2 options, I2CP SessionConfig) "must be sorted by key" so the signature is invariant,
// so those parsers require it; `any` is for unsigned uses. Either way duplicates are rejected.
enum class KeyOrder { sorted, any };

// Entries are always held sorted by key and written sorted. The order is byte-wise (code point
// order for UTF-8). The spec names Java's String.compareTo() (UTF-16 code units); the two differ
// only where keys first differ at a character above U+FFFF against one in U+E000..U+FFFF, and
// every key in use is ASCII.
class Mapping {
public:
    using Entry = std::pair<std::string, std::string>;

    Mapping() = default;

    // Errc::invalid_value for a missing '=' or ';', a duplicate key, or (KeyOrder::sorted) a key
    // out of order.
    static Result<Mapping> parse(ByteReader& in, KeyOrder order = KeyOrder::sorted);
    void write(ByteWriter& out) const;
    // Size on the wire, with the 2-byte size field.
    std::size_t wire_size() const { return 2 + body_size_; }

    // Inserts or replaces. Errc::too_large when a string exceeds 255 bytes or the mapping would
    // exceed 65535 bytes.
    Result<void> set(std::string_view key, std::string_view value);
    std::optional<std::string_view> get(std::string_view key) const;
    bool erase(std::string_view key);

    const std::vector<Entry>& entries() const { return entries_; }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

    bool operator==(const Mapping& o) const { return entries_ == o.entries_; }

private:
    std::vector<Entry> entries_;
    std::size_t body_size_ = 0;
};

} // namespace umbra::data
