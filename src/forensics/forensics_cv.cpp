// Pattern binding and copy detection (forensics.hpp) with OpenCV: the expected strokes are
// rasterised from the display list (supersampled, then area-averaged), both images are band-passed
// by a difference of Gaussians, and tiles are aligned by normalised cross-correlation.
#include "forensics/forensics.hpp"

#include <sdc/display.hpp>
#include <sdc/text.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sdc::forensics {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Pt2 {
  double x, y;
};

// A point of an item turned as it is drawn: by its rotate_deg about its box's centre (clockwise,
// y downwards).
class ItemTurn {
 public:
  explicit ItemTurn(const DisplayItem& it)
      : on_(it.rotate_deg != 0),
        ca_(std::cos(it.rotate_deg * kPi / 180)),
        sa_(std::sin(it.rotate_deg * kPi / 180)),
        cx_(it.box.x.v + it.box.w.v / 2),
        cy_(it.box.y.v + it.box.h.v / 2) {}
  Pt2 operator()(Pt2 q) const {
    if (!on_) return q;
    const double dx = q.x - cx_, dy = q.y - cy_;
    return {cx_ + dx * ca_ - dy * sa_, cy_ + dx * sa_ + dy * ca_};
  }

 private:
  bool on_;
  double ca_, sa_, cx_, cy_;
};

// A path's sub-paths as polylines in millimetres (curves flattened finely enough for strokes: each
// cubic into `cubic_steps` segments).
std::vector<std::pair<std::vector<Pt2>, bool>> polylines(const Path& p, int cubic_steps = 12) {
  std::vector<std::pair<std::vector<Pt2>, bool>> out;
  std::vector<Pt2> cur;
  auto flush = [&](bool closed) {
    if (cur.size() >= 2) out.emplace_back(std::move(cur), closed);
    cur.clear();
  };
  auto tx = [&](double x, double y) { return Pt2{p.origin.x.v + p.scale_x * x, p.origin.y.v + p.scale_y * y}; };
  std::size_t a = 0;
  for (const auto v : p.verbs) {
    const double* g = p.args.data() + a;
    const std::size_t n = static_cast<std::size_t>(Path::arg_count(v));
    if (a + n > p.args.size()) break;
    a += n;
    switch (v) {
      case Path::Verb::move_to:
        flush(false);
        cur.push_back(tx(g[0], g[1]));
        break;
      case Path::Verb::line_to: cur.push_back(tx(g[0], g[1])); break;
      case Path::Verb::cubic_to: {
        const Pt2 p0 = cur.empty() ? tx(g[0], g[1]) : cur.back();
        const Pt2 c1 = tx(g[0], g[1]), c2 = tx(g[2], g[3]), p3 = tx(g[4], g[5]);
        for (int i = 1; i <= cubic_steps; ++i) {
          const double t = i / static_cast<double>(cubic_steps), u = 1 - t;
          cur.push_back({u * u * u * p0.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * p3.x,
                         u * u * u * p0.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * p3.y});
        }
        break;
      }
      case Path::Verb::close:
        if (!cur.empty()) cur.push_back(cur.front());
        flush(true);
        break;
      case Path::Verb::new_sub_path: flush(false); break;
      case Path::Verb::arc: {
        for (int i = 0; i <= 24; ++i) {
          const double t = g[3] + (g[4] - g[3]) * i / 24.0;
          cur.push_back(tx(g[0] + g[2] * std::cos(t), g[1] + g[2] * std::sin(t)));
        }
        break;
      }
      case Path::Verb::ellipse: {
        flush(false);
        for (int i = 0; i <= 48; ++i) {
          const double t = 2 * kPi * i / 48.0;
          cur.push_back(tx(g[0] + g[2] / 2 * (1 + std::cos(t)), g[1] + g[3] / 2 * (1 + std::sin(t))));
        }
        flush(true);
        break;
      }
      case Path::Verb::rect:
        flush(false);
        cur = {tx(g[0], g[1]), tx(g[0] + g[2], g[1]), tx(g[0] + g[2], g[1] + g[3]), tx(g[0], g[1] + g[3]),
               tx(g[0], g[1])};
        flush(true);
        break;
    }
  }
  flush(false);
  return out;
}

double luma(const Rgba& c) {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
}

// How dark a stroke prints (0..1), from its paint.
double darkness(const Paint& paint) {
  if (paint.gradient.size() >= 2) {
    double s = 0;
    for (const auto& c : paint.gradient) s += luma(c);
    return std::clamp(1 - s / static_cast<double>(paint.gradient.size()), 0.05, 1.0);
  }
  return std::clamp(1 - luma(paint.color), 0.05, 1.0);
}

using ItemFilter = std::function<bool(const DisplayItem&)>;

// Expected ink darkness is drawn on a line canvas: the strokes of fine-line items, each pixel set
// to its stroke's darkness (the last item drawn wins), supersampled ss x ss and then area-averaged.
// Supersampled 2 x 2 from 400 dpi (4 x 4 below): both measurements band-pass the result at half a
// capture pixel and more, where 2 x 2 and 4 x 4 differ by 0.025 in score at most (bench/eval, 4 cards
// of six sets) while 4 x 4 took 70 ms more per 600-dpi side.
int supersampling(double dpi) {
  return dpi >= 400 ? 2 : 4;
}
constexpr int kLineShift = 4;  // stroke points in 1/16 of a canvas pixel

// An item's strokes as the line canvas draws them: polylines in 1/16 canvas pixel, each with its
// value and thickness, and the clip's rectangle on the canvas (the whole canvas without a clip,
// empty when the clip misses it).
struct Stroke {
  std::vector<cv::Point> line;
  cv::Scalar value;
  int thick = 1;
};
struct ItemStrokes {
  cv::Rect target;
  std::vector<Stroke> strokes;
};

// The strokes no wider than max_width_mm of a path item on the line canvas of `roi` (pixels at dpi).
ItemStrokes strokes_of(const DisplayItem& item, double dpi, cv::Rect roi, double max_width_mm) {
  const int ss = supersampling(dpi);
  const double k = dpi / 25.4 * ss;
  const cv::Rect canvas(0, 0, roi.width * ss, roi.height * ss);
  ItemStrokes out;
  out.target = canvas;
  const auto& pi = std::get<PathItem>(item.content);
  const ItemTurn turn(item);
  auto to_px = [&](Pt2 q) {
    q = turn(q);
    // Pixel-centre coordinates of the supersampled canvas.
    return cv::Point(static_cast<int>(std::lround(((q.x * k) - roi.x * ss - 0.5) * (1 << kLineShift))),
                     static_cast<int>(std::lround(((q.y * k) - roi.y * ss - 0.5) * (1 << kLineShift))));
  };
  if (pi.clip) {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (const auto& [pts, closed] : polylines(*pi.clip))
      for (const auto& q : pts) {
        x0 = std::min(x0, q.x), y0 = std::min(y0, q.y), x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
      }
    if (x1 > x0) {
      const cv::Rect r(static_cast<int>(std::floor(x0 * k)) - roi.x * ss,
                       static_cast<int>(std::floor(y0 * k)) - roi.y * ss, static_cast<int>(std::ceil((x1 - x0) * k)),
                       static_cast<int>(std::ceil((y1 - y0) * k)));
      out.target = r & canvas;
      if (out.target.empty()) return out;
    }
  }
  for (const auto& d : pi.draws) {
    if (!d.stroke || d.stroke_width > max_width_mm) continue;
    const auto value = cv::Scalar(std::round(255 * darkness(*d.stroke)));
    const int thick = std::max(1, static_cast<int>(std::lround(d.stroke_width * k)));
    for (const auto& [pts, closed] : polylines(d.path)) {
      Stroke& st = out.strokes.emplace_back();
      st.value = value;
      st.thick = thick;
      st.line.reserve(pts.size());
      for (const auto& q : pts) st.line.push_back(to_px(q));
    }
  }
  return out;
}

// The canvas pixels an item's strokes can set, within its clip (empty when none).
cv::Rect bounds_of(const ItemStrokes& it) {
  if (it.target.empty()) return {};
  int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN, thick = 1;
  for (const auto& s : it.strokes) {
    thick = std::max(thick, s.thick);
    for (const auto& q : s.line) {
      x0 = std::min(x0, q.x), y0 = std::min(y0, q.y), x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
    }
  }
  if (x0 > x1) return {};
  const int grow = thick + 2;  // a thick line's half width, its rounding, and a pixel more
  const int f = 1 << kLineShift;
  const cv::Rect r(cv::Point((x0 >> kLineShift) - grow, (y0 >> kLineShift) - grow),
                   cv::Point((x1 + f - 1) / f + grow + 1, (y1 + f - 1) / f + grow + 1));
  return r & it.target;
}

// Draws an item's strokes on `canvas`, the part of the line canvas whose top left is `origin`.
void draw_strokes(cv::Mat& canvas, cv::Point origin, const ItemStrokes& it) {
  const cv::Rect t = (it.target - origin) & cv::Rect(0, 0, canvas.cols, canvas.rows);
  if (t.empty()) return;
  cv::Mat target = canvas(t);
  const cv::Point offset((t.x + origin.x) << kLineShift, (t.y + origin.y) << kLineShift);
  std::vector<cv::Point> line;
  for (const auto& s : it.strokes) {
    line.resize(s.line.size());
    for (std::size_t i = 0; i < line.size(); ++i) line[i] = s.line[i] - offset;
    cv::polylines(target, line, false, s.value, s.thick, cv::LINE_8, kLineShift);
  }
}

// Area average of each ss x ss block of `canvas` into `out` (CV_32F, the canvas's size over ss),
// summed in integers: the mean of the block's values, as an area resize of the canvas converted to
// float gives, without that float copy of ss x ss times the output's pixels (at 4 x 4, the largest
// cost of copy detection at 600 dpi).
void downsample(const cv::Mat& canvas, int ss, cv::Mat out) {
  const float scale = 1.0f / (255.0f * static_cast<float>(ss * ss));
  std::vector<int> acc(static_cast<std::size_t>(out.cols));
  for (int y = 0; y < out.rows; ++y) {
    std::fill(acc.begin(), acc.end(), 0);
    for (int j = 0; j < ss; ++j) {
      const std::uint8_t* row = canvas.ptr<std::uint8_t>(y * ss + j);
      for (int x = 0; x < out.cols; ++x) {
        int sum = 0;
        for (int i = 0; i < ss; ++i) sum += row[x * ss + i];
        acc[static_cast<std::size_t>(x)] += sum;
      }
    }
    float* o = out.ptr<float>(y);
    for (int x = 0; x < out.cols; ++x) o[x] = static_cast<float>(acc[static_cast<std::size_t>(x)]) * scale;
  }
}

bool path_item(const DisplayItem& it) {
  return std::holds_alternative<PathItem>(it.content);
}

// Expected ink darkness (0..1, CV_32F) of the strokes of the chosen items over `roi` (pixels at dpi).
cv::Mat rasterise(const SideDisplay& side, const ItemFilter& want, double dpi, cv::Rect roi, double max_width_mm) {
  const int ss = supersampling(dpi);
  cv::Mat canvas(roi.height * ss, roi.width * ss, CV_8UC1, cv::Scalar(0));
  for (const auto& ip : side.items)
    if (want(*ip) && path_item(*ip)) draw_strokes(canvas, {0, 0}, strokes_of(*ip, dpi, roi, max_width_mm));
  cv::Mat out(roi.size(), CV_32F);
  downsample(canvas, ss, out);
  return out;
}

cv::Mat darkness_of(const ImageView& v) {
  const int type = v.format() == PixelFormat::gray8 ? CV_8UC1 : v.format() == PixelFormat::rgb8 ? CV_8UC3 : CV_8UC4;
  cv::Mat src(v.height(), v.width(), type, const_cast<std::uint8_t*>(v.data()),
              static_cast<std::size_t>(v.row_stride()));
  cv::Mat grey, f;
  if (type == CV_8UC3)
    cv::cvtColor(src, grey, cv::COLOR_RGB2GRAY);
  else if (type == CV_8UC4)
    cv::cvtColor(src, grey, cv::COLOR_RGBA2GRAY);
  else
    grey = src;
  grey.convertTo(f, CV_32F, -1.0 / 255, 1.0);
  return f;
}

cv::Mat dog(const cv::Mat& m, double s1, double s2) {
  cv::Mat a, b;
  cv::GaussianBlur(m, a, cv::Size(0, 0), s1, s1, cv::BORDER_REPLICATE);
  cv::GaussianBlur(m, b, cv::Size(0, 0), s2, s2, cv::BORDER_REPLICATE);
  a -= b;  // in place: a third image of the card's size costs as much in fresh pages as in arithmetic
  return a;
}

}  // namespace

// Where the print clips to white (lighter than 250 of 255), and whether its paper clips anyway
// (a flatbed's white, an over-exposed photo): then only clipped ink tells glare. Outside the
// anonymous namespace: a Print keeps one.
struct Clipping {
  cv::Mat clipped;  // CV_8U, 255 where clipped
  bool paper_clips = false;
};

namespace {

constexpr float kClipped = 0.02f;     // a pixel's darkness under this clips (lighter than 250 of 255)
constexpr double kPaperClips = 0.02;  // the median cell's clipped share over this: the paper clips
constexpr double kHalo = 0.25;        // a tile's clipped share over this, where the paper does not: glare

Clipping clipping_of(const cv::Mat& print) {
  Clipping c;
  c.clipped = print < kClipped;
  // The clipped share of each cell of a 16 x 10 grid; the median cell is the card's own paper, as
  // glare covers a minority of the cells.
  std::vector<double> shares;
  for (int j = 0; j < 10; ++j)
    for (int i = 0; i < 16; ++i) {
      const cv::Rect cell(print.cols * i / 16, print.rows * j / 10, print.cols * (i + 1) / 16 - print.cols * i / 16,
                          print.rows * (j + 1) / 10 - print.rows * j / 10);
      if (cell.area() > 0) shares.push_back(cv::countNonZero(c.clipped(cell)) / static_cast<double>(cell.area()));
    }
  if (!shares.empty()) {
    std::nth_element(shares.begin(), shares.begin() + static_cast<long>(shares.size() / 2), shares.end());
    c.paper_clips = shares[shares.size() / 2] > kPaperClips;
  }
  return c;
}

}  // namespace

struct Print::Impl {
  cv::Mat darkness, half;  // made on first use, as the clippings
  std::optional<Clipping> clipping, half_clipping;
};

Print::Print(const ImageView& rectified) : view_(rectified), impl_(std::make_unique<Impl>()) {}
Print::~Print() = default;
Print::Print(Print&&) noexcept = default;
Print& Print::operator=(Print&&) noexcept = default;

namespace {

// The print's darkness at its own resolution (`half`: at half of it, as compare_text reads text),
// made once per Print.
const cv::Mat& darkness(const Print& p, bool half = false) {
  Print::Impl& i = p.impl();
  if (i.darkness.empty()) i.darkness = darkness_of(p.view());
  if (!half) return i.darkness;
  if (i.half.empty()) cv::resize(i.darkness, i.half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  return i.half;
}

// Where darkness(p, half) clips, made once per Print.
const Clipping& clipping(const Print& p, bool half = false) {
  std::optional<Clipping>& c = half ? p.impl().half_clipping : p.impl().clipping;
  if (!c) c = clipping_of(darkness(p, half));
  return *c;
}

// Whether glare washes out the print's tile `r` (kGlareClip, kGlareShare): `print` is the print's
// darkness, `ink` where the template puts ink in the same frame, `reach` the search distance. Where
// the card's paper does not clip elsewhere, a tile a quarter clipped is glare too: its halo clips
// the paper first and leaves the lines too faint to measure. Where it does (a bright capture), with
// `clipped_share` a tile and `reach` around it clipped at that share or more is glare as well (for
// text: kTextWashedShare).
bool washed_out(const cv::Mat& print, const cv::Mat& ink, const Clipping& clip, cv::Rect r, int reach,
                const cv::Mat& bare = {}, double clipped_share = 0) {
  if (clip.paper_clips && clipped_share > 0) {
    const cv::Rect around = cv::Rect(r.x - reach, r.y - reach, r.width + 2 * reach, r.height + 2 * reach) &
                            cv::Rect(0, 0, print.cols, print.rows);
    if (cv::countNonZero(clip.clipped(around)) >= clipped_share * around.area()) return true;
  }
  if (!clip.paper_clips) {
    // With `bare`, only the paper other items leave bare counts (a QR code's light modules clip).
    const int clipped = bare.empty() ? cv::countNonZero(clip.clipped(r)) : cv::countNonZero(clip.clipped(r) & bare(r));
    if (clipped > kHalo * (bare.empty() ? r.area() : cv::countNonZero(bare(r)))) return true;
  }
  const cv::Mat inked = ink(r);
  const int n = cv::countNonZero(inked);
  if (n == 0) return false;
  cv::Mat near;
  cv::dilate(print(r), near, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)));
  const cv::Mat clipped = (near < kGlareClip) & inked;
  return cv::countNonZero(clipped) > kGlareShare * n;
}

// The paper's light in `r` of the print's darkness: one less the darkness of its lightest
// twentieth, which even fine lines at their densest leave bare; from every `step`-th pixel of every
// `step`-th row (a twentieth of a quarter of the pixels is as good an estimate, and 4 times
// faster). With `bare` (CV_8U, the print's size), only where it is not 0: the paper other items
// leave bare (a band printed dark is no shadow); -1 when that is under an eighth of `r`.
double paper_light(const cv::Mat& print, cv::Rect r, int step = 2, const cv::Mat& bare = {}) {
  std::vector<float> v;
  v.reserve(static_cast<std::size_t>((r.width / step + 1) * (r.height / step + 1)));
  std::size_t seen = 0;
  for (int y = r.y; y < r.y + r.height; y += step) {
    const float* row = print.ptr<float>(y);
    const std::uint8_t* keep = bare.empty() ? nullptr : bare.ptr<std::uint8_t>(y);
    for (int x = r.x; x < r.x + r.width; x += step, ++seen)
      if (!keep || keep[x]) v.push_back(row[x]);
  }
  if (!bare.empty() && 8 * v.size() < seen) return -1;
  if (v.empty()) return 1;
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 20);
  std::nth_element(v.begin(), at, v.end());
  return 1.0 - static_cast<double>(*at);
}

// The light of the side's best-lit paper: the most of paper_light over a 16 x 10 grid of cells,
// each from every third pixel of every third row.
double best_paper_light(const cv::Mat& print) {
  double best = 0;
  for (int j = 0; j < 10; ++j)
    for (int i = 0; i < 16; ++i) {
      const cv::Rect cell(print.cols * i / 16, print.rows * j / 10, print.cols * (i + 1) / 16 - print.cols * i / 16,
                          print.rows * (j + 1) / 10 - print.rows * j / 10);
      if (cell.area() > 0) best = std::max(best, paper_light(print, cell, 3));
    }
  return best;
}

// The print's darkness with its light evened out: its lightness divided by the paper's light around
// each pixel, a morphological closing over `reach` pixels that fills strokes narrower than twice
// that with the paper beside them and keeps a shadow's edge where it is (a closing keeps a straight
// edge between light and dark areas wider than its window).
cv::Mat evened_darkness(const cv::Mat& print, int reach) {
  cv::Mat light = 1.0f - print, paper;
  cv::morphologyEx(light, paper, cv::MORPH_CLOSE,
                   cv::getStructuringElement(cv::MORPH_RECT, cv::Size(2 * reach + 1, 2 * reach + 1)), cv::Point(-1, -1),
                   1, cv::BORDER_REPLICATE);
  cv::max(paper, 0.02, paper);
  cv::divide(light, paper, light);
  cv::min(light, 1.0, light);
  return 1.0f - light;
}

// The paper's light (paper_light, with `bare`) in each of n x n cells of `r`, row by row; the
// cells where other items leave too little paper bare are left out.
std::vector<double> cell_lights(const cv::Mat& print, cv::Rect r, int n, const cv::Mat& bare = {}) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n * n));
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) {
      const double l =
          paper_light(print,
                      cv::Rect(r.x + r.width * i / n, r.y + r.height * j / n, r.width * (i + 1) / n - r.width * i / n,
                               r.height * (j + 1) / n - r.height * j / n),
                      2, bare);
      if (l >= 0) out.push_back(l);
    }
  return out;
}

// Whether a shadow's edge crosses `r` or the `search` pixels around it where its quarters cannot
// tell (a corner clipped, or only the margin the tile is searched over): the paper of one of 3 x 3
// cells over both lit less than kShadowLight times another's. A deep shadow's sharp edge so placed
// took a genuine tile from 0.74 to 0.54 (a phone capture under a simulated shadow of 0.8).
bool edge_near(const cv::Mat& print, const cv::Rect& r, int search, const cv::Mat& bare = {}) {
  const cv::Rect wide = cv::Rect(r.x - search, r.y - search, r.width + 2 * search, r.height + 2 * search) &
                        cv::Rect(0, 0, print.cols, print.rows);
  const auto c = cell_lights(print, wide, 3, bare);
  if (c.size() < 2) return false;
  const auto [lo, hi] = std::minmax_element(c.begin(), c.end());
  return *lo < kShadowLight * *hi;
}

// "1 tile", "3 tiles": `n` and `noun` (a regular plural) for a reason.
std::string counted(int n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// The end of a reason when glare washed out `tiles` tiles and the rest decided.
std::string glare_left_out(int tiles) {
  if (tiles == 0) return {};
  return "; " + counted(tiles, "tile") + " washed out by glare left out";
}

std::string glare_reason(int washed, int of, const std::string& what) {
  return "glare washes out " + std::to_string(washed) + " of the " + std::to_string(of) + " " + what +
         ": tilt the card away from the light and retake it";
}

// The normalised cross-correlation of two CV_32F images of one size over the pixels `mask` keeps.
double masked_ncc(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (int y = 0; y < a.rows; ++y) {
    const float* pa = a.ptr<float>(y);
    const float* pb = b.ptr<float>(y);
    const std::uint8_t* pm = mask.ptr<std::uint8_t>(y);
    for (int x = 0; x < a.cols; ++x) {
      if (!pm[x]) continue;
      const double u = pa[x], v = pb[x];
      n += 1, sa += u, sb += v, saa += u * u, sbb += v * v, sab += u * v;
    }
  }
  if (n < 2) return 0;
  const double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
  if (va <= 0 || vb <= 0) return 0;
  return (sab - sa * sb / n) / std::sqrt(va * vb);
}

struct TileMatch {
  double ncc = 0;
  cv::Point shift;
  bool ok = false;
};

// Best NCC of the expected tile `r` within ±search pixels in the print, around `r` moved by
// `around` (the shift the tile's surroundings already matched at); `shift` is from `r` itself.
// `print_bp(rect)` gives the print's band-passed darkness over a rectangle of an image of `size`
// pixels. `compared_card` (CV_8U, `size`; empty: all of it) keeps the pixels compared: the
// correlation is then over the tile's only.
template <class PrintBp>
TileMatch match(const PrintBp& print_bp, cv::Size size, const cv::Mat& expected_bp, cv::Rect r, int search,
                cv::Point around = {}, const cv::Mat& compared_card = {}) {
  TileMatch t;
  cv::Mat templ = expected_bp(r);
  const cv::Mat compared = compared_card.empty() ? cv::Mat() : compared_card(r);
  cv::Scalar mean, sd;
  cv::meanStdDev(templ, mean, sd, compared);
  if (sd[0] < 1e-4) return t;
  cv::Rect wide(r.x + around.x - search, r.y + around.y - search, r.width + 2 * search, r.height + 2 * search);
  wide &= cv::Rect(0, 0, size.width, size.height);
  if (wide.width < r.width || wide.height < r.height) return t;
  const cv::Mat print = print_bp(wide);
  cv::Mat searched = print;
  if (!compared.empty()) {
    // The search sees neither the expectation under the marks nor the marks in the print (the
    // edge of a band printed dark correlates with any line shifted onto it).
    templ = templ.clone();
    templ.setTo(0.0f, compared == 0);
    searched = print.clone();
    searched.setTo(0.0f, compared_card(wide) == 0);
  }
  cv::Mat res;
  cv::matchTemplate(searched, templ, res, cv::TM_CCOEFF_NORMED);
  double mx = 0;
  cv::Point loc;
  cv::minMaxLoc(res, nullptr, &mx, nullptr, &loc);
  if (!compared.empty()) {
    // The shift found with the marked pixels' expectation zeroed; the score over the compared
    // pixels only, at it and the 8 shifts around it (OpenCV's masked matching at every shift takes
    // four times as long).
    mx = -1;
    cv::Point best = loc;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const cv::Point at(loc.x + dx, loc.y + dy);
        if (at.x < 0 || at.y < 0 || at.x >= res.cols || at.y >= res.rows) continue;
        const double c = masked_ncc(print(cv::Rect(at, r.size())), expected_bp(r), compared);
        if (c > mx) mx = c, best = at;
      }
    loc = best;
  }
  t.ncc = std::isfinite(mx) ? mx : 0;
  t.shift = cv::Point(wide.x + loc.x - r.x, wide.y + loc.y - r.y);
  t.ok = true;
  return t;
}

// The expected card and the size of the image against it.
Status check_card(int width, int height, Dpi dpi, const Card& card, Side side) {
  if (dpi.v < 100 || dpi.v > 2400)
    return Error(Errc::invalid_argument, "forensics: working dpi " + std::to_string(dpi.v) + " is outside 100..2400",
                 "rectify the card at 600 dpi");
  if (card.empty() || !card.has_side(side))
    return Error(Errc::invalid_argument, "forensics: the expected card has no such side", "compose the card first");
  const auto trim = card.geometry().trim();
  const double w = to_px_f(trim.w, dpi), h = to_px_f(trim.h, dpi);
  if (std::abs(width - w) > 0.03 * w || std::abs(height - h) > 0.03 * h)
    return Error(Errc::invalid_argument,
                 "forensics: the image is " + std::to_string(width) + " x " + std::to_string(height) +
                     " px, not the card's trim box at " + std::to_string(dpi.v) + " dpi",
                 "rectify the card to its trim box (not the bleed box) at the working dpi");
  return {};
}

Status check_image(const ImageView& img) {
  if (img.empty() || img.format() == PixelFormat::cmyk8)
    return Error(Errc::invalid_argument, "forensics needs a non-empty gray8, rgb8 or rgba8 card image",
                 "pass the rectified card side");
  return {};
}

Status check_input(const ImageView& img, Dpi dpi, const Card& card, Side side) {
  SDC_TRY(check_image(img));
  return check_card(img.width(), img.height(), dpi, card, side);
}

Status check_copy_options(const CopyOptions& o) {
  if (!(o.search_mm >= 0.05 && o.search_mm <= 3) || !(o.tile_mm >= 1 && o.tile_mm <= 50) || o.max_tiles < 1 ||
      o.max_tiles > 1000 || o.capture_dpi.v < 0 || o.capture_dpi.v > 2400)
    return Error(Errc::invalid_argument, "copy_detection: an option is out of range", "see forensics.hpp");
  return {};
}

// The capture resolution copy detection assumes, and whether it is too coarse to judge.
double capture_of(Dpi dpi, const CopyOptions& o) {
  return o.capture_dpi.v > 0 ? o.capture_dpi.v : dpi.v;
}
std::optional<std::string> too_coarse(Dpi dpi, const CopyOptions& o) {
  const double capture = capture_of(dpi, o);
  if (capture >= o.min_capture_dpi.v) return std::nullopt;
  return "the capture (" + std::to_string(static_cast<int>(capture)) + " dpi) is too coarse to judge fine lines (" +
         std::to_string(o.min_capture_dpi.v) + " dpi needed)";
}

template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory in print forensics", "check a smaller image");
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("internal error in print forensics: ") + e.what(),
                 "this is a bug in sdc: please report it");
  }
}

bool fine_ink(const DisplayItem& it) {
  return it.type == "guilloche" && (it.ink == Ink::process || it.ink == Ink::k);
}

// A glyph's outline placed with its origin at (ox, oy) mm, as a Path for polylines().
Path glyph_path(const GlyphOutline& g, double ox, double oy) {
  using V = GlyphOutline::Verb;
  Path p;
  p.origin = {Mm{ox}, Mm{oy}};
  const auto& q = g.points;
  std::size_t i = 0;
  for (const V v : g.verbs) {
    const std::size_t n = v == V::cubic_to ? 3 : v == V::close ? 0 : 1;
    if (i + n > q.size()) break;
    switch (v) {
      case V::move_to: p.move_to(q[i].x.v, q[i].y.v); break;
      case V::line_to: p.line_to(q[i].x.v, q[i].y.v); break;
      case V::cubic_to: p.cubic_to(q[i].x.v, q[i].y.v, q[i + 1].x.v, q[i + 1].y.v, q[i + 2].x.v, q[i + 2].y.v); break;
      case V::close: p.close(); break;
    }
    i += n;
  }
  return p;
}

// Where the side's other items mark the card over its fine lines (255 on a CV_8U mask, pixels at
// dpi): every visible item (process or K ink) drawn after the first fine-line item covers them with
// its shapes (path fills and strokes, glyphs, images, QR codes), and one drawn before them adds its
// outline's edge. A tile that holds any of it shows what the fine lines alone do not predict: the
// back's navy band over its border guilloche, text, a photo or the MRZ. A personal item's box
// stands for it, and so does an item's whose outline cannot be had (a glyph the font cannot give).
// Marks the static items' shapes, or the personal items' boxes, on `mask` (their union is all).
enum class Items { statics, personal };
void mark_others(const SideDisplay& side, double dpi, Items which, cv::Mat& mask) {
  constexpr int kShift = 4;
  const double k = dpi / 25.4;
  const auto first_fine =
      std::find_if(side.items.begin(), side.items.end(), [](const auto& it) { return fine_ink(*it); });
  if (first_fine == side.items.end()) return;
  const int edge = std::max(1, static_cast<int>(std::lround(0.1 * k)));
  std::vector<std::vector<cv::Point>> areas, lines;
  // An item's glyph outlines, each asked of its font once (microtext repeats a few letters).
  std::map<std::pair<std::uint16_t, std::uint32_t>, std::optional<GlyphOutline>> outlines;
  const auto outline_of = [&](const FontSet& fonts, std::uint16_t font, std::uint32_t glyph,
                              Pt pt) -> const GlyphOutline* {
    auto [it, added] = outlines.try_emplace({font, glyph});
    if (added) {
      auto o = fonts.glyph_outline(font, glyph, pt);
      if (o) it->second = std::move(*o);
    }
    return it->second ? &*it->second : nullptr;
  };
  for (auto ip = side.items.begin(); ip != side.items.end(); ++ip) {
    const DisplayItem& item = **ip;
    if (fine_ink(item) || (item.ink != Ink::process && item.ink != Ink::k) || item.opacity <= 0) continue;
    if (item.personal != (which == Items::personal)) continue;
    const bool covers = ip > first_fine;
    const ItemTurn turn(item);
    auto to_px = [&](Pt2 q) {
      q = turn(q);
      return cv::Point(static_cast<int>(std::lround((q.x * k - 0.5) * (1 << kShift))),
                       static_cast<int>(std::lround((q.y * k - 0.5) * (1 << kShift))));
    };
    areas.clear();
    lines.clear();
    const auto add = [&](std::vector<std::vector<cv::Point>>& to, const Path& path, double ox, double oy,
                         double angle) {
      const double c = std::cos(angle), s = std::sin(angle);
      for (const auto& [pts, closed] : polylines(path, 8)) {
        auto& out = to.emplace_back();
        out.reserve(pts.size());
        for (const Pt2& q : pts) {
          const double dx = q.x - ox, dy = q.y - oy;
          out.push_back(to_px(angle == 0 ? q : Pt2{ox + dx * c - dy * s, oy + dx * s + dy * c}));
        }
      }
    };
    const auto box = [&](const MmRect& r) {
      Path p;
      p.rect(r.x.v, r.y.v, r.w.v, r.h.v);
      add(areas, p, 0, 0, 0);
    };
    double stroke = 0;  // the widest stroke, mm
    bool whole = true;  // every shape outlined
    if (item.personal) {
      // What the card's data decides stands in its box, so that a side whose fine lines are
      // static has one reference for every card (static_fine_lines).
      box(item.box);
    } else if (const auto* pi = std::get_if<PathItem>(&item.content)) {
      for (const auto& d : pi->draws) {
        if (d.fill) add(areas, d.path, 0, 0, 0);
        if (d.stroke) {
          add(lines, d.path, 0, 0, 0);
          stroke = std::max(stroke, d.stroke_width);
        }
      }
    } else if (const auto* ti = std::get_if<TextItem>(&item.content)) {
      outlines.clear();
      for (const auto& line : ti->layout.lines)
        for (const auto& g : line.glyphs) {
          const GlyphOutline* outline = outline_of(ti->fonts, g.font, g.glyph, ti->layout.size);
          if (!outline)
            whole = false;
          else
            add(areas, glyph_path(*outline, ti->origin.x.v + g.x_mm, ti->origin.y.v + g.y_mm), 0, 0, 0);
        }
    } else if (const auto* gi = std::get_if<GlyphsItem>(&item.content)) {
      outlines.clear();
      for (const auto& g : gi->glyphs) {
        const GlyphOutline* outline = outline_of(gi->fonts, g.font, g.glyph, gi->size);
        if (!outline)
          whole = false;
        else
          add(areas, glyph_path(*outline, g.origin.x.v, g.origin.y.v), g.origin.x.v, g.origin.y.v, g.angle_rad);
      }
    } else if (const auto* ii = std::get_if<ImageItem>(&item.content)) {
      box(ii->dest);
    } else {
      box(item.box);
    }
    if (!whole) {
      areas.clear();
      lines.clear();
      box(item.box);
    }
    // Each shape's area and its edge, each stroke at its width and a pixel more. A clip is not
    // applied: the mask can only grow by it.
    if (covers && !areas.empty()) cv::fillPoly(mask, areas, cv::Scalar(255), cv::LINE_8, kShift);
    if (!areas.empty()) cv::polylines(mask, areas, true, cv::Scalar(255), edge, cv::LINE_8, kShift);
    if (!lines.empty())
      cv::polylines(mask, lines, false, cv::Scalar(255), std::max(1, static_cast<int>(std::lround(stroke * k)) + 1),
                    cv::LINE_8, kShift);
  }
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

}  // namespace

Result<ForensicScore> pattern_binding(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                      const PatternOptions& o) {
  SDC_TRY(check_input(rectified.view(), dpi, expected, side));
  if (!(o.search_mm >= 0.05 && o.search_mm <= 3) || !(o.tile_mm >= 2 && o.tile_mm <= 100))
    return Error(Errc::invalid_argument, "pattern_binding: search_mm or tile_mm out of range", "see forensics.hpp");
  return guarded([&]() -> Result<ForensicScore> {
    ForensicScore s;
    s.threshold = o.threshold;
    const SideDisplay& disp = expected.display(side);
    auto personal = [](const DisplayItem& it) { return it.personal && fine_ink(it); };
    const double k = dpi.v / 25.4;
    cv::Rect band;
    for (const auto& it : disp.items)
      if (personal(*it)) {
        const cv::Rect r(static_cast<int>(std::floor(it->box.x.v * k)), static_cast<int>(std::floor(it->box.y.v * k)),
                         static_cast<int>(std::ceil(it->box.w.v * k)), static_cast<int>(std::ceil(it->box.h.v * k)));
        band = band.empty() ? r : (band | r);
      }
    const cv::Rect card(0, 0, rectified.view().width(), rectified.view().height());
    band &= card;
    if (band.width < 8 || band.height < 4) {
      s.reason = "no personal guilloche on this side";
      return s;
    }
    const int search = std::max(1, static_cast<int>(std::lround(o.search_mm * k)));
    cv::Rect area(band.x - search, band.y - search, band.width + 2 * search, band.height + 2 * search);
    area &= card;
    const cv::Mat exp = rasterise(disp, personal, dpi.v, area, 10.0);
    const cv::Mat& whole = darkness(rectified);
    const Clipping& clip_whole = clipping(rectified);
    const Clipping clip{clip_whole.clipped(area), clip_whole.paper_clips};
    const cv::Mat print = whole(area);
    const double s1 = 0.04 * k, s2 = 0.2 * k;
    const cv::Mat exp_bp = dog(exp, s1, s2), print_bp = dog(print, s1, s2);
    const cv::Mat ink = exp > 0.2f;
    const cv::Rect local(band.x - area.x, band.y - area.y, band.width, band.height);
    const int n = std::max(1, static_cast<int>(std::lround(band.width / (o.tile_mm * k))));
    double sum = 0;
    std::vector<double> dxs, dys;
    for (int i = 0; i < n; ++i) {
      const int x0 = local.x + local.width * i / n, x1 = local.x + local.width * (i + 1) / n;
      const cv::Rect tile(x0, local.y, x1 - x0, local.height);
      if (washed_out(print, ink, clip, tile, search)) {
        ++s.glare_tiles;
        continue;
      }
      const auto m = match([&](cv::Rect w) { return print_bp(w); }, print_bp.size(), exp_bp, tile, search);
      if (!m.ok) continue;
      sum += m.ncc;
      dxs.push_back(m.shift.x / k);
      dys.push_back(m.shift.y / k);
      ++s.tiles;
    }
    if (s.glare_tiles > 0 && 2 * s.glare_tiles >= n) {
      s.tiles = 0;
      s.reason = glare_reason(s.glare_tiles, n, "tiles of the personal guilloche");
      return s;
    }
    if (s.tiles == 0) {
      s.reason = "the personal guilloche band has no lines to compare";
      return s;
    }
    std::nth_element(dxs.begin(), dxs.begin() + static_cast<long>(dxs.size() / 2), dxs.end());
    std::nth_element(dys.begin(), dys.begin() + static_cast<long>(dys.size() / 2), dys.end());
    s.dx_mm = dxs[dxs.size() / 2];
    s.dy_mm = dys[dys.size() / 2];
    s.checked = true;
    s.score = sum / s.tiles;
    s.pass = s.score >= s.threshold;
    s.reason = s.pass ? "the personal guilloche matches the card's data (correlation " + fmt(s.score) + ")"
                      : "the personal guilloche does not belong to the card's data (correlation " + fmt(s.score) +
                            " < " + fmt(s.threshold) + ")";
    s.reason += glare_left_out(s.glare_tiles);
    return s;
  });
}

struct CopyBase::Impl {
  std::string layout;  // side_layout() of the side it was made for
  cv::Size size;       // the side, pixels at dpi
  int dpi = 0;
  // The first personal fine-line item (side.items.size() when none): it and the fine lines drawn
  // after it are drawn for each card.
  std::size_t personal_from = 0;
  cv::Mat lines;  // CV_32F: the fine lines drawn before it, area-averaged (rasterise)
  cv::Rect kept;  // on the line canvas: where the lines after it can fall ...
  cv::Mat under;  // ... and the line canvas there (CV_8U, supersampled)
  cv::Mat marks;  // CV_8U: where the static items mark the side (mark_others)
};

namespace {

// Which items a base is for: each item's name, whether it is personal and whether a fine line, in
// order.
std::string side_layout(const SideDisplay& side) {
  std::string s;
  for (const auto& it : side.items) {
    s += it->name;
    s += it->personal ? "\x1fp" : "\x1fs";
    s += fine_ink(*it) ? "f\x1e" : "-\x1e";
  }
  return s;
}

// `r` grown to whole ss x ss blocks of the line canvas `canvas` (whose size is a multiple of ss).
cv::Rect whole_blocks(cv::Rect r, int ss, cv::Rect canvas) {
  return cv::Rect(cv::Point(r.x / ss * ss, r.y / ss * ss),
                  cv::Point((r.br().x + ss - 1) / ss * ss, (r.br().y + ss - 1) / ss * ss)) &
         canvas;
}

constexpr double kFineWidthMm = 0.12;  // copy detection's fine lines: strokes up to this wide

// The line canvas of the fine lines before `personal_from` over the whole side (supersampled).
cv::Mat static_lines(const SideDisplay& side, std::size_t personal_from, double dpi, cv::Rect card) {
  const int ss = supersampling(dpi);
  cv::Mat canvas(card.height * ss, card.width * ss, CV_8UC1, cv::Scalar(0));
  for (std::size_t i = 0; i < personal_from; ++i) {
    const DisplayItem& it = *side.items[i];
    if (fine_ink(it) && path_item(it)) draw_strokes(canvas, {0, 0}, strokes_of(it, dpi, card, kFineWidthMm));
  }
  return canvas;
}

std::shared_ptr<CopyBase::Impl> make_base(int width, int height, Dpi dpi, const SideDisplay& side) {
  auto b = std::make_shared<CopyBase::Impl>();
  const cv::Rect card(0, 0, width, height);
  b->layout = side_layout(side);
  b->size = card.size();
  b->dpi = dpi.v;
  const auto first =
      std::find_if(side.items.begin(), side.items.end(), [](const auto& it) { return it->personal && fine_ink(*it); });
  b->personal_from = static_cast<std::size_t>(first - side.items.begin());
  const cv::Mat canvas = static_lines(side, b->personal_from, dpi.v, card);
  b->lines.create(card.size(), CV_32F);
  downsample(canvas, supersampling(dpi.v), b->lines);
  // Where the lines drawn for each card can fall: a personal item's box (turned, and 2 mm around
  // it: its strokes may overrun it) and its clip, a later static item's strokes. A card whose
  // lines fall outside it is drawn on the whole canvas again (copy_reference).
  const int ss = supersampling(dpi.v);
  const double k = dpi.v / 25.4 * ss;
  const cv::Rect whole(0, 0, canvas.cols, canvas.rows);
  for (std::size_t i = b->personal_from; i < side.items.size(); ++i) {
    const DisplayItem& it = *side.items[i];
    if (!fine_ink(it) || !path_item(it)) continue;
    const ItemStrokes st = strokes_of(it, dpi.v, card, kFineWidthMm);
    cv::Rect r = bounds_of(st);
    if (it.personal) {
      const ItemTurn turn(it);
      const double m = 2.0;
      double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
      for (const Pt2 c : {Pt2{it.box.x.v - m, it.box.y.v - m}, Pt2{it.box.x.v + it.box.w.v + m, it.box.y.v - m},
                          Pt2{it.box.x.v - m, it.box.y.v + it.box.h.v + m},
                          Pt2{it.box.x.v + it.box.w.v + m, it.box.y.v + it.box.h.v + m}}) {
        const Pt2 q = turn(c);
        x0 = std::min(x0, q.x), y0 = std::min(y0, q.y), x1 = std::max(x1, q.x), y1 = std::max(y1, q.y);
      }
      const cv::Rect box(cv::Point(static_cast<int>(std::floor(x0 * k)), static_cast<int>(std::floor(y0 * k))),
                         cv::Point(static_cast<int>(std::ceil(x1 * k)) + 1, static_cast<int>(std::ceil(y1 * k)) + 1));
      r |= box & st.target;
    }
    b->kept |= r & whole;
  }
  if (!b->kept.empty()) {
    b->kept = whole_blocks(b->kept, ss, whole);  // as copy_reference's region
    b->under = canvas(b->kept).clone();
  }
  b->marks = cv::Mat(card.size(), CV_8UC1, cv::Scalar(0));
  mark_others(side, dpi.v, Items::statics, b->marks);
  return b;
}

}  // namespace

Result<CopyBase> copy_base(int width, int height, Dpi dpi, const Card& expected, Side side) {
  SDC_TRY(check_card(width, height, dpi, expected, side));
  return guarded([&]() -> Result<CopyBase> { return CopyBase(make_base(width, height, dpi, expected.display(side))); });
}

std::string copy_base_key(int width, int height, Dpi dpi) {
  return std::to_string(width) + "x" + std::to_string(height) + "@" + std::to_string(dpi.v);
}

struct CopyReference::Impl {
  cv::Size size;
  double s1 = 0, s2 = 0;  // the band-pass, in working pixels
  int search = 0;
  cv::Mat expected_bp;          // the expected fine lines, band-passed
  cv::Mat ink;                  // where the expected fine lines put ink (for glare)
  cv::Mat compared;             // CV_8U: 0 where other items mark the card (mark_others)
  std::vector<cv::Rect> tiles;  // those with most expected energy, most first
  std::vector<char> whole;      // each tile and its search free of marks: compared over all of it
};

Result<CopyReference> copy_reference(int width, int height, Dpi dpi, const Card& expected, Side side,
                                     const CopyOptions& o, const CopyBase* given) {
  SDC_TRY(check_card(width, height, dpi, expected, side));
  SDC_TRY(check_copy_options(o));
  return guarded([&]() -> Result<CopyReference> {
    auto ref = std::make_shared<CopyReference::Impl>();
    const double k = dpi.v / 25.4;
    const cv::Rect card(0, 0, width, height);
    ref->size = card.size();
    const SideDisplay& disp = expected.display(side);
    std::shared_ptr<const CopyBase::Impl> base = given ? given->impl_ : nullptr;
    if (!base || base->size != card.size() || base->dpi != dpi.v || base->layout != side_layout(disp))
      base = make_base(width, height, dpi, disp);
    // The fine lines: the base's, and those from the first personal one on drawn over the base's
    // canvas where they fall, then area-averaged there.
    cv::Mat exp = base->lines.clone();
    const int ss = supersampling(dpi.v);
    std::vector<ItemStrokes> drawn;
    cv::Rect region;
    for (std::size_t i = base->personal_from; i < disp.items.size(); ++i) {
      const DisplayItem& it = *disp.items[i];
      if (!fine_ink(it) || !path_item(it)) continue;
      drawn.push_back(strokes_of(it, dpi.v, card, kFineWidthMm));
      region |= bounds_of(drawn.back());
    }
    if (!region.empty()) {
      region = whole_blocks(region, ss, cv::Rect(0, 0, width * ss, height * ss));
      cv::Mat part = (region & base->kept) == region
                         ? cv::Mat(base->under(region - base->kept.tl())).clone()
                         : static_lines(disp, base->personal_from, dpi.v, card)(region).clone();
      for (const auto& st : drawn) draw_strokes(part, region.tl(), st);
      downsample(part, ss, exp(cv::Rect(region.x / ss, region.y / ss, region.width / ss, region.height / ss)));
    }
    cv::Mat marked = base->marks.clone();
    mark_others(disp, dpi.v, Items::personal, marked);
    exp.setTo(0.0f, marked);                                      // the lines hidden under other items are not expected
    const double px = std::max(1.0, dpi.v / capture_of(dpi, o));  // one capture pixel, in working pixels
    ref->s1 = 0.5 * px;
    ref->s2 = 1.5 * px;
    ref->expected_bp = dog(exp, ref->s1, ref->s2);
    ref->ink = exp > 0.2f;
    ref->search = std::max(1, static_cast<int>(std::lround(o.search_mm * k)));
    const int search = ref->search;
    const int t = std::max(8, static_cast<int>(std::lround(o.tile_mm * k)));
    // A tile is compared where no other item marks it, nor the band-pass carries the mark's edge
    // to (three times its wider sigma); a tile with less than half of it left is not compared.
    cv::Mat spread;
    const int reach = static_cast<int>(std::ceil(3 * ref->s2));
    cv::dilate(marked, spread, cv::getStructuringElement(cv::MORPH_RECT, {2 * reach + 1, 2 * reach + 1}));
    ref->compared = spread == 0;
    struct Cand {
      double energy;
      cv::Rect r;
      bool whole;
    };
    std::vector<Cand> cands;
    for (int y = search; y + t + search <= card.height; y += t)
      for (int x = search; x + t + search <= card.width; x += t) {
        const cv::Rect r(x, y, t, t);
        const int left = cv::countNonZero(ref->compared(r));
        if (2 * left < r.area()) continue;
        const double e = cv::norm(ref->expected_bp(r), cv::NORM_L2SQR, ref->compared(r));
        // Whole: nothing marked within the tile or the search around it.
        const cv::Rect window(x - search, y - search, t + 2 * search, t + 2 * search);
        if (e > 0) cands.push_back({e, r, cv::countNonZero(ref->compared(window)) == window.area()});
      }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.energy > b.energy; });
    if (cands.size() > static_cast<std::size_t>(o.max_tiles)) cands.resize(static_cast<std::size_t>(o.max_tiles));
    for (const auto& c : cands) {
      ref->tiles.push_back(c.r);
      ref->whole.push_back(c.whole ? 1 : 0);
    }
    return CopyReference(std::move(ref));
  });
}

Result<ForensicScore> copy_detection(const Print& print_of, Dpi dpi, const CopyReference& reference,
                                     const CopyOptions& o) {
  const ImageView& rectified = print_of.view();
  SDC_TRY(check_image(rectified));
  SDC_TRY(check_copy_options(o));
  if (reference.empty())
    return Error(Errc::invalid_argument, "copy_detection: the reference is empty", "make it with copy_reference");
  const CopyReference::Impl& ref = *reference.impl_;
  if (rectified.width() != ref.size.width || rectified.height() != ref.size.height)
    return Error(Errc::invalid_argument,
                 "copy_detection: the image is " + std::to_string(rectified.width()) + " x " +
                     std::to_string(rectified.height()) + " px, the reference " + std::to_string(ref.size.width) +
                     " x " + std::to_string(ref.size.height),
                 "make the reference for the rectified image's size");
  return guarded([&]() -> Result<ForensicScore> {
    ForensicScore s;
    s.threshold = o.threshold;
    if (auto why = too_coarse(dpi, o)) {
      s.reason = std::move(*why);
      return s;
    }
    const cv::Mat& print = darkness(print_of);
    const Clipping& clip = clipping(print_of);
    // The print is band-passed only where a tile is compared. A filter on a part of a matrix reads
    // the pixels around it, so each part is filtered exactly as the whole image would be.
    const auto print_bp = [&](cv::Rect w) { return dog(print(w), ref.s1, ref.s2); };
    std::vector<char> washed(ref.tiles.size(), 0);
    for (std::size_t i = 0; i < ref.tiles.size(); ++i)
      washed[i] = washed_out(print, ref.ink, clip, ref.tiles[i], ref.search, ref.compared) ? 1 : 0;
    // The halo: a highlight that washes out a tile lifts the lines of the tiles beside it too,
    // short of washing them out, and lowers their correlation as a copy does, most where the paper
    // clips and hides the halo itself (a simulated spot on a 600 dpi flatbed scan: the ink of the
    // tiles around the washed one at 0.12 to 0.37 of full darkness against 0.55 to 0.70 elsewhere,
    // and a genuine card called a copy at 0.54 against 0.63). A tile whose centre is within 1.5
    // tile sizes of a washed-out one's (its 8 neighbours) is measured, but glare can only have
    // lowered its score: it cannot make the card a copy.
    const auto beside_washed = [&](const cv::Rect& r) {
      for (std::size_t j = 0; j < ref.tiles.size(); ++j) {
        if (!washed[j]) continue;
        const cv::Rect& w = ref.tiles[j];
        const double dx = (r.x + r.width / 2.0) - (w.x + w.width / 2.0),
                     dy = (r.y + r.height / 2.0) - (w.y + w.height / 2.0);
        if (std::hypot(dx, dy) <= 1.5 * std::max(w.width, w.height)) return true;
      }
      return false;
    };
    // A shadow (kShadowLight): the tiles whose darkest quarter is lit much less than the side's
    // best-lit paper (best_paper_light). A shadow's darkness changes no correlation by itself (each
    // tile's is normalised), but the noise weighs more on the dimmed lines, and a shadow's edge
    // across a tile adds an edge the template does not have: five genuine cards' copy scores fell
    // from 0.56 to 0.59 to 0.51 to 0.54 under a simulated shadow of 0.6 (a hand's or the phone's),
    // borderline or a copy. Such a tile is measured, and in even light could have scored up to
    // kShadowMargin more (kShadowEdgeMargin across the shadow's edge), or anything up to 1 in a
    // deep shadow. Not 1 in every shadow: a copy under a shadow over most of its tiles (0.39 to
    // 0.48) would then be a retake, never a copy.
    std::vector<double> light(ref.tiles.size(), 1.0);  // each tile's darkest quarter's
    std::vector<char> edge(ref.tiles.size(), 0);       // a quarter much darker than another
    std::vector<char> shadowed(ref.tiles.size(), 0);   // its darkest quarter in a shadow
    std::vector<char> touched(ref.tiles.size(), 0);    // that, or a shadow's edge near it
    const double best_light = best_paper_light(print);
    for (std::size_t i = 0; i < ref.tiles.size(); ++i) {
      if (washed[i]) continue;
      // A shadow's edge across a tile darkens one of its quarters.
      const auto q = cell_lights(print, ref.tiles[i], 2, ref.compared);
      if (q.empty()) continue;  // (a tile keeps at least half its pixels)
      light[i] = *std::min_element(q.begin(), q.end());
      edge[i] = light[i] < kShadowLight * *std::max_element(q.begin(), q.end()) ? 1 : 0;
      shadowed[i] = light[i] < kShadowLight * best_light ? 1 : 0;
      touched[i] = shadowed[i] || edge_near(print, ref.tiles[i], ref.search, ref.compared) ? 1 : 0;
    }
    // A tile a shadow touches is compared again with the light evened out (over 0.75 mm, as the
    // text's), and the better match counts: its edge no longer adds one the template lacks.
    cv::Mat evened;
    const int reach = std::max(2, static_cast<int>(std::lround(0.75 * dpi.v / 25.4)));
    const auto evened_bp = [&](cv::Rect w) { return dog(evened(w), ref.s1, ref.s2); };
    std::vector<double> nccs, unlit;  // unlit: the highest each tile could have scored in even light
    int halo = 0;
    for (std::size_t i = 0; i < ref.tiles.size(); ++i) {
      const cv::Rect& r = ref.tiles[i];
      if (washed[i]) {
        ++s.glare_tiles;
        continue;
      }
      const cv::Mat compared = ref.whole[i] ? cv::Mat() : ref.compared;
      auto m = match(print_bp, ref.size, ref.expected_bp, r, ref.search, {}, compared);
      if (!m.ok) continue;
      if (touched[i]) {
        if (evened.empty()) evened = evened_darkness(print, reach);
        const auto e = match(evened_bp, ref.size, ref.expected_bp, r, ref.search, {}, compared);
        if (e.ok && e.ncc > m.ncc) m = e;
      }
      nccs.push_back(m.ncc);
      s.shadow_tiles += touched[i] ? 1 : 0;
      const bool dimmed = beside_washed(r);
      halo += dimmed ? 1 : 0;
      const bool deep = light[i] < kDeepShadowLight * best_light;
      const double margin = edge[i] ? kShadowEdgeMargin : kShadowMargin;
      // A tile only touched (the edge past a corner or in its margin) is partly in the shadow.
      unlit.push_back(dimmed || deep ? 1.0
                      : touched[i]   ? std::min(1.0, m.ncc + (shadowed[i] ? margin : kShadowMargin))
                                     : m.ncc);
    }
    if (nccs.empty() && s.glare_tiles == 0) {
      s.reason = "no fine lines to measure on this side";
      return s;
    }
    const auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    };
    s.tiles = static_cast<int>(nccs.size());
    s.score = nccs.empty() ? 0.0 : median(nccs);
    // A tile washed out by glare could have scored anything from -1 to 1, and one beside it
    // anything from its score to 1: the outcome stands only when it is the same whatever they
    // held. Else the capture cannot decide (a retake).
    // A tile in a shadow could have scored more in even light (unlit).
    const std::string in_shadow = counted(s.shadow_tiles, "tile") + " in a shadow";
    if (s.glare_tiles > 0 || s.shadow_tiles > 0) {
      std::vector<double> low = nccs, high = unlit;
      low.insert(low.end(), static_cast<std::size_t>(s.glare_tiles), -1.0);
      high.insert(high.end(), static_cast<std::size_t>(s.glare_tiles), 1.0);
      if (median(low) < s.threshold && median(high) >= s.threshold) {
        if (s.glare_tiles > 0)
          s.reason = glare_reason(s.glare_tiles, s.tiles + s.glare_tiles,
                                  halo > 0 ? "fine-line tiles and dims " + std::to_string(halo) + " beside " +
                                                 (s.glare_tiles == 1 ? "it" : "them") + ", enough to change the outcome"
                                           : std::string("fine-line tiles, enough to change the outcome")) +
                     (s.shadow_tiles > 0 ? "; " + in_shadow : "");
        else
          s.reason = "a shadow darkens " + std::to_string(s.shadow_tiles) + " of the " + std::to_string(s.tiles) +
                     " fine-line tiles (correlation " + fmt(s.score) +
                     " with them), enough to change the outcome: light the card evenly, with no shadow of the "
                     "phone or a hand across it, and retake it";
        return s;
      }
    }
    s.checked = true;
    s.pass = s.score >= s.threshold;
    s.reason = s.pass ? "the fine lines are as sharp as an original print (correlation " + fmt(s.score) + ")"
                      : "the fine lines are degraded as in a copy (correlation " + fmt(s.score) + " < " +
                            fmt(s.threshold) + ")";
    s.reason += glare_left_out(s.glare_tiles) + (s.shadow_tiles > 0 ? "; " + in_shadow : "");
    return s;
  });
}

Result<ForensicScore> copy_detection(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                     const CopyOptions& o) {
  SDC_TRY(check_input(rectified.view(), dpi, expected, side));
  SDC_TRY(check_copy_options(o));
  if (auto why = too_coarse(dpi, o)) {
    ForensicScore s;
    s.threshold = o.threshold;
    s.reason = std::move(*why);
    return s;
  }
  SDC_TRY_ASSIGN(const CopyReference ref,
                 copy_reference(rectified.view().width(), rectified.view().height(), dpi, expected, side, o));
  return copy_detection(rectified, dpi, ref, o);
}

std::string copy_reference_key(int width, int height, Dpi dpi, const CopyOptions& o) {
  // The capture resolution counts only through the band-pass's pixel (copy_reference).
  char k[160];
  std::snprintf(k, sizeof k, "%dx%d@%d band %.17g search %.17g tile %.17g max %d", width, height, dpi.v,
                std::max(1.0, dpi.v / capture_of(dpi, o)), o.search_mm, o.tile_mm, o.max_tiles);
  return k;
}

bool static_fine_lines(const Card& expected, Side side) {
  if (!expected.has_side(side)) return false;
  const auto& items = expected.display(side).items;
  return std::none_of(items.begin(), items.end(), [](const auto& it) { return it->personal && fine_ink(*it); });
}

}  // namespace sdc::forensics

namespace sdc::forensics {
namespace {

// Whether an item is upright, opaque text in process or K ink: text the capture shows as drawn.
bool plain_text(const DisplayItem& it) {
  return (it.type == "text" || it.type == "field") && std::holds_alternative<TextItem>(it.content) &&
         it.rotate_deg == 0 && it.opacity >= 1 && (it.ink == Ink::process || it.ink == Ink::k);
}
// Whether an item is such text that the seal's data decides.
bool personal_text(const DisplayItem& it) {
  return it.personal && plain_text(it);
}

// The text item's glyphs filled (0..1, CV_32F) over `roi` (pixels at dpi), supersampled as
// rasterise() does; false when a glyph has no outline to fill (the font cannot give it).
bool fill_text(const TextItem& t, double dpi, cv::Rect roi, cv::Mat& out) {
  constexpr int ss = 4, kShift = 4;
  const double k = dpi / 25.4 * ss;
  cv::Mat canvas(roi.height * ss, roi.width * ss, CV_8UC1, cv::Scalar(0));
  std::vector<std::vector<cv::Point>> contours;
  for (const auto& line : t.layout.lines)
    for (const auto& g : line.glyphs) {
      auto outline = t.fonts.glyph_outline(g.font, g.glyph, t.layout.size);
      if (!outline) return false;
      contours.clear();
      for (const auto& [pts, closed] :
           polylines(glyph_path(*outline, t.origin.x.v + g.x_mm, t.origin.y.v + g.y_mm), 8)) {
        auto& c = contours.emplace_back();
        for (const Pt2& q : pts)
          c.emplace_back(static_cast<int>(std::lround((q.x * k - roi.x * ss - 0.5) * (1 << kShift))),
                         static_cast<int>(std::lround((q.y * k - roi.y * ss - 0.5) * (1 << kShift))));
      }
      // Even-odd over one glyph's contours: its counters stay open.
      if (!contours.empty()) cv::fillPoly(canvas, contours, cv::Scalar(255), cv::LINE_8, kShift);
    }
  cv::resize(canvas, out, roi.size(), 0, 0, cv::INTER_AREA);
  out.convertTo(out, CV_32F, 1.0 / 255);
  return true;
}

// Glare over text on a bright capture (its paper clipped white everywhere): a highlight leaves a
// letter's strokes faint rather than gone, and some stroke within the search distance stays darker
// than kGlareClip (a spot of glare 1 over a date: its digits' darkest tenth 0.01 to 0.12 of 1, 0.8
// to 0.95 elsewhere, and one read as a mismatch at 0.56). A glyph or element is washed out too where
// this share of it and of the search distance around it is clipped, when it scores under its
// threshold (one that matches is read through the glare): 0.91 to 0.99 under such spots,
// at most 0.8 beside them and on any text printed there (a letter's ink and the background print
// between letters keep more than a tenth of the pixels darker). A letter scraped off among its
// neighbours keeps theirs within the search distance; a surname printed over is ink.
constexpr double kTextWashedShare = 0.9;

// The glyph of a text element whose print correlates least with its expected strokes.
struct GlyphMatch {
  bool ok = false;
  double ncc = 1;
  std::string text;  ///< the characters it draws
  int position = 0;  ///< the first of its characters in the element's text, 1-based
  int washed = 0;    ///< glyphs washed out by glare: not compared
  int evened = 0;    ///< glyphs read better with the light evened out (a shadow's edge across them)
};

// Each glyph (a cluster: a base and its marks, or a ligature) compared in its own cell, the advance
// box by the line's ascent and descent inside the element's box, where the element's match put the
// print (`shift`) and `reach` pixels around it. A cell with under kMinGlyphInk of the median cell's
// ink (a stop, a hyphen, a space) is not compared: too few strokes to correlate. Nor is a cell
// under `washed_below` that glare washes out (washed_out, as for the element; `washed` counts
// them): a highlight a few millimetres across over one letter clips its strokes while the element
// as a whole still matches, and the letter is unread, not different. A glyph read through the glare
// counts as read. `exp_bp`, `print_bp`, `cover` (and its `ink` mask), `print` and `clip` are over
// `area`, `local` is the element's box in them, `search` the element's search in pixels. A glyph
// under `washed_below` that glare does not wash out is compared again on the print with its light
// evened out (`evened_bp()`, band-passed as `print_bp`), and the better match counts: a shadow's
// sharp edge across a letter (a phone's or a hand's) adds an edge the letter does not have, and a
// genuine glyph crossed by one fell to 0.71 against 0.75 (its element 0.90). Evening the light does
// not draw the strokes a changed letter lacks.
GlyphMatch weakest_glyph(const TextItem& t, const cv::Mat& exp_bp, const cv::Mat& print_bp,
                         const std::function<const cv::Mat&()>& evened_bp, const cv::Mat& cover, const cv::Mat& ink,
                         const cv::Mat& print, const Clipping& clip, cv::Rect area, cv::Rect local, cv::Point shift,
                         double k, int reach, int search, double washed_below) {
  constexpr double kMinGlyphInk = 0.35;
  struct Cell {
    cv::Rect r;
    std::uint32_t cluster;
    double ink = 0;
  };
  std::vector<Cell> cells;
  for (const auto& line : t.layout.lines) {
    const double top = t.origin.y.v + line.baseline.v - t.layout.ascent.v;
    const double bottom = t.origin.y.v + line.baseline.v + t.layout.descent.v;
    double x0 = 0, x1 = 0;
    std::optional<std::uint32_t> cluster;
    auto flush = [&] {
      if (!cluster) return;
      const cv::Rect r = cv::Rect(cv::Point(static_cast<int>(std::floor(x0 * k)) - area.x,
                                            static_cast<int>(std::floor(top * k)) - area.y),
                                  cv::Point(static_cast<int>(std::ceil(x1 * k)) - area.x,
                                            static_cast<int>(std::ceil(bottom * k)) - area.y)) &
                         local;
      if (r.width >= 3 && r.height >= 4) cells.push_back({r, *cluster, cv::sum(cover(r))[0]});
    };
    for (const auto& g : line.glyphs) {
      const double gx0 = t.origin.x.v + g.x_mm, gx1 = gx0 + std::max(0.0, g.advance_mm);
      // A mark (no advance) or another glyph of the same cluster joins the cell before it.
      if (cluster && (g.cluster == *cluster || g.advance_mm <= 0)) {
        x0 = std::min(x0, gx0);
        x1 = std::max(x1, gx1);
        continue;
      }
      flush();
      cluster = g.cluster;
      x0 = gx0;
      x1 = gx1;
    }
    flush();
  }
  GlyphMatch worst;
  if (cells.empty()) return worst;
  std::vector<double> inks;
  for (const auto& c : cells) inks.push_back(c.ink);
  std::nth_element(inks.begin(), inks.begin() + static_cast<std::ptrdiff_t>(inks.size() / 2), inks.end());
  const double min_ink = kMinGlyphInk * inks[inks.size() / 2];
  for (const auto& c : cells) {
    if (c.ink < min_ink || c.ink <= 0) continue;
    TileMatch m = match([&](cv::Rect w) { return print_bp(w); }, print_bp.size(), exp_bp, c.r, reach, shift);
    if (!m.ok) continue;
    if (m.ncc < washed_below && washed_out(print, ink, clip, c.r, search, {}, kTextWashedShare)) {
      ++worst.washed;
      continue;
    }
    if (m.ncc < washed_below) {
      const cv::Mat& even = evened_bp();
      const TileMatch e = match([&](cv::Rect w) { return even(w); }, even.size(), exp_bp, c.r, reach, shift);
      if (e.ok && e.ncc > m.ncc) {
        m = e;
        ++worst.evened;
      }
    }
    if (!worst.ok || m.ncc < worst.ncc) {
      worst.ok = true;
      worst.ncc = m.ncc;
      // Counted in characters (UTF-8 lead bytes) up to the cluster: what a person counts.
      const auto first = t.layout.text.begin();
      const auto at = static_cast<std::ptrdiff_t>(std::min<std::size_t>(c.cluster, t.layout.text.size()));
      worst.position = 1 + static_cast<int>(std::count_if(first, first + at, [](char b) {
                         return (static_cast<unsigned char>(b) & 0xC0) != 0x80;
                       }));
      // The cluster's characters: up to the next cluster of the layout, or the end of the text.
      std::size_t end = t.layout.text.size();
      for (const auto& line : t.layout.lines)
        for (const auto& g : line.glyphs)
          if (g.cluster > c.cluster) end = std::min<std::size_t>(end, g.cluster);
      worst.text = c.cluster < t.layout.text.size() ? t.layout.text.substr(c.cluster, end - c.cluster) : "";
    }
  }
  return worst;
}

// One text element of the expected side against the print (text_binding, text_registration).
struct TextElement {
  const DisplayItem* item = nullptr;
  bool washed = false;  ///< washed out by glare: not compared
  TileMatch m;          ///< the element as a whole (shift in pixels at k per mm)
  GlyphMatch glyph;     ///< its weakest glyph, when asked for
};

// The side's text elements that `want` takes, each rasterised from its glyph outlines over its ink
// box and 0.3 mm around, and matched with the print's darkness within ±search_mm; their glyphs
// too when `glyphs` (its glyph_threshold: under it, glare may excuse a glyph). `k` receives the
// pixels per millimetre the shifts are in.
std::vector<TextElement> compare_text(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                      double search_mm, const TextOptions* glyphs,
                                      const std::function<bool(const DisplayItem&, const TextItem&)>& want, double& k) {
  std::vector<TextElement> out;
  // Text strokes are a few tenths of a millimetre: compared at half a working dpi of 500 and
  // more (300 at 600), four times fewer pixels for the same scores within 0.01.
  const bool half = dpi.v >= 500;
  const cv::Mat& whole = darkness(rectified, half);
  const double wdpi = half ? dpi.v / 2.0 : dpi.v;
  k = wdpi / 25.4;
  const int search = std::max(1, static_cast<int>(std::lround(search_mm * k)));
  const cv::Rect card(0, 0, whole.cols, whole.rows);
  const Clipping& clip_whole = clipping(rectified, half);
  const double s1 = 0.05 * k, s2 = 0.5 * k;
  for (const auto& ip : expected.display(side).items) {
    const DisplayItem& it = *ip;
    if (!std::holds_alternative<TextItem>(it.content)) continue;
    const auto& t = std::get<TextItem>(it.content);
    if (t.layout.ink.w.v <= 0 || t.layout.ink.h.v <= 0 || !want(it, t)) continue;
    // The element's ink and 0.3 mm around it, and the search around that, inside the card.
    const double margin = 0.3;
    const double x0 = t.origin.x.v + t.layout.ink.x.v - margin, y0 = t.origin.y.v + t.layout.ink.y.v - margin;
    const cv::Rect box(static_cast<int>(std::floor(x0 * k)), static_cast<int>(std::floor(y0 * k)),
                       static_cast<int>(std::ceil((t.layout.ink.w.v + 2 * margin) * k)),
                       static_cast<int>(std::ceil((t.layout.ink.h.v + 2 * margin) * k)));
    cv::Rect area(box.x - search, box.y - search, box.width + 2 * search, box.height + 2 * search);
    area &= card;
    if ((box & card) != box || area.width < 8 || area.height < 4) continue;
    cv::Mat cover;
    if (!fill_text(t, wdpi, area, cover)) continue;
    // Darkness where the glyphs are: text lighter than what it is printed on (white on a dark
    // band) darkens the print less there, so its expected darkness is turned over.
    const cv::Mat exp = luma(t.color) > 0.6 ? cv::Mat(-cover) : cover;
    const cv::Mat print = whole(area);
    const Clipping clip{clip_whole.clipped(area), clip_whole.paper_clips};
    const cv::Rect local(box.x - area.x, box.y - area.y, box.width, box.height);
    TextElement e;
    e.item = &it;
    const cv::Mat ink = cover > 0.5f;
    // Glare near the element (its paper a quarter clipped, or its ink faded): unread, unless the
    // text_binding below reads every glyph of it clearly all the same.
    const bool near_glare = washed_out(print, ink, clip, local, search);
    if (near_glare && !glyphs) {
      e.washed = true;
      out.push_back(std::move(e));
      continue;
    }
    const cv::Mat exp_bp = dog(exp, s1, s2), print_bp = dog(print, s1, s2);
    e.m = match([&](cv::Rect w) { return print_bp(w); }, print_bp.size(), exp_bp, local, search);
    // The print with its light evened out over 0.75 mm (text strokes are thinner than 1.5 mm), made
    // when a comparison under its threshold asks for it (weakest_glyph).
    cv::Mat even_bp;
    const std::function<const cv::Mat&()> evened_bp = [&]() -> const cv::Mat& {
      if (even_bp.empty())
        even_bp = dog(evened_darkness(print, std::max(2, static_cast<int>(std::lround(0.75 * k)))), s1, s2);
      return even_bp;
    };
    if (e.m.ok && glyphs && e.m.ncc < glyphs->threshold) {
      const cv::Mat& even = evened_bp();
      const TileMatch m = match([&](cv::Rect w) { return even(w); }, even.size(), exp_bp, local, search);
      if (m.ok && m.ncc > e.m.ncc) e.m = m;
      // Under its threshold where a bright capture's highlight fades it (kTextWashedShare): unread.
      if (e.m.ncc < glyphs->threshold && washed_out(print, ink, clip, local, search, {}, kTextWashedShare)) {
        e.washed = true;
        out.push_back(std::move(e));
        continue;
      }
    }
    if (e.m.ok && glyphs)
      e.glyph = weakest_glyph(t, exp_bp, print_bp, evened_bp, cover, ink, print, clip, area, local, e.m.shift, k,
                              std::max(1, static_cast<int>(std::lround(0.1 * k))), search, glyphs->glyph_threshold);
    // An element near glare is read only where glare hid nothing of it: the element over its
    // threshold, and each glyph over the glyph threshold and not under its element by the margin
    // (as an element away from glare would pass), none washed out. Otherwise it stays unread, never
    // failed: a glyph the halo dims is not a forgery's proof. A highlight's halo clips the paper
    // around bold text long before it fades the strokes: of 277 elements of genuine glare captures
    // left unread whole, 232 read every glyph at 0.75 or more, none washed out (docs/verify.md).
    if (near_glare && !(e.m.ok && e.m.ncc >= glyphs->threshold && e.glyph.ok && e.glyph.washed == 0 &&
                        e.glyph.ncc >= glyphs->glyph_threshold && e.glyph.ncc > e.m.ncc - glyphs->glyph_margin)) {
      e = TextElement{};
      e.item = &it;
      e.washed = true;
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Whether text_binding compares the item: personal text that no `skip` string is part of.
bool bound_text(const DisplayItem& it, const TextItem& t, const std::vector<std::string>& skip) {
  return personal_text(it) && std::none_of(skip.begin(), skip.end(), [&](const std::string& v) {
           return !v.empty() && t.layout.text.find(v) != std::string::npos;
         });
}

}  // namespace

std::vector<std::string> text_binding_elements(const Card& expected, Side side, const TextOptions& options) {
  std::vector<std::string> out;
  if (expected.empty() || !expected.has_side(side)) return out;
  for (const auto& it : expected.display(side).items)
    if (const auto* t = std::get_if<TextItem>(&it->content); t && bound_text(*it, *t, options.skip_containing))
      out.push_back(it->name);
  return out;
}

Result<ForensicScore> text_binding(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                   const TextOptions& o) {
  SDC_TRY(check_input(rectified.view(), dpi, expected, side));
  if (!(o.search_mm >= 0.05 && o.search_mm <= 3))
    return Error(Errc::invalid_argument, "text_binding: search_mm out of range", "see forensics.hpp");
  return guarded([&]() -> Result<ForensicScore> {
    ForensicScore s;
    s.threshold = o.threshold;
    s.score = 1;
    GlyphMatch worst_glyph;
    double worst_element_ncc = 1;
    double k = 0;
    const auto compared = compare_text(
        rectified, dpi, expected, side, o.search_mm, &o,
        [&](const DisplayItem& it, const TextItem& t) { return bound_text(it, t, o.skip_containing); }, k);
    const int elements = static_cast<int>(compared.size());
    int washed_glyphs = 0, evened_glyphs = 0;
    for (const auto& e : compared) {
      if (e.washed) {
        ++s.glare_tiles;
        s.unread.push_back(e.item->name);
        continue;
      }
      if (!e.m.ok) continue;
      ++s.tiles;
      // A glyph washed out is unread, as an element is: the rest decides, and a pass is a retake.
      washed_glyphs += e.glyph.washed;
      if (e.glyph.washed > 0) s.unread.push_back(e.item->name);
      evened_glyphs += e.glyph.evened;
      // The element as a whole, then glyph by glyph: a digit printed over in a date changes a tenth
      // of a long element's strokes, which its correlation hardly shows (0.91 against 0.92), while
      // that glyph's own cell loses them. The side's score is the one furthest under (or least
      // over) its threshold.
      // A glyph counts only where it stands out from its element: glare, blur or a coarse capture
      // lower every glyph and the element alike (a surname dimmed by a highlight: element 0.70,
      // its weakest glyph 0.74), which the element's own threshold judges, while a glyph printed
      // over scores far under the rest (0.24 and more under its element in the set F-date).
      const GlyphMatch& g = e.glyph;
      const bool glyph_worse =
          g.ok && g.ncc <= e.m.ncc - o.glyph_margin && g.ncc - o.glyph_threshold < e.m.ncc - o.threshold;
      const double score = glyph_worse ? g.ncc : e.m.ncc, threshold = glyph_worse ? o.glyph_threshold : o.threshold;
      if (s.element.empty() || score - threshold < s.score - s.threshold) {
        s.score = score;
        s.threshold = threshold;
        s.element = e.item->name;
        s.dx_mm = e.m.shift.x / k;
        s.dy_mm = e.m.shift.y / k;
        worst_glyph = glyph_worse ? g : GlyphMatch{};
        worst_element_ncc = e.m.ncc;
      }
    }
    if (s.tiles == 0) {
      s.score = 0;
      s.reason = s.glare_tiles > 0 ? glare_reason(s.glare_tiles, elements, "personal text elements")
                                   : "no personal text to compare on this side";
      return s;
    }
    s.checked = true;
    s.pass = s.score >= s.threshold;
    const int washed_elements = s.glare_tiles;
    s.glare_tiles += washed_glyphs;
    // A glyph is named by its place, and on a failure by the characters the seal's data puts
    // there: what the print shows instead is for the officer to read.
    const std::string where = worst_glyph.ok
                                  ? "character " + std::to_string(worst_glyph.position) + " of '" + s.element + "'"
                                  : "'" + s.element + "'";
    const std::string sealed = worst_glyph.ok ? " (the sealed data has '" + worst_glyph.text + "' there)" : "";
    const std::string as_whole = worst_glyph.ok ? "; the element as a whole " + fmt(worst_element_ncc) : "";
    s.reason = (s.pass ? "the text printed for people shows the sealed data (" + std::to_string(s.tiles) +
                             " elements; the lowest, " + where + ", correlation " + fmt(s.score) + as_whole + ")"
                       : "the printed " + where + sealed + " does not show the sealed text (correlation " +
                             fmt(s.score) + " < " + fmt(s.threshold) + as_whole + ")") +
               (washed_elements > 0 ? "; " + std::to_string(washed_elements) + " washed out by glare left out" : "") +
               (washed_glyphs > 0 ? "; " + counted(washed_glyphs, "glyph") + " washed out by glare left out" : "") +
               (evened_glyphs > 0 ? "; " + counted(evened_glyphs, "glyph") + " read with the light evened out" : "");
    return s;
  });
}

Result<TextRegistration> text_registration(const Print& rectified, Dpi dpi, const Card& expected, Side side,
                                           double search_mm) {
  SDC_TRY(check_input(rectified.view(), dpi, expected, side));
  if (!(search_mm >= 0.05 && search_mm <= 3))
    return Error(Errc::invalid_argument, "text_registration: search_mm out of range", "see forensics.hpp");
  return guarded([&]() -> Result<TextRegistration> {
    TextRegistration r;
    double k = 0;
    const auto compared = compare_text(
        rectified, dpi, expected, side, search_mm, nullptr,
        // Lines, not paragraphs: a label places its line as well, at a fraction of the cost (the
        // specimen back's notice alone took 3 of 8 ms).
        [](const DisplayItem& it, const TextItem& t) {
          return !it.personal && plain_text(it) && t.layout.lines.size() == 1;
        },
        k);
    for (const auto& e : compared) {
      if (e.washed) ++r.washed;
      if (e.washed || !e.m.ok) continue;
      ++r.elements;
      if (e.m.ncc < kRegisteredText) continue;
      ++r.found;
      const auto& t = std::get<TextItem>(e.item->content);
      const MmPoint at{Mm{t.origin.x.v + t.layout.ink.x.v + t.layout.ink.w.v / 2},
                       Mm{t.origin.y.v + t.layout.ink.y.v + t.layout.ink.h.v / 2}};
      r.labels.push_back({at, {Mm{at.x.v + e.m.shift.x / k}, Mm{at.y.v + e.m.shift.y / k}}});
      const double shift = std::hypot(e.m.shift.x, e.m.shift.y) / k;
      if (shift >= r.max_shift_mm) {
        r.max_shift_mm = shift;
        r.farthest = e.item->name;
      }
    }
    return r;
  });
}

}  // namespace sdc::forensics
