// Why a build message was dropped without a reply (tunnel-creation-ecies.rst: a record we cannot
// decrypt gets no reply; a peer is never told why authentication failed, ARCHITECTURE.md §5).
#pragma once
#include "router/base/result.h"

namespace umbra::tunnels {

enum class BuildErrc {
    not_for_us = 1, // no record carries our truncated identity hash
    bad_record,     // the record did not decrypt (tag, key) or its cleartext is malformed
    replayed,       // the record's ephemeral key was seen within the replay window
    stale,          // the request time is outside the accepted window
    bad_reply,      // creator: a reply record did not decrypt, or a fake record was modified
    unexpected,     // creator: a message of the wrong type or record count for this build
};

const boost::system::error_category& build_category() noexcept;

inline ErrorCode make_error_code(BuildErrc e) noexcept
{
    return {static_cast<int>(e), build_category()};
}

} // namespace umbra::tunnels

template <> struct boost::system::is_error_code_enum<umbra::tunnels::BuildErrc> : std::true_type {
};
