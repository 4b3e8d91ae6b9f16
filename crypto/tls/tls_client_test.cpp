#include <boost/test/unit_test.hpp>

#include "crypto/tls/testing.h"
#include "crypto/tls/tls_client.h"

namespace umbra::tls {
namespace {

using namespace std::chrono_literals;
using namespace testing;

struct Outcome {
    ErrorCode error; // empty on success
    std::string reply;
    std::string protocol;
};

SteadyDeadline in(std::chrono::milliseconds d)
{
    return std::chrono::steady_clock::now() + d;
}

// Connects, sends a request head, reads until the server closes.
asio::awaitable<Outcome> exchange(std::string host, std::uint16_t port, TlsClientConfig config,
                                  SteadyDeadline deadline)
{
    auto ex = co_await asio::this_coro::executor;
    auto conn = co_await TlsConnection::connect(ex, host, port, config, deadline);
    if (!conn) {
        co_return Outcome{conn.error(), {}, {}};
    }
    const std::string req = "GET / HTTP/1.1\r\n\r\n";
    if (auto w = co_await conn->write_all(
            Bytes(reinterpret_cast<const std::uint8_t*>(req.data()), req.size()));
        !w) {
        co_return Outcome{w.error(), {}, {}};
    }
    Outcome out;
    out.protocol = conn->protocol();
    std::array<std::uint8_t, 256> buf{};
    for (int i = 0; i < 100; ++i) {
        auto n = co_await conn->read_some(buf);
        if (!n) {
            if (n.error() != asio::error::eof) {
                out.error = n.error();
            }
            break;
        }
        out.reply.append(reinterpret_cast<const char*>(buf.data()), *n);
    }
    co_await conn->close();
    co_return out;
}

Outcome run(asio::io_context& io, std::string host, std::uint16_t port,
            TlsClientConfig config = {test_ca, {}}, std::chrono::milliseconds timeout = 5000ms)
{
    auto out = run_client(io, exchange(std::move(host), port, std::move(config), in(timeout)));
    BOOST_REQUIRE(out.has_value());
    return *out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tls_client)

BOOST_AUTO_TEST_CASE(talks_to_a_server_whose_chain_and_name_verify)
{
    for (const char* host : {"127.0.0.1", "localhost"}) {
        BOOST_TEST_CONTEXT(host)
        {
            asio::io_context io;
            TestTlsServer server(io, respond("hello"));
            const auto out = run(io, host, server.port());
            BOOST_TEST(out.error.message() == ErrorCode{}.message());
            BOOST_TEST(out.reply == "hello");
            BOOST_TEST((out.protocol == "TLSv1.3" || out.protocol == "TLSv1.2"));
            BOOST_TEST(server.requests().size() == 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_a_chain_from_an_untrusted_ca)
{
    asio::io_context io;
    TestTlsServer server(io, respond("hello"));
    const auto out = run(io, "127.0.0.1", server.port(), {other_ca, {}});
    BOOST_TEST(out.error == make_error_code(TlsErrc::untrusted_certificate));
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(the_system_store_does_not_trust_the_test_ca)
{
    asio::io_context io;
    TestTlsServer server(io, respond("hello"));
    const auto out = run(io, "localhost", server.port(), TlsClientConfig{});
    BOOST_TEST(out.error == make_error_code(TlsErrc::untrusted_certificate));
}

BOOST_AUTO_TEST_CASE(refuses_a_trusted_certificate_for_another_name)
{
    for (const char* host : {"127.0.0.1", "localhost"}) {
        BOOST_TEST_CONTEXT(host)
        {
            asio::io_context io;
            ServerOptions opts;
            opts.cert = fixtures + "test-only-tls-wronghost.crt.pem";
            opts.key = fixtures + "test-only-tls-wronghost.key.pem";
            TestTlsServer server(io, respond("hello"), opts);
            const auto out = run(io, host, server.port());
            BOOST_TEST(out.error == make_error_code(TlsErrc::hostname_mismatch));
            BOOST_TEST(server.requests().empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_tls_1_1)
{
    asio::io_context io;
    ServerOptions opts;
    opts.max_tls_version = TLS1_1_VERSION;
    TestTlsServer server(io, respond("hello"), opts);
    const auto out = run(io, "127.0.0.1", server.port());
    BOOST_TEST(out.error == make_error_code(TlsErrc::handshake_failed));
}

BOOST_AUTO_TEST_CASE(times_out_when_the_server_never_answers)
{
    asio::io_context io;
    ServerOptions opts;
    opts.handshake = false;
    TestTlsServer server(io, respond("hello"), opts);
    const auto start = std::chrono::steady_clock::now();
    const auto out = run(io, "127.0.0.1", server.port(), {test_ca, {}}, 300ms);
    BOOST_TEST(out.error == make_error_code(TlsErrc::timed_out));
    BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
    BOOST_TEST(server.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(times_out_when_the_reply_never_ends)
{
    asio::io_context io;
    TestTlsServer server(io, [](ServerStream& s, std::string) -> asio::awaitable<void> {
        co_await asio::async_write(s, asio::buffer(std::string("partial")),
                                   asio::as_tuple(asio::use_awaitable));
        asio::steady_timer wait(s.get_executor(), 10s);
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    });
    const auto out = run(io, "127.0.0.1", server.port(), {test_ca, {}}, 500ms);
    BOOST_TEST(out.error == make_error_code(TlsErrc::timed_out));
    BOOST_TEST(out.reply == "partial");
}

BOOST_AUTO_TEST_CASE(reports_a_refused_connection)
{
    asio::io_context io;
    std::uint16_t port = 0;
    {
        tcp::acceptor closed(io, {asio::ip::make_address("127.0.0.1"), 0});
        port = closed.local_endpoint().port();
    }
    const auto out = run(io, "127.0.0.1", port);
    BOOST_TEST(out.error == asio::error::connection_refused);
}

BOOST_AUTO_TEST_CASE(a_missing_ca_file_is_an_error)
{
    asio::io_context io;
    const auto out = run(io, "127.0.0.1", 1, {"/nonexistent/ca.pem", {}});
    BOOST_TEST(out.error == make_error_code(TlsErrc::bad_ca_file));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace umbra::tls
