#include <boost/test/unit_test.hpp>

#include "netdb/reseed/https/url.h"

namespace umbra::reseed {

BOOST_AUTO_TEST_SUITE(reseed_url)

BOOST_AUTO_TEST_CASE(a_folder_url_asks_for_i2pseeds_su3_with_the_network_id)
{
    const auto u = parse_reseed_url("https://reseed.example.net/", 2);
    BOOST_REQUIRE(u.has_value());
    BOOST_TEST(u->host == "reseed.example.net");
    BOOST_TEST(u->port == 443);
    BOOST_TEST(u->target == "/i2pseeds.su3?netid=2");
    BOOST_TEST(u->host_header() == "reseed.example.net");
}

BOOST_AUTO_TEST_CASE(ports_paths_and_literals)
{
    auto u = parse_reseed_url("HTTPS://i2pseed.example.net:8443/netDb", 99);
    BOOST_REQUIRE(u.has_value());
    BOOST_TEST(u->port == 8443);
    BOOST_TEST(u->target == "/netDb/i2pseeds.su3?netid=99");
    BOOST_TEST(u->host_header() == "i2pseed.example.net:8443");
    u = parse_reseed_url("https://127.0.0.1:4443", 99);
    BOOST_REQUIRE(u.has_value());
    BOOST_TEST(u->host == "127.0.0.1");
    BOOST_TEST(u->target == "/i2pseeds.su3?netid=99");
    u = parse_reseed_url("https://[::1]:4443/x/bundle.su3", 7);
    BOOST_REQUIRE(u.has_value());
    BOOST_TEST(u->host == "::1");
    BOOST_TEST(u->target == "/x/bundle.su3?netid=7");
    BOOST_TEST(u->host_header() == "[::1]:4443");
    BOOST_TEST(u->to_string() == "https://[::1]:4443/x/bundle.su3?netid=7");
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_plain_https_url)
{
    for (const char* bad :
         {"http://reseed.example.net/", "reseed.example.net", "https://", "https:///x",
          "https://user@host/", "https://host:0/", "https://host:65536/", "https://host:/",
          "https://host:44x/", "https://host/?a=b", "https://host/#f", "https://[::1/",
          "https://[zz::1]/", "https://[::1]x/", "https://ho st/", "https://h_st/"}) {
        BOOST_TEST_CONTEXT(bad)
        {
            BOOST_TEST(!parse_reseed_url(bad, 2).has_value());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace umbra::reseed
