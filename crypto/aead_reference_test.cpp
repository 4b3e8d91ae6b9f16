#include <cmath>

#include <boost/test/unit_test.hpp>

#include "crypto/aead_reference.h"

using namespace umbra::crypto;

BOOST_AUTO_TEST_SUITE(aead_reference)

// Figures only (no timing assertion, ARCHITECTURE.md §7): both loops ran their OpenSSL calls
// (a failing call aborts) and produced a time per message.
BOOST_AUTO_TEST_CASE(measures_one_shot_and_streaming_seals)
{
    for (std::size_t size : {1u, 1024u, 65519u}) {
        const AeadReference r = measure_aead_reference(size, 64);
        BOOST_TEST((std::isfinite(r.one_shot_ns) && r.one_shot_ns > 0));
        BOOST_TEST((std::isfinite(r.stream_ns) && r.stream_ns > 0));
        BOOST_TEST((std::isfinite(r.one_shot_open_ns) && r.one_shot_open_ns > 0));
    }
}

BOOST_AUTO_TEST_SUITE_END()
