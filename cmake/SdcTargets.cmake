# One helper sets warnings and sanitizer flags for every target of ours (library, CLI, tests,
# examples, benchmarks) so none drifts. Flags are PRIVATE: nothing leaks to consumers of sdc::sdc.
function(sdc_target_flags target)
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers
                                           -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  # GCC 12 reports -Wrestrict false positives inside std::string's operator+ at -O2/-O3
  # (GCC bug 105651, fixed in GCC 13); release builds would fail under SDC_WERROR otherwise.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(SDC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(SDC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  if(SDC_TSAN)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()

# SDC_TEST_CXX_FLAGS on a target of the test build's own code: the tests, and the benchmarks and
# harnesses that the test build compiles for their smoke tests (their timings come from a Release
# build without these flags).
function(sdc_test_flags target)
  if(SDC_TEST_CXX_FLAGS)
    separate_arguments(test_flags UNIX_COMMAND "${SDC_TEST_CXX_FLAGS}")
    target_compile_options(${target} PRIVATE ${test_flags})
  endif()
endfunction()

# sdc_add_test(NAME name SOURCES ... [LIBS ...]): a GoogleTest executable registered with ctest.
# Tests find fonts, assets and shared test data through environment variables set here, so they
# run from any working directory.
function(sdc_add_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  sdc_target_flags(${T_NAME})
  target_include_directories(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${T_NAME} PRIVATE sdc_internal GTest::gtest GTest::gtest_main ${T_LIBS})
  sdc_test_flags(${T_NAME})
  if(SDC_TSAN)
    target_sources(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/tsan/opencv_one_thread_cv.cpp)
  endif()
  target_compile_definitions(${T_NAME} PRIVATE SDC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                               SDC_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(SDC_UNITY_BUILD)
    # tests/test_pch.hpp, precompiled by the first test target and reused by the others (their flags
    # are the same, all being set here).
    get_property(pch_owner GLOBAL PROPERTY SDC_TEST_PCH_OWNER)
    if(pch_owner)
      target_precompile_headers(${T_NAME} REUSE_FROM ${pch_owner})
    else()
      target_precompile_headers(${T_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests/test_pch.hpp)
      set_property(GLOBAL PROPERTY SDC_TEST_PCH_OWNER ${T_NAME})
    endif()
  endif()
  if(SDC_CTEST_PER_SUITE)
    # One ctest test per GoogleTest suite, listed after each build (cmake/SdcDiscoverSuites.cmake);
    # the include file stands in a placeholder test until the executable is built, as
    # gtest_discover_tests does.
    set(suites_file "${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_suites.cmake")
    set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_suites_include.cmake")
    add_custom_command(
      TARGET ${T_NAME} POST_BUILD BYPRODUCTS ${suites_file} VERBATIM
      COMMAND ${CMAKE_COMMAND} -D EXE=$<TARGET_FILE:${T_NAME}> -D OUT=${suites_file} -D DATA_DIR=${PROJECT_SOURCE_DIR}
              -D WORKDIR=${CMAKE_CURRENT_BINARY_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/SdcDiscoverSuites.cmake)
    file(WRITE ${include_file} "if(EXISTS \"${suites_file}\")\n  include(\"${suites_file}\")\n"
                               "else()\n  add_test(${T_NAME}_NOT_BUILT ${T_NAME}_NOT_BUILT)\nendif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
  else()
    gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60
                         PROPERTIES ENVIRONMENT "SDC_DATA_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
