#include <vector>

#include <boost/test/unit_test.hpp>

#include "crypto/secret.h"

using namespace umbra::crypto;

BOOST_AUTO_TEST_SUITE(secret_suite)

BOOST_AUTO_TEST_CASE(constant_time_equal_compares_contents_and_lengths)
{
    const std::vector<std::uint8_t> a{1, 2, 3};
    const std::vector<std::uint8_t> b{1, 2, 3};
    const std::vector<std::uint8_t> c{1, 2, 4};
    const std::vector<std::uint8_t> d{1, 2};
    BOOST_TEST(constant_time_equal(a, b));
    BOOST_TEST(!constant_time_equal(a, c));
    BOOST_TEST(!constant_time_equal(a, d));
    BOOST_TEST(constant_time_equal({}, {}));
}

BOOST_AUTO_TEST_CASE(move_leaves_the_source_wiped)
{
    const std::vector<std::uint8_t> bytes(32, 0x5a);
    Key32 a(bytes);
    Key32 b = std::move(a);
    BOOST_TEST(constant_time_equal(b.bytes(), bytes));
    BOOST_TEST(constant_time_equal(a.bytes(), std::vector<std::uint8_t>(32, 0)));
    Key32 c = b.clone();
    BOOST_TEST(constant_time_equal(c.bytes(), bytes));
}

BOOST_AUTO_TEST_CASE(secure_wipe_zeroes_memory)
{
    std::vector<std::uint8_t> v(16, 0xff);
    secure_wipe(v.data(), v.size());
    BOOST_TEST(constant_time_equal(v, std::vector<std::uint8_t>(16, 0)));
    secure_wipe(nullptr, 0);
}

BOOST_AUTO_TEST_SUITE_END()
