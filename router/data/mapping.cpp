#include "router/data/mapping.h"

#include <algorithm>

namespace umbra::data {

namespace {

Result<std::string> read_string(ByteReader& in)
{
    UMBRA_TRY(auto s, in.u8_prefixed());
    const Bytes b = s.rest();
    return std::string(b.begin(), b.end());
}

Result<void> expect_byte(ByteReader& in, std::uint8_t want)
{
    UMBRA_TRY(const auto b, in.u8());
    if (b != want) {
        return Errc::invalid_value;
    }
    return {};
}

std::size_t entry_size(std::string_view key, std::string_view value)
{
    return 1 + key.size() + 1 + 1 + value.size() + 1; // len key '=' len value ';'
}

void write_string(ByteWriter& out, std::string_view s)
{
    out.u8(std::uint8_t(s.size()));
    out.str(s);
}

template <class V> auto lower_bound_key(V& entries, std::string_view key)
{
    return std::lower_bound(
        entries.begin(), entries.end(), key,
        [](const Mapping::Entry& e, std::string_view k) { return e.first.compare(k) < 0; });
}

bool has_adjacent_duplicate(const std::vector<Mapping::Entry>& sorted)
{
    return std::adjacent_find(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
               return a.first == b.first;
           }) != sorted.end();
}

} // namespace

Result<Mapping> Mapping::parse(ByteReader& in, KeyOrder order)
{
    UMBRA_TRY(auto body, in.u16_prefixed());
    Mapping m;
    m.body_size_ = body.remaining();
    bool in_order = true;
    while (!body.empty()) {
        UMBRA_TRY(auto key, read_string(body));
        UMBRA_TRY_VOID(expect_byte(body, '='));
        UMBRA_TRY(auto value, read_string(body));
        UMBRA_TRY_VOID(expect_byte(body, ';'));
        const int cmp = m.entries_.empty() ? 1 : key.compare(m.entries_.back().first);
        if (cmp <= 0) {
            if (cmp == 0 || order == KeyOrder::sorted) {
                return Errc::invalid_value;
            }
            in_order = false;
        }
        m.entries_.emplace_back(std::move(key), std::move(value));
    }
    if (!in_order) {
        std::sort(m.entries_.begin(), m.entries_.end(),
                  [](const Entry& a, const Entry& b) { return a.first.compare(b.first) < 0; });
        if (has_adjacent_duplicate(m.entries_)) {
            return Errc::invalid_value;
        }
    }
    return m;
}

void Mapping::write(ByteWriter& out) const
{
    out.u16(std::uint16_t(body_size_));
    for (const auto& [key, value] : entries_) {
        write_string(out, key);
        out.u8('=');
        write_string(out, value);
        out.u8(';');
    }
}

Result<void> Mapping::set(std::string_view key, std::string_view value)
{
    if (key.size() > max_string_size || value.size() > max_string_size) {
        return Errc::too_large;
    }
    auto it = lower_bound_key(entries_, key);
    const bool found = it != entries_.end() && it->first == key;
    const std::size_t old_size = found ? entry_size(it->first, it->second) : 0;
    const std::size_t new_body = body_size_ - old_size + entry_size(key, value);
    if (new_body > max_mapping_size) {
        return Errc::too_large;
    }
    if (found) {
        it->second.assign(value);
    } else {
        entries_.emplace(it, std::string(key), std::string(value));
    }
    body_size_ = new_body;
    return {};
}

std::optional<std::string_view> Mapping::get(std::string_view key) const
{
    auto it = lower_bound_key(entries_, key);
    if (it == entries_.end() || it->first != key) {
        return std::nullopt;
    }
    return std::string_view(it->second);
}

bool Mapping::erase(std::string_view key)
{
    auto it = lower_bound_key(entries_, key);
    if (it == entries_.end() || it->first != key) {
        return false;
    }
    body_size_ -= entry_size(it->first, it->second);
    entries_.erase(it);
    return true;
}

} // namespace umbra::data
