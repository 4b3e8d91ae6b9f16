#include "netdb/reseed/https/response.h"

#include <algorithm>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/vector_body.hpp>

namespace umbra::reseed {

namespace http = boost::beast::http;

namespace {

ErrorCode parse_error(ErrorCode ec)
{
    if (ec == http::error::body_limit || ec == http::error::header_limit ||
        ec == http::error::buffer_overflow) {
        return Errc::too_large;
    }
    if (ec == http::error::partial_message) {
        return Errc::truncated;
    }
    return ec;
}

} // namespace

struct HttpResponseReader::Impl {
    http::response_parser<http::vector_body<std::uint8_t>> parser;
    // Bytes the parser has not taken yet: at most an incomplete head (max_head) or an incomplete
    // chunk header, since the parser is eager with the body.
    boost::beast::flat_buffer pending;
    ErrorCode failed;
};

HttpResponseReader::HttpResponseReader(std::size_t max_body) : impl_(std::make_unique<Impl>())
{
    impl_->parser.header_limit(max_head);
    impl_->parser.body_limit(max_body);
    impl_->parser.eager(true);
}

HttpResponseReader::~HttpResponseReader() = default;

Result<bool> HttpResponseReader::feed(Bytes data)
{
    auto& p = impl_->parser;
    if (impl_->failed) {
        return Result<bool>(boost::system::in_place_error, impl_->failed);
    }
    if (p.is_done()) {
        return true;
    }
    auto space = impl_->pending.prepare(data.size());
    std::copy(data.begin(), data.end(), static_cast<std::uint8_t*>(space.data()));
    impl_->pending.commit(data.size());
    while (impl_->pending.size() > 0 && !p.is_done()) {
        ErrorCode ec;
        const auto used = p.put(impl_->pending.data(), ec);
        impl_->pending.consume(used);
        if (ec == http::error::need_more) {
            break;
        }
        if (ec) {
            impl_->failed = parse_error(ec);
            return Result<bool>(boost::system::in_place_error, impl_->failed);
        }
        if (used == 0) {
            break;
        }
    }
    return p.is_done();
}

Result<void> HttpResponseReader::finish()
{
    if (impl_->failed) {
        return impl_->failed;
    }
    if (impl_->parser.is_done()) {
        return {};
    }
    ErrorCode ec;
    impl_->parser.put_eof(ec);
    if (ec) {
        impl_->failed = parse_error(ec);
        return impl_->failed;
    }
    return {};
}

HttpsResponse HttpResponseReader::take()
{
    auto msg = impl_->parser.release();
    HttpsResponse out;
    out.status = msg.result_int();
    if (auto it = msg.find(http::field::location); it != msg.end()) {
        out.location = std::string(it->value());
    }
    out.body = std::move(msg.body());
    return out;
}

} // namespace umbra::reseed
