#include <sdc/photo.hpp>

#include "core/pixels.hpp"
#include "photo/resample.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sdc {
namespace {

// Rec. 601 luma in integers (rounded), straight alpha composited over white first.
std::uint8_t grey_at(const std::uint8_t* p, PixelFormat f) {
  if (f == PixelFormat::cmyk8) return 255;
  const std::uint8_t v = detail::grey_ignoring_alpha(p, f);
  return f == PixelFormat::rgba8 ? detail::over_white(v, p[3]) : v;
}

// Smoothstep fade over `edge` pixels from each side, per axis (the product gives round corners).
std::vector<double> fade_profile(int n, double edge) {
  std::vector<double> f(static_cast<std::size_t>(n), 1.0);
  if (edge <= 0) return f;
  for (int i = 0; i < n; ++i) {
    const double d = std::min(i + 0.5, n - i - 0.5);
    const double t = std::clamp(d / edge, 0.0, 1.0);
    f[static_cast<std::size_t>(i)] = t * t * (3 - 2 * t);
  }
  return f;
}

}  // namespace

Image ghost_image(const ImageView& portrait, const GhostOptions& options) {
  if (portrait.empty() || portrait.format() == PixelFormat::cmyk8) return Image();
  if (options.width < 0 || options.height < 0 || (options.width == 0) != (options.height == 0)) return Image();
  const double lightness = std::isfinite(options.lightness) ? std::clamp(options.lightness, 0.0, 1.0) : 0.6;
  const double vignette = std::isfinite(options.vignette) ? std::clamp(options.vignette, 0.0, 0.5) : 0.0;
  // Grey first (one channel to resample), then to the printed size.
  Image grey(portrait.width(), portrait.height(), PixelFormat::gray8);
  const int bpp = channels(portrait.format());
  for (int y = 0; y < portrait.height(); ++y) {
    const std::uint8_t* s = portrait.row(y);
    std::uint8_t* d = grey.row(y);
    for (int x = 0; x < portrait.width(); ++x, s += bpp) d[x] = grey_at(s, portrait.format());
  }
  if (options.width > 0 && (options.width != grey.width() || options.height != grey.height()))
    grey = detail::resampled(grey.view(), options.width, options.height);
  const int w = grey.width(), h = grey.height();
  const double edge = vignette * std::min(w, h);
  const auto fx = fade_profile(w, edge), fy = fade_profile(h, edge);
  Image out(w, h, PixelFormat::gray8);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* s = grey.row(y);
    std::uint8_t* d = out.row(y);
    const double ky = (1.0 - lightness) * fy[static_cast<std::size_t>(y)];
    for (int x = 0; x < w; ++x) {
      const double ink = (255 - s[x]) * ky * fx[static_cast<std::size_t>(x)];
      // ink >= 0: adding a half and truncating rounds it (std::lround is a libm call per pixel).
      d[x] = static_cast<std::uint8_t>(255 - static_cast<int>(ink + 0.5));
    }
  }
  return out;
}

}  // namespace sdc
