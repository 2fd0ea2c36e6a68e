// Reading an MRZ from an image with OpenCV: find the lines, resample them, classify every cell
// against OCR-B reference glyphs.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <numeric>
#include <optional>

#include "mrz/decode.hpp"
#include "mrz/glyphs.hpp"

namespace sdc {

namespace {

using mrz::CellScores;
using mrz::kAlphabet;
using mrz::kAlphabetSize;

// Normalised geometry: every line is resampled so that a capital letter is kCap pixels high.
constexpr double kCap = 20.0;
constexpr int kStripH = 44;  // strip height, the cap centre on row kStripH / 2
constexpr double kStripMid = kStripH / 2.0;
constexpr double kDetMax = 1400.0;  // the longer side of the detection image
// Glyph sizes tried per line: the height measured in a strip mixes capitals, taller digits and
// lower fillers, so the scale that matches best on the first cells decides.
constexpr double kScales[] = {0.92, 1.0, 1.08};
// Stroke weights, as the stroke's change in capital heights (OCR-B's stem is 0.135; the font's own
// first). Zones are printed lighter or bolder than the reference font (another vendor's OCR-B, a
// printer's dot gain, a laser's burn), and a bold zone matched against the regular glyphs reads O
// as D. A zone's first line chooses the weight on its first cells; the other lines keep it.
constexpr double kWeights[] = {0.0, -0.04, 0.05, 0.10, 0.16};
// Glyph columns padded to a multiple of 8 floats: whole vector lanes in the product (correlate).
constexpr int kPadded = (kAlphabetSize + 7) / 8 * 8;
// The least mean glyph match (normalised correlation of each cell with its best OCR-B glyph) of a
// zone: a zone, even blurred, skewed or under glare, matches 0.69 or more (tests and simulated
// captures); text in another font or printed patterns on a card without a zone matched 0.30, and
// with a score of at least two holding check digits (coerced by the corrections) were read as one.
constexpr double kMinGlyphMatch = 0.5;
// The least height, in capitals, of an ink component that the cell grid is fitted to.
constexpr double kMinGlyphHeight = 0.6;

struct Component {
  double x0, y0, x1, y1;  // detection pixels
  double cx() const { return (x0 + x1) / 2; }
  double cy() const { return (y0 + y1) / 2; }
  double w() const { return x1 - x0; }
  double h() const { return y1 - y0; }
};

// A text line in detection coordinates: the centre line runs from `start` along `dir`.
struct Line {
  cv::Point2d start, dir;
  double length = 0, height = 0, pitch = 0;
  int count = 0;
  double offset = 0;  // perpendicular position of the centre line
};

cv::Point2d normal_of(cv::Point2d d) {
  return {-d.y, d.x};
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

cv::Mat to_gray(const ImageView& v) {
  const cv::Mat src(v.height(), v.width(), CV_8UC(channels(v.format())), const_cast<std::uint8_t*>(v.data()),
                    static_cast<std::size_t>(v.row_stride()));
  cv::Mat gray;
  switch (v.format()) {
    case PixelFormat::gray8: gray = src.clone(); break;
    case PixelFormat::rgb8: cv::cvtColor(src, gray, cv::COLOR_RGB2GRAY); break;
    case PixelFormat::rgba8: cv::cvtColor(src, gray, cv::COLOR_RGBA2GRAY); break;
    case PixelFormat::cmyk8: {
      // Lightness from ink amounts: K and the darkest of C, M, Y darken it.
      gray.create(v.height(), v.width(), CV_8U);
      for (int y = 0; y < v.height(); ++y) {
        const std::uint8_t* p = v.row(y);
        auto* o = gray.ptr<std::uint8_t>(y);
        for (int x = 0; x < v.width(); ++x, p += 4) {
          const int cmy = std::max({p[0], p[1], p[2]});
          o[x] = static_cast<std::uint8_t>((255 - cmy) * (255 - p[3]) / 255);
        }
      }
      break;
    }
  }
  return gray;
}

// Dark-ink mask: darkness relative to the local background (a grey closing), so uneven light and
// light printed patterns stay below the threshold. `faint`: the threshold at its floor (25 %)
// instead of Otsu's, for a zone faded by glare (light added over the print lowers every glyph's
// relative contrast, while Otsu's threshold is set by the glyphs elsewhere).
cv::Mat ink_mask(const cv::Mat& det, bool faint) {
  CV_Assert(det.type() == CV_8U);
  cv::Mat bg;
  cv::morphologyEx(det, bg, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {15, 15}));
  // Per pixel, (b - det) / b with b = max(bg, 40), in float, times 255 rounded and saturated to 8
  // bits: in one pass, without the four float images that OpenCV's whole-image operations took
  // (the same bytes for every pair of 8-bit values).
  cv::Mat c8(det.size(), CV_8U);
  // Otsu among pixels with some darkness, kept between 25 % and 50 % contrast.
  std::vector<std::uint8_t> dark;
  for (int y = 0; y < det.rows; ++y) {
    const std::uint8_t* d = det.ptr<std::uint8_t>(y);
    const std::uint8_t* b = bg.ptr<std::uint8_t>(y);
    std::uint8_t* c = c8.ptr<std::uint8_t>(y);
    for (int x = 0; x < det.cols; ++x) {
      const float back = std::max(static_cast<float>(b[x]), 40.0f);
      c[x] = cv::saturate_cast<std::uint8_t>((back - static_cast<float>(d[x])) / back * 255.0f);
      if (!faint && c[x] > 20) dark.push_back(c[x]);
    }
  }
  double t = 0.3 * 255;
  if (faint) {
    t = 0.25 * 255;
  } else if (dark.size() > 100) {
    cv::Mat d(1, static_cast<int>(dark.size()), CV_8U, dark.data());
    cv::Mat ignored;
    t = std::clamp(cv::threshold(d, ignored, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU), 0.25 * 255, 0.5 * 255);
  }
  cv::Mat mask;
  cv::threshold(c8, mask, t, 255, cv::THRESH_BINARY);
  return mask;
}

std::vector<Component> components(const cv::Mat& mask, double min_h, double max_h) {
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  std::vector<Component> out;
  for (int i = 1; i < n; ++i) {
    const int* s = stats.ptr<int>(i);
    const double w = s[cv::CC_STAT_WIDTH], h = s[cv::CC_STAT_HEIGHT];
    if (h < min_h || h > max_h || w > 3.2 * h || s[cv::CC_STAT_AREA] < 6) continue;
    out.push_back({double(s[cv::CC_STAT_LEFT]), double(s[cv::CC_STAT_TOP]), double(s[cv::CC_STAT_LEFT]) + w,
                   double(s[cv::CC_STAT_TOP]) + h});
  }
  return out;
}

// The fewest components a line of a zone is found with: a chain of fewer is a word, not a line.
constexpr std::size_t kMinLineComponents = 12;
// The fewest components of a piece of a line that a gap splits (below).
constexpr std::size_t kMinPieceComponents = 5;
// The widest gap between two pieces of one line, in pitches: a highlight, a finger or a hologram's
// stripe across a zone washes out whole runs of cells, and the chain of components breaks there.
constexpr double kMaxGapPitches = 20;

// The centre line through components `g` (the tall ones: fillers sit lower than capitals), with
// their extent, height and pitch; nullopt when no pitch is measured.
std::optional<Line> fit_line(const std::vector<Component>& comps, const std::vector<std::size_t>& g) {
  std::vector<cv::Point2f> pts;
  std::vector<double> hs;
  for (auto i : g)
    pts.emplace_back(static_cast<float>(comps[i].cx()), static_cast<float>(comps[i].cy())), hs.push_back(comps[i].h());
  const double h = quantile(hs, 0.9);
  std::vector<cv::Point2f> tall;
  for (auto i : g)
    if (comps[i].h() > 0.85 * h)
      tall.emplace_back(static_cast<float>(comps[i].cx()), static_cast<float>(comps[i].cy()));
  if (tall.size() < 2) tall = pts;
  cv::Vec4f fit;
  cv::fitLine(tall, fit, cv::DIST_HUBER, 0, 0.01, 0.01);
  cv::Point2d d(fit[0], fit[1]);
  if (d.x < 0) d = -d;
  const cv::Point2d p0(fit[2], fit[3]);
  const cv::Point2d nrm = normal_of(d);
  double umin = 1e300, umax = -1e300;
  std::vector<double> us;
  for (auto i : g) {
    const auto& c = comps[i];
    const double u = (cv::Point2d(c.cx(), c.cy()) - p0).dot(d);
    umin = std::min(umin, u - c.w() / 2);
    umax = std::max(umax, u + c.w() / 2);
    us.push_back(u);
  }
  std::sort(us.begin(), us.end());
  std::vector<double> gaps;
  for (std::size_t k = 1; k < us.size(); ++k)
    if (us[k] - us[k - 1] > 0.5 * h && us[k] - us[k - 1] < 1.8 * h) gaps.push_back(us[k] - us[k - 1]);
  Line l;
  l.dir = d;
  l.start = p0 + umin * d;
  l.length = umax - umin;
  l.height = h;
  l.pitch = median(gaps);
  l.count = static_cast<int>(g.size());
  l.offset = p0.dot(nrm);
  if (!(l.pitch > 0)) return std::nullopt;
  return l;
}

// Whether piece `b` continues piece `a` to its right on one line, across a gap of at most
// kMaxGapPitches: the same height and pitch, each piece's middle on the other's centre line, and
// the pieces apart along it.
bool continues(const Line& a, const Line& b) {
  const double hr = a.height / b.height, pr = a.pitch / b.pitch;
  if (hr < 0.8 || hr > 1.25 || pr < 0.8 || pr > 1.25) return false;
  if (std::abs(a.dir.x * b.dir.y - a.dir.y * b.dir.x) > 0.1) return false;
  const double h = (a.height + b.height) / 2, pitch = (a.pitch + b.pitch) / 2;
  const cv::Point2d ma = a.start + a.length / 2 * a.dir, mb = b.start + b.length / 2 * b.dir;
  if (std::abs((mb - a.start).dot(normal_of(a.dir))) > 0.3 * h) return false;
  if (std::abs((ma - b.start).dot(normal_of(b.dir))) > 0.3 * h) return false;
  const double gap = (b.start - a.start).dot(a.dir) - a.length;
  return gap > 0.5 * pitch && gap < kMaxGapPitches * pitch;
}

// Chains components into text lines: each links to its nearest right neighbour of similar height
// on the same row. With `washed` (a zone partly washed out), pieces of one line that a run of
// washed-out cells splits are joined too; the pieces long enough to be lines are kept as well.
std::vector<Line> find_lines(std::vector<Component> comps, bool washed) {
  std::sort(comps.begin(), comps.end(), [](const Component& a, const Component& b) { return a.x0 < b.x0; });
  const std::size_t n = comps.size();
  std::vector<std::size_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto& a = comps[i];
    double best = 1e300;
    std::size_t pick = n;
    for (std::size_t j = i + 1; j < n; ++j) {
      const auto& b = comps[j];
      const double hm = std::max(a.h(), b.h());
      if (b.x0 > a.x1 + 1.3 * hm) break;
      if (b.x0 < a.x1 - 0.3 * hm || b.cx() <= a.cx()) continue;
      if (std::abs(b.cy() - a.cy()) > 0.4 * hm) continue;
      const double r = a.h() / b.h();
      if (r < 0.3 || r > 3.3) continue;
      const double d = b.x0 - a.x1;
      if (d < best) best = d, pick = j;
    }
    if (pick < n) parent[find(i)] = find(pick);
  }
  std::vector<std::vector<std::size_t>> groups(n);
  for (std::size_t i = 0; i < n; ++i) groups[find(i)].push_back(i);
  struct Piece {
    std::vector<std::size_t> members;
    Line line;
  };
  std::vector<Piece> pieces;
  std::vector<Line> lines;
  for (auto& g : groups) {
    if (g.size() < (washed ? kMinPieceComponents : kMinLineComponents)) continue;
    const auto l = fit_line(comps, g);
    if (!l) continue;
    if (g.size() >= kMinLineComponents) lines.push_back(*l);
    pieces.push_back({std::move(g), *l});
  }
  // Each piece joined to the nearest piece that continues it to the right.
  const std::size_t m = pieces.size();
  std::vector<std::size_t> next(m, m);
  std::vector<bool> has_left(m, false);
  for (std::size_t i = 0; i < m; ++i) {
    double nearest = 1e300;
    for (std::size_t j = 0; j < m; ++j) {
      if (j == i || !continues(pieces[i].line, pieces[j].line)) continue;
      const double gap = (pieces[j].line.start - pieces[i].line.start).dot(pieces[i].line.dir);
      if (gap < nearest) nearest = gap, next[i] = j;
    }
  }
  for (std::size_t i = 0; i < m; ++i)
    if (next[i] < m) has_left[next[i]] = true;
  for (std::size_t i = 0; i < m; ++i) {
    if (has_left[i] || next[i] == m) continue;
    std::vector<std::size_t> joined = pieces[i].members;
    std::size_t k = i, steps = 0;
    while (next[k] < m && ++steps < m) {
      k = next[k];
      joined.insert(joined.end(), pieces[k].members.begin(), pieces[k].members.end());
    }
    if (joined.size() < kMinLineComponents) continue;
    if (const auto l = fit_line(comps, joined)) lines.push_back(*l);
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.offset < b.offset; });
  return lines;
}

// Two lines that could be neighbours in one zone; with `washed`, one may have lost an end.
bool compatible(const Line& a, const Line& b, bool washed) {
  if (std::abs(a.dir.x * b.dir.y - a.dir.y * b.dir.x) > 0.06) return false;  // about 3.5 degrees
  const double hr = a.height / b.height;
  if (hr < 0.75 || hr > 1.33) return false;
  const double lr = a.length / b.length;
  if (washed ? lr < 0.5 || lr > 2 : lr < 0.85 || lr > 1.18) return false;
  const double gap = b.offset - a.offset;
  const double h = (a.height + b.height) / 2;
  if (gap < 1.2 * h || gap > 3.2 * h) return false;
  const double ua = a.start.dot(a.dir), ub = b.start.dot(a.dir);
  if (washed) {
    // A line may be shorter than its zone by a run of cells at an end (a highlight, a finger over
    // the zone's edge), up to half. The lines need only overlap by half the shorter; the
    // candidate's common span and its count of characters decide (candidates()).
    const double overlap = std::min(ua + a.length, ub + b.length) - std::max(ua, ub);
    return overlap >= 0.5 * std::min(a.length, b.length);
  }
  // The lines of a zone start together. One may lose a character or two at an end (a glyph
  // touching the background print is not a component), so the starts may differ by a tenth.
  return std::abs(ua - ub) < std::max(1.5 * h, 0.1 * std::max(a.length, b.length));
}

struct Candidate {
  std::vector<Line> lines;
  int chars = 0;
};

std::vector<Candidate> candidates(const std::vector<Line>& lines, bool washed) {
  std::vector<Candidate> out;
  auto count_of = [](const Line& l) { return l.length / l.pitch + 0.3; };  // pitch count plus a glyph width
  auto add = [&](std::vector<Line> ls) {
    // Every line of a zone has the same characters' extent: each takes the lines' common span
    // (their union along the first line's direction), so a line that lost an end is read whole.
    const cv::Point2d d = ls[0].dir;
    double u0 = 1e300, u1 = -1e300;
    for (const auto& l : ls) {
      u0 = std::min(u0, l.start.dot(d));
      u1 = std::max(u1, l.start.dot(d) + l.length);
    }
    for (auto& l : ls) {
      if (l.length < 0.5 * (u1 - u0)) return;  // under half the zone's span: not one of its lines
      l.start += (u0 - l.start.dot(d)) * l.dir;
      l.length = u1 - u0;
    }
    double n = 0;
    for (const auto& l : ls) n += count_of(l);
    n /= static_cast<double>(ls.size());
    std::vector<int> sizes = ls.size() == 3 ? std::vector<int>{30} : std::vector<int>{36, 44};
    for (int s : sizes)
      if (std::abs(n - s) < 0.13 * s) out.push_back({ls, s});
  };
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      if (!compatible(lines[i], lines[j], washed)) continue;
      for (std::size_t k = j + 1; k < lines.size(); ++k)
        if (compatible(lines[j], lines[k], washed)) add({lines[i], lines[j], lines[k]});
      add({lines[i], lines[j]});
    }
  return out;
}

}  // namespace

struct MrzReader::Impl {
  MrzReadOptions options;
  // templ[weight][scale] (kWeights x kScales): one column per character (tw*th x kPadded, CV_32F,
  // the padding zero), each glyph box (dark ink on light) with its mean removed and scaled to unit
  // norm.
  std::vector<std::vector<cv::Mat>> templ;
  int tw = 0, th = 0;
  double advance = 0;  // pitch of the font at kCap, pixels
  double top_row = 0;  // strip row of a template's first row relative to the cap centre
};

namespace {

// Resamples one line to a strip: cap centre on row kStripMid, `scale` strip pixels per detection
// pixel, the line start at column `margin`. `gray_per_det` converts detection to gray pixels.
cv::Mat warp_line(const cv::Mat& gray, double gray_per_det, cv::Point2d start, cv::Point2d dir, double scale,
                  double length, double margin) {
  const cv::Point2d n = normal_of(dir);
  const int w = static_cast<int>(std::ceil(length * scale + 2 * margin));
  // strip (x', y') -> gray: g = gray_per_det * (start + (x' - margin)/scale * dir + (y' - mid)/scale * n)
  const double f = gray_per_det / scale;  // gray pixels per strip pixel
  cv::Matx23d m(f * dir.x, f * n.x, gray_per_det * (start.x - margin / scale * dir.x - kStripMid / scale * n.x),
                f * dir.y, f * n.y, gray_per_det * (start.y - margin / scale * dir.y - kStripMid / scale * n.y));
  // Source region of the strip, to pre-filter when shrinking a lot.
  std::vector<cv::Point2f> corners;
  for (double x : {0.0, double(w)})
    for (double y : {0.0, double(kStripH)})
      corners.emplace_back(static_cast<float>(m(0, 0) * x + m(0, 1) * y + m(0, 2)),
                           static_cast<float>(m(1, 0) * x + m(1, 1) * y + m(1, 2)));
  cv::Rect roi = cv::boundingRect(corners);
  roi.x -= 2, roi.y -= 2, roi.width += 4, roi.height += 4;
  roi &= cv::Rect(0, 0, gray.cols, gray.rows);
  cv::Mat strip;
  if (roi.width < 2 || roi.height < 2) return strip;
  cv::Mat src = gray(roi);
  double sx = 1;
  if (f > 1.4) {
    sx = 1.0 / f;
    cv::resize(src, src, cv::Size(), sx, sx, cv::INTER_AREA);
  }
  // Compose with the crop and the shrink.
  cv::Matx23d mm(m(0, 0) * sx, m(0, 1) * sx, (m(0, 2) - roi.x) * sx, m(1, 0) * sx, m(1, 1) * sx,
                 (m(1, 2) - roi.y) * sx);
  cv::warpAffine(src, strip, cv::Mat(mm), cv::Size(w, kStripH), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                 cv::BORDER_REPLICATE);
  return strip;
}

// Components of a strip: dark ink against the local background, around the centre row.
std::vector<Component> strip_components(const cv::Mat& strip, bool faint) {
  auto comps = components(ink_mask(strip, faint), 0.25 * kCap, 1.8 * kCap);
  std::erase_if(comps, [](const Component& c) { return std::abs(c.cy() - kStripMid) > 0.55 * kCap; });
  return comps;
}

// prod(row, k) = <patches row, glyph column k> for the rows of usable cells (`win` rows a cell),
// 0 elsewhere. `patches` is rows x npx, `glyphs` npx x kPadded, `prod` rows x kPadded, all CV_32F and
// continuous. It is the reader's inner loop, most of its time.
// Not instrumented by the sanitizers (ASan, UBSan): the CV_Assert below bounds every index it
// reads and writes, and instrumented (its sums kept in memory between checked loads) it took a
// third of the sanitized MRZ tests' time (MrzReadPrintWeight and MrzReadAnyAngle, 25.1 s of user
// time against 17.6 s without).
__attribute__((no_sanitize("address", "undefined"))) void correlate(const cv::Mat& patches, const cv::Mat& glyphs,
                                                                    const std::vector<char>& usable, int win,
                                                                    cv::Mat& prod) {
  const int rows = patches.rows, npx = patches.cols;
  CV_Assert(patches.type() == CV_32F && glyphs.type() == CV_32F && prod.type() == CV_32F && patches.isContinuous() &&
            glyphs.isContinuous() && prod.isContinuous() && glyphs.rows == npx && glyphs.cols == kPadded &&
            prod.rows == rows && prod.cols == kPadded && win > 0 &&
            usable.size() * static_cast<std::size_t>(win) >= static_cast<std::size_t>(rows));
  const float* pa = patches.ptr<float>(0);
  const float* pg = glyphs.ptr<float>(0);
  float* pp = prod.ptr<float>(0);
  // Four glyphs at a time in vector lanes (GCC and Clang's vector extension), the sums kept in
  // registers: the products and sums of a loop over one glyph at a time, in the same order. GCC 12
  // vectorises that plain loop only at -O2 and up, and at -O3 it ran about twice as long
  // (bench/RESULTS.md, "MRZ reader").
  using Lanes = float __attribute__((vector_size(16)));
  constexpr int kLanes = kPadded / 4;
  static_assert(kPadded % 4 == 0);
  for (int row = 0; row < rows; ++row) {
    float* out = pp + static_cast<std::ptrdiff_t>(row) * kPadded;
    Lanes acc[kLanes] = {};
    if (usable[static_cast<std::size_t>(row / win)]) {
      const float* a = pa + static_cast<std::ptrdiff_t>(row) * npx;
      for (int j = 0; j < npx; ++j) {
        const Lanes v = {a[j], a[j], a[j], a[j]};
        const float* g = pg + static_cast<std::ptrdiff_t>(j) * kPadded;
        for (int q = 0; q < kLanes; ++q) {
          Lanes gq;
          std::memcpy(&gq, g + 4 * q, sizeof gq);
          acc[q] += v * gq;
        }
      }
    }
    std::memcpy(out, acc, sizeof acc);
  }
}

struct LineRead {
  std::vector<CellScores> scores;
  double mean_best = 0;
  cv::Point2d start, dir;  // refined, detection coordinates
  double scale = 0, first_centre = 0, pitch = 0;
  bool ok = false;
};

// `weight` indexes kWeights: the zone's stroke weight. With `choose_weight` (a zone's first line)
// the line also chooses it, and the zone's other lines are matched with its choice.
LineRead read_line(const MrzReader::Impl& t, const cv::Mat& gray, double gray_per_det, const Line& line, int n,
                   bool faint, std::size_t& weight, bool choose_weight) {
  LineRead out;
  cv::Point2d start = line.start, dir = line.dir;
  double scale = kCap / line.height;
  const double margin = 1.5 * t.advance;
  cv::Mat strip;
  // Two passes: the second corrects the scale and centre from the capitals measured in the strip.
  for (int pass = 0; pass < 2; ++pass) {
    strip = warp_line(gray, gray_per_det, start, dir, scale, line.length, margin);
    if (strip.empty()) return out;
    if (pass == 1) break;
    auto comps = strip_components(strip, faint);
    if (comps.size() < 8) return out;
    std::vector<double> hs;
    for (const auto& c : comps) hs.push_back(c.h());
    // Capitals and digits are the tallest characters; fillers ("<") are lower and may be most of a line.
    const double hq = quantile(hs, 0.95);
    std::vector<double> tops, bottoms;
    for (const auto& c : comps)
      if (c.h() > 0.9 * hq) tops.push_back(c.y0), bottoms.push_back(c.y1);
    const double top = median(tops), bottom = median(bottoms);
    const double cap = bottom - top;
    if (cap < 0.3 * kCap) return out;
    const double mid = (top + bottom) / 2;
    start += ((mid - kStripMid) / scale) * normal_of(dir);
    // A stroke adds about one pixel of blur; capitals measured between pixel edges.
    scale *= kCap / std::max(cap - 0.5, 1.0);
  }
  auto comps = strip_components(strip, faint);
  // The grid is fitted to glyphs only: every OCR-B character of a zone, the filler the lowest, is
  // over 0.8 of a capital's height, while a speck of the background print beside the line's ends
  // (a guilloche border's wave, the threshold lowered for glare) would pull the grid a cell off.
  std::erase_if(comps, [](const Component& c) { return c.h() < kMinGlyphHeight * kCap; });
  if (comps.size() < 8) return out;
  // Grid of cell centres: c_i = c0 + i * p, fitted to the components narrower than a cell.
  std::sort(comps.begin(), comps.end(), [](const Component& a, const Component& b) { return a.cx() < b.cx(); });
  double c0 = comps.front().cx(), p = (comps.back().cx() - c0) / (n - 1);
  const double pitch = line.pitch * scale;  // measured between neighbouring glyphs, strip pixels
  if (pitch > 0 && (comps.back().cx() - c0) / pitch < n - 1.5) {
    // The glyphs cover fewer cells than the line has: a run at an end washed out. They are placed
    // where the zone's common span (from its lines' first ink to their last) puts them; a glyph's
    // ink is about 0.7 of a pitch wide.
    const double span_c0 = margin + 0.35 * line.length * scale / (n - 0.3);
    const double covered = std::round((comps.back().cx() - c0) / pitch);
    const double k = std::clamp(std::round((c0 - span_c0) / pitch), 0.0, std::max(0.0, n - 1 - covered));
    c0 -= k * pitch;
    p = pitch;
  }
  if (p <= 0) return out;
  for (int iter = 0; iter < 3; ++iter) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0, cnt = 0;
    for (const auto& c : comps) {
      if (c.w() > 1.2 * p) continue;
      const double i = std::round((c.cx() - c0) / p);
      if (i < 0 || i > n - 1 || std::abs(c.cx() - (c0 + i * p)) > 0.35 * p) continue;
      sx += i, sy += c.cx(), sxx += i * i, sxy += i * c.cx(), cnt += 1;
    }
    const double den = cnt * sxx - sx * sx;
    if (cnt < 4 || std::abs(den) < 1e-9) break;
    p = (cnt * sxy - sx * sy) / den;
    c0 = (sy - p * sx) / cnt;
  }
  if (!(p > 0.5 * t.advance && p < 1.6 * t.advance)) return out;
  cv::Mat stripf;
  strip.convertTo(stripf, CV_32F);
  const int dx = 3, dy = 3;
  const int top = static_cast<int>(std::lround(kStripMid + t.top_row)) - dy;
  out.scores.resize(n);
  // Scores of cells [first, first + count) against one glyph set: the normalised correlation of
  // every glyph at every offset of each cell's window, computed directly (one matrix product of the
  // windows' patches with the zero-mean, unit-norm glyphs; patch norms from an integral image).
  // Only the cells' windows are evaluated, not the whole band (matchTemplate's FFT path was most of
  // the reader's time).
  const int npx = t.tw * t.th;
  const int win = (2 * dx + 1) * (2 * dy + 1);
  cv::Mat patches, prod, isum, isq;
  auto match = [&](int first, int count, const cv::Mat& glyphs, std::vector<CellScores>& sc) {
    sc.assign(static_cast<std::size_t>(count), CellScores{});
    for (auto& c : sc) c.fill(-1);
    std::vector<int> lefts(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) lefts[i] = static_cast<int>(std::lround(c0 + (first + i) * p - t.tw / 2.0)) - dx;
    const int x0 = std::max(0, lefts.front());
    const int x1 = std::min(stripf.cols, lefts.back() + t.tw + 2 * dx);
    const cv::Rect band(x0, top, x1 - x0, t.th + 2 * dy);
    if (band.width < t.tw || top < 0 || top + band.height > stripf.rows) return -1.0 * count;
    const cv::Mat region = stripf(band);
    cv::integral(region, isum, isq, CV_64F, CV_64F);
    patches.create(count * win, npx, CV_32F);
    std::vector<double> inv_norm(static_cast<std::size_t>(count * win), 0.0);
    std::vector<char> usable(static_cast<std::size_t>(count), 0);
    for (int i = 0; i < count; ++i) {
      const int a0 = lefts[i] - x0;
      if (a0 < 0 || a0 + 2 * dx + t.tw > region.cols) continue;  // a cell cut by the strip's edge
      usable[i] = 1;
      for (int v = 0; v <= 2 * dy; ++v)
        for (int u = 0; u <= 2 * dx; ++u) {
          const int row = i * win + v * (2 * dx + 1) + u;
          float* dst = patches.ptr<float>(row);
          for (int y = 0; y < t.th; ++y) std::copy_n(region.ptr<float>(v + y) + a0 + u, t.tw, dst + y * t.tw);
          const int X0 = a0 + u, Y0 = v, X1 = X0 + t.tw, Y1 = Y0 + t.th;
          const double s =
              isum.at<double>(Y1, X1) - isum.at<double>(Y0, X1) - isum.at<double>(Y1, X0) + isum.at<double>(Y0, X0);
          const double q =
              isq.at<double>(Y1, X1) - isq.at<double>(Y0, X1) - isq.at<double>(Y1, X0) + isq.at<double>(Y0, X0);
          const double var = q - s * s / npx;
          inv_norm[static_cast<std::size_t>(row)] = var > 1e-3 * npx ? 1 / std::sqrt(var) : 0;
        }
    }
    // prod(row, k) = <patch_row, glyph_k>; the glyphs have zero mean, so the patch's mean drops out.
    // Written out (glyphs transposed, four at a time in vector lanes): cv::gemm hands this to the
    // reference BLAS, slower than matchTemplate's FFT.
    prod.create(count * win, kPadded, CV_32F);
    correlate(patches, glyphs, usable, win, prod);
    for (int i = 0; i < count; ++i) {
      if (!usable[i]) continue;
      for (int k = 0; k < kAlphabetSize; ++k) {
        float mx = -1;
        for (int w = 0; w < win; ++w) {
          const int row = i * win + w;
          mx = std::max(mx, static_cast<float>(prod.at<float>(row, k) * inv_norm[static_cast<std::size_t>(row)]));
        }
        sc[i][k] = mx;
      }
    }
    double sum = 0;
    for (const auto& c : sc) sum += *std::max_element(c.begin(), c.end());
    return sum;
  };
  // The scale and the weight that match the first cells best: the scale at the zone's weight, then
  // on a first line the other weights at that scale (and, if one wins, the scale again at it).
  std::size_t pick = 0;
  {
    const int probe = std::min(n, 10);
    std::vector<CellScores> sc;
    double best_sum = -1e9;
    auto pick_scale = [&] {
      best_sum = -1e9;
      for (std::size_t si = 0; si < t.templ[weight].size(); ++si) {
        const double sum = match(0, probe, t.templ[weight][si], sc);
        if (sum > best_sum) best_sum = sum, pick = si;
      }
    };
    pick_scale();
    if (choose_weight) {
      const std::size_t first = weight;
      for (std::size_t wi = 0; wi < t.templ.size(); ++wi) {
        if (wi == first) continue;
        const double sum = match(0, probe, t.templ[wi][pick], sc);
        if (sum > best_sum) best_sum = sum, weight = wi;
      }
      if (weight != first) pick_scale();
    }
  }
  const double sum = match(0, n, t.templ[weight][pick], out.scores);
  out.mean_best = sum / n;
  out.start = start;
  out.dir = dir;
  out.scale = scale;
  out.first_centre = c0 - margin;  // strip columns from the line start
  out.pitch = p;
  out.ok = true;
  return out;
}

// The score `search` ranks readings by: check digits holding, then the mean glyph match, less a
// little per correction.
double ranked(const MrzReading& r, double glyph_match) {
  return r.checks_holding() + glyph_match - 0.05 * static_cast<double>(r.corrections.size());
}

struct Attempt {
  MrzReading reading;
  double score = -1e9;
  double glyph_match = 0;  // the mean of the lines' mean_best
};

Attempt read_candidate(const MrzReader::Impl& t, const cv::Mat& gray, double gray_per_det, const Candidate& cand,
                       bool flipped, double orig_per_gray, bool faint) {
  Attempt a;
  std::vector<Line> lines = cand.lines;
  if (flipped) {
    std::reverse(lines.begin(), lines.end());
    for (auto& l : lines) {
      l.start += l.length * l.dir;
      l.dir = -l.dir;
    }
  }
  std::vector<std::vector<CellScores>> scores;
  std::vector<LineRead> reads;
  double mean = 0;
  std::size_t weight = 0;  // kWeights[0], the font's own
  for (const auto& l : lines) {
    LineRead r = read_line(t, gray, gray_per_det, l, cand.chars, faint, weight, &l == &lines.front());
    if (!r.ok) return a;
    mean += r.mean_best / static_cast<double>(lines.size());
    scores.push_back(r.scores);
    reads.push_back(std::move(r));
  }
  const std::vector<std::string> shape(lines.size(), std::string(static_cast<std::size_t>(cand.chars), 'A'));
  // Decide TD vs visa from the document code as read.
  auto fmt = mrz::format_of(shape);
  if (!fmt) return a;
  {
    const auto& s0 = scores[0][0];
    const int v = mrz::alphabet_index('V');
    bool visa = true;
    for (int k = 10; k < 36; ++k)
      if (k != v && s0[k] > s0[v]) visa = false;
    if (visa && *fmt == MrzFormat::td2) fmt = MrzFormat::mrv_b;
    if (visa && *fmt == MrzFormat::td3) fmt = MrzFormat::mrv_a;
  }
  a.reading = mrz::decode(*fmt, scores, t.options.correct);
  a.glyph_match = mean;
  a.score = ranked(a.reading, mean);
  // Location: the band from the first line's top-left to the last line's bottom-right.
  const auto& first = reads.front();
  const auto& last = reads.back();
  auto corner = [&](const LineRead& r, double col, double row) {
    const cv::Point2d p = r.start + (col / r.scale) * r.dir + ((row - kStripMid) / r.scale) * normal_of(r.dir);
    return std::array<double, 2>{p.x * gray_per_det * orig_per_gray, p.y * gray_per_det * orig_per_gray};
  };
  const double half = t.advance / 2, capc = kCap / 2 + 1;
  const double l0 = first.first_centre - half, l1 = first.first_centre + (cand.chars - 1) * first.pitch + half;
  const double m0 = last.first_centre - half, m1 = last.first_centre + (cand.chars - 1) * last.pitch + half;
  a.reading.location.corners = {corner(first, l0, kStripMid - capc), corner(first, l1, kStripMid - capc),
                                corner(last, m1, kStripMid + capc), corner(last, m0, kStripMid + capc)};
  const cv::Point2d d = first.dir;
  a.reading.location.angle_deg = -std::atan2(d.y, d.x) * 180.0 / CV_PI;
  a.reading.location.char_height_px = kCap / first.scale * gray_per_det * orig_per_gray;
  return a;
}

Result<MrzReading> read_gray(const MrzReader::Impl& t, const cv::Mat& gray, double orig_per_gray, bool rectify);

// A candidate zone in perspective (a phone held at an angle): the distance between its first and
// last lines differs from one end to the other by more than kMinKeystone. Its lines' ends are then
// a rectangle's corners on the document; `read_rectified` maps that quadrilateral (in `gray`'s
// pixels) to a rectangle and reads the zone there.
constexpr double kMinKeystone = 0.05;

std::optional<std::array<cv::Point2f, 4>> perspective_of(const Candidate& c, double gray_per_det) {
  const Line& f = c.lines.front();
  const Line& l = c.lines.back();
  const cv::Point2d a = f.start, b = f.start + f.length * f.dir, cc = l.start + l.length * l.dir, d = l.start;
  const cv::Point2d n = normal_of(f.dir);
  const double near = std::abs((d - a).dot(n)), far = std::abs((cc - b).dot(n));
  if (near <= 0 || far <= 0 || std::abs(far / near - 1) < kMinKeystone) return std::nullopt;
  const auto px = [&](cv::Point2d p) {
    return cv::Point2f(static_cast<float>(p.x * gray_per_det), static_cast<float>(p.y * gray_per_det));
  };
  return std::array<cv::Point2f, 4>{px(a), px(b), px(cc), px(d)};
}

// Reads the zone of `chars` characters a line whose first and last lines' centre lines run from
// quad[0] to quad[1] and from quad[3] to quad[2] (gray pixels), mapped to a rectangle at the scale
// of its nearer end, where its capitals are `char_height` high, with four character heights of
// margin. Perspective foreshortens a zone along its lines and across them differently, and its
// corners do not tell the rectangle's aspect: the lines are made as long as `chars` characters of
// the reader's OCR-B at that height (a zone printed wider or narrower than the font is read within
// 15 %, MrzReadPrintWeight). The reading's location is mapped back.
std::optional<MrzReading> read_rectified(const MrzReader::Impl& t, const cv::Mat& gray, double orig_per_gray,
                                         const std::array<cv::Point2f, 4>& quad, int chars, double char_height) {
  const double near = std::max(cv::norm(quad[3] - quad[0]), cv::norm(quad[2] - quad[1]));
  const double width = (chars - 0.3) * t.advance / kCap * char_height, margin = 4 * char_height;
  if (!(width > 0) || width + 2 * margin > 4 * (gray.cols + gray.rows)) return std::nullopt;
  const float m = static_cast<float>(margin), w = static_cast<float>(width), h = static_cast<float>(near);
  const cv::Point2f to[4] = {{m, m}, {m + w, m}, {m + w, m + h}, {m, m + h}};
  const cv::Mat hom = cv::getPerspectiveTransform(quad.data(), to);
  cv::Mat flat;
  cv::warpPerspective(
      gray, flat, hom,
      cv::Size(static_cast<int>(std::ceil(width + 2 * margin)), static_cast<int>(std::ceil(near + 2 * margin))),
      cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  auto r = read_gray(t, flat, 1.0, false);
  if (!r) return std::nullopt;
  // Back to the image: the corners through the inverse map, the angle and capital height from them.
  const cv::Mat back = hom.inv();
  std::vector<cv::Point2f> pts, out;
  for (const auto& c : r->location.corners) pts.emplace_back(static_cast<float>(c[0]), static_cast<float>(c[1]));
  cv::perspectiveTransform(pts, out, back);
  const double flat_height = cv::norm(pts[3] - pts[0]),
               image_height = (cv::norm(out[3] - out[0]) + cv::norm(out[2] - out[1])) / 2;
  for (std::size_t i = 0; i < 4; ++i) r->location.corners[i] = {out[i].x * orig_per_gray, out[i].y * orig_per_gray};
  const cv::Point2f top = out[1] - out[0];
  r->location.angle_deg = -std::atan2(top.y, top.x) * 180.0 / CV_PI;
  if (flat_height > 0) r->location.char_height_px *= image_height / flat_height * orig_per_gray;
  return std::move(*r);
}

// The mean of a reading's cells' best glyph match (its lines' mean_best, from its scores).
double glyph_match_of(const MrzReading& r) {
  double match = 0;
  int cells = 0;
  for (const auto& line : r.scores)
    for (const auto& cell : line)
      if (!cell.empty()) match += *std::max_element(cell.begin(), cell.end()), ++cells;
  return cells > 0 ? match / cells : 0;
}

// One search for the zone on `gray` (its detection copy `det`), with the ink threshold set by
// Otsu; or, when `faint` (a zone partly washed out), at its floor, with the pieces of a line split
// by washed-out cells joined and lines that lost an end taken as a zone's.
Result<MrzReading> search(const MrzReader::Impl& t, const cv::Mat& gray, const cv::Mat& det, double gray_per_det,
                          double orig_per_gray, bool faint, bool rectify) {
  // The zone's lines are found on the detection image turned by each of these angles in turn
  // (chaining components into lines holds to about 15 degrees either way; a reading turned by 180
  // degrees is tried for every candidate), so a zone at any angle is found: upright first, then on
  // its side (a phone held upright over a card), then in between. The lines found are turned back,
  // and every line is read from `gray` along its own direction. Stops at the first reading whose
  // check digits all hold, or after the first angle whose best reading has two holding.
  constexpr double kTurns[] = {0, 90, 45, 135, 22.5, 67.5, 112.5, 157.5};
  const cv::Point2d centre((det.cols - 1) / 2.0, (det.rows - 1) / 2.0);
  Attempt best;
  const auto all_hold = [&] { return best.score > 0 && best.reading.all_checks_ok(); };
  // When nothing is read at all: what the search that got furthest saw (1 no line, 2 no zone, 3 a
  // zone that could not be segmented, 4 lines read whose glyphs are not OCR-B), the upright one
  // among equals.
  std::optional<Error> why;
  int how_far = 0;
  auto saw = [&](int stage, Error e) {
    if (stage > how_far) how_far = stage, why = std::move(e);
  };
  for (const double turn : kTurns) {
    cv::Mat turned;  // never `det` itself: warpAffine would write into it when the sizes match
    cv::Matx23d to_view = cv::Matx23d::eye();
    if (turn != 0) {
      // The whole image stays in view: the canvas grows to the turned bounding box. Padding is the
      // image's own edge (no dark border to chain into lines).
      const cv::Mat m = cv::getRotationMatrix2D(centre, turn, 1.0);
      const double c = std::abs(std::cos(turn * CV_PI / 180)), sn = std::abs(std::sin(turn * CV_PI / 180));
      const cv::Size size(static_cast<int>(std::ceil(det.cols * c + det.rows * sn)),
                          static_cast<int>(std::ceil(det.cols * sn + det.rows * c)));
      to_view = cv::Matx23d(m);
      to_view(0, 2) += (size.width - det.cols) / 2.0;
      to_view(1, 2) += (size.height - det.rows) / 2.0;
      cv::warpAffine(det, turned, cv::Mat(to_view), size, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    }
    const cv::Mat& view = turn == 0 ? det : turned;
    const auto comps = components(ink_mask(view, faint), 6, std::max(7.0, view.rows / 6.0));
    const auto lines = find_lines(comps, faint);
    if (lines.empty()) {
      saw(1, Error(Errc::bad_image, "no machine-readable zone found: no line of text in the image",
                   "give an image of the document with the zone's letters at least 10 pixels high"));
      continue;
    }
    auto cands = candidates(lines, faint);
    if (cands.empty()) {
      saw(2, Error(Errc::bad_image,
                   "no machine-readable zone found: " + std::to_string(lines.size()) +
                       " text line(s), but no 2 or 3 parallel lines of 30, 36 or 44 characters",
                   "give an image of the whole zone, in focus"));
      continue;
    }
    if (turn != 0) {
      // Back to the detection image's coordinates.
      cv::Matx23d back;
      cv::invertAffineTransform(to_view, back);
      for (auto& c : cands)
        for (auto& l : c.lines) {
          const cv::Point2d p = l.start, d = l.dir;
          l.start = {back(0, 0) * p.x + back(0, 1) * p.y + back(0, 2),
                     back(1, 0) * p.x + back(1, 1) * p.y + back(1, 2)};
          l.dir = {back(0, 0) * d.x + back(0, 1) * d.y, back(1, 0) * d.x + back(1, 1) * d.y};
        }
    }
    for (const auto& c : cands) {
      Attempt mine;  // this candidate's best reading
      for (bool flipped : {false, true}) {
        Attempt a = read_candidate(t, gray, gray_per_det, c, flipped, orig_per_gray, faint);
        if (a.score > -1e9 && a.glyph_match < kMinGlyphMatch) {
          char match[96];
          std::snprintf(match, sizeof match, "match OCR-B only %.2f on average (a zone's match %.2f or more)",
                        a.glyph_match, kMinGlyphMatch);
          saw(4, Error(Errc::bad_image,
                       "no machine-readable zone found: " + std::to_string(c.lines.size()) + " lines of " +
                           std::to_string(c.chars) + " characters were read, but their glyphs " + match +
                           ": text in another font, or printed patterns",
                       "give an image of the document's machine-readable zone"));
          continue;
        }
        if (a.score > mine.score) mine = std::move(a);
        if (mine.score > 0 && mine.reading.all_checks_ok()) break;
      }
      // A zone in perspective reads only in part, or holds its check digits only through
      // corrections: read once more rectified by its own lines.
      const bool clean = mine.score > 0 && mine.reading.all_checks_ok() && mine.reading.corrections.empty();
      if (rectify && !clean)
        if (const auto quad = perspective_of(c, gray_per_det)) {
          // The lines' capitals at their nearer, larger end: the tallest.
          const double char_height = std::max(c.lines.front().height, c.lines.back().height) * gray_per_det;
          if (auto flat = read_rectified(t, gray, orig_per_gray, *quad, c.chars, char_height)) {
            const double score = ranked(*flat, glyph_match_of(*flat));
            if (score > mine.score) {
              mine.reading = std::move(*flat);
              mine.score = score;
            }
          }
        }
      if (mine.score > best.score) best = std::move(mine);
      if (all_hold()) break;
    }
    // A zone with at least two check digits holding is the zone, read wrongly or altered: the
    // other angles could not do better (and a checker reads altered cards often).
    if (all_hold() || (best.score > 0 && best.reading.checks_holding() >= 2)) break;
    if (best.score <= -1e9)
      saw(3, Error(Errc::bad_image, "no machine-readable zone found: the candidate lines could not be segmented",
                   "give a sharper image of the zone"));
  }
  if (best.score <= -1e9) return std::move(*why);
  return std::move(best.reading);
}

// Reads the zone on `gray` (`orig_per_gray` image pixels each): its detection copy made once,
// then searched; a zone not found, or not segmented, is looked for once more as partly washed out:
// the ink threshold at its floor (glare over part of the zone fades its glyphs under the threshold
// the rest sets), and lines broken or cut short by washed-out cells taken. The first search's
// error is kept. With `rectify`, a zone found in perspective is read rectified too.
Result<MrzReading> read_gray(const MrzReader::Impl& t, const cv::Mat& gray, double orig_per_gray, bool rectify) {
  const double ds = std::min(1.0, kDetMax / std::max(gray.cols, gray.rows));
  cv::Mat det;
  if (ds < 1)
    cv::resize(gray, det, cv::Size(), ds, ds, cv::INTER_AREA);
  else
    det = gray;
  const double gray_per_det = 1 / ds;
  auto r = search(t, gray, det, gray_per_det, orig_per_gray, false, rectify);
  if (r) return r;
  if (auto faint = search(t, gray, det, gray_per_det, orig_per_gray, true, rectify)) return faint;
  return r;
}

// Reads the zone of `image`: grey, reduced to MrzReadOptions::max_pixels.
Result<MrzReading> read_impl(const MrzReader::Impl& t, const ImageView& image) {
  cv::Mat gray = to_gray(image);
  double orig_per_gray = 1;
  const double pixels = static_cast<double>(gray.cols) * gray.rows;
  if (pixels > static_cast<double>(t.options.max_pixels)) {
    const double s = std::sqrt(static_cast<double>(t.options.max_pixels) / pixels);
    cv::resize(gray, gray, cv::Size(), s, s, cv::INTER_AREA);
    orig_per_gray = 1 / s;
  }
  return read_gray(t, gray, orig_per_gray, true);
}

}  // namespace

Result<MrzReader> MrzReader::create(const MrzReadOptions& options) {
  try {
    auto impl = std::make_shared<Impl>();
    impl->options = options;
    const auto font = options.ocrb_font.empty() ? mrz::default_ocrb_font() : options.ocrb_font;
    SDC_TRY_ASSIGN(auto base, mrz::render_glyphs(font, kCap, std::string_view(kAlphabet, kAlphabetSize)));
    // Every template has the same box: the pitch wide, from a quarter cap above the capitals to a
    // quarter below the baseline; the ink centred horizontally, the baseline fixed.
    impl->advance = base[0].advance;
    impl->tw = static_cast<int>(std::lround(impl->advance));
    impl->th = static_cast<int>(std::lround(1.5 * kCap));
    impl->top_row = -kCap / 2 - 0.25 * kCap;
    for (double wt : kWeights) {
      impl->templ.emplace_back();
      for (double sc : kScales) {
        // The strip scales a line so that its capitals' ink is kCap high; emboldening adds its
        // strength to the ink's height, so a bold set is rendered that much smaller.
        const double cap = kCap * sc / (1 + wt);
        SDC_TRY_ASSIGN(auto glyphs, mrz::render_glyphs(font, cap, std::string_view(kAlphabet, kAlphabetSize), wt));
        cv::Mat set(kAlphabetSize, impl->tw * impl->th, CV_32F);
        for (int k = 0; k < kAlphabetSize; ++k) {
          const auto& g = glyphs[k];
          cv::Mat m(impl->th, impl->tw, CV_32F, cv::Scalar(255));
          const int x0 = static_cast<int>(std::lround((impl->tw - g.width) / 2.0));
          const int y0 =
              static_cast<int>(std::lround(kStripMid + (sc * kCap) / 2 - (kStripMid + impl->top_row))) - g.top;
          for (int y = 0; y < g.height; ++y)
            for (int x = 0; x < g.width; ++x) {
              const int X = x0 + x, Y = y0 + y;
              if (X < 0 || Y < 0 || X >= impl->tw || Y >= impl->th) continue;
              m.at<float>(Y, X) = 255.0f - g.coverage[static_cast<std::size_t>(y) * g.width + x];
            }
          cv::GaussianBlur(m, m, cv::Size(0, 0), 0.7);
          m -= cv::mean(m)[0];
          const double norm = cv::norm(m);
          if (norm > 0) m /= norm;
          m.reshape(1, 1).copyTo(set.row(k));
        }
        cv::Mat cols(impl->tw * impl->th, kPadded, CV_32F, cv::Scalar(0));
        cv::Mat(set.t()).copyTo(cols.colRange(0, kAlphabetSize));
        impl->templ.back().push_back(cols);
      }
    }
    return MrzReader(std::move(impl));
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory rendering the MRZ reference glyphs");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("MRZ reader: ") + e.what());
  }
}

Result<MrzReading> MrzReader::read(const ImageView& image) const {
  if (!impl_)
    return Error(Errc::invalid_argument, "MrzReader::read on an empty reader", "create it with MrzReader::create");
  if (image.empty()) return Error(Errc::invalid_argument, "MRZ reader: the image is empty");
  try {
    return read_impl(*impl_, image);
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory reading the machine-readable zone",
                 "give a smaller image (MrzReadOptions::max_pixels bounds the work)");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("MRZ reader: ") + e.what());
  }
}

Result<MrzReading> read_mrz(const ImageView& image, const MrzReadOptions& options) {
  SDC_TRY_ASSIGN(auto reader, MrzReader::create(options));
  return reader.read(image);
}

}  // namespace sdc
