// Internal: the one grey conversion of sdc (Rec. 601 luma in integers), used wherever colour
// becomes grey: grey template images and photos, ghost images, photo hashing.
#pragma once

#include <sdc/image.hpp>

#include <cstdint>

namespace sdc::detail {

/// Rec. 601 luma of sRGB values, rounded: (299 r + 587 g + 114 b + 500) / 1000.
constexpr std::uint8_t luma601(unsigned r, unsigned g, unsigned b) noexcept {
  return static_cast<std::uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
}

/// A grey copy of `img`: gray8 from gray8 or rgb8, rgba8 with r = g = b = luma and the alpha kept
/// from rgba8. cmyk8 is not converted (returned as an empty image).
Image to_gray_keeping_alpha(const ImageView& img);

}  // namespace sdc::detail
