#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "router/base/file.h"
#include "tests/support/temp_dir.h"

#include <sys/stat.h>

using namespace umbra;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(file)

BOOST_AUTO_TEST_CASE(atomic_write_replaces_file_and_sets_mode)
{
    umbra::test::TempDir dir("umbra-file-test");
    const auto p = dir.path / "router.keys";
    const std::vector<std::uint8_t> a{1, 2, 3}, b{4, 5, 6, 7};
    BOOST_TEST_REQUIRE(write_file_atomic(p, a, 0600).has_value());
    BOOST_TEST_REQUIRE(write_file_atomic(p, b, 0600).has_value());
    auto got = read_file(p, 100);
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(*got == b);
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(p.c_str(), &st) == 0);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    // No temporary file is left behind.
    BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(read_rejects_files_over_the_limit)
{
    umbra::test::TempDir dir("umbra-file-test");
    const auto p = dir.path / "big";
    const std::vector<std::uint8_t> data(10000, 7);
    BOOST_TEST_REQUIRE(write_file_atomic(p, data).has_value());
    BOOST_TEST(read_file(p, 9999).error() == make_error_code(Errc::too_large));
    BOOST_TEST(read_file(p, 10000)->size() == 10000u);
}

BOOST_AUTO_TEST_CASE(read_of_missing_file_is_io_error)
{
    umbra::test::TempDir dir("umbra-file-test");
    BOOST_TEST(read_file(dir.path / "nope", 10).error() == make_error_code(Errc::io_error));
}

BOOST_AUTO_TEST_CASE(atomic_write_into_missing_directory_fails_cleanly)
{
    umbra::test::TempDir dir("umbra-file-test");
    const std::vector<std::uint8_t> a{1};
    BOOST_TEST(!write_file_atomic(dir.path / "no" / "such" / "file", a).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
