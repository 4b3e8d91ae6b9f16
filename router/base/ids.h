// Strong ids (ARCHITECTURE.md §5): hashes and ids that cannot be mixed up with each other.
#pragma once
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>

namespace umbra {

// A 32-byte SHA-256 identity hash (RouterInfo/Destination "Hash", common-structures.rst).
class IdentHash {
public:
    IdentHash() = default;
    explicit IdentHash(const std::array<std::uint8_t, 32>& b) : bytes_(b) {}
    // Copies 32 bytes; the caller has checked the size.
    static IdentHash from_span(std::span<const std::uint8_t, 32> b)
    {
        IdentHash h;
        std::memcpy(h.bytes_.data(), b.data(), 32);
        return h;
    }

    const std::array<std::uint8_t, 32>& bytes() const { return bytes_; }
    std::span<const std::uint8_t> span() const { return bytes_; }
    bool is_zero() const;

    std::string to_base64() const; // I2P base64, 44 characters
    std::string to_base32() const; // 52 characters, lower case, no padding

    auto operator<=>(const IdentHash&) const = default;

private:
    std::array<std::uint8_t, 32> bytes_{};
};

// Integer ids with distinct types. The Tag only makes the types differ.
template <class Tag, class Int> class StrongId {
public:
    constexpr StrongId() = default;
    constexpr explicit StrongId(Int v) : v_(v) {}
    constexpr Int value() const { return v_; }
    auto operator<=>(const StrongId&) const = default;

private:
    Int v_{};
};

using TunnelId = StrongId<struct TunnelIdTag, std::uint32_t>;   // 0 is reserved (not a tunnel)
using MessageId = StrongId<struct MessageIdTag, std::uint32_t>; // I2NP msg_id

} // namespace umbra

template <> struct std::hash<umbra::IdentHash> {
    std::size_t operator()(const umbra::IdentHash& h) const noexcept
    {
        std::size_t v;
        std::memcpy(&v, h.bytes().data(), sizeof v); // already uniformly distributed
        return v;
    }
};
template <class Tag, class Int> struct std::hash<umbra::StrongId<Tag, Int>> {
    std::size_t operator()(const umbra::StrongId<Tag, Int>& id) const noexcept
    {
        return std::hash<Int>{}(id.value());
    }
};
