// RouterAddress (common-structures.rst, "RouterAddress").
#pragma once
#include <cstdint>
#include <string>

#include "router/data/mapping.h"

namespace umbra::data {

inline constexpr std::string_view ntcp2_style = "NTCP2";
inline constexpr std::string_view ssu2_style = "SSU2";

struct RouterAddress {
    std::uint8_t cost = 0;
    // A Date in ms. "Routers MUST set this field to all zeros": parse keeps what it read (the
    // signature covers it); RouterInfo::create refuses a non-zero value.
    std::uint64_t expiration = 0;
    std::string transport_style;
    Mapping options;

    static Result<RouterAddress> parse(ByteReader& in);
    void write(ByteWriter& out) const;

    std::optional<std::string_view> option(std::string_view key) const { return options.get(key); }

    bool operator==(const RouterAddress&) const = default;
};

} // namespace umbra::data
