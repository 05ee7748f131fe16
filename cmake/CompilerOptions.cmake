# Warning flags and optional sanitizers, applied through an interface target so
# that only our own code (not third-party headers) is affected.
add_library(vpucost_options INTERFACE)
add_library(vpucost::options ALIAS vpucost_options)
target_compile_options(vpucost_options INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 warns falsely about std::string's operator+ ("literal" + std::string&&)
# under -Wrestrict (GCC bug 105651, fixed in GCC 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(vpucost_options INTERFACE -Wno-restrict)
endif()

if(VPUCOST_NATIVE AND NOT VPUCOST_BUILD_FUZZERS)
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=native VPUCOST_HAS_MARCH_NATIVE)
  if(VPUCOST_HAS_MARCH_NATIVE)
    target_compile_options(vpucost_options INTERFACE -march=native)
    # GCC 12 reports false -Wmaybe-uninitialized inside its own AVX-512
    # intrinsics when Eigen inlines them (GCC bug 105593, fixed in GCC 13).
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(vpucost_options INTERFACE -Wno-maybe-uninitialized)
    endif()
  endif()
endif()

if(VPUCOST_SANITIZE)
  target_compile_options(vpucost_options INTERFACE -fsanitize=address,undefined
                                                   -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(vpucost_options INTERFACE -fsanitize=address,undefined)
endif()
if(VPUCOST_TSAN)
  target_compile_options(vpucost_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(vpucost_options INTERFACE -fsanitize=thread)
endif()
if(VPUCOST_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "VPUCOST_BUILD_FUZZERS needs clang++ (CXX=clang++)")
  endif()
  # AddressSanitizer costs csv_import most of its speed (fccp allocates a
  # 48 MiB buffer per reader, and ASan poisons its shadow on every free):
  # long runs of that target may use "undefined" alone (tests/fuzz/README.md).
  set(VPUCOST_FUZZ_SANITIZERS "address,undefined" CACHE STRING
      "sanitizers of the fuzz build (comma-separated, as for -fsanitize=)")
  # Every library gets coverage instrumentation; fuzz targets add -fsanitize=fuzzer.
  # No recovery: undefined behaviour must stop the run as a finding, not
  # just print a line the fuzzer ignores.
  target_compile_options(vpucost_options INTERFACE
                         -fsanitize=fuzzer-no-link,${VPUCOST_FUZZ_SANITIZERS}
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(vpucost_options INTERFACE -fsanitize=${VPUCOST_FUZZ_SANITIZERS})
endif()
