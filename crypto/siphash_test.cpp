#include <boost/test/unit_test.hpp>

#include "crypto/siphash.h"
#include "tests/support/hex.h"
#include "tests/support/vector_file.h"

using namespace umbra::crypto;
using umbra::test::to_hex;

BOOST_AUTO_TEST_SUITE(siphash_suite)

BOOST_AUTO_TEST_CASE(matches_the_64_reference_vectors)
{
    const auto vectors = umbra::test::load_vectors("siphash.txt");
    BOOST_TEST(vectors.size() == 64u);
    for (const auto& v : vectors) {
        const std::uint64_t h = siphash24(v.bytes("KEY"), v.bytes("MESSAGE"));
        std::array<std::uint8_t, 8> le{};
        for (std::size_t i = 0; i < 8; ++i) {
            le[i] = static_cast<std::uint8_t>(h >> (8 * i));
        }
        BOOST_TEST(to_hex(le) == to_hex(v.bytes("OUTPUT")), "line " << v.line);
    }
}

BOOST_AUTO_TEST_SUITE_END()
