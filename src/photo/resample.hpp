// Internal: resampling for the photo module, in sdc types (defined with OpenCV in photo_cv.cpp).
#pragma once

#include <sdc/image.hpp>

namespace sdc::detail {

/// `v` (any format) area-averaged (OpenCV INTER_AREA; bilinear when enlarging) to `w` x `h`, in its
/// format. Precondition: `v` not empty, `w` and `h` positive.
Image resampled(const ImageView& v, int w, int h);

}  // namespace sdc::detail
