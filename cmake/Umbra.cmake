# Shared build settings and helpers for umbra's libraries and test binaries.

add_library(umbra_options INTERFACE)
target_compile_options(umbra_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wimplicit-fallthrough)
target_compile_definitions(umbra_options INTERFACE
  BOOST_ASIO_NO_DEPRECATED
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
if(UMBRA_WERROR)
  target_compile_options(umbra_options INTERFACE -Werror)
endif()
if(UMBRA_SANITIZE)
  target_compile_options(umbra_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(umbra_options INTERFACE -fsanitize=address,undefined)
endif()
# clang 14 cannot emit UBSan's -fsanitize=function checks in coroutine frames (the assembler
# fails with "Cannot represent a difference across sections"), and coroutines are the I/O shell
# of every module that does I/O; every other ASan/UBSan check stays on.
if((UMBRA_SANITIZE OR UMBRA_FUZZ) AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(umbra_options INTERFACE -fno-sanitize=function)
endif()
if(UMBRA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "UMBRA_FUZZ needs clang (libFuzzer)")
  endif()
  target_compile_options(umbra_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  target_link_options(umbra_options INTERFACE -fsanitize=address,undefined)
endif()

# umbra_library(NAME SOURCES ... DEPS ...): a static library whose include root is the repo root.
function(umbra_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC umbra_options ${ARG_DEPS})
endfunction()

# umbra_tests(NAME SOURCES ... DEPS ...): one Boost.Test binary, registered in CTest.
# Tests run from the repo root so they can read tests/vectors and tests/fixtures.
function(umbra_tests name)
  if(NOT UMBRA_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/tests/support/test_main.cpp)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  target_link_libraries(${name} PRIVATE umbra_options umbra_test_support ${ARG_DEPS}
                        Boost::unit_test_framework)
  add_test(NAME ${name} COMMAND ${name} --log_level=test_suite --report_level=short
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

# umbra_module(LIB TESTS DEPS ...): the library of the current folder from its *.cpp files and
# its test binary from its *_test.cpp files. Files are globbed so a new file needs no list edit.
function(umbra_module lib tests)
  cmake_parse_arguments(ARG "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  set(lib_sources)
  set(test_sources)
  foreach(f IN LISTS all_sources)
    if(f MATCHES "_test\\.cpp$")
      list(APPEND test_sources ${f})
    else()
      list(APPEND lib_sources ${f})
    endif()
  endforeach()
  if(NOT lib_sources)
    message(WARNING "${CMAKE_CURRENT_SOURCE_DIR} has no sources yet; ${lib} skipped")
    return()
  endif()
  umbra_library(${lib} SOURCES ${lib_sources} DEPS ${ARG_DEPS})
  if(test_sources)
    umbra_tests(${tests} SOURCES ${test_sources} DEPS ${lib} ${ARG_TEST_DEPS})
  endif()
endfunction()
