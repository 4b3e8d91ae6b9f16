// Failures specific to garlic decryption; bounds and field values use umbra::Errc (a bad MAC is
// Errc::bad_signature, a DateTime outside the window Errc::expired).
#pragma once
#include "router/base/result.h"

namespace umbra::garlic {

enum class Error {
    replayed = 1,      // ephemeral key already seen inside the replay window (ecies.rst DateTime)
    missing_date_time, // a to-router message without a leading DateTime block (ecies-routers.rst)
    block_not_allowed, // a known block type the message kind forbids (ecies.rst block ordering)
};

const boost::system::error_category& garlic_category() noexcept;

inline ErrorCode make_error_code(Error e) noexcept
{
    return {static_cast<int>(e), garlic_category()};
}

} // namespace umbra::garlic

template <> struct boost::system::is_error_code_enum<umbra::garlic::Error> : std::true_type {
};
