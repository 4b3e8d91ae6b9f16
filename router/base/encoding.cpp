#include "router/base/encoding.h"

#include <array>

namespace umbra {

namespace {

// RFC 4648 §4 with '-' for '+' and '~' for '/': I2P's alphabet (net.i2p.data.Base64, i2pd
// Base.cpp), chosen so destinations are safe in URLs and file names.
constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
// RFC 4648 §6 in lower case, as in .b32.i2p names (naming.html "Base32 Names").
constexpr char base32_alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

constexpr std::uint8_t invalid = 0xff;

// Character -> value tables. The base32 table maps both cases (base32_decode is
// case-insensitive); '=' is not in either table, so padding is handled by the callers.
constexpr std::array<std::uint8_t, 256> make_table(const char* alphabet, int size, bool fold_case)
{
    std::array<std::uint8_t, 256> t{};
    t.fill(invalid);
    for (int i = 0; i < size; ++i) {
        const auto c = static_cast<unsigned char>(alphabet[i]);
        t[c] = std::uint8_t(i);
        if (fold_case && c >= 'a' && c <= 'z') {
            t[c - 'a' + 'A'] = std::uint8_t(i);
        }
    }
    return t;
}

constexpr auto base64_table = make_table(base64_alphabet, 64, false);
constexpr auto base32_table = make_table(base32_alphabet, 32, true);

// The number of '=' at the end of a base64 text (0, 1 or 2 are valid; more is reported as is).
std::size_t base64_padding(std::string_view text)
{
    std::size_t n = 0;
    while (n < text.size() && text[text.size() - 1 - n] == '=') {
        ++n;
    }
    return n;
}

// Symbols of Width bits (6: base64, 5: base32) -> bytes, most significant bit first. Every
// character must be in the table, and the bits left over after the last whole byte must be
// zero, so each byte string has exactly one accepted text.
template <int Width>
Result<std::vector<std::uint8_t>> unpack(std::string_view text,
                                         const std::array<std::uint8_t, 256>& table)
{
    std::vector<std::uint8_t> out;
    out.reserve(text.size() * Width / 8);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const char c : text) {
        const std::uint8_t v = table[static_cast<unsigned char>(c)];
        if (v == invalid) {
            return Errc::bad_encoding;
        }
        acc = (acc << Width | v) & 0xfff; // at most 7 + Width bits are ever pending
        bits += Width;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(std::uint8_t(acc >> bits));
        }
    }
    if ((acc & ((1u << bits) - 1)) != 0) {
        return Errc::bad_encoding;
    }
    return out;
}

} // namespace

std::string base64_encode(std::span<const std::uint8_t> data)
{
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v = std::uint32_t(data[i]) << 16 | data[i + 1] << 8 | data[i + 2];
        out.push_back(base64_alphabet[v >> 18]);
        out.push_back(base64_alphabet[(v >> 12) & 63]);
        out.push_back(base64_alphabet[(v >> 6) & 63]);
        out.push_back(base64_alphabet[v & 63]);
    }
    const std::size_t rest = data.size() - i;
    if (rest > 0) {
        const std::uint32_t v = std::uint32_t(data[i]) << 16 | (rest == 2 ? data[i + 1] << 8 : 0);
        out.push_back(base64_alphabet[v >> 18]);
        out.push_back(base64_alphabet[(v >> 12) & 63]);
        out.push_back(rest == 2 ? base64_alphabet[(v >> 6) & 63] : '=');
        out.push_back('=');
    }
    return out;
}

// Strict: the length is a multiple of 4, '=' appears only as one or two final characters, and
// the bits below the last full byte are zero (RFC 4648 §3.5), so every byte string has exactly
// one accepted text. Identities and hashes are compared by text in address books.
Result<std::vector<std::uint8_t>> base64_decode(std::string_view text)
{
    if (text.size() % 4 != 0) {
        return Errc::bad_encoding;
    }
    const std::size_t pad = base64_padding(text);
    if (pad > 2) {
        return Errc::bad_encoding;
    }
    return unpack<6>(text.substr(0, text.size() - pad), base64_table);
}

std::string base32_encode(std::span<const std::uint8_t> data)
{
    std::string out;
    out.reserve((data.size() * 8 + 4) / 5);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const std::uint8_t b : data) {
        acc = (acc << 8 | b) & 0xfff; // at most 4 + 8 bits are ever pending
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(base32_alphabet[(acc >> bits) & 31]);
        }
    }
    if (bits > 0) {
        out.push_back(base32_alphabet[(acc << (5 - bits)) & 31]);
    }
    return out;
}

// Without padding, a final group of 1, 3 or 6 characters cannot come from whole bytes; unused
// final bits must be zero ("Any unused bits at the end of the b32 must be 0", naming.html).
Result<std::vector<std::uint8_t>> base32_decode(std::string_view text)
{
    const std::size_t tail = text.size() % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
        return Errc::bad_encoding;
    }
    return unpack<5>(text, base32_table);
}

} // namespace umbra
