// The one translation unit per test binary that defines Boost.Test's main().
#define BOOST_TEST_MODULE umbra
#include <boost/test/unit_test.hpp>
