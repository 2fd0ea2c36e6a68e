#include "photo/photo_cv.hpp"
#include "photo/resample.hpp"

#include <opencv2/imgproc.hpp>

namespace sdc::detail {

cv::Mat mat_view(const ImageView& v) {
  return cv::Mat(v.height(), v.width(), CV_8UC(channels(v.format())), const_cast<std::uint8_t*>(v.data()),
                 static_cast<std::size_t>(v.row_stride()));
}

namespace {
// Straight alpha over white, rounded: out = (c * a + 255 * (255 - a) + 127) / 255.
cv::Mat rgba_over_white(const ImageView& v) {
  cv::Mat out(v.height(), v.width(), CV_8UC3);
  for (int y = 0; y < v.height(); ++y) {
    const std::uint8_t* s = v.row(y);
    auto* d = out.ptr<std::uint8_t>(y);
    for (int x = 0; x < v.width(); ++x, s += 4, d += 3) {
      const int a = s[3];
      for (int c = 0; c < 3; ++c) d[c] = static_cast<std::uint8_t>((s[c] * a + 255 * (255 - a) + 127) / 255);
    }
  }
  return out;
}
}  // namespace

cv::Mat to_rgb(const ImageView& v) {
  cv::Mat out;
  switch (v.format()) {
    case PixelFormat::gray8: cv::cvtColor(mat_view(v), out, cv::COLOR_GRAY2RGB); break;
    case PixelFormat::rgb8: mat_view(v).copyTo(out); break;
    case PixelFormat::rgba8: out = rgba_over_white(v); break;
    case PixelFormat::cmyk8: break;
  }
  return out;
}

cv::Mat to_gray(const ImageView& v) {
  cv::Mat out;
  switch (v.format()) {
    case PixelFormat::gray8: mat_view(v).copyTo(out); break;
    case PixelFormat::rgb8: cv::cvtColor(mat_view(v), out, cv::COLOR_RGB2GRAY); break;
    case PixelFormat::rgba8: cv::cvtColor(rgba_over_white(v), out, cv::COLOR_RGB2GRAY); break;
    case PixelFormat::cmyk8: break;
  }
  return out;
}

Image resampled(const ImageView& v, int w, int h) {
  Image out(w, h, v.format());
  cv::Mat dst(h, w, CV_8UC(channels(v.format())), out.data(), static_cast<std::size_t>(out.row_stride()));
  cv::resize(mat_view(v), dst, cv::Size(w, h), 0, 0,
             w <= v.width() && h <= v.height() ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

}  // namespace sdc::detail
