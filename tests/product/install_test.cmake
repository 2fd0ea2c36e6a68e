# Installs the build tree into a private prefix, then configures, builds and runs a consumer
# project that only knows find_package(sdc CONFIG REQUIRED).
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
# A sanitized sdc needs a sanitized consumer (the ASan runtime must come first; a static
# TSan-instrumented sdc calls into the TSan runtime, which only the consumer's link brings).
set(flags "")
if(SANITIZE)
  set(flags -DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined)
elseif(TSAN)
  set(flags -DCMAKE_CXX_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix ${flags} RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "consumer configure failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "consumer build failed: ${rc}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer ${WORK_DIR}/prefix/share/sdc RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "consumer run failed: ${rc}")
endif()
find_program(PKGCONF pkg-config)
if(PKGCONF)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${WORK_DIR}/prefix/lib/pkgconfig
                          ${PKGCONF} --cflags --libs sdc RESULT_VARIABLE rc OUTPUT_VARIABLE pcout)
  if(rc)
    message(FATAL_ERROR "pkg-config sdc failed")
  endif()
  message(STATUS "pkg-config: ${pcout}")
  # A static sdc: the consumer's object links with nothing but what sdc.pc's --static flags name
  # (Requires.private, Libs.private); a missing dependency is an undefined reference here.
  if(EXISTS ${WORK_DIR}/prefix/lib/libsdc.a OR EXISTS ${WORK_DIR}/prefix/lib64/libsdc.a)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${WORK_DIR}/prefix/lib/pkgconfig
                            ${PKGCONF} --static --libs sdc RESULT_VARIABLE rc OUTPUT_VARIABLE static_libs
                            OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc)
      message(FATAL_ERROR "pkg-config --static --libs sdc failed")
    endif()
    separate_arguments(static_libs UNIX_COMMAND "${static_libs}")
    set(link_flags "")
    if(TSAN)
      set(link_flags -fsanitize=thread)
    endif()
    file(GLOB object ${WORK_DIR}/build/CMakeFiles/consumer.dir/main.cpp.o)
    execute_process(COMMAND ${CXX} ${link_flags} ${object} -o ${WORK_DIR}/consumer-pc ${static_libs}
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(rc)
      message(FATAL_ERROR "linking the consumer with pkg-config --static --libs sdc failed:\n${err}")
    endif()
    message(STATUS "static link through sdc.pc: ok")
  endif()
endif()
