// Linked into every test executable of a ThreadSanitizer build (SDC_TSAN, cmake/SdcTargets.cmake).
// OpenCV's parallel_for_ runs its loop bodies on oneTBB worker threads, and Debian's libtbb is not
// instrumented: TSan cannot see the hand-off and reports OpenCV's own objects (e.g. the mutex inside
// a cv::CascadeClassifier built by the calling thread) as racing. With one OpenCV thread the loop
// bodies run on the calling thread; sdc's threads, the ones under test, are unchanged.
// (OPENCV_FOR_THREADS_NUM=1 is not enough: it sizes the pool but does not make loops serial.)
#include <opencv2/core/utility.hpp>

namespace {
const bool kOpenCvOneThread = [] {
  cv::setNumThreads(1);
  return true;
}();
}  // namespace
