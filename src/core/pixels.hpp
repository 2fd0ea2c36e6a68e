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

/// Grey of naive CMYK ink values: the Rec. 601 luma of the inks' reflectance (255 - c, 255 - m,
/// 255 - y), darkened by black: luma * (255 - k) / 255, truncating.
constexpr std::uint8_t luma601_cmyk(unsigned c, unsigned m, unsigned y, unsigned k) noexcept {
  return static_cast<std::uint8_t>(luma601(255 - c, 255 - m, 255 - y) * (255 - k) / 255);
}

/// Rounded composite of grey `v` with straight alpha `a` over white.
constexpr std::uint8_t over_white(unsigned v, unsigned a) noexcept {
  return static_cast<std::uint8_t>((v * a + 255 * (255 - a) + 127) / 255);
}

/// Grey of one pixel `p` of format `f`: luma601 for rgb8 and rgba8 (alpha ignored),
/// luma601_cmyk for cmyk8.
constexpr std::uint8_t grey_ignoring_alpha(const std::uint8_t* p, PixelFormat f) noexcept {
  switch (f) {
    case PixelFormat::gray8: return p[0];
    case PixelFormat::rgb8:
    case PixelFormat::rgba8: return luma601(p[0], p[1], p[2]);
    case PixelFormat::cmyk8: return luma601_cmyk(p[0], p[1], p[2], p[3]);
  }
  return 0;
}

/// A grey copy of `img`: gray8 from gray8 or rgb8, rgba8 with r = g = b = luma and the alpha kept
/// from rgba8. cmyk8 is not converted (returned as an empty image).
Image to_gray_keeping_alpha(const ImageView& img);

}  // namespace sdc::detail
