#include "netdb/reseed/https/reseeder.h"

#include <algorithm>
#include <sstream>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace umbra::reseed {

namespace asio = boost::asio;

namespace {

bool cancelled(const asio::cancellation_state& state)
{
    return state.cancelled() != asio::cancellation_type::none;
}

std::vector<std::string> shuffled(std::vector<std::string> urls, crypto::Rng& rng)
{
    for (std::size_t i = urls.size(); i > 1; --i) {
        std::swap(urls[i - 1], urls[rng.uniform(i)]);
    }
    return urls;
}

// Why open_reseed refused a body, in words a user can act on.
std::string bundle_error(const std::vector<std::uint8_t>& body, const ErrorCode& ec,
                         const ReseedOptions& options)
{
    if (ec == Errc::bad_signature) {
        const auto su3 = parse_su3(body);
        if (!su3) {
            return "not an su3 file (unsigned bundles are refused while reseed.verify is on)";
        }
        if (options.certs.find(su3->signer_id) == options.certs.end()) {
            return "signed by " + su3->signer_id + ", which has no certificate in " +
                   (options.certs_dir.empty() ? std::string("reseed.certsdir") : options.certs_dir);
        }
        return "bad su3 signature from " + su3->signer_id;
    }
    return "invalid reseed bundle: " + ec.message();
}

// Fetches and opens one source. On success returns the number of routers the sink accepted; on
// failure sets `reason`.
asio::awaitable<std::size_t> try_source(const std::string& text, const ReseedOptions& options,
                                        const ReseedSink& sink, Logger& log, std::string& reason)
{
    const auto url = parse_reseed_url(text, options.net_id);
    if (!url) {
        reason = "not a valid https:// URL";
        co_return 0;
    }
    UMBRA_LOG(log, info, "reseed", "fetching " << url->to_string());
    const auto ex = co_await asio::this_coro::executor;
    auto response = co_await https_get(ex, *url, options.tls, options.fetch);
    if (!response) {
        reason = response.error() == Errc::too_large ? "response larger than the su3 limit"
                                                     : response.error().message();
        co_return 0;
    }
    if (response->status != 200) {
        reason = "HTTP status " + std::to_string(response->status);
        if (!response->location.empty()) {
            reason += " (redirect to " + response->location + " not followed)";
        }
        co_return 0;
    }
    auto bundle = open_reseed(response->body, options.certs, options.verify);
    if (!bundle) {
        reason = bundle_error(response->body, bundle.error(), options);
        co_return 0;
    }
    const std::size_t accepted = sink(*bundle);
    if (accepted < options.min_routers) {
        reason = "only " + std::to_string(accepted) + " of " +
                 std::to_string(bundle->router_infos.size()) + " RouterInfos valid (need " +
                 std::to_string(options.min_routers) + ")";
    }
    co_return accepted;
}

std::string retry_note(std::chrono::milliseconds delay, bool last)
{
    if (last) {
        return "; giving up (restart the router to try again)";
    }
    return "; retrying in " + (delay.count() >= 1000 ? std::to_string(delay.count() / 1000) + " s"
                                                     : std::to_string(delay.count()) + " ms");
}

} // namespace

asio::awaitable<ReseedOutcome> reseed_once(ReseedOptions options, crypto::Rng& rng, ReseedSink sink,
                                           Logger& log)
{
    co_await asio::this_coro::throw_if_cancelled(false);
    ReseedOutcome out;
    out.rounds = 1;
    for (const auto& url : shuffled(options.urls, rng)) {
        if (cancelled(co_await asio::this_coro::cancellation_state)) {
            break;
        }
        std::string reason;
        const std::size_t routers = co_await try_source(url, options, sink, log, reason);
        if (reason.empty()) {
            UMBRA_LOG(log, info, "reseed", routers << " routers from " << url);
            out.ok = true;
            out.url = url;
            out.routers = routers;
            co_return out;
        }
        UMBRA_LOG(log, warn, "reseed", url << " failed: " << reason);
        out.failures.push_back({url, std::move(reason)});
    }
    co_return out;
}

std::string describe_failure(const ReseedOptions& options, const ReseedOutcome& outcome)
{
    std::ostringstream os;
    if (options.urls.empty()) {
        os << "no reseed URLs configured (reseed.urls is empty)";
    } else {
        os << "every reseed source failed (" << outcome.failures.size() << " of "
           << options.urls.size() << " URLs):";
        for (const auto& f : outcome.failures) {
            os << " " << f.url << ": " << f.reason << ";";
        }
    }
    os << " check the network connection, firewall and system clock (TLS certificates need the "
          "right date), that reseed.certsdir ("
       << (options.certs_dir.empty() ? std::string("default") : options.certs_dir)
       << ") holds the reseed certificates, or reseed from a file fetched elsewhere with "
          "reseed.file=<i2pseeds.su3> or reseed.zipfile=<zip>";
    return os.str();
}

asio::awaitable<ReseedOutcome> reseed_with_retry(ReseedOptions options, RetryPolicy policy,
                                                 crypto::Rng& rng, ReseedSink sink, Logger& log,
                                                 std::function<bool()> still_needed)
{
    co_await asio::this_coro::throw_if_cancelled(false); // cancelled: return, do not throw
    ReseedOutcome out;
    auto delay = policy.first_delay;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (unsigned round = 1; round <= std::max(policy.max_rounds, 1u); ++round) {
        out = co_await reseed_once(options, rng, sink, log);
        out.rounds = round;
        const bool stopped = cancelled(co_await asio::this_coro::cancellation_state);
        if (out.ok || options.urls.empty() || stopped) {
            break;
        }
        const bool last = round >= policy.max_rounds;
        UMBRA_LOG(log, error, "reseed", describe_failure(options, out) << retry_note(delay, last));
        if (last) {
            break;
        }
        timer.expires_after(delay);
        auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        delay = std::min(delay * 2, policy.max_delay);
        const bool stopped_waiting = cancelled(co_await asio::this_coro::cancellation_state);
        if (ec || stopped_waiting || (still_needed && !still_needed())) {
            break;
        }
    }
    if (!out.ok && options.urls.empty()) {
        UMBRA_LOG(log, error, "reseed", describe_failure(options, out));
    }
    co_return out;
}

} // namespace umbra::reseed
