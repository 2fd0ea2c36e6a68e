#include "verify/glare.hpp"

#include "core/pixels.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace sdc::detail {

namespace {

struct CellLevels {
  int dark = 0;        // 2nd percentile
  int median = 0;      // 50th percentile
  double clipped = 0;  // share at kClip and lighter
};

constexpr int kClip = 250;

CellLevels levels(const ImageView& img, int x0, int y0, int x1, int y1) {
  std::array<int, 256> hist{};
  const int n_ch = channels(img.format());
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* p = img.row(y) + static_cast<std::ptrdiff_t>(x0) * n_ch;
    for (int x = x0; x < x1; ++x, p += n_ch) ++hist[grey_ignoring_alpha(p, img.format())];
  }
  const int n = (x1 - x0) * (y1 - y0);
  CellLevels c;
  int clipped = 0;
  for (int v = kClip; v < 256; ++v) clipped += hist[static_cast<std::size_t>(v)];
  c.clipped = n > 0 ? static_cast<double>(clipped) / n : 0.0;
  int seen = 0;
  bool dark_set = false;
  for (int v = 0; v < 256; ++v) {
    seen += hist[static_cast<std::size_t>(v)];
    if (!dark_set && seen * 50 >= n) c.dark = v, dark_set = true;
    if (seen * 2 >= n) {
      c.median = v;
      break;
    }
  }
  return c;
}

// The q-th quantile (0..1) of `v` (not empty).
int quantile(std::vector<int> v, double q) {
  const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

}  // namespace

ZoneGlare zone_glare(const ImageView& zone, int rows, int cols) {
  ZoneGlare g;
  if (zone.empty() || zone.format() == PixelFormat::cmyk8 || rows < 1 || cols < 1) return g;
  if (zone.width() < 2 * cols || zone.height() < 2 * rows) return g;
  std::vector<CellLevels> cells;
  for (int l = 0; l < rows; ++l)
    for (int c = 0; c < cols; ++c)
      cells.push_back(levels(zone, zone.width() * c / cols, zone.height() * l / rows, zone.width() * (c + 1) / cols,
                             zone.height() * (l + 1) / rows));
  std::vector<int> medians, contrasts;
  for (const auto& c : cells) {
    medians.push_back(c.median);
    contrasts.push_back(c.median - c.dark);
  }
  g.cells = static_cast<int>(cells.size());
  // The paper and the print's contrast where the light is as it should be: glare lifts the cells
  // it covers, so the paper is a lower quantile and the contrast an upper one.
  const int paper = quantile(medians, 0.25), contrast = quantile(contrasts, 0.75);
  if (paper >= 250 && contrast < 40) {  // clipped white as a whole
    g.washed = g.cells;
    g.washed_in_row.assign(static_cast<std::size_t>(rows), cols);
    return g;
  }
  if (paper > 250) return g;  // the paper clips: glare cannot be told from it
  // Lifted: a third of the way to white, 8 levels at least, and white will do over a paper that
  // is nearly so already.
  const int lifted = std::min(255, paper + std::max(8, (255 - paper) / 3)), faint = std::min(24, contrast / 3);
  // A highlight over part of a cell clips it there and leaves the rest readable, so its median and
  // contrast stay a print's: a quarter of it clipped where the paper is well under the clip is
  // glare as well (the MRZ's characters under a spot a few millimetres across).
  const bool paper_well_under = paper <= kClip - 8;
  g.washed_in_row.assign(static_cast<std::size_t>(rows), 0);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const CellLevels& c = cells[i];
    if ((c.median >= lifted && c.median - c.dark < faint) || (paper_well_under && c.clipped > 0.25)) {
      ++g.washed;
      ++g.washed_in_row[i / static_cast<std::size_t>(cols)];
    }
  }
  return g;
}

double clipped_white_share(const ImageView& img, PxRect r) {
  if (img.empty() || img.format() == PixelFormat::cmyk8) return 0;
  const int x0 = std::max(0, r.x), y0 = std::max(0, r.y);
  const int x1 = std::min(img.width(), r.x + r.w), y1 = std::min(img.height(), r.y + r.h);
  if (x1 <= x0 || y1 <= y0) return 0;
  const int n_ch = channels(img.format());
  const int colours = img.format() == PixelFormat::rgba8 ? 3 : n_ch;
  long clipped = 0;
  for (int y = y0; y < y1; ++y) {
    const std::uint8_t* p = img.row(y) + static_cast<std::ptrdiff_t>(x0) * n_ch;
    for (int x = x0; x < x1; ++x, p += n_ch) {
      bool white = true;
      for (int c = 0; c < colours; ++c) white = white && p[c] >= kClip;
      clipped += white ? 1 : 0;
    }
  }
  return static_cast<double>(clipped) / (static_cast<double>(x1 - x0) * (y1 - y0));
}

}  // namespace sdc::detail
