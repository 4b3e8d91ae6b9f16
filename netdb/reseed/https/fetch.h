// One HTTPS GET of a reseed bundle: HTTP/1.1 (RFC 9112) over crypto/tls, parsed by Boost.Beast,
// with the User-Agent reseed servers expect ("Wget/1.11.4", the I2P reseed server guide), a cap
// on the body and one deadline for resolve, connect, handshake, request and response.
// Redirects are not followed: a 3xx is returned to the caller with its Location.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "crypto/tls/tls_client.h"
#include "netdb/reseed/https/response.h"
#include "netdb/reseed/https/url.h"
#include "netdb/reseed/su3.h"

namespace umbra::reseed {

inline constexpr std::string_view reseed_user_agent = "Wget/1.11.4";

struct FetchLimits {
    std::size_t max_body = su3_max_size; // larger bodies fail with Errc::too_large
    std::chrono::milliseconds timeout{60'000};
};

// A complete response of any status, or: the errors of tls::TlsConnection (untrusted
// certificate, host name mismatch, timed out, refused); Errc::too_large for a body (announced or
// received) over limits.max_body or a head over 16 KiB; Beast's parser errors for malformed HTTP;
// Errc::truncated if the connection ends before the announced body does.
// Parameters by value: the coroutine starts after the call returns.
boost::asio::awaitable<Result<HttpsResponse>> https_get(boost::asio::any_io_executor ex,
                                                        ReseedUrl url, tls::TlsClientConfig tls,
                                                        FetchLimits limits);

} // namespace umbra::reseed
