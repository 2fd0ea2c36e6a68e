# Run as a script after a test executable is built (cmake -P, see sdc_add_test): lists its
# GoogleTest suites and writes one ctest test per suite, `<Suite>` running `--gtest_filter=<Suite>.*`,
# into OUT. Used when SDC_CTEST_PER_SUITE is on: the tests of a suite share one process, so a
# suite's fixture (a card rendered at 600 dpi, say) is made once instead of once per test.
#
# Inputs: EXE (the executable), OUT (the file to write), DATA_DIR (SDC_DATA_DIR), WORKDIR.
foreach(var EXE OUT DATA_DIR WORKDIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "SdcDiscoverSuites.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND "${EXE}" --gtest_list_tests WORKING_DIRECTORY "${WORKDIR}" TIMEOUT 60
                OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${EXE} --gtest_list_tests failed (${rc}):\n${listing}${errors}")
endif()

# A suite is a line that starts in column 0 and ends in a dot, before an optional comment
# ("Channels/MrzRead.  # TypeParam = ..."); its tests are the indented lines under it.
string(REPLACE "\n" ";" lines "${listing}")
set(suites "")
foreach(line IN LISTS lines)
  if(line MATCHES "^([^ #][^ ]*)\\.( |$)")
    set(suite "${CMAKE_MATCH_1}")
    list(APPEND suites "${suite}")
    set(tests_in_${suite} 0)
  elseif(line MATCHES "^  [^ ]" AND DEFINED suite)
    math(EXPR tests_in_${suite} "${tests_in_${suite}} + 1")
  endif()
endforeach()
if(NOT suites)
  message(FATAL_ERROR "${EXE} lists no GoogleTest suite:\n${listing}")
endif()

# COST: ctest starts the costliest tests first when it has no timings of its own (a fresh clone,
# as in CI), so a long suite does not start last and hold up the end of a parallel run. The number
# of tests is the estimate; ctest replaces it with measured times after a run.
set(content "# Written by cmake/SdcDiscoverSuites.cmake from ${EXE} --gtest_list_tests.\n")
foreach(suite IN LISTS suites)
  string(APPEND content "add_test([=[${suite}]=] [=[${EXE}]=] [=[--gtest_filter=${suite}.*]=])\n"
                        "set_tests_properties([=[${suite}]=] PROPERTIES WORKING_DIRECTORY [=[${WORKDIR}]=]"
                        " ENVIRONMENT [=[SDC_DATA_DIR=${DATA_DIR}]=] COST ${tests_in_${suite}})\n")
endforeach()
file(WRITE "${OUT}" "${content}")
