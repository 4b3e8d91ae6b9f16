# Fuzz targets for netdb/reseed/https/: the reseed URL parser, and the HTTP response reader fed
# in input-chosen splits (Beast's parser plus umbra's limits and buffering around it).
# They compile the two sans-IO sources themselves instead of linking umbra_reseed_https: clang 14
# with -fsanitize=fuzzer fails on that library's coroutine files ("Cannot represent a difference
# across sections"), and the targets need none of them.
umbra_fuzz_target(reseed_url DEPS umbra_base)
target_sources(reseed_url_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/netdb/reseed/https/url.cpp)
umbra_fuzz_target(http_response DEPS umbra_base)
target_sources(http_response_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/netdb/reseed/https/response.cpp)
