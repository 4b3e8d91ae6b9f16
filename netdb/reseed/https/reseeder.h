// The HTTPS reseeder (reseed.html; updates.rst "SU3 Reseed File Specification"): tries the
// configured reseed URLs in random order until one hands out a verified su3 bundle with at least
// `min_routers` RouterInfos the caller accepts, and retries whole rounds with a bounded backoff.
// Progress is logged ("reseed: fetching ...", "reseed: 77 routers from ..."); when every source
// fails the log says what the user can do. Runs on the caller's executor (one thread or a
// strand), so the sink may touch the netdb directly.
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "crypto/random.h"
#include "crypto/tls/tls_client.h"
#include "netdb/reseed/https/fetch.h"
#include "netdb/reseed/reseed.h"
#include "router/base/log.h"

namespace umbra::reseed {

struct ReseedOptions {
    std::vector<std::string> urls; // reseed.urls
    unsigned net_id = 2;           // sent as ?netid= (proposal 147)
    std::size_t min_routers = 25;  // a source that yields fewer counts as failed
    bool verify = true;            // reseed.verify: su3 signature against `certs`
    CertMap certs;                 // load_reseed_certs(reseed.certsdir)
    std::string certs_dir;         // for messages only
    tls::TlsClientConfig tls;      // system CA store unless a CA file is given
    FetchLimits fetch;             // per URL: body cap and deadline
};

// Bounded retries: after round k fails, wait min(first_delay * 2^(k-1), max_delay).
struct RetryPolicy {
    unsigned max_rounds = 4;
    std::chrono::milliseconds first_delay{std::chrono::seconds(30)};
    std::chrono::milliseconds max_delay{std::chrono::minutes(10)};
};

// Takes a verified bundle, stores what is valid (e.g. NetDbService::add for each RouterInfo) and
// returns how many RouterInfos it accepted.
using ReseedSink = std::function<std::size_t(const ReseedBundle&)>;

struct ReseedFailure {
    std::string url;
    std::string reason;
};

struct ReseedOutcome {
    bool ok = false;
    std::string url;                     // the source that succeeded
    std::size_t routers = 0;             // accepted by the sink from that source
    unsigned rounds = 0;                 // rounds run (reseed_with_retry)
    std::vector<ReseedFailure> failures; // of the last round, in the order tried
};

// One round: every URL at most once, in random order, stopping at the first success.
// Coroutine parameters are taken by value, except rng and log, which must outlive the coroutine.
boost::asio::awaitable<ReseedOutcome> reseed_once(ReseedOptions options, crypto::Rng& rng,
                                                  ReseedSink sink, Logger& log);

// Rounds of reseed_once with the backoff of `policy`. Before each retry `still_needed` (if set)
// is asked; false ends the retries (e.g. peers were learned some other way meanwhile).
// Cancellable: co_spawn it with asio::bind_cancellation_slot and emit
// asio::cancellation_type::terminal at shutdown; the pending fetch or backoff wait is aborted
// and the coroutine returns without another attempt.
boost::asio::awaitable<ReseedOutcome> reseed_with_retry(ReseedOptions options, RetryPolicy policy,
                                                        crypto::Rng& rng, ReseedSink sink,
                                                        Logger& log,
                                                        std::function<bool()> still_needed = {});

// The message logged when a round fails: every source with its reason, and what to do.
std::string describe_failure(const ReseedOptions& options, const ReseedOutcome& outcome);

} // namespace umbra::reseed
