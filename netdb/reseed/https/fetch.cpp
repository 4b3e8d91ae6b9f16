#include "netdb/reseed/https/fetch.h"

#include <sstream>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/write.hpp>

namespace umbra::reseed {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr std::size_t read_chunk = 16 * 1024;

std::string request_head(const ReseedUrl& url)
{
    http::request<http::empty_body> req{http::verb::get, url.target, 11};
    req.set(http::field::host, url.host_header());
    req.set(http::field::user_agent, reseed_user_agent);
    req.set(http::field::accept, "*/*");
    req.set(http::field::connection, "close");
    std::ostringstream os;
    os << req;
    return os.str();
}

asio::awaitable<Result<HttpsResponse>> read_response(tls::TlsConnection& conn, std::size_t max_body)
{
    HttpResponseReader reader(max_body);
    std::vector<std::uint8_t> buf(read_chunk);
    for (;;) {
        auto n = co_await conn.read_some(buf);
        if (!n && n.error() == asio::error::eof) {
            if (auto f = reader.finish(); !f) {
                co_return f.error();
            }
            break;
        }
        if (!n) {
            co_return n.error();
        }
        auto done = reader.feed(Bytes(buf.data(), *n));
        if (!done) {
            co_return done.error();
        }
        if (*done) {
            break;
        }
    }
    co_return reader.take();
}

} // namespace

asio::awaitable<Result<HttpsResponse>> https_get(asio::any_io_executor ex, ReseedUrl url,
                                                 tls::TlsClientConfig tls, FetchLimits limits)
{
    const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
    auto conn = co_await tls::TlsConnection::connect(ex, url.host, url.port, tls, deadline);
    if (!conn) {
        co_return conn.error();
    }
    const std::string head = request_head(url);
    if (auto w = co_await conn->write_all(
            Bytes(reinterpret_cast<const std::uint8_t*>(head.data()), head.size()));
        !w) {
        co_return w.error();
    }
    auto response = co_await read_response(*conn, limits.max_body);
    co_await conn->close();
    co_return response;
}

} // namespace umbra::reseed
