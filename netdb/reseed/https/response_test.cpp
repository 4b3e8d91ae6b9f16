#include <string>

#include <boost/test/unit_test.hpp>

#include "netdb/reseed/https/response.h"

namespace umbra::reseed {
namespace {

Bytes bytes(const std::string& s)
{
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string text(const std::vector<std::uint8_t>& v)
{
    return {v.begin(), v.end()};
}

// Feeds `wire` in pieces of `step` bytes; returns the result of the last feed.
Result<bool> feed_in_steps(HttpResponseReader& r, const std::string& wire, std::size_t step)
{
    Result<bool> last = false;
    for (std::size_t i = 0; i < wire.size(); i += step) {
        last = r.feed(bytes(wire.substr(i, step)));
        if (!last || *last) {
            return last;
        }
    }
    return last;
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_response_reader)

BOOST_AUTO_TEST_CASE(reads_length_and_chunked_bodies_in_any_split)
{
    const std::string sized = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    const std::string chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
    for (const auto& wire : {sized, chunked}) {
        for (std::size_t step : {1u, 2u, 7u, 1000u}) {
            HttpResponseReader r(100);
            const auto done = feed_in_steps(r, wire, step);
            BOOST_REQUIRE(done.has_value());
            BOOST_TEST(*done);
            const auto resp = r.take();
            BOOST_TEST(resp.status == 200u);
            BOOST_TEST(text(resp.body) == "hello");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_body_without_length_ends_with_the_connection)
{
    HttpResponseReader r(100);
    BOOST_TEST(!*r.feed(bytes("HTTP/1.0 200 OK\r\n\r\nhel")));
    BOOST_TEST(!*r.feed(bytes("lo")));
    BOOST_TEST(r.finish().has_value());
    BOOST_TEST(text(r.take().body) == "hello");
}

BOOST_AUTO_TEST_CASE(a_connection_closed_early_is_truncated)
{
    HttpResponseReader r(100);
    BOOST_TEST(!*r.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel")));
    BOOST_TEST(r.finish().error() == make_error_code(Errc::truncated));
    HttpResponseReader head_only(100);
    BOOST_TEST(!*head_only.feed(bytes("HTTP/1.1 200 OK\r\nContent-")));
    BOOST_TEST(!head_only.finish().has_value());
}

BOOST_AUTO_TEST_CASE(bodies_and_heads_over_the_limits_are_too_large)
{
    HttpResponseReader announced(4);
    BOOST_TEST(announced.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")).error() ==
               make_error_code(Errc::too_large));
    HttpResponseReader chunked(4);
    const auto r = feed_in_steps(
        chunked, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n", 3);
    BOOST_TEST(r.error() == make_error_code(Errc::too_large));
    BOOST_TEST(chunked.feed(bytes("0\r\n\r\n")).error() == make_error_code(Errc::too_large));
    HttpResponseReader endless_head(100);
    const std::string head = "HTTP/1.1 200 OK\r\n" + std::string(20000, 'a');
    BOOST_TEST(feed_in_steps(endless_head, head, 512).error() == make_error_code(Errc::too_large));
}

BOOST_AUTO_TEST_CASE(malformed_responses_are_errors)
{
    for (const char* bad : {"HTTP/1.1 2000 OK\r\n\r\n", "SMTP ready\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
                            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
        BOOST_TEST_CONTEXT(bad)
        {
            HttpResponseReader r(100);
            BOOST_TEST(!r.feed(bytes(bad)).has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(redirects_keep_their_location)
{
    HttpResponseReader r(100);
    BOOST_TEST(*r.feed(bytes("HTTP/1.1 302 Found\r\nLocation: https://x.invalid/\r\n"
                             "Content-Length: 0\r\n\r\n")));
    const auto resp = r.take();
    BOOST_TEST(resp.status == 302u);
    BOOST_TEST(resp.location == "https://x.invalid/");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace umbra::reseed
