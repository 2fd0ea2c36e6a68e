#include "mrz/read_support.hpp"

#include <jpeglib.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "mrz/glyphs.hpp"

namespace sdc::test {

Image jpeg_round_trip(const Image& image, int quality) {
  const int comps = image.format() == PixelFormat::gray8 ? 1 : 3;
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = static_cast<JDIMENSION>(image.width());
  c.image_height = static_cast<JDIMENSION>(image.height());
  c.input_components = comps;
  c.in_color_space = comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.row(static_cast<int>(c.next_scanline)));
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  auto decoded = decode_image(buf, size, "round-trip.jpg");
  std::free(buf);
  if (!decoded) throw std::runtime_error(decoded.error().to_string());
  return std::move(*decoded);
}

Image zone_image(const std::vector<std::string>& lines, const Channel& ch) {
  // Draw large (capitals about 64 px), then transform and shrink: the final image is anti-aliased.
  const double over = std::clamp(64 / ch.cap_px, 1.0, 4.0);
  const double cap = ch.cap_px * over;
  auto glyphs = mrz::render_glyphs(std::filesystem::path(SDC_SOURCE_DIR) / "fonts/OCRB.otf", cap,
                                   "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<");
  if (!glyphs) throw std::runtime_error(glyphs.error().to_string());
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
  const double pitch = cap * ch.pitch, spacing = 2 * cap, margin = 4 * cap;
  const int w = static_cast<int>(static_cast<double>(lines[0].size()) * pitch + 2 * margin);
  const int h = static_cast<int>(static_cast<double>(lines.size()) * spacing + 2 * margin);
  cv::Mat paper(h, w, CV_32F, cv::Scalar(242));
  if (ch.pattern) {
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const double v = std::sin(x * 0.02 + 6 * std::sin(y * 0.004)) * std::sin(y * 0.015 + 3 * std::sin(x * 0.003));
        paper.at<float>(y, x) -= static_cast<float>(std::abs(v) > 0.9 ? 55 : 12 * (v + 1));
      }
  }
  // Another print of OCR-B: strokes widened or thinned morphologically (not as the reader's own
  // FreeType emboldening does it) and glyphs narrowed or widened in their cells.
  const int radius = static_cast<int>(std::lround(std::abs(ch.stroke) * cap / 2));
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * radius + 1, 2 * radius + 1));
  const int pad = radius + static_cast<int>(cap / 2);
  for (std::size_t l = 0; l < lines.size(); ++l)
    for (std::size_t i = 0; i < lines[l].size(); ++i) {
      const auto& g = (*glyphs)[alphabet.find(lines[l][i])];
      const cv::Mat cov(g.height, g.width, CV_8U, const_cast<std::uint8_t*>(g.coverage.data()));
      cv::Mat a;
      cov.convertTo(a, CV_32F, 1 / 255.0);
      cv::copyMakeBorder(a, a, pad, pad, pad, pad, cv::BORDER_CONSTANT, 0);
      if (ch.glyph_width != 1) {
        const double cx = a.cols / 2.0;
        const cv::Mat m = (cv::Mat_<double>(2, 3) << ch.glyph_width, 0, cx * (1 - ch.glyph_width), 0, 1, 0);
        cv::warpAffine(a, a, m, a.size(), cv::INTER_LINEAR);
      }
      if (radius > 0) (ch.stroke > 0 ? cv::dilate(a, a, kernel) : cv::erode(a, a, kernel));
      const int ox = static_cast<int>(margin + static_cast<double>(i) * pitch + (pitch - g.width) / 2) - pad;
      const int oy = static_cast<int>(margin + static_cast<double>(l) * spacing + cap) - g.top - pad;
      for (int y = 0; y < a.rows; ++y)
        for (int x = 0; x < a.cols; ++x) {
          const float v = a.at<float>(y, x);
          if (v <= 0) continue;
          float& p = paper.at<float>(oy + y, ox + x);
          p = p * (1 - v) + 25 * v;
        }
    }
  // Specks of a background's print (a guilloche border's wave ends, as a card's capture under
  // glare showed them): 1.6 pitches before each line's first character's centre and 1.5 after its
  // last's, low on the line, a little larger than a full stop.
  if (ch.specks)
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const double mid = margin + static_cast<double>(l) * spacing + 0.7 * cap;
      for (const double cx : {margin + pitch / 2 - 1.6 * pitch,
                              margin + (static_cast<double>(lines[l].size()) - 0.5) * pitch + 1.5 * pitch})
        cv::rectangle(paper,
                      cv::Rect(static_cast<int>(cx - 0.125 * cap), static_cast<int>(mid - 0.2 * cap),
                               static_cast<int>(0.25 * cap), static_cast<int>(0.4 * cap)),
                      cv::Scalar(25), cv::FILLED);
    }
  for (const CellRun& run : ch.washed) {
    const double top = margin + (run.line < 0 ? 0 : run.line) * spacing - 0.3 * cap;
    const double bottom =
        margin + (run.line < 0 ? static_cast<double>(lines.size()) - 1 : run.line) * spacing + 1.4 * cap;
    const double left = margin + run.first * pitch, right = margin + (run.last + 1) * pitch;
    paper(cv::Rect(static_cast<int>(left), static_cast<int>(top), static_cast<int>(right - left),
                   static_cast<int>(bottom - top)))
        .setTo(255);
  }
  // Rotate about the centre into a canvas large enough, then shrink to the final size.
  const double diag = std::hypot(w, h);
  cv::Mat big(static_cast<int>(diag), static_cast<int>(diag), CV_32F, cv::Scalar(242));
  paper.copyTo(big(cv::Rect((big.cols - w) / 2, (big.rows - h) / 2, w, h)));
  const cv::Mat rot = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(big.cols) / 2.f, static_cast<float>(big.rows) / 2.f), ch.angle_deg, 1.0);
  cv::warpAffine(big, big, rot, big.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(242));
  if (ch.keystone > 0) {
    // A phone held at an angle: the right edge shorter, about the centre line (a perspective map).
    const float W = static_cast<float>(big.cols), H = static_cast<float>(big.rows);
    const float k = static_cast<float>(ch.keystone) * H / 2;
    const cv::Point2f from[4] = {{0, 0}, {W, 0}, {W, H}, {0, H}};
    const cv::Point2f to[4] = {{0, 0}, {W, k}, {W, H - k}, {0, H}};
    cv::warpPerspective(big, big, cv::getPerspectiveTransform(from, to), big.size(), cv::INTER_LINEAR,
                        cv::BORDER_CONSTANT, cv::Scalar(242));
  }
  cv::Mat small;
  cv::resize(big, small, cv::Size(), 1 / over, 1 / over, cv::INTER_AREA);
  if (ch.light_gradient > 0)
    for (int y = 0; y < small.rows; ++y)
      for (int x = 0; x < small.cols; ++x)
        small.at<float>(y, x) *= static_cast<float>(1 - ch.light_gradient * x / static_cast<double>(small.cols));
  if (ch.blur_sigma > 0) cv::GaussianBlur(small, small, cv::Size(0, 0), ch.blur_sigma);
  if (ch.noise_sigma > 0) {
    std::mt19937 rng(ch.seed);
    std::normal_distribution<float> n(0, static_cast<float>(ch.noise_sigma));
    for (int y = 0; y < small.rows; ++y)
      for (int x = 0; x < small.cols; ++x) small.at<float>(y, x) += n(rng);
  }
  Image out(small.cols, small.rows, PixelFormat::gray8);
  cv::Mat o(small.rows, small.cols, CV_8U, out.data());
  small.convertTo(o, CV_8U);
  if (ch.jpeg_quality > 0) out = jpeg_round_trip(out, ch.jpeg_quality);
  return out;
}

}  // namespace sdc::test
