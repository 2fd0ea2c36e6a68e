#include "core/pixels.hpp"

namespace sdc::detail {

Image to_gray_keeping_alpha(const ImageView& img) {
  const PixelFormat f = img.format();
  if (f == PixelFormat::cmyk8) return Image();
  Image out(img.width(), img.height(), f == PixelFormat::rgba8 ? PixelFormat::rgba8 : PixelFormat::gray8);
  for (int y = 0; y < img.height(); ++y) {
    const std::uint8_t* s = img.row(y);
    std::uint8_t* d = out.row(y);
    for (int x = 0; x < img.width(); ++x) {
      switch (f) {
        case PixelFormat::gray8: d[x] = s[x]; break;
        case PixelFormat::rgb8: d[x] = luma601(s[3 * x], s[3 * x + 1], s[3 * x + 2]); break;
        default: {
          const std::uint8_t v = luma601(s[4 * x], s[4 * x + 1], s[4 * x + 2]);
          d[4 * x] = d[4 * x + 1] = d[4 * x + 2] = v;
          d[4 * x + 3] = s[4 * x + 3];
        }
      }
    }
  }
  return out;
}

}  // namespace sdc::detail
