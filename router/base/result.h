// Result<T>: the error channel of the data path (ARCHITECTURE.md §5).
#pragma once
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace umbra {

using ErrorCode = boost::system::error_code;
template <class T> using Result = boost::system::result<T, ErrorCode>;

// Errors shared by every parser and codec. Modules with their own failure modes add their own
// enum; these are the ones any bounded reader can produce.
enum class Errc {
    truncated = 1, // input ended before the structure did
    trailing_data, // bytes left over where the structure must end exactly
    too_large,     // a length or count over its spec or configured limit
    invalid_value, // a field holds a value the spec does not allow
    unsupported,   // a valid but unsupported type (crypto type, sig type, message type)
    bad_signature, // signature or MAC did not verify
    wrong_network, // netId differs from ours
    expired,       // a timestamp outside its allowed window
    bad_encoding,  // base32/base64/gzip/zip input malformed
    io_error,      // a file could not be read or written
    unavailable,   // nothing to serve the request with: too few peers, no established tunnel
};

const boost::system::error_category& umbra_category() noexcept;

inline ErrorCode make_error_code(Errc e) noexcept
{
    return {static_cast<int>(e), umbra_category()};
}

} // namespace umbra

template <> struct boost::system::is_error_code_enum<umbra::Errc> : std::true_type {
};
