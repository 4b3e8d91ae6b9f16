// A TLS client connection for Asio coroutines (RFC 8446 / RFC 5246): TLS 1.2 or newer, the
// server's chain verified against a CA file or the system store, the host name checked against
// the certificate (RFC 6125; RFC 5280 iPAddress for IP literals) and sent as SNI (RFC 6066 §3,
// names only). Every operation of a connection ends by one deadline fixed when it is opened.
// The header speaks plain types; OpenSSL and boost/asio/ssl.hpp stay in tls_client.cpp.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "router/base/bytes.h"
#include "router/base/result.h"

namespace umbra::tls {

// Failures a caller may want to tell apart. Transport errors (connection refused, reset) are
// passed through as Asio's error codes.
enum class TlsErrc {
    untrusted_certificate = 1, // the chain does not lead to a trusted CA (or is expired, ...)
    hostname_mismatch,         // the certificate is valid but for another name or address
    handshake_failed,          // protocol version, cipher or alert during the handshake
    timed_out,                 // the connection's deadline passed
    resolve_failed,            // the host name has no address
    bad_ca_file,               // the CA file or folder could not be loaded
};
const boost::system::error_category& tls_category() noexcept;
inline ErrorCode make_error_code(TlsErrc e) noexcept
{
    return {static_cast<int>(e), tls_category()};
}

struct TlsClientConfig {
    // PEM file of trusted CAs; empty: the system store (ca_dir, or OpenSSL's default paths).
    std::filesystem::path ca_file;
    std::filesystem::path ca_dir = "/etc/ssl/certs";
};

using SteadyDeadline = std::chrono::steady_clock::time_point;

class TlsConnection {
public:
    // Resolves host, connects to the first address that answers, and completes the handshake,
    // all before `deadline`; the same deadline bounds every later read and write. host is a DNS
    // name or an IPv4/IPv6 literal (without brackets). Run on one thread (or a strand): the
    // deadline timer closes the socket from the connection's executor. Parameters by value: the
    // coroutine starts after the call returns.
    static boost::asio::awaitable<Result<TlsConnection>>
    connect(boost::asio::any_io_executor ex, std::string host, std::uint16_t port,
            TlsClientConfig config, SteadyDeadline deadline);

    TlsConnection(TlsConnection&&) noexcept;
    TlsConnection& operator=(TlsConnection&&) noexcept;
    ~TlsConnection();

    boost::asio::awaitable<Result<void>> write_all(Bytes data);
    // Reads at least one byte; boost::asio::error::eof when the peer closed cleanly (a TLS
    // close_notify, or a TCP close, which HTTP with a length or chunks can still detect).
    boost::asio::awaitable<Result<std::size_t>> read_some(MutableBytes out);
    // Sends close_notify (bounded by the deadline) and closes the socket.
    boost::asio::awaitable<void> close();

    // The negotiated protocol, e.g. "TLSv1.3".
    std::string protocol() const;

private:
    struct Impl;
    explicit TlsConnection(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> impl_; // shared only with the deadline handler, which holds a weak_ptr
};

} // namespace umbra::tls

template <> struct boost::system::is_error_code_enum<umbra::tls::TlsErrc> : std::true_type {
};
