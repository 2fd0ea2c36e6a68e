// Raster images as Cairo sources: pixels converted once to Cairo's premultiplied ARGB32, wrapped
// in a surface per draw (no copy), so one item can be drawn from many threads.
#pragma once

#include <cairo.h>
#include <sdc/image.hpp>

#include <cstdint>
#include <vector>

namespace sdc::detail {

class CairoRaster {
 public:
  CairoRaster() = default;
  /// Converts gray8/rgb8/rgba8 (straight alpha) to premultiplied ARGB32; `gray` drops colour.
  explicit CairoRaster(const ImageView& img, bool gray = false);
  int width() const { return w_; }
  int height() const { return h_; }
  bool empty() const { return w_ == 0; }
  /// Paints the image scaled into (x, y, w, h) in user space, clipped to the current clip.
  void paint(cairo_t* cr, double x, double y, double w, double h, double opacity = 1.0) const;

 private:
  std::vector<std::uint32_t> px_;
  int w_ = 0, h_ = 0;
};

}  // namespace sdc::detail
