// Internal: sdc images to OpenCV matrices for the photo module (only *_cv.cpp files include this).
#pragma once

#include <sdc/image.hpp>

#include <opencv2/core.hpp>

namespace sdc::detail {

/// A cv::Mat header over the view's pixels (no copy; valid while the view is). Channel order is
/// sdc's (RGB), not OpenCV's BGR.
cv::Mat mat_view(const ImageView& v);

/// An RGB copy (CV_8UC3, R first): gray8 replicated, rgba8 composited over white.
/// Precondition: gray8, rgb8 or rgba8.
cv::Mat to_rgb(const ImageView& v);

/// A grey copy (CV_8UC1, Rec. 601 luma): rgba8 composited over white first.
/// Precondition: gray8, rgb8 or rgba8.
cv::Mat to_gray(const ImageView& v);

}  // namespace sdc::detail
