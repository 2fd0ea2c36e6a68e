# Finds the OpenCV modules sdc uses from Debian's per-module packages (libopencv-core-dev,
# libopencv-imgproc-dev, libopencv-objdetect-dev, ...). Those ship headers and libraries but no
# CMake config: OpenCVConfig.cmake comes only with libopencv-dev, which pulls every module and its
# codecs (about 500 packages). The config is therefore never used, so the build is the same with or
# without libopencv-dev installed.
#
# In: OpenCV_FIND_COMPONENTS (module names: core, imgproc, objdetect, ...).
# Out: imported targets opencv_<module> (the names OpenCV's own config uses), OpenCV_LIBS,
#      OpenCV_INCLUDE_DIRS, OpenCV_VERSION, OpenCV_FOUND.
find_path(OpenCV_INCLUDE_DIR opencv2/core/version.hpp PATH_SUFFIXES opencv4)
if(OpenCV_INCLUDE_DIR)
  file(STRINGS "${OpenCV_INCLUDE_DIR}/opencv2/core/version.hpp" _sdc_cv_ver REGEX "#define CV_VERSION_(MAJOR|MINOR|REVISION) ")
  foreach(_part MAJOR MINOR REVISION)
    string(REGEX REPLACE ".*#define CV_VERSION_${_part} +([0-9]+).*" "\\1" _sdc_cv_${_part} "${_sdc_cv_ver}")
  endforeach()
  set(OpenCV_VERSION "${_sdc_cv_MAJOR}.${_sdc_cv_MINOR}.${_sdc_cv_REVISION}")
endif()

set(OpenCV_LIBS)
foreach(_c IN LISTS OpenCV_FIND_COMPONENTS)
  find_library(OpenCV_${_c}_LIBRARY NAMES opencv_${_c})
  if(OpenCV_${_c}_LIBRARY AND OpenCV_INCLUDE_DIR)
    set(OpenCV_${_c}_FOUND TRUE)
    if(NOT TARGET opencv_${_c})
      add_library(opencv_${_c} UNKNOWN IMPORTED)
      set_target_properties(opencv_${_c} PROPERTIES IMPORTED_LOCATION "${OpenCV_${_c}_LIBRARY}"
                                                    INTERFACE_INCLUDE_DIRECTORIES "${OpenCV_INCLUDE_DIR}")
    endif()
    list(APPEND OpenCV_LIBS opencv_${_c})
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCV REQUIRED_VARS OpenCV_INCLUDE_DIR VERSION_VAR OpenCV_VERSION HANDLE_COMPONENTS)
set(OpenCV_INCLUDE_DIRS "${OpenCV_INCLUDE_DIR}")
mark_as_advanced(OpenCV_INCLUDE_DIR)
