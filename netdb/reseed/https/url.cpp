#include "netdb/reseed/https/url.h"

#include <algorithm>
#include <charconv>

#include "router/base/bytes.h"

namespace umbra::reseed {

namespace {

bool is_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
}

bool is_v6_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
           c == '.';
}

bool iequals_prefix(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
           });
}

// authority = host [":" port], host = name | IPv4 | "[" IPv6 "]" (RFC 3986 §3.2).
Result<void> parse_authority(std::string_view auth, ReseedUrl& out)
{
    std::string_view port;
    if (!auth.empty() && auth.front() == '[') {
        const auto close = auth.find(']');
        if (close == std::string_view::npos || close < 3) {
            return Errc::invalid_value;
        }
        out.host = std::string(auth.substr(1, close - 1));
        if (!std::all_of(out.host.begin(), out.host.end(), is_v6_char)) {
            return Errc::invalid_value;
        }
        auth.remove_prefix(close + 1);
        if (!auth.empty() && auth.front() != ':') {
            return Errc::invalid_value;
        }
        port = auth.empty() ? auth : auth.substr(1);
    } else {
        const auto colon = auth.find(':');
        out.host = std::string(auth.substr(0, colon));
        port = colon == std::string_view::npos ? std::string_view{} : auth.substr(colon + 1);
        if (out.host.empty() || !std::all_of(out.host.begin(), out.host.end(), is_host_char)) {
            return Errc::invalid_value;
        }
        if (colon != std::string_view::npos && port.empty()) {
            return Errc::invalid_value;
        }
    }
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535) {
            return Errc::invalid_value;
        }
        out.port = static_cast<std::uint16_t>(value);
    }
    return {};
}

} // namespace

std::string ReseedUrl::host_header() const
{
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == 443 ? h : h + ":" + std::to_string(port);
}

std::string ReseedUrl::to_string() const
{
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return "https://" + h + ":" + std::to_string(port) + target;
}

Result<ReseedUrl> parse_reseed_url(std::string_view url, unsigned net_id)
{
    constexpr std::string_view scheme = "https://";
    if (!iequals_prefix(url, scheme)) {
        return Errc::invalid_value;
    }
    url.remove_prefix(scheme.size());
    if (url.find_first_of("?#@ \t\r\n") != std::string_view::npos) {
        return Errc::invalid_value;
    }
    const auto slash = url.find('/');
    ReseedUrl out;
    UMBRA_TRY_VOID(parse_authority(url.substr(0, slash), out));
    std::string path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    constexpr std::string_view su3 = ".su3";
    if (path.size() < su3.size() || path.compare(path.size() - su3.size(), su3.size(), su3) != 0) {
        if (path.back() != '/') {
            path += '/';
        }
        path += "i2pseeds.su3";
    }
    out.target = path + "?netid=" + std::to_string(net_id);
    return out;
}

} // namespace umbra::reseed
