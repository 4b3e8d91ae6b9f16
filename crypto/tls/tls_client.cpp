#include "crypto/tls/tls_client.h"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace umbra::tls {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class TlsCategory final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "umbra.tls"; }
    std::string message(int ev) const override
    {
        switch (static_cast<TlsErrc>(ev)) {
        case TlsErrc::untrusted_certificate:
            return "server certificate not trusted";
        case TlsErrc::hostname_mismatch:
            return "server certificate is for another host name";
        case TlsErrc::handshake_failed:
            return "TLS handshake failed";
        case TlsErrc::timed_out:
            return "timed out";
        case TlsErrc::resolve_failed:
            return "host name not resolved";
        case TlsErrc::bad_ca_file:
            return "CA certificates could not be loaded";
        }
        return "unknown TLS error";
    }
};

bool is_ip_literal(const std::string& host)
{
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// TLS 1.2 is the floor (RFC 8996 deprecates 1.0 and 1.1); the peer must present a chain to a
// trusted CA.
Result<void> configure_context(ssl::context& ctx, const TlsClientConfig& config)
{
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    ctx.set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (!config.ca_file.empty()) {
        ctx.load_verify_file(config.ca_file.string(), ec);
    } else if (std::filesystem::is_directory(config.ca_dir)) {
        ctx.add_verify_path(config.ca_dir.string(), ec);
    } else {
        ctx.set_default_verify_paths(ec);
    }
    if (ec) {
        return TlsErrc::bad_ca_file;
    }
    return {};
}

} // namespace

const boost::system::error_category& tls_category() noexcept
{
    static const TlsCategory category;
    return category;
}

struct TlsConnection::Impl {
    Impl(asio::any_io_executor ex, ssl::context ctx_)
        : ctx(std::move(ctx_)), stream(ex, ctx), resolver(ex), timer(ex)
    {
    }
    ssl::context ctx;
    ssl::stream<tcp::socket> stream;
    tcp::resolver resolver;
    asio::steady_timer timer;
    bool expired = false;

    // Closing the socket aborts whatever operation is pending, with operation_aborted.
    static void arm(const std::shared_ptr<Impl>& self, SteadyDeadline deadline)
    {
        self->timer.expires_at(deadline);
        self->timer.async_wait([weak = std::weak_ptr<Impl>(self)](boost::system::error_code ec) {
            auto me = weak.lock();
            if (ec || !me) {
                return;
            }
            me->expired = true;
            me->resolver.cancel();
            boost::system::error_code ignored;
            me->stream.lowest_layer().close(ignored);
        });
    }

    ErrorCode map(ErrorCode ec) const { return expired ? make_error_code(TlsErrc::timed_out) : ec; }

    // RFC 6066 §3: SNI carries DNS names only. The name or address is checked by OpenSSL during
    // chain verification (RFC 6125 for names, no partial wildcards).
    Result<void> set_peer_name(const std::string& host)
    {
        SSL* ssl = stream.native_handle();
        if (is_ip_literal(host)) {
            if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
                return TlsErrc::handshake_failed;
            }
            return {};
        }
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (SSL_set1_host(ssl, host.c_str()) != 1 ||
            SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
            return TlsErrc::handshake_failed;
        }
        return {};
    }

    ErrorCode handshake_error(ErrorCode ec)
    {
        if (expired) {
            return TlsErrc::timed_out;
        }
        const long verify = SSL_get_verify_result(stream.native_handle());
        if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
            return TlsErrc::hostname_mismatch;
        }
        if (verify != X509_V_OK) {
            return TlsErrc::untrusted_certificate;
        }
        if (ec.category() == asio::error::get_ssl_category() || ec == asio::error::eof ||
            ec == ssl::error::stream_truncated) {
            return TlsErrc::handshake_failed;
        }
        return ec;
    }
};

TlsConnection::TlsConnection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsConnection::TlsConnection(TlsConnection&&) noexcept = default;
TlsConnection& TlsConnection::operator=(TlsConnection&&) noexcept = default;
TlsConnection::~TlsConnection() = default;

asio::awaitable<Result<TlsConnection>> TlsConnection::connect(asio::any_io_executor ex,
                                                              std::string host, std::uint16_t port,
                                                              TlsClientConfig config,
                                                              SteadyDeadline deadline)
{
    ssl::context ctx(ssl::context::tls_client);
    if (auto ok = configure_context(ctx, config); !ok) {
        co_return ok.error();
    }
    auto impl = std::make_shared<Impl>(ex, std::move(ctx));
    if (auto ok = impl->set_peer_name(host); !ok) {
        co_return ok.error();
    }
    Impl::arm(impl, deadline);
    const auto flags = is_ip_literal(host) ? tcp::resolver::numeric_host : tcp::resolver::flags{};
    auto [rec, endpoints] =
        co_await impl->resolver.async_resolve(host, std::to_string(port), flags, use_tuple);
    if (rec || endpoints.empty()) {
        co_return impl->expired ? make_error_code(TlsErrc::timed_out)
                                : make_error_code(TlsErrc::resolve_failed);
    }
    auto [cec, endpoint] =
        co_await asio::async_connect(impl->stream.lowest_layer(), endpoints, use_tuple);
    if (cec) {
        co_return impl->map(cec);
    }
    auto [hec] = co_await impl->stream.async_handshake(ssl::stream_base::client, use_tuple);
    if (hec) {
        co_return impl->handshake_error(hec);
    }
    co_return TlsConnection(std::move(impl));
}

asio::awaitable<Result<void>> TlsConnection::write_all(Bytes data)
{
    auto [ec, n] = co_await asio::async_write(impl_->stream, asio::buffer(data.data(), data.size()),
                                              use_tuple);
    if (ec) {
        co_return impl_->map(ec);
    }
    co_return Result<void>{};
}

asio::awaitable<Result<std::size_t>> TlsConnection::read_some(MutableBytes out)
{
    auto [ec, n] =
        co_await impl_->stream.async_read_some(asio::buffer(out.data(), out.size()), use_tuple);
    if (ec == ssl::error::stream_truncated) {
        // The peer closed TCP without close_notify. Many servers do; the caller's framing
        // (Content-Length, chunks) and, for reseeds, the su3 signature catch a cut body.
        ec = asio::error::eof;
    }
    if (ec) {
        co_return impl_->map(ec);
    }
    co_return n;
}

asio::awaitable<void> TlsConnection::close()
{
    // close_notify is a courtesy: wait at most a second for the peer's reply.
    const auto soon = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    if (impl_->timer.expiry() > soon) {
        Impl::arm(impl_, soon);
    }
    co_await impl_->stream.async_shutdown(use_tuple);
    impl_->timer.cancel();
    boost::system::error_code ignored;
    impl_->stream.lowest_layer().close(ignored);
}

std::string TlsConnection::protocol() const
{
    return SSL_get_version(impl_->stream.native_handle());
}

} // namespace umbra::tls
