// Tests only: an in-process TLS server on 127.0.0.1 with the fixtures of
// tests/fixtures/reseed/make_test_tls.sh, and a helper that runs one client coroutine to its end.
// Test binaries may include OpenSSL's TLS headers through this file; the libraries never do.
#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

namespace umbra::tls::testing {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

inline const std::string fixtures = "tests/fixtures/reseed/";
inline const std::string test_ca = fixtures + "test-only-tls-ca.crt.pem";
inline const std::string other_ca = fixtures + "test-only-tls-other-ca.crt.pem";

using ServerStream = ssl::stream<tcp::socket>;
// Called after the handshake with the request head (up to and including the blank line).
using Handler = std::function<asio::awaitable<void>(ServerStream&, std::string request)>;

struct ServerOptions {
    std::string cert = fixtures + "test-only-tls-server.crt.pem";
    std::string key = fixtures + "test-only-tls-server.key.pem";
    bool handshake = true;   // false: accept TCP, then never say a word
    int max_tls_version = 0; // e.g. TLS1_1_VERSION; 0: no cap
};

// Serves every connection with `handler` until the io_context stops.
class TestTlsServer {
public:
    TestTlsServer(asio::io_context& io, Handler handler, ServerOptions options = {})
        : ctx_(ssl::context::tls_server), acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}),
          handler_(std::move(handler)), options_(std::move(options))
    {
        ctx_.use_certificate_chain_file(options_.cert);
        ctx_.use_private_key_file(options_.key, ssl::context::pem);
        if (options_.max_tls_version != 0) {
            SSL_CTX_set_security_level(ctx_.native_handle(), 0);
            SSL_CTX_set_max_proto_version(ctx_.native_handle(), options_.max_tls_version);
        }
        asio::co_spawn(io, accept_loop(), asio::detached);
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    std::size_t connections() const { return connections_; }
    const std::vector<std::string>& requests() const { return requests_; }

private:
    asio::awaitable<void> accept_loop()
    {
        for (;;) {
            auto [ec, socket] =
                co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) {
                co_return;
            }
            ++connections_;
            if (!options_.handshake) {
                silent_.push_back(std::move(socket));
                continue;
            }
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> serve(tcp::socket socket)
    {
        ServerStream stream(std::move(socket), ctx_);
        auto [hec] = co_await stream.async_handshake(ssl::stream_base::server,
                                                     asio::as_tuple(asio::use_awaitable));
        if (hec) {
            co_return;
        }
        std::string head;
        auto [rec, n] = co_await asio::async_read_until(
            stream, asio::dynamic_buffer(head), "\r\n\r\n", asio::as_tuple(asio::use_awaitable));
        if (rec) {
            co_return;
        }
        head.resize(n);
        requests_.push_back(head);
        co_await handler_(stream, head);
        co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
    }

    ssl::context ctx_;
    tcp::acceptor acceptor_;
    Handler handler_;
    ServerOptions options_;
    std::size_t connections_ = 0;
    std::vector<std::string> requests_;
    std::vector<tcp::socket> silent_;
};

// A handler that writes `response` (raw HTTP bytes) and returns.
inline Handler respond(std::string response)
{
    return [response](ServerStream& s, std::string) -> asio::awaitable<void> {
        co_await asio::async_write(s, asio::buffer(response), asio::as_tuple(asio::use_awaitable));
    };
}

// Runs `client` on io until it finishes (or a 30 s guard fires, which fails the test by
// returning nothing) and returns its value.
template <class T> std::optional<T> run_client(asio::io_context& io, asio::awaitable<T> client)
{
    std::optional<T> out;
    asio::steady_timer guard(io, std::chrono::seconds(30));
    guard.async_wait([&](boost::system::error_code ec) {
        if (!ec) {
            io.stop();
        }
    });
    asio::co_spawn(io, std::move(client), [&](std::exception_ptr e, T value) {
        if (e) {
            std::rethrow_exception(e);
        }
        out.emplace(std::move(value));
        io.stop();
    });
    io.restart(); // a previous run_client stopped it
    io.run();
    return out;
}

} // namespace umbra::tls::testing
