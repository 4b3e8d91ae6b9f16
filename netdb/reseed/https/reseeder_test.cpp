// The HTTPS reseed path against an in-process TLS server on 127.0.0.1 serving the test-only su3
// (tests/fixtures/reseed/make_test_su3.sh) with the test-only TLS CA (make_test_tls.sh).
#include <fstream>
#include <sstream>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "crypto/tls/testing.h"
#include "netdb/reseed/https/reseeder.h"
#include "router/data/router_info.h"
#include "tests/support/temp_dir.h"

namespace umbra::reseed {
namespace {

using namespace std::chrono_literals;
using namespace tls::testing;

const std::string signer = "test-only@reseed.umbra.invalid";

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

std::string ok_response(const std::string& body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

Handler serve_su3()
{
    return respond(ok_response(slurp(fixtures + "test-only-reseed.su3")));
}

std::string url_of(const TestTlsServer& s, const char* host = "127.0.0.1")
{
    return std::string("https://") + host + ":" + std::to_string(s.port()) + "/";
}

std::string dead_url(asio::io_context& io)
{
    tcp::acceptor closed(io, {asio::ip::make_address("127.0.0.1"), 0});
    return "https://127.0.0.1:" + std::to_string(closed.local_endpoint().port()) + "/";
}

struct Fixture {
    asio::io_context io;
    test::TempDir dir{"umbra-reseed"};
    Logger log;
    ReseedOptions options;
    crypto::DeterministicRng rng{1};
    std::size_t bundles = 0;
    // Counts the RouterInfos that parse: the fixture holds one real RouterInfo and its reverse.
    ReseedSink sink = [this](const ReseedBundle& b) {
        ++bundles;
        std::size_t valid = 0;
        for (const auto& [name, bytes] : b.router_infos) {
            valid += data::RouterInfo::parse(bytes).has_value() ? 1 : 0;
        }
        return valid;
    };

    Fixture()
    {
        BOOST_REQUIRE(log.open_file((dir.path / "log").string()));
        options.net_id = 99;
        options.min_routers = 1;
        options.certs = {{signer, slurp(fixtures + "test-only-signer.crt.pem")}};
        options.certs_dir = "tests/fixtures/reseed";
        options.tls.ca_file = test_ca;
        options.fetch.timeout = 5s;
    }
    ReseedOutcome once()
    {
        auto out = run_client(io, reseed_once(options, rng, sink, log));
        BOOST_REQUIRE(out.has_value());
        return *out;
    }
    std::string logged() { return slurp((dir.path / "log").string()); }
    std::string only_reason(const ReseedOutcome& out)
    {
        BOOST_REQUIRE(!out.ok);
        BOOST_REQUIRE_EQUAL(out.failures.size(), 1u);
        return out.failures[0].reason;
    }
};

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(https_reseed, Fixture)

BOOST_AUTO_TEST_CASE(gets_the_router_infos_of_a_verified_bundle)
{
    TestTlsServer server(io, serve_su3());
    for (const char* host : {"127.0.0.1", "localhost"}) {
        options.urls = {url_of(server, host)};
        const auto out = once();
        BOOST_TEST(out.ok);
        BOOST_TEST(out.routers == 1u);
        BOOST_TEST(out.url == options.urls[0]);
    }
    BOOST_TEST(bundles == 2u);
    const auto& req = server.requests().at(0);
    BOOST_TEST(contains(req, "GET /i2pseeds.su3?netid=99 HTTP/1.1\r\n"));
    BOOST_TEST(contains(req, "\r\nUser-Agent: Wget/1.11.4\r\n"));
    BOOST_TEST(contains(req, "\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"));
    const auto log_text = logged();
    BOOST_TEST(contains(log_text, "reseed: fetching https://127.0.0.1:"));
    BOOST_TEST(contains(log_text, "reseed: 1 routers from https://localhost:"));
}

BOOST_AUTO_TEST_CASE(a_source_with_fewer_valid_routers_than_needed_fails)
{
    TestTlsServer server(io, serve_su3());
    options.urls = {url_of(server)};
    options.min_routers = 2;
    BOOST_TEST(contains(only_reason(once()), "only 1 of 2 RouterInfos valid (need 2)"));
}

BOOST_AUTO_TEST_CASE(refuses_an_su3_from_an_unknown_signer)
{
    TestTlsServer server(io, serve_su3());
    options.urls = {url_of(server)};
    options.certs = {{"someone-else@mail.i2p", slurp(fixtures + "test-only-signer.crt.pem")}};
    BOOST_TEST(contains(only_reason(once()), "signed by " + signer + ", which has no certificate"));
    BOOST_TEST(bundles == 0u);
}

BOOST_AUTO_TEST_CASE(refuses_an_unsigned_zip_while_verifying)
{
    TestTlsServer server(io, respond(ok_response(slurp(fixtures + "test-only-reseed.zip"))));
    options.urls = {url_of(server)};
    BOOST_TEST(contains(only_reason(once()), "not an su3 file"));
    BOOST_TEST(bundles == 0u);
}

BOOST_AUTO_TEST_CASE(refuses_an_untrusted_ca_and_a_wrong_host_name)
{
    {
        TestTlsServer server(io, serve_su3());
        options.urls = {url_of(server)};
        options.tls.ca_file = other_ca;
        BOOST_TEST(only_reason(once()) == "server certificate not trusted");
    }
    ServerOptions wrong;
    wrong.cert = fixtures + "test-only-tls-wronghost.crt.pem";
    wrong.key = fixtures + "test-only-tls-wronghost.key.pem";
    TestTlsServer server(io, serve_su3(), wrong);
    options.urls = {url_of(server)};
    options.tls.ca_file = test_ca;
    BOOST_TEST(only_reason(once()) == "server certificate is for another host name");
    BOOST_TEST(bundles == 0u);
}

BOOST_AUTO_TEST_CASE(cuts_off_a_body_over_the_limit)
{
    // Announced: refused from the header. Chunked without end: refused once over the cap.
    TestTlsServer announced(io, serve_su3());
    options.urls = {url_of(announced)};
    options.fetch.max_body = 1000;
    BOOST_TEST(only_reason(once()) == "response larger than the su3 limit");
    std::size_t sent = 0;
    TestTlsServer endless(io, [&sent](ServerStream& s, std::string) -> asio::awaitable<void> {
        const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        co_await asio::async_write(s, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
        const std::string chunk = "1000\r\n" + std::string(4096, 'x') + "\r\n";
        for (int i = 0; i < 4096; ++i) { // at most 16 MiB
            auto [ec, n] = co_await asio::async_write(s, asio::buffer(chunk),
                                                      asio::as_tuple(asio::use_awaitable));
            if (ec) {
                co_return;
            }
            sent += n;
        }
    });
    options.urls = {url_of(endless)};
    options.fetch.max_body = 64 * 1024;
    BOOST_TEST(only_reason(once()) == "response larger than the su3 limit");
    BOOST_TEST(sent < 4096u * 4104u);
}

BOOST_AUTO_TEST_CASE(times_out_when_the_server_never_answers)
{
    ServerOptions silent;
    silent.handshake = false;
    TestTlsServer mute(io, serve_su3(), silent);
    TestTlsServer stalls(io, [](ServerStream& s, std::string) -> asio::awaitable<void> {
        asio::steady_timer wait(s.get_executor(), 30s);
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    });
    options.fetch.timeout = 300ms;
    for (auto* server : {&mute, &stalls}) {
        options.urls = {url_of(*server)};
        const auto start = std::chrono::steady_clock::now();
        BOOST_TEST(only_reason(once()) == "timed out");
        BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
    }
}

BOOST_AUTO_TEST_CASE(a_redirect_is_reported_not_followed)
{
    TestTlsServer server(io,
                         respond("HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.invalid/\r\n"
                                 "Content-Length: 0\r\n\r\n"));
    options.urls = {url_of(server)};
    BOOST_TEST(only_reason(once()) ==
               "HTTP status 301 (redirect to https://elsewhere.invalid/ not followed)");
}

BOOST_AUTO_TEST_CASE(a_dead_first_url_falls_through_to_the_next_in_random_order)
{
    TestTlsServer server(io, serve_su3());
    const std::string dead = dead_url(io);
    options.urls = {dead, url_of(server)};
    bool dead_tried_first = false;
    bool good_tried_first = false;
    for (std::uint64_t seed = 1; seed <= 16; ++seed) {
        rng = crypto::DeterministicRng(seed);
        const auto out = once();
        BOOST_TEST(out.ok);
        BOOST_TEST(out.url == options.urls[1]);
        if (out.failures.empty()) {
            good_tried_first = true;
        } else {
            dead_tried_first = true;
            BOOST_TEST(out.failures[0].url == dead);
            BOOST_TEST(contains(out.failures[0].reason, "refused"));
        }
    }
    BOOST_TEST(dead_tried_first);
    BOOST_TEST(good_tried_first);
}

BOOST_AUTO_TEST_CASE(when_every_source_fails_the_log_says_what_to_do)
{
    options.urls = {dead_url(io), dead_url(io), "http://plain.invalid/"};
    const auto out = once();
    BOOST_TEST(!out.ok);
    BOOST_TEST(out.failures.size() == 3u);
    const auto text = describe_failure(options, out);
    BOOST_TEST(contains(text, "every reseed source failed (3 of 3 URLs)"));
    BOOST_TEST(contains(text, "not a valid https:// URL"));
    BOOST_TEST(contains(text, "reseed.file="));
    BOOST_TEST(contains(text, "check the network connection"));
}

BOOST_AUTO_TEST_CASE(retries_with_backoff_until_a_source_works)
{
    int calls = 0;
    const std::string su3 = ok_response(slurp(fixtures + "test-only-reseed.su3"));
    TestTlsServer flaky(io, [&](ServerStream& s, std::string) -> asio::awaitable<void> {
        const std::string reply =
            ++calls < 3 ? "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n" : su3;
        co_await asio::async_write(s, asio::buffer(reply), asio::as_tuple(asio::use_awaitable));
    });
    options.urls = {url_of(flaky)};
    const RetryPolicy policy{5, 20ms, 40ms};
    const auto start = std::chrono::steady_clock::now();
    auto out = run_client(io, reseed_with_retry(options, policy, rng, sink, log));
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(out->ok);
    BOOST_TEST(out->rounds == 3u);
    BOOST_TEST((std::chrono::steady_clock::now() - start >= 60ms)); // 20 ms + 40 ms of backoff
    BOOST_TEST(contains(logged(), "HTTP status 503"));
    BOOST_TEST(contains(logged(), "retrying in"));
}

BOOST_AUTO_TEST_CASE(retries_are_bounded_and_stop_when_no_longer_needed)
{
    options.urls = {dead_url(io)};
    auto out = run_client(io, reseed_with_retry(options, {3, 1ms, 2ms}, rng, sink, log));
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(!out->ok);
    BOOST_TEST(out->rounds == 3u);
    BOOST_TEST(contains(logged(), "giving up"));
    out = run_client(
        io, reseed_with_retry(options, {3, 1ms, 2ms}, rng, sink, log, [] { return false; }));
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(out->rounds == 1u);
}

BOOST_DATA_TEST_CASE_F(Fixture, cancelling_ends_a_fetch_or_the_backoff_wait_at_once,
                       boost::unit_test::data::make({false, true}), during_fetch)
{
    ServerOptions silent;
    silent.handshake = false;
    TestTlsServer mute(io, serve_su3(), silent);
    options.urls = {during_fetch ? url_of(mute) : dead_url(io)};
    options.fetch.timeout = 60s;
    asio::cancellation_signal stop;
    std::optional<ReseedOutcome> out;
    asio::co_spawn(
        io, reseed_with_retry(options, {5, 60s, 60s}, rng, sink, log),
        asio::bind_cancellation_slot(stop.slot(), [&](std::exception_ptr e, ReseedOutcome o) {
            BOOST_REQUIRE(!e);
            out = std::move(o);
            io.stop();
        }));
    asio::steady_timer later(io, 100ms);
    later.async_wait(
        [&](boost::system::error_code) { stop.emit(asio::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    io.run_for(10s);
    BOOST_REQUIRE(out.has_value());
    BOOST_TEST(!out->ok);
    BOOST_TEST(out->rounds == 1u);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
    BOOST_TEST_MESSAGE(logged());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace umbra::reseed
