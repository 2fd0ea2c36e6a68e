// flatten_glare (verify/glare.hpp) with OpenCV's morphology, on the photo module's grey copy.
#include "verify/glare.hpp"

#include "photo/photo_cv.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace sdc::detail {

Image flatten_glare(const ImageView& card, Dpi dpi) {
  if (card.empty() || card.format() == PixelFormat::cmyk8) return {};
  const cv::Mat grey = to_gray(card);
  // 3 mm holds dark and light modules of any QR code printed on a card (a module is 0.25 to 1 mm).
  const int k = std::max(9, static_cast<int>(std::lround(3.0 * dpi.v / 25.4)) | 1);
  const cv::Mat box = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k));
  cv::Mat hi, lo;
  cv::dilate(grey, hi, box);
  cv::erode(grey, lo, box);
  cv::blur(hi, hi, cv::Size(k, k));
  cv::blur(lo, lo, cv::Size(k, k));
  constexpr int kMinRange = 12;
  Image out(card.width(), card.height(), PixelFormat::gray8);
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* g = grey.ptr<std::uint8_t>(y);
    const std::uint8_t* h = hi.ptr<std::uint8_t>(y);
    const std::uint8_t* l = lo.ptr<std::uint8_t>(y);
    std::uint8_t* o = out.row(y);
    for (int x = 0; x < grey.cols; ++x) {
      const int range = h[x] - l[x];
      o[x] = range < kMinRange ? std::uint8_t{255}
                               : static_cast<std::uint8_t>(std::clamp((g[x] - l[x]) * 255 / range, 0, 255));
    }
  }
  return out;
}

Image even_out_light(const ImageView& card, Dpi dpi) {
  if (card.empty() || card.format() == PixelFormat::cmyk8) return {};
  const cv::Mat grey = to_gray(card);
  const int k = std::max(9, static_cast<int>(std::lround(3.0 * dpi.v / 25.4)) | 1);
  cv::Mat paper;
  cv::morphologyEx(grey, paper, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
  Image out(card.width(), card.height(), PixelFormat::gray8);
  cv::Mat view(out.height(), out.width(), CV_8UC1, out.data(), static_cast<std::size_t>(out.row_stride()));
  cv::divide(grey, paper, view, 235.0);  // saturating; 0 where the paper is 0
  return out;
}

}  // namespace sdc::detail
