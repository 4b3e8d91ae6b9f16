// Sans-IO reader of one HTTP/1.1 response (RFC 9112) with Boost.Beast's parser: fed the bytes as
// they arrive, in any split, it bounds the head (16 KiB) and the body (Content-Length, chunked,
// or until the connection closes). No socket here, so a fuzzer can drive it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "router/base/bytes.h"
#include "router/base/result.h"

namespace umbra::reseed {

struct HttpsResponse {
    unsigned status = 0;
    std::string location; // of a redirect
    std::vector<std::uint8_t> body;
};

class HttpResponseReader {
public:
    static constexpr std::size_t max_head = 16 * 1024;

    explicit HttpResponseReader(std::size_t max_body);
    ~HttpResponseReader();
    HttpResponseReader(const HttpResponseReader&) = delete;
    HttpResponseReader& operator=(const HttpResponseReader&) = delete;

    // Takes the next bytes received; true once the response is complete (later bytes are
    // ignored). Errc::too_large for a head over max_head or a body (announced or received) over
    // max_body; Beast's parser errors for malformed HTTP. After an error, feed again is an error.
    Result<bool> feed(Bytes data);
    // The peer closed the connection: completes a body delimited by the close, else
    // Errc::truncated if the response is unfinished.
    Result<void> finish();
    // The response, once feed returned true or finish succeeded.
    HttpsResponse take();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace umbra::reseed
