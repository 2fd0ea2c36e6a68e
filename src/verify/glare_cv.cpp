// flatten_glare (verify/glare.hpp) with OpenCV's morphology, on the photo module's grey copy.
#include "verify/glare.hpp"

#include "forensics/forensics.hpp"
#include "photo/photo_cv.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

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

namespace {

// The lightest twentieth of `v` (the paper's light where fine print leaves it bare); -1 when empty.
double lightest_twentieth(std::vector<std::uint8_t>& v) {
  if (v.empty()) return -1;
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(v.size() - 1 - v.size() / 20);
  std::nth_element(v.begin(), at, v.end());
  return *at;
}

}  // namespace

Image even_out_shadow_edge(const ImageView& card, Dpi dpi, PxRect box) {
  if (card.empty() || card.format() == PixelFormat::cmyk8 || box.w < 16 || box.h < 16) return {};
  const double k = dpi.v / 25.4;  // pixels per millimetre
  const int inner = std::max(1, static_cast<int>(std::lround(0.5 * k))),
            outer = std::max(inner + 2, static_cast<int>(std::lround(2.0 * k)));
  const cv::Rect whole(0, 0, card.width(), card.height());
  const cv::Rect area = cv::Rect(box.x - outer, box.y - outer, box.w + 2 * outer, box.h + 2 * outer) & whole;
  const cv::Rect photo = cv::Rect(box.x, box.y, box.w, box.h) & whole;
  if (photo.width < 16 || photo.height < 16) return {};
  const cv::Mat grey = to_gray(card.cropped(PxRect{area.x, area.y, area.width, area.height}));
  // The band: `inner` to `outer` pixels outside the box (its frame and its margin left out).
  const cv::Rect hole(box.x - inner - area.x, box.y - inner - area.y, box.w + 2 * inner, box.h + 2 * inner);
  const auto in_band = [&](int x, int y) { return !hole.contains(cv::Point(x, y)); };

  // 1. The band's cells and their paper's light.
  struct Cell {
    double x, y, light;
  };
  std::vector<Cell> cells;
  const int step = std::max(2, static_cast<int>(std::lround(1.5 * k)));
  std::vector<std::uint8_t> v;
  for (int cy = 0; cy < grey.rows; cy += step)
    for (int cx = 0; cx < grey.cols; cx += step) {
      v.clear();
      for (int y = cy; y < std::min(grey.rows, cy + step); ++y) {
        const std::uint8_t* row = grey.ptr<std::uint8_t>(y);
        for (int x = cx; x < std::min(grey.cols, cx + step); ++x)
          if (in_band(x, y)) v.push_back(row[x]);
      }
      if (v.size() * 2 < static_cast<std::size_t>(step * step)) continue;  // mostly photo or outside
      cells.push_back(Cell{cx + step / 2.0, cy + step / 2.0, lightest_twentieth(v)});
    }
  if (cells.size() < 8) return {};
  const auto [lo, hi] =
      std::minmax_element(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) { return a.light < b.light; });
  const double lit = hi->light, dark = lo->light;
  if (!(lit > 0) || dark >= forensics::kShadowLight * lit) return {};

  // 2. The line that best parts the lit cells from the shadowed (at the light halfway between):
  // every direction in 2-degree steps, every offset between two cells along it.
  const double mid = (lit + dark) / 2;
  struct Line {
    double nx = 1, ny = 0, c = 0;
    int wrong = 1 << 30;
  } best;
  std::vector<std::pair<double, bool>> along(cells.size());  // projection, lit
  for (int deg = 0; deg < 360; deg += 2) {
    const double a = deg * CV_PI / 180, nx = std::cos(a), ny = std::sin(a);
    for (std::size_t i = 0; i < cells.size(); ++i)
      along[i] = {nx * cells[i].x + ny * cells[i].y, cells[i].light >= mid};
    std::sort(along.begin(), along.end());
    // Shadowed below the offset, lit above: count the cells on the wrong side of each offset.
    int lit_below = 0, dark_above = 0;
    for (const auto& e : along) dark_above += e.second ? 0 : 1;
    for (std::size_t i = 0; i + 1 < along.size(); ++i) {
      (along[i].second ? lit_below : dark_above) += along[i].second ? 1 : -1;
      const int wrong = lit_below + dark_above;
      if (wrong < best.wrong) best = Line{nx, ny, (along[i].first + along[i + 1].first) / 2, wrong};
    }
  }
  if (best.wrong > static_cast<int>(cells.size()) / 10) return {};  // not one straight edge

  // 3. The paper's light across the line, from the band's pixels, in 0.2 mm steps over 4 mm each
  // side; beyond, the lit or the shadowed cells' median.
  const double bin = std::max(1.0, 0.2 * k);
  const int half = static_cast<int>(std::ceil(4.0 * k / bin));
  std::vector<std::vector<std::uint8_t>> bins(static_cast<std::size_t>(2 * half));
  for (int y = 0; y < grey.rows; ++y) {
    const std::uint8_t* row = grey.ptr<std::uint8_t>(y);
    for (int x = 0; x < grey.cols; ++x) {
      if (!in_band(x, y)) continue;
      const int b = static_cast<int>(std::floor((best.nx * x + best.ny * y - best.c) / bin)) + half;
      if (b >= 0 && b < 2 * half) bins[static_cast<std::size_t>(b)].push_back(row[x]);
    }
  }
  std::vector<double> lit_cells, dark_cells;
  for (const auto& c : cells) (best.nx * c.x + best.ny * c.y - best.c > 0 ? lit_cells : dark_cells).push_back(c.light);
  const auto median = [](std::vector<double> m) {
    if (m.empty()) return -1.0;
    std::nth_element(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(m.size() / 2), m.end());
    return m[m.size() / 2];
  };
  const double lit_light = median(lit_cells), dark_light = median(dark_cells);
  if (!(lit_light > 0) || !(dark_light > 0)) return {};
  std::vector<double> profile(bins.size(), -1);
  for (std::size_t b = 0; b < bins.size(); ++b)
    if (bins[b].size() >= 8) profile[b] = lightest_twentieth(bins[b]);
  // Bins without enough pixels take their neighbours' light, and the ends the cells'.
  if (profile.front() < 0) profile.front() = dark_light;
  if (profile.back() < 0) profile.back() = lit_light;
  for (std::size_t b = 1; b < profile.size(); ++b)
    if (profile[b] < 0) {
      std::size_t e = b;
      while (profile[e] < 0) ++e;
      for (std::size_t j = b; j < e; ++j)
        profile[j] = profile[b - 1] +
                     (profile[e] - profile[b - 1]) * static_cast<double>(j - b + 1) / static_cast<double>(e - b + 1);
    }
  const auto light_at = [&](double t) {
    const double f = t / bin + half - 0.5;
    if (f <= 0) return std::min(profile.front(), dark_light);
    if (f >= static_cast<double>(profile.size() - 1)) return std::max(profile.back(), lit_light);
    const auto i = static_cast<std::size_t>(f);
    return profile[i] + (profile[i + 1] - profile[i]) * (f - static_cast<double>(i));
  };

  // 4. The box, each pixel times the lit paper's light over the light where it is.
  const ImageView src = card.cropped(PxRect{photo.x, photo.y, photo.width, photo.height});
  Image out(src.width(), src.height(), src.format());
  const int nc = channels(src.format());
  const int colour = src.format() == PixelFormat::rgba8 ? 3 : nc;  // alpha untouched
  for (int y = 0; y < src.height(); ++y) {
    const std::uint8_t* in = src.row(y);
    std::uint8_t* o = out.row(y);
    const double ay = photo.y - area.y + y;
    for (int x = 0; x < src.width(); ++x) {
      const double t = best.nx * (photo.x - area.x + x) + best.ny * ay - best.c;
      const double gain = std::clamp(lit_light / std::max(1.0, light_at(t)), 1.0, 8.0);
      for (int c = 0; c < nc; ++c) {
        const int i = x * nc + c;
        o[i] = c < colour ? static_cast<std::uint8_t>(std::lround(std::min(255.0, in[i] * gain))) : in[i];
      }
    }
  }
  return out;
}

}  // namespace sdc::detail
