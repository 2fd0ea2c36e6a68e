// Stage 1 of the checker: find a card of known aspect in any image, warp it to its trim box, and
// measure the capture. Nothing here knows sdc's layout: it works on any ID-1 (ID-2, ID-3) card on
// any background.
//
// Detection runs on a copy scaled to LocateOptions::detect_side (bounded time on huge images).
// Candidate quadrilaterals come from contours of edge maps and segmentations (grey, chroma), and
// from long straight edges (LSD segments merged into lines: the grey image's, and the chroma's and
// each colour channel's, fainter ones too, where those give no card's outline) taken four at a
// time, which still finds a card whose outline touches clutter. Each candidate is scored by its
// shape (the card's aspect, allowing perspective), its size, and the edge support along its sides
// (gradient across the side, in any colour channel; one side may be partly hidden by a finger) and
// its corners (a card's sides end at its rounded corners: a side whose neighbours run on past it,
// or stop short of it, is not the card's; such candidates are also completed from where the
// neighbours end). The best few are
// refined, the winner on the full image: each side is re-measured at many points (a box difference
// across it, which a thin printed line does not fool), a line is fitted robustly (RANSAC: a finger
// or a rounded corner is an outlier, not a shift) and the corners are the lines' intersections.
#include <sdc/verify.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "verify/checker_detail.hpp"
#include "verify/glare.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <queue>
#include <random>
#include <utility>
#include <vector>

namespace sdc {
namespace {

constexpr double kPi = 3.14159265358979323846;

double aspect_of(CardFormat f) {
  const MmSize s = card_size(f);
  return s.w.v / s.h.v;
}

// The image as 8-bit grey or RGB, without copying when it already is.
cv::Mat as_mat(const ImageView& v) {
  auto* data = const_cast<std::uint8_t*>(v.data());
  const auto step = static_cast<std::size_t>(v.row_stride());
  switch (v.format()) {
    case PixelFormat::gray8: return cv::Mat(v.height(), v.width(), CV_8UC1, data, step);
    case PixelFormat::rgb8: return cv::Mat(v.height(), v.width(), CV_8UC3, data, step);
    case PixelFormat::rgba8: {
      cv::Mat out;
      cv::cvtColor(cv::Mat(v.height(), v.width(), CV_8UC4, data, step), out, cv::COLOR_RGBA2RGB);
      return out;
    }
    case PixelFormat::cmyk8: {
      cv::Mat out(v.height(), v.width(), CV_8UC3);
      for (int y = 0; y < v.height(); ++y) {
        const std::uint8_t* s = v.row(y);
        auto* d = out.ptr<std::uint8_t>(y);
        for (int x = 0; x < v.width(); ++x, s += 4, d += 3)
          for (int c = 0; c < 3; ++c) d[c] = static_cast<std::uint8_t>((255 - s[c]) * (255 - s[3]) / 255);
      }
      return out;
    }
  }
  return {};
}

cv::Mat to_gray(const cv::Mat& m) {
  if (m.channels() == 1) return m;
  cv::Mat g;
  cv::cvtColor(m, g, cv::COLOR_RGB2GRAY);
  return g;
}

using P = cv::Point2d;
using Quad = std::array<P, 4>;

double dist(P a, P b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

double quad_area(const Quad& q) {
  double a = 0;
  for (std::size_t i = 0; i < 4; ++i) a += q[i].cross(q[(i + 1) % 4]);
  return std::abs(a) / 2;
}

// The length of the quad's shortest side.
double shortest_side(const Quad& q) {
  double shortest = dist(q[0], q[1]);
  for (std::size_t i = 1; i < 4; ++i) shortest = std::min(shortest, dist(q[i], q[(i + 1) % 4]));
  return shortest;
}

P centre_of(const Quad& q) {
  return (q[0] + q[1] + q[2] + q[3]) * 0.25;
}

// Orders four points clockwise (on screen) starting so that the first edge is a long edge running
// left to right as far as possible: the card upright or upside down, never on its side.
Quad order_quad(Quad q) {
  const P c = centre_of(q);
  std::sort(q.begin(), q.end(), [&](const P& a, const P& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  // atan2 with y down sorts clockwise on screen. Start at a long edge.
  const int start = dist(q[0], q[1]) + dist(q[2], q[3]) >= dist(q[1], q[2]) + dist(q[3], q[0]) ? 0 : 1;
  Quad r;
  for (int i = 0; i < 4; ++i) r[static_cast<std::size_t>(i)] = q[static_cast<std::size_t>((start + i) % 4)];
  // Of the two long-edge starts, take the one whose top edge points rightwards.
  const P d = r[1] - r[0];
  if (d.x < 0 || (d.x == 0 && d.y > 0)) std::rotate(r.begin(), r.begin() + 2, r.end());
  return r;
}

bool convex(const Quad& q) {
  int sign = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const double c = (q[(i + 1) % 4] - q[i]).cross(q[(i + 2) % 4] - q[(i + 1) % 4]);
    const int s = c > 0 ? 1 : c < 0 ? -1 : 0;
    if (s == 0 || (sign != 0 && s != sign)) return false;
    sign = s;
  }
  return true;
}

// Where the camera's optical axis meets the image (its centre: a photo is seldom cropped before it
// is checked) and the image's diagonal, in the pixels of the quads measured.
struct Lens {
  P centre;
  double diag = 1;
};

// How far a quad is from a rectangle of `aspect` seen through a pinhole camera whose axis meets
// the image at `lens.centre` (square pixels). The homography taking the unit square to the quad,
// its origin moved to the lens's centre and divided by the focal length f, has as first two columns
// the card's two sides in the camera's space: at right angles, their lengths' ratio the card's
// aspect. Where the quad has two vanishing points, one f makes the sides square (Zhang and He,
// whiteboard scanning, 2007); the misfit is the log aspect error at that f, plus a cost for the tilt
// it needs (people hold the phone about facing the card: 0.04 at 30 degrees, 0.09 at 45, 0.15 at
// 60). Infinite when that f is not a camera's (0.3 to 4 times the image's diagonal: a phone's
// ultra-wide camera is about 0.35, its main one 0.6, a 3x one 1.8, a crop longer) or the tilt is
// over 65 degrees (nothing on the card is legible). A quad with one vanishing point or none (a
// trapezoid with two parallel sides, a parallelogram) fixes no f, and any aspect within a range
// fits some f and tilt: infinite too, the image's own measure decides (shape_penalty).
double camera_misfit(const Quad& q, double aspect, const Lens& lens) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // The unit square's corners (0,0), (1,0), (1,1), (0,1) to q's: [a b c; d e f; g h 1] (Heckbert).
  const double sx = q[0].x - q[1].x + q[2].x - q[3].x, sy = q[0].y - q[1].y + q[2].y - q[3].y;
  const double dx1 = q[1].x - q[2].x, dx2 = q[3].x - q[2].x, dy1 = q[1].y - q[2].y, dy2 = q[3].y - q[2].y;
  const double den = dx1 * dy2 - dx2 * dy1;
  if (std::abs(den) < 1e-9) return kInf;
  const double g = (sx * dy2 - dx2 * sy) / den, h = (dx1 * sy - sx * dy1) / den;
  if (std::abs(g * h) < 1e-18) return kInf;
  // The first two columns with the lens's centre as origin, before the division by f.
  const double a1 = q[1].x - q[0].x + g * q[1].x - lens.centre.x * g;
  const double d1 = q[1].y - q[0].y + g * q[1].y - lens.centre.y * g;
  const double a2 = q[3].x - q[0].x + h * q[3].x - lens.centre.x * h;
  const double d2 = q[3].y - q[0].y + h * q[3].y - lens.centre.y * h;
  // Square at f^2 = -(a1 a2 + d1 d2) / (g h).
  const double f2 = -(a1 * a2 + d1 * d2) / (g * h);
  const double lo = 0.3 * lens.diag, hi = 4 * lens.diag;
  if (!(f2 >= lo * lo && f2 <= hi * hi)) return kInf;
  const double f = std::sqrt(f2);
  const double x1 = a1 / f, y1 = d1 / f, x2 = a2 / f, y2 = d2 / f;
  const double n1 = std::sqrt(x1 * x1 + y1 * y1 + g * g), n2 = std::sqrt(x2 * x2 + y2 * y2 + h * h);
  // The card's normal against the line of sight: the cosine of the tilt.
  const double nx = y1 * h - g * y2, ny = g * x2 - x1 * h, nz = x1 * y2 - y1 * x2;
  const double facing = std::abs(nz) / std::sqrt(nx * nx + ny * ny + nz * nz);
  if (!(facing >= 0.42) || !(n1 > 0 && n2 > 0)) return kInf;
  return std::abs(std::log(n1 / n2 / aspect)) + 0.3 * (1 - facing);
}

// How far the quad (ordered by order_quad) is from the card's shape seen in perspective: 0 for the
// exact aspect, growing with the log of the aspect error. The image's own measure (the quad's mean
// or nearer sides, and its corners' squareness) holds for a scan, a photo from afar or a crop, and
// a little perspective. Where it finds the quad far from the card's shape (over 0.2) or rejects it,
// a camera's measure (camera_misfit: a photo close up, whose far side shrinks and whose corners
// are far from square) counts when it is the better. Asked for every quad, the camera made askew
// outlines (a side partly on the card's edge, partly on a line printed inside it) and printed
// frames fit, and three scenes of the tests were located wrongly. Nothing when the shape is not a
// card's under either (sides too short, opposite sides too different, corners too far from square
// for any plausible tilt). (The camera could also tell a card tilted so far about its short axis
// that its long sides look the shorter; taking the quad's second side as the long one let large
// outlines of clutter lines in, and a quarter turn taken wrongly reads the card sideways: not done.)
std::optional<double> shape_penalty(const Quad& q, double aspect, const Lens& lens) {
  const double top = dist(q[0], q[1]), bottom = dist(q[2], q[3]);
  const double left = dist(q[3], q[0]), right = dist(q[1], q[2]);
  if (std::min({top, bottom, left, right}) < 12) return std::nullopt;
  std::optional<double> out;
  if (std::max(top, bottom) <= 1.7 * std::min(top, bottom) && std::max(left, right) <= 1.7 * std::min(left, right)) {
    double worst_cos = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const P u = q[(i + 1) % 4] - q[i], v = q[(i + 3) % 4] - q[i];
      worst_cos = std::max(worst_cos, std::abs(u.dot(v)) / (cv::norm(u) * cv::norm(v)));
    }
    // The mean sides, or the nearer (longer) sides: a card tilted away from the camera shrinks its
    // far side; whichever reads closer to the card's aspect. A corner under 57° or over 123° is not
    // a card's.
    const double p = std::min(std::abs(std::log((top + bottom) / (left + right) / aspect)),
                              std::abs(std::log(std::max(top, bottom) / std::max(left, right) / aspect)));
    if (worst_cos <= 0.55 && p <= std::log(1.4)) out = p + 0.5 * worst_cos;
  }
  if (out && *out <= 0.2) return out;
  const double cam = camera_misfit(q, aspect, lens);
  if (cam <= std::log(1.4) && (!out || cam < *out)) out = cam;
  return out;
}

// The gradient that counts as an edge (per channel, Sobel of the 5 x 5 smoothed detection copy):
// a step of about 12 levels, clear of a phone photo's grain and a desk's texture.
constexpr float kEdge = 24;
// In a plain frame, an edge of a third of that: a white card on a white desk differs from it by 6
// to 12 levels in one channel, and the plain desk has little grain that strong (plain_outside: 92 %
// of it under kEdge / 2). (12 found fewer: bench/RESULTS.md, the twenty-first session.)
constexpr float kFaintEdge = 8;

// The detection image: smoothed colour, and per pixel the gradient of the channel that changes most
// (a card of the desk's brightness but another colour still has edges).
struct Detect {
  cv::Mat gray;  // CV_8U, smoothed
  // The colour gradient (Sobel's x and y) of the channel where it is strongest, interleaved
  // (CV_16SC2): edge_at reads both at each of millions of points (a keyboard's candidates).
  cv::Mat grad;
  // Per pixel, the gradient's squared magnitude / 16, saturated at 255 (CV_8U): a pixel under the
  // edge threshold is passed over from it alone, a quarter of the memory read (edge_at).
  cv::Mat magnitude;
  double aspect = 1.586;
  double img_area = 1;
  Lens lens;
  float edge = kEdge;               // the gradient that counts as an edge (edge_at)
  const cv::Mat* smooth = nullptr;  // the smoothed detection copy (filled_corners)
  cv::Mat chroma;  // of a colour copy (CV_8U, the largest channel less the smallest); set before the search

  // The gradient's x and y at pixel (x, y); nullptr outside the image.
  const std::int16_t* gradient_at(int x, int y) const {
    if (x < 0 || y < 0 || x >= grad.cols || y >= grad.rows) return nullptr;
    return grad.ptr<std::int16_t>(y) + 2 * x;
  }
};

// Per pixel of `smooth` (8-bit grey or RGB), Sobel's x and y of the channel whose gradient
// is strongest there (Detect::grad), and its magnitude (Detect::magnitude).
cv::Mat colour_gradient(const cv::Mat& smooth, cv::Mat& magnitude) {
  cv::Mat dx, dy;
  cv::Sobel(smooth, dx, CV_16S, 1, 0);
  cv::Sobel(smooth, dy, CV_16S, 0, 1);
  cv::Mat grad(smooth.size(), CV_16SC2);
  magnitude.create(smooth.size(), CV_8U);
  const int ch = smooth.channels();
  for (int y = 0; y < smooth.rows; ++y) {
    const auto* px = dx.ptr<std::int16_t>(y);
    const auto* py = dy.ptr<std::int16_t>(y);
    auto* o = grad.ptr<std::int16_t>(y);
    auto* mag = magnitude.ptr<std::uint8_t>(y);
    for (int x = 0; x < smooth.cols; ++x) {
      int best = 0, best_m = -1;
      for (int c = 0; c < ch; ++c) {
        const int i = x * ch + c;
        const int m = px[i] * px[i] + py[i] * py[i];
        if (m > best_m) {
          best_m = m;
          best = i;
        }
      }
      o[2 * x] = px[best];
      o[2 * x + 1] = py[best];
      mag[x] = static_cast<std::uint8_t>(std::min(255, best_m >> 4));
    }
  }
  return grad;
}

// Whether the image has an edge across the line through `p` with unit normal `n`: a gradient of at
// least `Detect::edge` within `reach` px, pointing along the normal.
bool edge_at(const Detect& d, P p, P n, int reach = 2) {
  // |g| >= edge needs |g|^2 >= ceil(edge^2), so |g|^2 / 16 >= ceil(edge^2) / 16 (rounded down).
  const int weakest = std::min(255, static_cast<int>(std::ceil(static_cast<double>(d.edge) * d.edge)) >> 4);
  for (int k = -reach; k <= reach; ++k) {
    const P s = p + n * static_cast<double>(k);
    const int x = static_cast<int>(s.x), y = static_cast<int>(s.y);
    const std::int16_t* g = d.gradient_at(x, y);  // the bounds; the gradient is read only past the magnitude
    if (!g || d.magnitude.ptr<std::uint8_t>(y)[x] < weakest) continue;
    const double gx = g[0], gy = g[1];
    const double along = std::abs(gx * n.x + gy * n.y);
    // along >= 0.85 |g|, without the square root (the gradient's components are whole numbers).
    if (along >= d.edge && along * along >= 0.7225 * (gx * gx + gy * gy)) return true;
  }
  return false;
}

// Fraction of the side a-b (away from its rounded ends) along which the image has an edge across
// it (edge_at). Points outside the image count as unsupported; `seen` (if given) gets the fraction
// inside it. With `ref` (the ends of a parallel side of the same length), only the points where
// that side has an edge count: the support along the part of a side that is not hidden.
double side_support(const Detect& d, P a, P b, double t0 = 0.07, double t1 = 0.93, double* seen = nullptr,
                    const std::array<P, 2>* ref = nullptr, double* gap = nullptr) {
  const double len = dist(a, b);
  if (len < 1) return 0;
  const P u = (b - a) / len, n(-u.y, u.x);
  const int count = std::clamp(static_cast<int>(len * (t1 - t0) / 2.6), 8, 120);
  int hit = 0, in = 0, counted = 0, run = 0, longest = 0;
  for (int i = 0; i < count; ++i) {
    const double t = t0 + (t1 - t0) * (i + 0.5) / count;
    const P p = a + (b - a) * t;
    in += p.x >= 3 && p.y >= 3 && p.x < d.grad.cols - 3 && p.y < d.grad.rows - 3;
    if (ref && !edge_at(d, (*ref)[0] + ((*ref)[1] - (*ref)[0]) * t, n)) continue;
    ++counted;
    const bool h = edge_at(d, p, n);
    hit += h;
    run = h ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  if (seen) *seen = static_cast<double>(in) / count;
  if (gap) *gap = counted ? static_cast<double>(longest) / counted : 0;
  return counted ? static_cast<double>(hit) / counted : 0;
}

// How strong a step the side a-b is (away from its rounded ends): the mean, over points along it,
// of the colour difference between 3 px just outside and 3 px just inside it (at the best of three
// offsets within 1 px), each capped at 80. A box difference, like `edge_step`'s: a thin line
// printed inside the card is the same colour on both sides and gives little, however sharp; the
// card's edge against the background gives a step all along (and the fine print inside a card,
// which gives `side_support` its edges everywhere, gives little too).
double side_strength(const cv::Mat& img, P a, P b) {
  const double len = dist(a, b);
  if (len < 1) return 0;
  const P u = (b - a) / len, n(-u.y, u.x);
  const int ch = img.channels();
  auto colour = [&](P p, double* c) {
    const int x = std::clamp(static_cast<int>(p.x), 0, img.cols - 1),
              y = std::clamp(static_cast<int>(p.y), 0, img.rows - 1);
    const std::uint8_t* px = img.ptr<std::uint8_t>(y) + x * ch;
    for (int k = 0; k < ch; ++k) c[k] = px[k];
  };
  const int count = std::clamp(static_cast<int>(len * 0.86 / 2.6), 8, 120);
  constexpr int w = 3;
  double sum = 0;
  for (int i = 0; i < count; ++i) {
    const P p = a + (b - a) * (0.07 + 0.86 * (i + 0.5) / count);
    double strongest = 0;
    for (int k = -1; k <= 1; ++k) {
      double in[4] = {}, out[4] = {}, c[4];
      for (int j = 1; j <= w; ++j) {
        colour(p + n * static_cast<double>(k + j), c);
        for (int m = 0; m < ch; ++m) in[m] += c[m] / w;
        colour(p + n * static_cast<double>(k - j), c);
        for (int m = 0; m < ch; ++m) out[m] += c[m] / w;
      }
      double d2 = 0;
      for (int m = 0; m < ch; ++m) d2 += (in[m] - out[m]) * (in[m] - out[m]);
      strongest = std::max(strongest, std::sqrt(d2));
    }
    sum += std::min(strongest, 80.0);
  }
  return sum / count;
}

// Where a side's edge ends at its corner `c`, walking from `inner` (a point of the side) towards c
// and on past it: the distance of the end from c in units of `r`, positive when the edge stops short
// of the corner and negative when it runs on past it. The end is where the edge's run is best split
// from what follows (the maximum of the running sum of hit - 0.6): clutter beyond a corner gives
// scattered hits, an edge nearly all. A card's edge ends where its corner's rounding begins: about
// 0.5 r short of the corner (ISO/IEC 7810's corner radius; the curve leaves the line's 2 px and 30°
// tolerance there). An edge that runs well past the corner is a line across the card (a band
// printed on it); one that stops far short of it means the quad reaches beyond the card. `beyond`
// bounds the walk past the corner, in units of r.
double edge_end(const Detect& d, P inner, P c, double r, double beyond) {
  const double len = dist(inner, c);
  if (len < 1 || r < 1) return 0;
  const P u = (c - inner) / len, n(-u.y, u.x);
  const int count = static_cast<int>(len + beyond * r);
  double sum = 0, best = 0;
  int end = 0;
  for (int i = 0; i < count; ++i) {
    sum += (edge_at(d, u * static_cast<double>(i) + inner, n, 1) ? 1.0 : 0.0) - 0.6;
    if (sum > best) {
      best = sum;
      end = i + 1;
    } else if (sum + 0.4 * (count - 1 - i) + 1e-9 < best) {
      break;  // the steps left, at +0.4 each, cannot pass `best`
    }
  }
  return (len - end) / r;
}

// A card's corner radius in detection pixels: 3.18 mm of a short side of 53.98 mm (ID-1; the same
// fraction is near enough for ID-2 and ID-3).
double corner_radius(const Quad& q) {
  return 0.059 * (dist(q[1], q[2]) + dist(q[3], q[0])) / 2;
}

struct Candidate {
  Quad q;  // detection scale, ordered
  double area = 0, penalty = 0, score = 0;
  std::array<double, 4> support{};  // per side, top right bottom left
  double overrun = 0;               // how far the sides' edges run on past the corners, 0..1
  // Per side, where its edge ends at its first and second corner (edge_end, in corner radii).
  std::array<std::array<double, 2>, 4> ends{};
  double corner_misfit = 0;    // how far the ends are from a card's corners' (end_misfit), summed
  bool hidden_corner = false;  // one corner, or two of one side, taken as hidden (kHiddenCorner)
  int sharp = 0;               // how many of the eight ends are a sharp corner's (sharp_end)
  double choice = 1;           // what the choice score is of the full score (kSharpCorner)
  // Whether `score` is the full score (measure_ends); else it is an upper bound, and overrun, ends
  // and corner_misfit are not measured.
  bool scored = false;
  double min_support() const { return *std::min_element(support.begin(), support.end()); }
};

// A shape penalty under which an outline counts as another card in the frame (see locate_card).
constexpr double kCardShape = 0.15;
// A fitted outline this far from the card's shape is completed by the card's aspect (log of the
// aspect's error: 5 %; a flatbed scan's outline is within 1 %).
constexpr double kCompleteFitted = 0.05;
// A side turned more than this from the image's axes: the outline lies at an angle in the image.
constexpr double kLyingDeg = 2.0;

// How many of the quad's sides are turned more than kLyingDeg from the image's axes.
int sides_turned(const Quad& q) {
  int n = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const P v = q[(i + 1) % 4] - q[i];
    const double lo = std::min(std::abs(v.x), std::abs(v.y)), hi = std::max(std::abs(v.x), std::abs(v.y));
    n += std::atan2(lo, hi) > kLyingDeg * kPi / 180;
  }
  return n;
}
// Whether the quad lies at an angle in the image: a side turned more than kLyingDeg.
bool lying(const Quad& q) {
  return sides_turned(q) > 0;
}
// Whether the quad is a rectangle as a scanner sees a card: opposite sides within 2.5 % of each
// other and every corner within 2.5 degrees of square (a phone's perspective is more; a fitted
// outline with one side on a band's inner edge is up to 2 % and 1.5 degrees off).
bool flat_rectangle(const Quad& q) {
  for (std::size_t i = 0; i < 2; ++i) {
    const double a = dist(q[i], q[i + 1]), b = dist(q[i + 2], q[(i + 3) % 4]);
    if (std::abs(a - b) > 0.025 * std::max(a, b)) return false;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    const P u = q[(i + 1) % 4] - q[i], v = q[(i + 3) % 4] - q[i];
    if (std::abs(u.dot(v)) / (cv::norm(u) * cv::norm(v)) > std::sin(2.5 * kPi / 180)) return false;
  }
  return true;
}
// The fewest ends (of 8) at a rounded corner that another card in the frame may have.
constexpr int kOtherCardRounded = 3;
// The fewest ends (of 8) at their corner (end_misfit 0) that another card in the frame may have: a
// second card held beside the first has 6 (a line of the desk runs on past two), the rectangles of
// the clutter's edges on the desks of tests/verify/locate_test.cpp 3 or 4. (So its corner misfit
// is 2 at most: a rectangle cut from a grid, whose sides run on into the grid's lines, has 6.5 to 8.)
constexpr int kOtherCardAtCorner = 6;
// What a corner hidden by a finger (both sides ending over kFarEnd r short of it) adds to
// Candidate::corner_misfit, instead of the 2 of its two ends (the thumb scenes of
// tests/verify/card_test.cpp: 2.0 of the card's 2.0, against 0 for a skewed outline through a
// band's inner edge that the finger's corner made possible).
constexpr double kHiddenCorner = 0.5;
// How far short of or past its corner (in corner radii) a side's edge ends when the corner is
// hidden (both sides short of it) or, for another card in the frame, spoilt (at most one may be):
// a second card held beside the first runs 1.3 r past at most.
constexpr double kFarEnd = 2.0;

// How far an edge's end (edge_end) is from a card corner's: nothing from 1 r short of the corner
// to 0.2 r past it (the rounding, blur and a coarse quad's error), then growing to 1.
double end_misfit(double e) {
  if (e > 1) return std::min(1.0, e - 1);
  if (e < -0.2) return std::min(1.0, (-0.2 - e) / 1.5);
  return 0;
}

// Whether an edge's end (edge_end) is a sharp corner's: within 0.3 r past the corner to 0.08 r
// short of it. A card's rounded corner ends its sides' edges about 0.2 to 0.6 r short of the corner
// (edge_end); a line across the corner, or one that runs on past it, ends well past it.
bool sharp_end(double e) {
  return e > -0.3 && e < 0.08;
}

// Which corners of `q` are filled (bit k: corner k): the colour just inside the apex (0.15 r + 1 px
// along the bisector, 3 x 3 mean) differs from the background's just outside it (1 r + 1.5 px out)
// by over 20 and by over twice its difference from the inside's (2.5 r in). A card's rounded corner
// leaves the background at the apex; a sheet's or a printed field's sharp one does not. None where
// the corners' radius is under 5 px, too small to tell.
unsigned filled_corners(const Detect& d, const Quad& q) {
  if (d.smooth == nullptr) return 0;
  const double r = corner_radius(q);
  if (r < 5) return 0;
  const cv::Mat& img = *d.smooth;
  const int ch = img.channels();
  const auto mean_at = [&](P p, cv::Vec3d& out) {
    const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
    if (x < 1 || y < 1 || x >= img.cols - 1 || y >= img.rows - 1) return false;
    out = cv::Vec3d(0, 0, 0);
    for (int dy = -1; dy <= 1; ++dy) {
      const uchar* row = img.ptr<uchar>(y + dy);
      for (int dx = -1; dx <= 1; ++dx)
        for (int k = 0; k < std::min(ch, 3); ++k) out[k] += row[(x + dx) * ch + k];
    }
    out /= 9.0;
    return true;
  };
  unsigned filled = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const P a = q[k];
    const P u1 = q[(k + 1) % 4] - a, u2 = q[(k + 3) % 4] - a;
    const P b = u1 / cv::norm(u1) + u2 / cv::norm(u2);
    const double bl = cv::norm(b);
    if (bl < 1e-6) continue;
    const P bis = b / bl;
    cv::Vec3d apex, in, out;
    if (!mean_at(a + bis * (0.15 * r + 1.0), apex) || !mean_at(a + bis * (2.5 * r), in) ||
        !mean_at(a - bis * (r + 1.5), out))
      continue;
    const double d_in = cv::norm(apex - in), d_out = cv::norm(apex - out);
    if (d_out > 20 && d_out > 2 * d_in) filled |= 1u << k;
  }
  return filled;
}

// What each sharp end at a filled corner, past the first, costs a fully scored outline when the
// card is chosen, on top of the score's own 0.08 an end. An ID-1 card's corners are rounded; a
// sheet of paper the card lies on has 6 to 8 of its 8 ends sharp, the field inside a white margin 2
// to 4, and with 8 % an end a sheet four times the card's area, or the field, outscored the card
// (bench/locate_scenes). A card's own outline reads sharp ends too where a frame or a field is
// printed a millimetre or two inside its edge (up to 4 in the development scenes; 7 of 8 once
// refined in held-out seed 5 scene 117), but its corners are not filled. Not part of the score
// that picks the outlines to refine: a coarse outline of the card whose corners cut its rounded
// ones reads sharp and filled until refined.
constexpr double kSharpCorner = 0.25;
// What the score an outline is chosen by is of its full score (kSharpCorner), once its ends are
// measured.
double choice_factor(const Detect& d, const Candidate& c) {
  const unsigned filled = filled_corners(d, c.q);
  if (filled == 0) return 1;
  int sharp = 0;
  for (std::size_t k = 0; k < 4; ++k)
    if (filled & (1u << k)) sharp += sharp_end(c.ends[(k + 3) % 4][1]) + sharp_end(c.ends[k][0]);
  return std::exp(-kSharpCorner * std::max(0, sharp - 1));
}

// The score an outline is chosen by: its full score times `choice`, or its upper bound when it was
// not fully scored.
double choice_score(const Candidate& c) {
  return c.scored ? c.score * c.choice : c.score;
}

// The shape of a quad: nothing when it cannot be a card (not convex, not the card's shape, too
// small, out of the image, along the image's border: within `border` px of it, by default 1.2 % of
// the image's longer side). `score` is set to what the shape and size allow, an upper bound of the
// full score (every other factor is at most 1).
std::optional<Candidate> shape_of(const Detect& d, Quad q, double border = -1) {
  if (!convex(q)) return std::nullopt;
  q = order_quad(q);
  const auto penalty = shape_penalty(q, d.aspect, d.lens);
  if (!penalty) return std::nullopt;
  const double area = quad_area(q);
  if (area < 0.01 * d.img_area) return std::nullopt;
  const double m = 0.02 * std::max(d.grad.cols, d.grad.rows);
  for (const P& p : q)
    if (p.x < -m || p.y < -m || p.x > d.grad.cols + m || p.y > d.grad.rows + m) return std::nullopt;
  // A side along the image's border is the frame's edge, not the card's (a grid or a desk cut off
  // by the frame).
  const double e = border >= 0 ? border : 0.012 * std::max(d.grad.cols, d.grad.rows);
  for (std::size_t i = 0; i < 4; ++i) {
    const P a = q[i], b = q[(i + 1) % 4];
    if ((a.x < e && b.x < e) || (a.y < e && b.y < e) || (a.x > d.grad.cols - e && b.x > d.grad.cols - e) ||
        (a.y > d.grad.rows - e && b.y > d.grad.rows - e))
      return std::nullopt;
  }
  Candidate c{q, area, *penalty, 0, {}, 0};
  c.score = std::exp(-4 * c.penalty) * std::sqrt(area / d.img_area);
  return c;
}

// A weak side's (support under 0.5) longest run without an edge, of what it lacks, at least: a
// finger, a glare spot or the image's border hides one stretch of the card's side; a side whose few
// edges are spread all along it (a text block's ragged end, a pattern) is no card's.
constexpr double kHiddenRun = 0.5;

// What measure_sides and measure_overrun read of a side a-b (in that direction), kept for the
// other quads that share it: four lines give a quad, and each side (a line between two others)
// is a side of as many quads as there are lines to close them (on the keyboard test's frames, 80 %
// of the reads were repeats). The same numbers as reading them again.
class SideCache {
 public:
  struct Sides {
    double support = 0, gap = 0;
  };
  struct Ends {
    double before = 0, seen_before = 0, after = 0, seen_after = 0;
  };
  template <class F>
  Sides sides(P a, P b, F&& read) {
    return sides_.get(a, b, read);
  }
  template <class F>
  Ends ends(P a, P b, F&& read) {
    return ends_.get(a, b, read);
  }

 private:
  // Open addressing in one array (no allocation per side: under AddressSanitizer a node-based map's
  // allocations cost more than the reads they saved), keyed by the ends' bits.
  template <class V>
  class Table {
   public:
    template <class F>
    V get(P a, P b, F& read) {
      const Key k{std::bit_cast<std::uint64_t>(a.x), std::bit_cast<std::uint64_t>(a.y),
                  std::bit_cast<std::uint64_t>(b.x), std::bit_cast<std::uint64_t>(b.y)};
      const std::size_t mask = slots_.size() - 1;
      if (!slots_.empty())
        for (std::size_t i = hash(k) & mask; slots_[i].used; i = (i + 1) & mask)
          if (slots_[i].key == k) return slots_[i].value;
      const V v = read();
      insert(k, v);
      return v;
    }

   private:
    using Key = std::array<std::uint64_t, 4>;
    struct Slot {
      Key key{};
      V value{};
      bool used = false;
    };
    // Bounded (3/4 of 2^17 slots, each table under 10 MB): a frame with more sides reads the rest
    // anew.
    static constexpr std::size_t kMaxSlots = std::size_t{1} << 17;
    static std::size_t hash(const Key& k) {
      std::uint64_t h = 0x9e3779b97f4a7c15ULL;
      for (std::uint64_t v : k) {
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
      }
      return static_cast<std::size_t>(h);
    }
    void insert(const Key& k, const V& v) {
      if (4 * (size_ + 1) > 3 * slots_.size()) {
        if (slots_.size() >= kMaxSlots) return;
        std::vector<Slot> old(std::max<std::size_t>(1024, 2 * slots_.size()));
        old.swap(slots_);
        size_ = 0;
        for (const Slot& s : old)
          if (s.used) place(s.key, s.value);
      }
      place(k, v);
    }
    void place(const Key& k, const V& v) {
      const std::size_t mask = slots_.size() - 1;
      std::size_t i = hash(k) & mask;
      while (slots_[i].used) i = (i + 1) & mask;
      slots_[i] = Slot{k, v, true};
      ++size_;
    }
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
  };
  Table<Sides> sides_;
  Table<Ends> ends_;
};

// A card's four sides are edges (one may be partly hidden by a finger). False when they are not;
// else `support` is set and `score` is still an upper bound.
bool measure_sides(const Detect& d, Candidate& c, SideCache* cache = nullptr) {
  const Quad& q = c.q;
  int weak = 0;
  for (std::size_t s = 0; s < 4; ++s) {
    const P a = q[s], b = q[(s + 1) % 4];
    const auto read = [&] {
      SideCache::Sides r;
      r.support = side_support(d, a, b, 0.07, 0.93, nullptr, nullptr, &r.gap);
      return r;
    };
    const SideCache::Sides r = cache ? cache->sides(a, b, read) : read();
    const double gap = r.gap;
    c.support[s] = r.support;
    weak += c.support[s] < 0.5;
    if (c.support[s] < 0.2 || weak > 1) return false;
    if (c.support[s] < 0.5 && gap < kHiddenRun * (1 - c.support[s])) return false;
  }
  std::array<double, 4> s = c.support;
  std::sort(s.begin(), s.end());
  if (s[0] < 0.2 || s[1] < 0.5) return false;
  const double sup = (s[0] + s[1] + s[2] + s[3]) / 4;
  c.score *= sup * sup * sup * sup;
  return true;
}

// Whether the line a-b across a block is one of a grid's lines: an edge along 80 % of it (where
// side_support takes its points), or along 80 % of what lies outside one stretch that something
// lying on the grid hides, up to 70 % of it and 5 % or more in from either end (the card itself on
// a keyboard: the lines of the block round it run under it, and seen whole none of them is an
// edge along 80 % of its length).
bool grid_line(const Detect& d, P a, P b) {
  const double len = dist(a, b);
  if (len < 1) return false;
  const P u = (b - a) / len, n(-u.y, u.x);
  const auto at = [&](int i, int count) { return a + (b - a) * (0.07 + 0.86 * (i + 0.5) / count); };
  // Ten points first: a line that is an edge along 80 % of it misses few of them, and one that is
  // an edge along 80 % of what is outside a 70 % stretch has two or more, its misses mostly in one
  // run (two at most outside it). A line across the print inside a block (a keyboard's letters) has
  // a few here and there, and is not read further.
  int quick = 0, run = 0, longest = 0;
  for (int i = 0; i < 10; ++i) {
    const bool h = edge_at(d, at(i, 10), n);
    quick += h;
    run = h ? 0 : run + 1;
    longest = std::max(longest, run);
  }
  if (quick < 2 || (quick < 6 && 10 - quick - longest > 2)) return false;
  const int count = std::clamp(static_cast<int>(len * 0.86 / 2.6), 8, 120);
  int hit = 0, longest_end = 0;
  run = 0;
  longest = 0;
  for (int i = 0; i < count; ++i) {
    const bool h = edge_at(d, at(i, count), n);
    hit += h;
    run = h ? 0 : run + 1;
    if (run > longest) {
      longest = run;
      longest_end = i;
    }
  }
  if (hit >= 0.8 * count) return true;
  const int first = longest_end - longest + 1;
  return longest <= 0.7 * count && first >= 0.05 * count && longest_end < 0.95 * count &&
         hit >= 0.8 * (count - longest);
}

// A block of a grid (a keyboard's keys, tiles, a cutting mat, squared paper): lines inside it that
// run parallel to its sides (in its own perspective: the lines of constant u or v of the homography
// from the unit square), each an edge along 80 % of its length or of what the card lying on it
// leaves of it (grid_line), 3 or more in each direction, or 1 in one and 10 in the other. Its sides
// are lines of the grid too, and where the image's border cuts their continuation short, or the
// block reaches nearly across the frame, nothing else tells it from a card: a keyboard's frame
// outscored the card on it in a third of the keyboard scenes of bench/locate_scenes. A card has
// such lines in one direction at most (a band's edges, a frame's sides, fine wavy lines, up to 7 of
// them; none crosses them: the true outlines of the 300 development scenes).
bool grid_block(const Detect& d, const Quad& q) {
  const std::vector<cv::Point2f> from{{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  std::vector<cv::Point2f> to;
  for (const P& p : q) to.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  const cv::Matx33d h(cv::getPerspectiveTransform(from, to));
  const auto at = [&](double u, double v) {
    const cv::Vec3d r = h * cv::Vec3d(u, v, 1);
    return P(r[0] / r[2], r[1] / r[2]);
  };
  // The lines across (dir 0: parallel to the long sides) or along, counted up to `enough`, one
  // every 3 px away from the sides; a run of neighbouring ones counts once.
  const auto lines = [&](int dir, int enough) {
    const double extent =
        dir == 0 ? std::max(dist(q[0], q[3]), dist(q[1], q[2])) : std::max(dist(q[0], q[1]), dist(q[2], q[3]));
    const int steps = std::max(8, static_cast<int>(extent / 3));
    int found = 0;
    bool prev = false;
    for (int k = 1; k < steps && found < enough; ++k) {
      const double t = static_cast<double>(k) / steps;
      if (t < 0.06 || t > 0.94) continue;
      const P a = dir == 0 ? at(0, t) : at(t, 0), b = dir == 0 ? at(1, t) : at(t, 1);
      const double len = dist(a, b);
      if (len < 1) continue;
      const bool hit = grid_line(d, a, b);
      found += hit && !prev;
      prev = hit;
    }
    return found;
  };
  const int across = lines(0, 10);
  if (across == 0) return false;
  const int along = lines(1, across >= 10 ? 1 : 10);
  const int fewer = std::min(across, along), more = std::max(across, along);
  return fewer >= 3 || (fewer >= 1 && more >= 10);
}

// What a block of a grid's score is multiplied by.
constexpr double kGridBlock = 0.1;
// Under this choice score the best outline is weak, and outlines from three lines are tried too
// (three_line_candidates): about a third of the cards found in bench/locate_scenes score under it,
// and four in five of those missed.
constexpr double kWeakOutline = 0.12;
// The choice score under which no outline found is a card's (the longest lines of the chroma, and
// the faint lines of the chroma and of each colour channel, are then tried): the cards of
// bench/locate_scenes that only those lines found had best outlines scoring 0.012 to 0.054 before.
constexpr double kNoOutline = 0.06;
// How many outlines from two lines join the best few (two_line_candidates).
constexpr std::size_t kFromTwo = 3;
// A narrow ring round an outline (narrow_ring) may fit a card's corners by kRingMisfit worse than
// it (one end, end_misfit, up to 1) and its sides may run on past its corners up to kRingOverrun.
constexpr double kRingMisfit = 1.0;
constexpr double kRingOverrun = 0.5;
// How far out of an outline a narrow ring's sides may lie, of the ring's short side (a 2 mm margin
// is 3.7 %); also how far out the best few's sides are moved to look for one.
constexpr double kRingWidth = 0.08;

// How far the sides' edges run on past the corners: `overrun`. The full score is at most 1 - 0.9
// overrun of what the shape and sides allow (`overrun_bound`).
void measure_overrun(const Detect& d, Candidate& c, SideCache* cache = nullptr) {
  const Quad& q = c.q;
  // A card's side ends at its corners; a side whose edge runs on past both ends is part of a longer
  // line (a tiled floor, a sheet of paper, a table's edge), and a rectangle cut from a grid is not
  // a card.
  c.overrun = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const P a = q[i], b = q[(i + 1) % 4];
    const auto read = [&] {
      SideCache::Ends e;
      e.before = side_support(d, a, b, -0.25, -0.04, &e.seen_before);
      e.after = side_support(d, a, b, 1.04, 1.25, &e.seen_after);
      return e;
    };
    const auto [before, seen_before, after, seen_after] = cache ? cache->ends(a, b, read) : read();
    // Where one end runs out of the image, the other alone tells. An end tells when a fifth of its
    // stretch is in the image (4 % of the side past the corner): a block of a grid (tiles, keys, a
    // clutter of lines) reaching near the image's border has little of that stretch in it, and
    // with half of it required no side of the block ran on past a corner, so that it outscored the
    // card (bench/locate_scenes: seed 3 scenes 54 and 67, seed 2 scene 81).
    constexpr double kSeen = 0.2;
    const double run = seen_before < kSeen && seen_after < kSeen ? 0
                       : seen_before < kSeen                     ? after / seen_after
                       : seen_after < kSeen                      ? before / seen_before
                                                                 : std::min(before / seen_before, after / seen_after);
    c.overrun += std::min(1.0, run) / 4;
  }
}
double overrun_bound(const Candidate& c) {
  return 1 - 0.9 * c.overrun;
}

// The rest of the score once `overrun` is measured, where the sides' edges end: `ends`,
// `corner_misfit` and the full `score`.
void measure_corners(const Detect& d, Candidate& c) {
  const Quad& q = c.q;
  // A card's sides end at its rounded corners: an outline one of whose sides is a line printed across
  // the card (a header band's edge) has neighbours that run on past it; one that takes in a strip
  // of the background has neighbours that stop short of it.
  const double r = corner_radius(q);
  for (std::size_t i = 0; i < 4; ++i) {
    const P a = q[i], b = q[(i + 1) % 4];
    const double len = dist(a, b);
    const double in = std::min(5 * r, 0.45 * len) / len;
    c.ends[i][0] = edge_end(d, a + (b - a) * in, a, r, 4);
    c.ends[i][1] = edge_end(d, b + (a - b) * in, b, r, 4);
  }
  // Summed over the eight ends. (Counting a side only when both its neighbours say so was tried:
  // it misses a sheet that sticks out past the card by a few millimetres, where the sheet's own
  // edge running on past one corner and stopping short of the other is what tells; bench/RESULTS.md.)
  // A finger over a corner hides it: both sides stop far short of it (over kFarEnd r). Such a
  // corner costs kHiddenCorner, not the 2 of two lost ends, when it is the only one or one of two
  // at the ends of one side (a card held by both thumbs): an outline closed by lines that miss
  // each other at opposite corners or at three is not helped.
  c.corner_misfit = 0;
  unsigned hidden = 0;  // bit k: corner k hidden
  double hidden_misfit = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const double a = c.ends[(k + 3) % 4][1], b = c.ends[k][0];  // the two ends at corner k
    if (a > kFarEnd && b > kFarEnd) {
      hidden |= 1u << k;
      hidden_misfit += end_misfit(a) + end_misfit(b);
    }
  }
  for (std::size_t i = 0; i < 4; ++i) c.corner_misfit += end_misfit(c.ends[i][0]) + end_misfit(c.ends[i][1]);
  const int n_hidden = std::popcount(hidden);
  const bool adjacent = hidden == 3 || hidden == 6 || hidden == 12 || hidden == 9;
  c.hidden_corner = n_hidden == 1 || (n_hidden == 2 && adjacent);
  if (c.hidden_corner) c.corner_misfit -= hidden_misfit - kHiddenCorner * n_hidden;
  // ISO/IEC 7810 cards have rounded corners, whose sides' edges end short of the corner; a book, a
  // sheet or a rectangle printed on the desk has sharp ones, whose edges end at the corner.
  c.sharp = 0;
  for (const auto& e : c.ends) c.sharp += sharp_end(e[0]) + sharp_end(e[1]);
  std::array<double, 4> s = c.support;
  std::sort(s.begin(), s.end());
  const double sup = (s[0] + s[1] + s[2] + s[3]) / 4;
  c.score = sup * sup * sup * sup * std::exp(-4 * c.penalty) * std::sqrt(c.area / d.img_area) * overrun_bound(c) *
            std::exp(-0.35 * c.corner_misfit - 0.08 * c.sharp);
  c.choice = choice_factor(d, c);
  c.scored = true;
}

// The rest of the score, where the sides' edges end: `overrun`, `ends`, `corner_misfit` and the
// full `score`.
void measure_ends(const Detect& d, Candidate& c) {
  measure_overrun(d, c);
  measure_corners(d, c);
}

// Scores a quad: a card's four sides are edges, it has the card's shape, it is large, and its
// sides end at its corners. Nothing when it cannot be a card.
std::optional<Candidate> score_quad(const Detect& d, const Quad& q, double border = -1) {
  auto c = shape_of(d, q, border);
  if (!c || !measure_sides(d, *c)) return std::nullopt;
  measure_ends(d, *c);
  if (grid_block(d, c->q)) c->score *= kGridBlock;
  return c;
}

// A quadrilateral for a contour (its convex hull simplified), or nothing.
std::optional<Quad> quad_of(const std::vector<cv::Point>& contour) {
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  const double perimeter = cv::arcLength(hull, true);
  for (double eps : {0.01, 0.02, 0.035, 0.05}) {
    std::vector<cv::Point> approx;
    cv::approxPolyDP(hull, approx, eps * perimeter, true);
    if (approx.size() == 4) {
      Quad q;
      for (std::size_t i = 0; i < 4; ++i) q[i] = P(approx[i].x, approx[i].y);
      return q;
    }
    if (approx.size() < 4) break;
  }
  // Rounded corners can leave 5 to 8 vertices: the minimum-area rectangle of a hull that fills it
  // is then a good start for the refinement.
  const cv::RotatedRect rr = cv::minAreaRect(hull);
  if (rr.size.area() <= 0 || cv::contourArea(hull) < 0.92 * rr.size.area()) return std::nullopt;
  cv::Point2f p[4];
  rr.points(p);
  Quad q;
  for (std::size_t i = 0; i < 4; ++i) q[i] = P(p[i].x, p[i].y);
  return q;
}

void contour_candidates(const Detect& d, const cv::Mat& binary, std::vector<Quad>& out) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  for (const auto& c : contours) {
    if (c.size() < 4) continue;
    const cv::Rect bb = cv::boundingRect(c);
    if (static_cast<double>(bb.area()) < 0.01 * d.img_area) continue;
    if (auto q = quad_of(c)) out.push_back(*q);
  }
}

// Candidates from edge maps of the colour gradient: Canny at each (low, high) threshold pair, its
// contours as they are and once dilated (a side broken by a pixel closes).
void edge_map_candidates(const Detect& d, std::initializer_list<std::pair<double, double>> thresholds,
                         std::vector<Quad>& out) {
  cv::Mat dxy[2], edges;
  cv::split(d.grad, dxy);
  for (auto [lo, hi] : thresholds) {
    cv::Canny(dxy[0], dxy[1], edges, lo, hi, true);
    contour_candidates(d, edges, out);
    cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 1);
    contour_candidates(d, edges, out);
  }
}

struct Line {
  P p, d;  // a point and the unit direction
};

std::optional<P> intersect(const Line& a, const Line& b) {
  const double den = a.d.x * b.d.y - a.d.y * b.d.x;
  if (std::abs(den) < 1e-9) return std::nullopt;
  const P w = b.p - a.p;
  const double t = (w.x * b.d.y - w.y * b.d.x) / den;
  return a.p + a.d * t;
}

// The corners where four side lines meet (side i from corner i to corner i+1); `fallback`'s corner
// where two of them do not.
Quad meet(const std::array<Line, 4>& lines, const Quad& fallback) {
  Quad out = fallback;
  for (std::size_t i = 0; i < 4; ++i)
    if (auto c = intersect(lines[(i + 3) % 4], lines[i])) out[i] = *c;
  return out;
}

// Long straight edges: line segments (LSD) merged into lines, each with the length of segment it
// gathers; the card's sides are among the longest even when clutter crosses or touches them.
struct EdgeLine {
  Line line;
  double theta = 0, rho = 0, length = 0;
  double t0 = 0, t1 = 0;  // extent of its segments along `line`
};

// The angle between two lines, 0 to pi/2.
double angle_between(const EdgeLine& a, const EdgeLine& b) {
  const double t = std::abs(a.theta - b.theta);
  return std::min(t, kPi - t);
}

// The part of `l` between its points nearest x and y that its segments cover (0 where x and y are
// within a pixel of each other along it).
double coverage(const EdgeLine& l, P x, P y) {
  double s0 = (x - l.line.p).dot(l.line.d), s1 = (y - l.line.p).dot(l.line.d);
  if (s0 > s1) std::swap(s0, s1);
  return s1 - s0 > 1 ? (std::min(s1, l.t1) - std::max(s0, l.t0)) / (s1 - s0) : 0.0;
}

struct Segment {
  P a, b;
  double length;
};

// LSD's bound on the gradient's quantisation error (its `quant`, 2 by default): a pixel counts when
// its gradient exceeds quant / sin(22.5 degrees), 5.2 levels per pixel at 2. kFaintQuant lowers that
// to 1.3, where the step between a pale card and a pale desk, some 9 to 23 levels blurred over a
// few pixels, starts a segment.
constexpr double kDefaultQuant = 2.0;
constexpr double kFaintQuant = 0.5;

// The image's line segments (LSD) of at least 3 % of its short side, longest first.
std::vector<Segment> segments_of(const cv::Mat& gray, double quant = kDefaultQuant) {
  std::vector<cv::Vec4f> segs;
  cv::createLineSegmentDetector(cv::LSD_REFINE_NONE, 0.8, 0.6, quant)->detect(gray, segs);
  const double min_len = 0.03 * std::min(gray.cols, gray.rows);
  std::vector<Segment> out;
  for (const auto& s : segs) {
    const double l = std::hypot(s[2] - s[0], s[3] - s[1]);
    if (l >= min_len) out.push_back({P(s[0], s[1]), P(s[2], s[3]), l});
  }
  std::sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) { return a.length > b.length; });
  return out;
}

// The lines kept (edge_lines): the kLongestLines longest, and up to kOtherLines more in directions
// that have fewer than kLinesPerDirection of them. The rows of a printed page or a keyboard's keys
// give dozens of long parallel lines, which left the card's sides out of the longest; a card's own
// print has lines parallel to its sides, longer than a side that a thumb breaks, so the longest are
// all kept.
constexpr std::size_t kLongestLines = 48;
constexpr std::size_t kOtherLines = 16;
constexpr std::ptrdiff_t kLinesPerDirection = 12;

// The lines that the segments with both ends in `window` make (kLongestLines, kOtherLines).
std::vector<EdgeLine> edge_lines(const std::vector<Segment>& segs, const cv::Rect2d& window) {
  std::vector<EdgeLine> lines;
  for (const auto& [a, b, len] : segs) {
    if (!window.contains(a) || !window.contains(b)) continue;
    P u = (b - a) / len;
    double theta = std::atan2(u.y, u.x);
    if (theta < 0) theta += kPi;
    if (theta >= kPi) theta -= kPi;
    u = P(std::cos(theta), std::sin(theta));
    const P mid = (a + b) * 0.5;
    const double rho = mid.cross(u);  // signed distance of the line from the origin
    bool merged = false;
    for (auto& l : lines) {
      double dt = std::abs(theta - l.theta);
      dt = std::min(dt, kPi - dt);
      if (dt > 2.0 * kPi / 180) continue;
      // Both ends of the segment within 2 px of the line.
      const double ea = std::abs((a - l.line.p).cross(l.line.d)), eb = std::abs((b - l.line.p).cross(l.line.d));
      if (ea > 2.5 || eb > 2.5) continue;
      l.length += len;
      l.t0 = std::min({l.t0, (a - l.line.p).dot(l.line.d), (b - l.line.p).dot(l.line.d)});
      l.t1 = std::max({l.t1, (a - l.line.p).dot(l.line.d), (b - l.line.p).dot(l.line.d)});
      merged = true;
      break;
    }
    if (!merged) lines.push_back({Line{mid, u}, theta, rho, len, -len / 2, len / 2});
    if (lines.size() > 400) break;
  }
  std::sort(lines.begin(), lines.end(), [](const EdgeLine& a, const EdgeLine& b) { return a.length > b.length; });
  if (lines.size() <= kLongestLines) return lines;
  // Then the longest of the rest whose direction has fewer than kLinesPerDirection of those kept
  // within 3 degrees of it.
  std::size_t kept = kLongestLines;
  for (std::size_t i = kLongestLines; i < lines.size() && kept < kLongestLines + kOtherLines; ++i) {
    const auto parallel = std::count_if(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(kept),
                                        [&](const EdgeLine& k) { return angle_between(k, lines[i]) < 3 * kPi / 180; });
    if (parallel < kLinesPerDirection) lines[kept++] = lines[i];
  }
  lines.resize(kept);
  return lines;
}

void line_candidates(const std::vector<EdgeLine>& lines, double min_gap, std::vector<Quad>& out) {
  struct Pair {
    std::size_t a, b;
    double theta;
  };
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      if (angle_between(lines[i], lines[j]) > 45 * kPi / 180) continue;
      // Far enough apart to be opposite sides.
      const P mid = lines[j].line.p;
      if (std::abs((mid - lines[i].line.p).cross(lines[i].line.d)) < min_gap) continue;
      pairs.push_back({i, j, lines[i].theta});
    }
  for (std::size_t i = 0; i < pairs.size(); ++i)
    for (std::size_t j = i + 1; j < pairs.size(); ++j) {
      const Pair &p = pairs[i], &r = pairs[j];
      if (p.a == r.a || p.a == r.b || p.b == r.a || p.b == r.b) continue;
      double t = std::abs(p.theta - r.theta);
      t = std::min(t, kPi - t);
      if (t < 50 * kPi / 180) continue;
      const auto c0 = intersect(lines[p.a].line, lines[r.a].line), c1 = intersect(lines[r.a].line, lines[p.b].line),
                 c2 = intersect(lines[p.b].line, lines[r.b].line), c3 = intersect(lines[r.b].line, lines[p.a].line);
      if (!c0 || !c1 || !c2 || !c3) continue;
      // Each side must be covered by its line's segments for a good part: four lines that merely
      // meet somewhere are not an outline.
      if (coverage(lines[p.a], *c3, *c0) < 0.15 || coverage(lines[r.a], *c0, *c1) < 0.15 ||
          coverage(lines[p.b], *c1, *c2) < 0.15 || coverage(lines[r.b], *c2, *c3) < 0.15)
        continue;
      out.push_back({*c0, *c1, *c2, *c3});
    }
}

// The colour of `img` (8-bit, up to 3 channels) at (x, y) in OpenCV's pixel-centre coordinates,
// bilinear, into out[0 .. channels-1]; the caller keeps 0 <= x < cols - 1 and 0 <= y < rows - 1.
void bilinear(const cv::Mat& img, double x, double y, double* out) {
  const int ch = img.channels();
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const double fx = x - x0, fy = y - y0;
  const std::uint8_t* r0 = img.ptr<std::uint8_t>(y0) + x0 * ch;
  const std::uint8_t* r1 = img.ptr<std::uint8_t>(y0 + 1) + x0 * ch;
  for (int c = 0; c < ch; ++c) {
    const double a = r0[c] * (1 - fx) + r0[c + ch] * fx, b = r1[c] * (1 - fx) + r1[c + ch] * fx;
    out[c] = a * (1 - fy) + b * fy;
  }
}

// The step across a side at `p` (unit normal `n`): the sub-pixel position, within +-range pixels,
// where the mean colour over `w` pixels on one side differs most from the mean over `w` pixels on
// the other. The box difference ignores thin printed lines (equal on both sides) and favours the
// card's edge (card on one side, background on the other). Sampled bilinearly; pixel centres at
// +0.5. `prior` weighs steps near the expected position a little more.
// With `outermost` > 0, the outermost clear step is taken instead of the strongest (a local maximum
// of at least that fraction of the strongest): where the card's edge is weak against the background
// and a line is printed just inside it, the edge is still the outermost step.
std::optional<std::pair<double, double>> edge_step(const cv::Mat& img, P p, P n, double range, int w,
                                                   double outermost = 0) {
  const int m = static_cast<int>(std::ceil(range));
  const int len = 2 * (m + w) + 1;  // samples at offsets -(m+w) .. m+w
  const int ch = img.channels();
  if (len > 256) return std::nullopt;
  std::array<double, 3 * 256> v;  // samples 0 .. len-1 are written before they are read
  for (int i = 0; i < len; ++i) {
    const P s = p + n * static_cast<double>(i - m - w);
    bilinear(img, std::clamp(s.x - 0.5, 0.0, img.cols - 1.001), std::clamp(s.y - 0.5, 0.0, img.rows - 1.001),
             &v[static_cast<std::size_t>(i * 3)]);
  }
  // Box difference at each boundary between samples k-1 and k (offset k - m - w - 0.5).
  std::array<double, 256> g;  // g[w .. len-w] are written before they are read
  int best = -1;
  double best_g = 0;
  for (int k = w; k + w <= len; ++k) {
    double s = 0;
    for (int c = 0; c < ch; ++c) {
      double in = 0, out = 0;
      for (int j = 0; j < w; ++j) {
        in += v[static_cast<std::size_t>((k + j) * 3 + c)];
        out += v[static_cast<std::size_t>((k - 1 - j) * 3 + c)];
      }
      const double diff = (in - out) / w;
      s += diff * diff;
    }
    g[static_cast<std::size_t>(k)] = std::sqrt(s);
    const double off = k - m - w - 0.5;
    const double weighted = g[static_cast<std::size_t>(k)] * (1 - 0.25 * (off / (m + 1)) * (off / (m + 1)));
    if (weighted > best_g) {
      best_g = weighted;
      best = k;
    }
  }
  if (best < 0 || g[static_cast<std::size_t>(best)] < 6) return std::nullopt;  // noise
  if (outermost > 0) {
    const double floor = std::max(6.0, outermost * g[static_cast<std::size_t>(best)]);
    for (int k = w; k < best; ++k) {
      const auto i = static_cast<std::size_t>(k);
      if (g[i] >= floor && (k == w || g[i] >= g[i - 1]) && (k + w >= len || g[i] >= g[i + 1])) {
        best = k;
        break;
      }
    }
  }
  double off = 0;
  const auto b = static_cast<std::size_t>(best);
  if (best > w && best + w < len) {
    const double den = g[b - 1] - 2 * g[b] + g[b + 1];
    if (den < 0) off = std::clamp(0.5 * (g[b - 1] - g[b + 1]) / den, -0.5, 0.5);
  }
  return std::pair{best - m - w - 0.5 + off, g[b]};
}

// A line fitted to points robustly: RANSAC (fixed seed) for the largest set within `tol`, then
// least squares on it. A finger, a shadow or a printed line are outliers, not a shift.
std::optional<Line> robust_line(const std::vector<cv::Point2f>& pts, double tol, const Line& prior, double max_off,
                                double max_angle) {
  if (pts.size() < 6) return std::nullopt;
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, pts.size() - 1);
  std::vector<char> best_in;
  std::size_t best_count = 0;
  for (int it = 0; it < 60; ++it) {
    const std::size_t i = pick(rng), j = pick(rng);
    const P a(pts[i]), b(pts[j]);
    const double l = dist(a, b);
    if (l < 4 * tol) continue;
    const P d = (b - a) / l;
    // Near the expected line: a clutter edge crossing the side at an angle is not the side.
    if (std::abs(d.cross(prior.d)) > std::sin(max_angle) || std::abs((a - prior.p).cross(prior.d)) > max_off) continue;
    std::vector<char> in(pts.size());
    std::size_t count = 0;
    for (std::size_t k = 0; k < pts.size(); ++k) {
      in[k] = std::abs((P(pts[k]) - a).cross(d)) <= tol;
      count += in[k] ? 1 : 0;
    }
    if (count > best_count) {
      best_count = count;
      best_in = std::move(in);
    }
  }
  if (best_count < std::max<std::size_t>(6, pts.size() / 4)) return std::nullopt;
  Line line{};
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<cv::Point2f> kept;
    for (std::size_t k = 0; k < pts.size(); ++k)
      if (best_in[k]) kept.push_back(pts[k]);
    if (kept.size() < 2) return std::nullopt;
    cv::Vec4f l;
    cv::fitLine(kept, l, cv::DIST_L2, 0, 0.01, 0.01);
    line = Line{P(l[2], l[3]), P(l[0], l[1])};
    for (std::size_t k = 0; k < pts.size(); ++k) best_in[k] = std::abs((P(pts[k]) - line.p).cross(line.d)) <= tol;
  }
  return line;
}

// Refines the corners: each side's edge re-measured at many points within +-range pixels, a line
// fitted robustly, the corners the lines' intersections (rounded corners do not pull them in).
// `q` and the result are in `img` pixels. Sides that cannot be measured keep their line.
// One side a-b re-measured: the edge found at many points within +-range pixels of it (searched
// along `n`, pointing into the card), a line fitted robustly; nothing when too few points agree.
std::optional<Line> side_line(const cv::Mat& img, P a, P b, P n, double range, int w, double tol,
                              double outermost = 0) {
  const double len = dist(a, b);
  if (len < 1) return std::nullopt;
  const P d = (b - a) / len;
  std::vector<cv::Point2f> pts;
  const int count = std::clamp(static_cast<int>(len / 4), 24, 160);
  for (int i = 0; i < count; ++i) {
    // Away from the rounded corners (3.18 mm of 54 mm).
    const double t = 0.08 + 0.84 * (i + 0.5) / count;
    const P p = a + (b - a) * t;
    if (auto e = edge_step(img, p, n, range, w, outermost)) {
      const P at = p + n * e->first;
      pts.emplace_back(static_cast<float>(at.x), static_cast<float>(at.y));
    }
  }
  const double max_angle = std::atan2(2 * range + 2, len) + 0.005;
  return robust_line(pts, tol, Line{(a + b) * 0.5, d}, range + 1, max_angle);
}

P inward_normal(const Quad& q, std::size_t s) {
  const P a = q[s], b = q[(s + 1) % 4];
  const P d = (b - a) / dist(a, b);
  P n(-d.y, d.x);
  if ((centre_of(q) - a).dot(n) < 0) n = -n;
  return n;
}

// Refines the corners: each side's edge re-measured at many points within +-range pixels, a line
// fitted robustly, the corners the lines' intersections (rounded corners do not pull them in).
// `q` and the result are in `img` pixels. Sides that cannot be measured keep their line.
// `outermost` per side, as edge_step's.
Quad refine(const cv::Mat& img, const Quad& q, double range, int w, double tol, std::array<double, 4> outermost) {
  std::array<Line, 4> lines;
  for (std::size_t s = 0; s < 4; ++s) {
    const P a = q[s], b = q[(s + 1) % 4];
    lines[s] = Line{a, (b - a) / dist(a, b)};
    if (auto l = side_line(img, a, b, inward_normal(q, s), range, w, tol, outermost[s])) lines[s] = *l;
  }
  Quad out = q;
  for (std::size_t i = 0; i < 4; ++i) {
    auto c = intersect(lines[(i + 3) % 4], lines[i]);
    // A refinement that moves a corner far is not trusted.
    if (c && dist(*c, q[i]) < 4 * range + 2) out[i] = *c;
  }
  return out;
}

Quad refine(const cv::Mat& img, const Quad& q, double range, int w, double tol, double outermost = 0) {
  return refine(img, q, range, w, tol, {outermost, outermost, outermost, outermost});
}

// The colours (as RGB; a grey image's level thrice) across the side a-b at `points` points along
// it (from 10 % to 90 % of it), at offsets lo .. hi-1 along `dir` from each, sampled bilinearly
// with pixel centres at +0.5 (clamped to the image): point i's offset o in out[i * (hi - lo) + o -
// lo]. `out` is resized and reused.
void colours_across(const cv::Mat& img, P a, P b, P dir, int points, int lo, int hi, std::vector<cv::Vec3d>& out) {
  const int ch = std::min(img.channels(), 3);
  out.resize(static_cast<std::size_t>(points * (hi - lo)));
  for (int i = 0; i < points; ++i) {
    const P p = a + (b - a) * (0.1 + 0.8 * (i + 0.5) / points);
    for (int o = lo; o < hi; ++o) {
      const P x = p + dir * static_cast<double>(o);
      double c[3] = {0, 0, 0};
      bilinear(img, std::clamp(x.x - 0.5, 0.0, img.cols - 1.001), std::clamp(x.y - 0.5, 0.0, img.rows - 1.001), c);
      out[static_cast<std::size_t>(i * (hi - lo) + o - lo)] =
          cv::Vec3d(c[0], ch > 1 ? c[1] : c[0], ch > 2 ? c[2] : c[0]);
    }
  }
}

// A side fitted to the strongest step may lie on the outer edge of a line printed just inside the
// card's edge (a frame), which is a stronger step than the card's edge against a desk of about the
// card's colour. Per side of `q` (in `img` pixels), the colours across it at 64 points: it may be
// such a line where, at a third of the points or more, the colour just outside it comes back
// inside it (in a box `w` wide that starts within `thin + w` pixels of it). The card's edge is
// then where, going out, the colour leaves that outside colour: the distance from it, averaged
// over the points, rises from a flat margin of 2 px or more (its two samples next to the side
// within a quarter of the rise) to the desk's level (its mean over the outer third of `reach`
// pixels), as a step (a quarter to three quarters of the way within 1.5 boxes: the blur), and
// never falls back under half-way further out, and is as far out, within a box, at half of the
// points that show the line or more, each on its own. The side moves out to where it is half-way.
// Averaged along the side, the card's edge, parallel to it, stands out of the desk's own steps
// (tiles, keys), which at one point can be as strong; and a side on the card's own edge over a
// keyboard rises gradually, as the keys' gaps give way to the keys. A thin line's two edges are
// about equally strong steps, so the side may lie on its inner edge instead: where, at a third of
// the points or more, the colour just outside the side comes back to the colour inside it within
// `thin` + `w` further out, at three quarters of those within a pixel of the same distance (a
// printed line is as wide all along), the side is first taken across the line (to that distance,
// or up to a box further) and the card's edge is looked for from there.
Quad past_printed_line(const cv::Mat& img, const Quad& q, int w, int thin, int reach) {
  for (std::size_t s = 0; s < 4; ++s)
    if (dist(q[s], q[(s + 1) % 4]) < 1) return q;
  // Sample offsets lo .. hi-1 across a side: a side moved out across a line (up to thin + 2 w, see
  // below) is still measured out to `reach` beyond it.
  const int lo = -reach - thin - 2 * w, hi = thin + 2 * w;
  constexpr int kPoints = 64;
  // The colours across the side being measured (colours_across, along its inward normal).
  std::vector<cv::Vec3d> v;
  // The colour at point i, offset o.
  const auto at = [&](int i, int o) -> const cv::Vec3d& { return v[static_cast<std::size_t>(i * (hi - lo) + o - lo)]; };
  const auto mean = [&](int i, int from, int to) {  // of samples from .. to-1
    cv::Vec3d c(0, 0, 0);
    for (int o = from; o < to; ++o) c += at(i, o);
    return c / static_cast<double>(to - from);
  };
  // For the side moved `shift` pixels out, the card's edge past a printed line: its offset from
  // the side as sampled (negative: out), or nothing.
  std::vector<double> apart(static_cast<std::size_t>(reach));
  std::vector<char> lined(kPoints);  // whether point i shows the line
  const auto past_line = [&](int shift) -> std::optional<double> {
    std::fill(apart.begin(), apart.end(), 0.0);
    std::fill(lined.begin(), lined.end(), 0);
    int measured = 0, on_line = 0;
    for (int i = 0; i < kPoints; ++i) {
      const auto m = [&](int from, int to) { return mean(i, from - shift, to - shift); };
      const cv::Vec3d out = m(-2, 0);
      const double step = cv::norm(m(0, w) - out);
      if (step < 6) continue;  // no edge here
      ++measured;
      bool line = false;
      for (int j = 1; j <= thin + w && !line; ++j) line = cv::norm(m(j, j + w) - out) < 0.35 * step;
      on_line += line;
      lined[static_cast<std::size_t>(i)] = line;
      for (int o = -reach; o <= -1; ++o) apart[static_cast<std::size_t>(o + reach)] += cv::norm(at(i, o - shift) - out);
    }
    if (measured < kPoints / 2 || 3 * on_line < measured) return std::nullopt;
    const auto e = [&](int o) { return apart[static_cast<std::size_t>(o + reach)] / measured; };
    const int third = std::max(1, reach / 3);
    double desk = 0;
    for (int o = -reach; o < -reach + third; ++o) desk += e(o) / third;
    const double margin = e(-1);
    if (desk - margin < 6 || margin > 0.25 * (desk - margin)) return std::nullopt;
    // Going out, where the distance first reaches `level`: between samples k+1 and k, or nothing.
    const auto reaches = [&](double level) -> std::optional<double> {
      for (int k = -2; k >= -reach; --k)
        if (e(k) >= level) return k + (e(k) - level) / (e(k) - e(k + 1));
      return std::nullopt;
    };
    const double mid = 0.5 * (desk + margin);
    const auto half = reaches(mid), quarter = reaches(margin + 0.25 * (desk - margin)),
               three_quarters = reaches(margin + 0.75 * (desk - margin));
    if (!half || *half > -2 || *half < -reach + third || !quarter || !three_quarters ||
        *quarter - *three_quarters > 1.5 * w)
      return std::nullopt;
    for (int o = -reach; o < *half - 1; ++o)
      if (e(o) < mid) return std::nullopt;
    // And at each point that shows the line, on its own, the card's edge there (where the
    // distance first reaches half-way) is as far out, within a box, at half of them or more: the
    // margin between a printed line and the card's edge is as wide all along; the stretch of a
    // keyboard's key beside the card's edge, up to the next gap, is not (15 % of them within a box
    // where a side on the card's edge was moved 5 px out onto the gaps; two thirds on a printed
    // frame over the keys, whose gaps give way to the keys as they please).
    int near = 0;
    for (int i = 0; i < kPoints; ++i) {
      if (!lined[static_cast<std::size_t>(i)]) continue;
      const cv::Vec3d out = mean(i, -2 - shift, -shift);
      for (int o = -2; o >= -reach; --o)
        if (cv::norm(at(i, o - shift) - out) >= mid) {
          near += std::abs(o - *half) <= w;
          break;
        }
    }
    if (2 * near < on_line) return std::nullopt;
    return *half - shift;
  };
  // Where the side lies on the inner edge of such a line (the colour just outside it is the line's,
  // and within `thin` + `w` further out comes back to the colour inside it), how many pixels out
  // the line's outer edge is, or nothing.
  const auto across_line = [&]() -> std::optional<int> {
    int measured = 0, found = 0;
    std::vector<int> widths;
    for (int i = 0; i < kPoints; ++i) {
      const cv::Vec3d in = mean(i, 0, w);
      const double step = cv::norm(in - mean(i, -2, 0));
      if (step < 6) continue;
      ++measured;
      for (int j = 2; j <= thin + w; ++j)
        if (cv::norm(mean(i, -j - w, -j) - in) < 0.35 * step) {
          ++found;
          widths.push_back(j);
          break;
        }
    }
    if (measured < kPoints / 2 || 3 * found < measured) return std::nullopt;
    std::nth_element(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(widths.size() / 2), widths.end());
    const int median = widths[widths.size() / 2];
    // A printed line parallel to the side is as wide all along it; the desk's blocks beside the
    // card's edge (a keyboard's keys up to its gaps) are not, unless they lie exactly parallel.
    const auto even = std::count_if(widths.begin(), widths.end(), [&](int x) { return std::abs(x - median) <= 1; });
    if (4 * even < 3 * found) return std::nullopt;
    return median;
  };
  std::array<Line, 4> lines;
  for (std::size_t s = 0; s < 4; ++s) {
    const P a = q[s], b = q[(s + 1) % 4];
    lines[s] = Line{a, (b - a) / dist(a, b)};
    const P n = inward_normal(q, s);
    colours_across(img, a, b, n, kPoints, lo, hi, v);
    auto moved = past_line(0);
    // A side fitted to the line's inner edge (a thin line's two edges are about as strong) is
    // first taken across the line.
    if (!moved)
      if (const auto width = across_line())
        for (int sh = *width; sh <= *width + w && !moved; ++sh) moved = past_line(sh);
    if (moved) lines[s].p = lines[s].p + n * *moved;
  }
  return meet(lines, q);
}

// A field printed inside a plain margin (a white border round a coloured card) as pale as the desk
// (a white-bordered card on a sheet of paper, or under glare): the outline closes on the field's
// edge on some sides or all, and the card's own edge beyond is a faint step or the thin shadow of
// its thickness. Per side of `q` (in `img` pixels; its long sides `long_mm` and short sides
// `short_mm` long), the colours across it at 64 points, each way (averaged along the side): a
// step at the side (4 kMarginLevels outwards, 2 inwards: there the step is the card's edge against
// the desk, which may be as pale as the margin), then a plain band whose colour the profile leaves
// (by kMarginLevels) between 0.8 and 4 mm from the side, at that distance within 0.3 mm (or 2 px)
// at a third of the points or more, each on its own, and by 1.5 kMarginLevels within a millimetre
// further: the margin. Outwards, the side is on the field's edge and the band is the margin;
// inwards, the side is on the card's edge and the band is the margin inside it. A side where
// neither shows clearly may show it faintly (at a quarter of the points, without the 1.5), which
// counts where two sides or more show it clearly and it is as wide as theirs within 0.3 mm. The
// sides with the margin outside them move out to the card's edge (the points half-way into it,
// fitted as a line) only when every side shows the margin one way or the other, as wide in the
// card's millimetres (through the homography of `q` as the card) within 0.4 mm, and of about one
// colour (5 kMarginLevels: the light may differ from side to side). A border is printed as wide all
// round, and no desk's features lie at one distance from each of a card's sides, inside it on some
// and outside on others. Where every side has it outside, the outline it makes must also be as
// much a card's shape as `q` (shape_penalty or camera_misfit, the better of the two, within 0.01):
// a card printed to its edge in a clear sleeve shows the sleeve as such a band, and the sleeve's
// outline is too short for a card's by its margin.
constexpr double kMarginLevels = 6;

Quad past_margin(const cv::Mat& img, const Quad& q, int w, double long_mm, double short_mm) {
  for (std::size_t s = 0; s < 4; ++s)
    if (dist(q[s], q[(s + 1) % 4]) < 16) return q;
  const bool first_long = dist(q[0], q[1]) + dist(q[2], q[3]) >= dist(q[1], q[2]) + dist(q[3], q[0]);
  // The card's plane in millimetres (the quad's first side along x) and back: a margin is measured
  // in the card's millimetres, which perspective makes fewer pixels on one side than another, and
  // along a side fewer than across it.
  const double len_x = first_long ? long_mm : short_mm, len_y = first_long ? short_mm : long_mm;
  const std::array<cv::Point2f, 4> px{cv::Point2f(static_cast<float>(q[0].x), static_cast<float>(q[0].y)),
                                      cv::Point2f(static_cast<float>(q[1].x), static_cast<float>(q[1].y)),
                                      cv::Point2f(static_cast<float>(q[2].x), static_cast<float>(q[2].y)),
                                      cv::Point2f(static_cast<float>(q[3].x), static_cast<float>(q[3].y))};
  const std::array<cv::Point2f, 4> mm{cv::Point2f(0, 0), cv::Point2f(static_cast<float>(len_x), 0),
                                      cv::Point2f(static_cast<float>(len_x), static_cast<float>(len_y)),
                                      cv::Point2f(0, static_cast<float>(len_y))};
  const cv::Mat to_mm = cv::getPerspectiveTransform(px.data(), mm.data()),
                to_px = cv::getPerspectiveTransform(mm.data(), px.data());
  const auto project = [](const cv::Mat& h, cv::Point2f p) {
    std::vector<cv::Point2f> in{p}, out;
    cv::perspectiveTransform(in, out, h);
    return out[0];
  };
  constexpr int kPoints = 64;
  struct Margin {
    double mm = 0;
    cv::Vec3d colour;
    std::vector<cv::Point2f> edge;  // the card's edge at the points that agree
  };
  std::array<Line, 4> lines;
  std::array<Margin, 4> found;
  std::array<int, 4> way{};  // +1: the margin lies outside the side, -1: inside, 0: not clear
  std::array<std::optional<Margin>, 4> faint_out, faint_in;  // where it is not clear
  std::vector<cv::Vec3d> v;                                  // colours_across the side being read
  for (std::size_t s = 0; s < 4; ++s) {
    const P a = q[s], b = q[(s + 1) % 4];
    const double len = dist(a, b);
    lines[s] = Line{a, (b - a) / len};
    // Pixels per millimetre across the side at its middle.
    const cv::Point2f mid_mm = (mm[s] + mm[(s + 1) % 4]) * 0.5f;
    const cv::Point2f in_mm =
        mid_mm + (cv::Point2f(static_cast<float>(len_x / 2), static_cast<float>(len_y / 2)) - mid_mm) *
                     static_cast<float>(2.0 / (s % 2 == 0 ? len_y : len_x));
    const double ppm = cv::norm(project(to_px, in_mm) - project(to_px, mid_mm));
    const int reach = static_cast<int>(std::ceil(5.0 * ppm));
    // Room for the step's two boxes of `w` either side of the side, and the band past them.
    if (reach < std::max(8, 2 * w + 4) || reach > 400) return q;
    const P out = -inward_normal(q, s);
    // Colours at offsets -reach .. reach-1 outwards from the side, per point.
    const int span = 2 * reach;
    colours_across(img, a, b, out, kPoints, -reach, reach, v);
    const auto at = [&](int i, int o) -> const cv::Vec3d& { return v[static_cast<std::size_t>(i * span + o + reach)]; };
    std::vector<cv::Vec3d> profile(static_cast<std::size_t>(span), cv::Vec3d(0, 0, 0));
    for (int i = 0; i < kPoints; ++i)
      for (int o = -reach; o < reach; ++o) profile[static_cast<std::size_t>(o + reach)] += at(i, o) / kPoints;
    const auto mean_at = [&](int o) -> const cv::Vec3d& { return profile[static_cast<std::size_t>(o + reach)]; };
    const int b0 = std::max(2 * w, static_cast<int>(std::ceil(0.3 * ppm))),
              b1 = std::max(b0 + 2, static_cast<int>(std::ceil(0.7 * ppm)));
    const int one_mm = static_cast<int>(std::ceil(ppm));
    const double tol = std::max(2.0, 0.3 * ppm);
    // The margin `dir` (+1 out, -1 in) of the side, if it shows one.
    const auto margin = [&](int dir, bool strict) -> std::optional<Margin> {
      Margin m;
      for (int o = b0; o < b1; ++o) m.colour += mean_at(dir * o) / (b1 - b0);
      cv::Vec3d across(0, 0, 0);  // the other side of the side, near it
      for (int o = 1; o <= 2 * w; ++o) across += mean_at(-dir * o) / (2 * w);
      const auto off = [&](const cv::Vec3d& c) { return cv::norm(c - m.colour, cv::NORM_INF); };
      // A clear step at the side: a field's edge against its margin outwards; inwards the card's
      // edge against the desk, which may be as pale as the margin.
      if (off(across) < (dir > 0 ? 4 : 2) * kMarginLevels) return std::nullopt;
      int edge = -1;
      for (int o = b0; o < reach && edge < 0; ++o)
        if (off(mean_at(dir * o)) >= kMarginLevels) edge = o;
      if (edge < 0.8 * ppm || edge > 4 * ppm || edge + one_mm >= reach) return std::nullopt;
      double peak = 0;
      for (int o = edge; o <= edge + one_mm; ++o) peak = std::max(peak, off(mean_at(dir * o)));
      if (strict && peak < 1.5 * kMarginLevels) return std::nullopt;
      // Per point: where it first leaves the band's colour by half the peak (between samples).
      double sum = 0;
      for (int i = 0; i < kPoints; ++i)
        for (int o = b0; o < reach; ++o) {
          const double e = off(at(i, dir * o));
          if (e < 0.5 * peak) continue;
          const double prev = off(at(i, dir * (o - 1)));
          const double x = o - 1 + (0.5 * peak - prev) / std::max(1e-9, e - prev);
          if (std::abs(x - edge) <= tol + 1) {
            const P p = a + (b - a) * (0.1 + 0.8 * (i + 0.5) / kPoints) + out * (dir * x);
            m.edge.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
            // Its distance from the side in the card's millimetres.
            const cv::Point2f c = project(to_mm, m.edge.back());
            sum += s % 2 == 0 ? std::abs(c.y - mm[s].y) : std::abs(c.x - mm[s].x);
          }
          break;
        }
      if ((strict ? 3 : 4) * m.edge.size() < kPoints) return std::nullopt;
      m.mm = sum / static_cast<double>(m.edge.size());
      return m;
    };
    if (auto m = margin(+1, true)) {
      found[s] = std::move(*m);
      way[s] = 1;
    } else if (auto inner = margin(-1, true)) {
      found[s] = std::move(*inner);
      way[s] = -1;
    } else {
      faint_out[s] = margin(+1, false);
      faint_in[s] = margin(-1, false);
    }
  }
  // A side whose margin shows faintly (the card's edge a faint step against a pale desk, or
  // under glare) counts where at least two others show it clearly and it is as wide as theirs.
  std::vector<double> clear;
  for (std::size_t s = 0; s < 4; ++s)
    if (way[s] != 0) clear.push_back(found[s].mm);
  if (clear.size() < 2) return q;
  std::sort(clear.begin(), clear.end());
  const double typical = 0.5 * (clear[(clear.size() - 1) / 2] + clear[clear.size() / 2]);
  for (std::size_t s = 0; s < 4; ++s) {
    if (way[s] != 0) continue;
    if (faint_out[s] && std::abs(faint_out[s]->mm - typical) <= 0.3) {
      found[s] = std::move(*faint_out[s]);
      way[s] = 1;
    } else if (faint_in[s] && std::abs(faint_in[s]->mm - typical) <= 0.3) {
      found[s] = std::move(*faint_in[s]);
      way[s] = -1;
    } else
      return q;
  }
  if (std::count(way.begin(), way.end(), 1) == 0) return q;
  double lo_mm = 1e9, hi_mm = 0;
  for (std::size_t s = 0; s < 4; ++s) {
    lo_mm = std::min(lo_mm, found[s].mm);
    hi_mm = std::max(hi_mm, found[s].mm);
    if (cv::norm(found[s].colour - found[0].colour, cv::NORM_INF) > 5 * kMarginLevels) return q;
  }
  if (hi_mm - lo_mm > 0.4) return q;
  for (std::size_t s = 0; s < 4; ++s)
    if (way[s] == 1) {
      cv::Vec4f l;
      cv::fitLine(found[s].edge, l, cv::DIST_HUBER, 0, 0.01, 0.01);
      lines[s] = Line{P(l[2], l[3]), P(l[0], l[1])};
    }
  const Quad moved = meet(lines, q);
  if (!convex(moved)) return q;
  if (std::count(way.begin(), way.end(), -1) > 0) return moved;
  const Lens lens{P(img.cols / 2.0, img.rows / 2.0), std::hypot(img.cols, img.rows)};
  const auto shape = [&](const Quad& x) {
    const Quad o = order_quad(x);
    return std::min(shape_penalty(o, long_mm / short_mm, lens).value_or(1e9),
                    camera_misfit(o, long_mm / short_mm, lens));
  };
  if (shape(moved) > shape(q) + 0.01) return q;
  return moved;
}

// Candidates from segmentations of `smooth` (the detection copy) into two regions: its grey levels
// and, in colour, its chroma (the largest channel less the smallest: a navy card on a grey keyboard,
// a blue card on grey fabric differ in it, not in brightness), each split at Otsu's threshold, both
// ways round, as they are and opened by a disc of 0.7 % of the copy's longer side. The opening cuts
// the thin lines that join a card's region to the desk's (a keyboard's gaps between its keys, a
// grid of tiles, lines of clutter across its edge), whose contours otherwise enclose both. A region's
// outline lies a pixel or two off the card's edge (the threshold, the rounded corners, the opening),
// which the sides' support (an edge within 2 px) may not forgive: each outline of a card's shape is
// also given refined to the edges (`refine`), as the line and edge-map candidates are not; except
// the grey split's own outlines, which go first and as they are (the brightness segmentation the
// locator began with).
void segmentation_candidates(const Detect& d, const cv::Mat& smooth, std::vector<Quad>& out) {
  const int k = std::max(3, static_cast<int>(std::lround(0.007 * std::max(smooth.cols, smooth.rows))) | 1);
  const cv::Mat disc = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k));
  std::vector<Quad> found;
  // The outlines of `channel`'s split as it is go to `as_is`, the opened ones to `found`.
  const auto split = [&](const cv::Mat& channel, std::vector<Quad>& as_is) {
    cv::Mat bin, opened;
    cv::threshold(channel, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    for (int way = 0; way < 2; ++way) {
      if (way == 1) cv::bitwise_not(bin, bin);
      contour_candidates(d, bin, as_is);
      cv::morphologyEx(bin, opened, cv::MORPH_OPEN, disc);
      contour_candidates(d, opened, found);
    }
  };
  split(d.gray, out);
  if (!d.chroma.empty()) split(d.chroma, found);
  for (const Quad& q : found) {
    out.push_back(q);
    if (shape_of(d, q)) out.push_back(refine(smooth, order_quad(q), 6, 2, 1.0));
  }
}

// Whether `outer` is a narrow ring round `q` (both ordered, detection scale), as a card is round its
// printed field in a white margin: each side parallel to q's within 2 degrees and at most kRingWidth
// of outer's short side out from it (a margin of 2 mm is 3.7 %), one side at least 3 % out (not the
// same outline a pixel or two wider, nor a frame printed 1 mm inside the edge, which
// past_printed_line moves out from), and the ring plain: between the two outlines, 2.5 px clear of
// each, hardly a step along it (the gradient's component along the side; the two outlines' own
// edges, blurred into the ring, have none), on the sides at least 6 px wide, of which one must be.
// A white margin is plain; the desk between the card and a block of it round the card is not.
bool narrow_ring(const Detect& d, const Quad& q, const Quad& outer) {
  const double s = std::min(dist(outer[1], outer[2]), dist(outer[3], outer[0]));
  double widest = 0;
  int seen = 0, busy = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const P a = q[i], b = q[(i + 1) % 4], oa = outer[i], ob = outer[(i + 1) % 4];
    if (dist(a, b) < 1 || dist(oa, ob) < 1) return false;
    const P u = (b - a) / dist(a, b), v = (ob - oa) / dist(oa, ob);
    if (u.dot(v) < std::cos(2.0 * kPi / 180)) return false;
    const double off = std::abs(((a + b) * 0.5 - oa).cross(v));  // q's side's middle from outer's side
    if (off > kRingWidth * s) return false;
    widest = std::max(widest, off);
    if (off < 6) continue;
    const P n = -inward_normal(q, i);
    for (int k = 0; k < 32; ++k)
      for (double o = 2.5; o <= off - 2.5; o += 1) {
        const P p = a + (b - a) * (0.1 + 0.8 * (k + 0.5) / 32) + n * o;
        const std::int16_t* g = d.gradient_at(static_cast<int>(p.x), static_cast<int>(p.y));
        if (!g) continue;
        ++seen;
        // A step along the side (the outlines' own blurred edges are steps across it).
        busy += std::abs(g[0] * u.x + g[1] * u.y) >= 0.5 * kEdge;
      }
  }
  return widest >= 0.03 * s && seen >= 32 && busy <= 0.05 * seen;
}

// Whether the image just outside the line a-b (detection scale; `n` its outward normal) is plain: a
// scanner's lid, a plain desk; not clutter, grain or a pattern, where a clear step outside the card
// is not its edge.
bool plain_outside(const Detect& d, P a, P b, P n) {
  int seen = 0, busy = 0;
  for (int i = 0; i < 32; ++i)
    for (const double off : {6.0, 9.0, 12.0}) {
      const P p = a + (b - a) * (0.1 + 0.8 * (i + 0.5) / 32) + n * off;
      const int x = static_cast<int>(p.x), y = static_cast<int>(p.y);
      const std::int16_t* g = d.gradient_at(x, y);
      if (!g) continue;
      ++seen;
      const float gx = g[0], gy = g[1];
      busy += gx * gx + gy * gy >= 0.25f * kEdge * kEdge;
    }
  return seen >= 48 && busy <= 0.08 * seen;
}

// The same outside side `s` of `q`.
bool plain_outside(const Detect& d, const Quad& q, std::size_t s) {
  return plain_outside(d, q[s], q[(s + 1) % 4], -inward_normal(q, s));
}

// Whether the image is plain just inside its own border all round (a desk or a scanner's lid, no
// print running off the image): then the image is not the card itself, whatever its aspect.
bool plain_border(const Detect& d) {
  const double w = d.grad.cols - 1.0, h = d.grad.rows - 1.0;
  const Quad frame{P(2, 2), P(w - 2, 2), P(w - 2, h - 2), P(2, h - 2)};
  for (std::size_t s = 0; s < 4; ++s)
    if (!plain_outside(d, frame[s], frame[(s + 1) % 4], inward_normal(frame, s))) return false;
  return true;
}

// Completions of a candidate with three right sides and a wrong fourth: a side printed in a colour
// close to the background's (a dark band along a card's edge on a dark desk) leaves the card's own
// edge out of every contour, and the outline closes on the band's inner edge instead. For each side,
// the card's aspect (taking the opposite side as a long or a short side) says where the card's edge
// should be; the strongest edge near there, parallel to the opposite side, replaces the side. The
// search stays clear of the side it replaces, and takes the outermost clear step (the card's edge
// beyond a line printed along it). Only completions that score as outlines are kept.
void complete(const Detect& d, const cv::Mat& det, const Candidate& c, std::vector<Candidate>& out) {
  // A quad of the card's shape needs no completion, and a completion must bring the shape closer
  // to the card's (else it is clutter beyond a right side).
  if (c.penalty < 0.05) return;
  const Quad& q = c.q;
  for (std::size_t s = 0; s < 4; ++s) {
    const std::size_t o = (s + 2) % 4;
    const P oa = q[o], ob = q[(o + 1) % 4];
    const double L = dist(oa, ob);
    if (L < 12) continue;
    const Line opp{oa, (ob - oa) / L};
    P n(-opp.d.y, opp.d.x);  // from the opposite side towards side s
    const P mid = (q[s] + q[(s + 1) % 4]) * 0.5;
    if ((mid - oa).dot(n) < 0) n = -n;
    const Line adj_before{q[(s + 3) % 4], (q[s] - q[(s + 3) % 4]) / dist(q[s], q[(s + 3) % 4])};
    const Line adj_after{q[(s + 1) % 4], (q[(s + 2) % 4] - q[(s + 1) % 4]) / dist(q[(s + 1) % 4], q[(s + 2) % 4])};
    for (const double D : {L / d.aspect, L * d.aspect}) {
      // How far the side is from where the aspect puts it (either end: a side may be askew).
      const double gap = std::max(std::abs((q[s] - oa).dot(n) - D), std::abs((q[(s + 1) % 4] - oa).dot(n) - D));
      if (gap < 0.015 * D) continue;  // already there
      const double range = std::min({0.12 * D, 0.6 * gap, 100.0});
      if (range < 3) continue;
      const Line guess{oa + n * D, opp.d};
      const auto c0 = intersect(guess, adj_before), c1 = intersect(guess, adj_after);
      if (!c0 || !c1) continue;
      Quad g = q;
      g[s] = *c0;
      g[(s + 1) % 4] = *c1;
      if (!convex(g)) continue;
      const auto line = side_line(det, g[s], g[(s + 1) % 4], inward_normal(g, s), range, 2, 1.0, 0.35);
      if (!line) continue;
      const auto k0 = intersect(*line, adj_before), k1 = intersect(*line, adj_after);
      if (!k0 || !k1) continue;
      g[s] = *k0;
      g[(s + 1) % 4] = *k1;
      if (auto sc = score_quad(d, g); sc && sc->penalty < c.penalty - 0.02) out.push_back(*sc);
    }
  }
}

// Completions of a candidate by its corners: where a neighbour of a side runs on past it (the side
// is a line across the card, a band printed along its edge) or both stop well short of it (the side
// is clutter beyond the card), the side moves to where the neighbours' edges end, plus the corner's
// rounding, and is measured again there. Unlike `complete`, this needs nothing of the card's aspect,
// which perspective changes by as much as a band's width.
void complete_by_corners(const Detect& d, const cv::Mat& det, const Candidate& c, std::vector<Candidate>& out) {
  const Quad& q = c.q;
  const double r = corner_radius(q);
  if (r < 2) return;
  for (std::size_t s = 0; s < 4; ++s) {
    const std::size_t before = (s + 3) % 4, after = (s + 1) % 4;
    double ea = c.ends[before][1], eb = c.ends[after][0];
    // One neighbour running on past the side is enough to try (the other's edge may be too weak
    // along the band to be followed: a dark band on a dark desk), if the other does not end there.
    const bool past = std::min(ea, eb) < -0.7 && std::max(ea, eb) < 1.2;
    const bool short_of = std::min(ea, eb) > 1.5;
    // One neighbour stopping short while the other ends at the corner: the side is askew, on the
    // card's edge at one end and off it at the other (an edge of the background that meets the
    // card's at a shallow angle, followed by the line detector past where they meet). That end
    // moves; the other stays.
    const bool askew = std::max(ea, eb) > 1.0 && std::min(ea, eb) > -0.2;
    if (!past && !short_of && !askew) continue;
    if (past) {
      ea = eb = std::min(ea, eb);
    } else if (!short_of) {
      if (ea <= 1.0) ea = 0.5;
      if (eb <= 1.0) eb = 0.5;
    }
    const P ua = (q[s] - q[before]) / dist(q[s], q[before]);
    const P ub = (q[after] - q[(s + 2) % 4]) / dist(q[after], q[(s + 2) % 4]);
    Quad g = q;
    g[s] = q[s] - ua * ((ea - 0.5) * r);
    g[after] = q[after] - ub * ((eb - 0.5) * r);
    if (!convex(g)) continue;
    // An askew side's ends are where the neighbours say; the background's edge it followed is near.
    const double range = askew && !past && !short_of ? std::max(4.0, 0.3 * r) : std::max(4.0, r);
    if (const auto line = side_line(det, g[s], g[after], inward_normal(g, s), range, 2, 1.0)) {
      const auto k0 = intersect(*line, Line{q[before], ua}), k1 = intersect(*line, Line{q[after], ub});
      if (k0 && k1) {
        g[s] = *k0;
        g[after] = *k1;
      }
    }
    if (auto sc = score_quad(d, g)) out.push_back(*sc);
  }
}

// A guessed outline's sides: their mean support (side_support), and how many are weak (under 0.5).
std::pair<double, int> sides_seen(const Detect& d, const Quad& q) {
  double sum = 0;
  int weak = 0;
  for (std::size_t e = 0; e < 4; ++e) {
    const double sup = side_support(d, q[e], q[(e + 1) % 4]);
    sum += sup;
    weak += sup < 0.5;
  }
  return {sum / 4, weak};
}

// Outlines from three lines, where the fourth side is no line: a pale card lying on a sheet of paper
// shows the sides over the desk as lines, but those over the sheet hardly (bench/RESULTS.md). Two
// opposite sides (lines within 20 degrees of each other, `min_gap` apart or more) and one between
// them, seen along half its length between the corners, the other two lines running from it the
// same way; the fourth side is where the card's aspect puts it (the side between taken as a short
// or a long side), with at most one side of the four then under half seen. The `keep` best of
// those by their shape and sides have their fourth side moved to the strongest edge within a fifth
// of the card's length of there, are refined to the edges (the guess may be some pixels off) and
// scored.
void three_line_candidates(const Detect& d, const cv::Mat& det, const std::vector<EdgeLine>& lines, double min_gap,
                           std::size_t keep, std::vector<Candidate>& out) {
  // From corner `c` along `l`: the direction its segments run (unit), if they lie on one side of c
  // (reaching back past it by `slack` at most) and beyond it by more than `slack`.
  const auto away = [](const EdgeLine& l, P c, double slack) -> std::optional<P> {
    const double s = (c - l.line.p).dot(l.line.d);
    if (l.t0 >= s - slack && l.t1 > s + slack) return l.line.d;
    if (l.t1 <= s + slack && l.t0 < s - slack) return -l.line.d;
    return std::nullopt;
  };
  struct Guess {
    Quad q;
    double score;
    std::size_t a, b;  // the lines of side 3 (through corner 0) and side 1 (through corner 1)
  };
  std::vector<Guess> guesses;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const EdgeLine &a = lines[i], &b = lines[j];
      if (angle_between(a, b) > 20 * kPi / 180) continue;
      if (std::abs((b.line.p - a.line.p).cross(a.line.d)) < min_gap) continue;
      for (std::size_t k = 0; k < lines.size(); ++k) {
        if (k == i || k == j) continue;
        const EdgeLine& c = lines[k];
        if (angle_between(c, a) < 50 * kPi / 180 || angle_between(c, b) < 50 * kPi / 180) continue;
        const auto c0 = intersect(a.line, c.line), c1 = intersect(b.line, c.line);
        if (!c0 || !c1) continue;
        const double L = dist(*c0, *c1);
        if (L < min_gap || coverage(c, *c0, *c1) < 0.5) continue;
        const auto va = away(a, *c0, 0.15 * L), vb = away(b, *c1, 0.15 * L);
        if (!va || !vb || va->dot(*vb) <= 0) continue;
        for (const double D : {L * d.aspect, L / d.aspect}) {
          const Quad g{*c0, *c1, *c1 + *vb * D, *c0 + *va * D};
          auto s = shape_of(d, g);
          if (!s) continue;
          const auto [mean, weak] = sides_seen(d, s->q);
          if (weak > 1) continue;
          guesses.push_back({g, s->score * mean, i, j});
        }
      }
    }
  std::sort(guesses.begin(), guesses.end(), [](const Guess& x, const Guess& y) { return x.score > y.score; });
  if (guesses.size() > keep) guesses.resize(keep);
  for (const auto& gs : guesses) {
    Quad g = gs.q;
    const double D = dist(g[1], g[2]);
    const P n = inward_normal(g, 2);
    if (const auto line = side_line(det, g[2], g[3], n, std::min(0.2 * D, 100.0), 2, 1.0)) {
      const auto k2 = intersect(*line, lines[gs.b].line), k3 = intersect(*line, lines[gs.a].line);
      if (!k2 || !k3) continue;
      g[2] = *k2;
      g[3] = *k3;
    }
    for (int pass = 0; pass < 2; ++pass) g = refine(det, g, 6, 2, 1.0);
    if (auto sc = score_quad(d, g)) out.push_back(*sc);
  }
}

// Outlines from two lines that meet at a corner, where the other two sides lie over print (a pale
// card on a page of text: the rows cut the card's edge into pieces shorter than the segments kept,
// and its faint step gives no segment between them). The two lines' segments run away from the
// corner; the card's other corners are where they end (plus the rounding they stop short of) or
// where the card's aspect puts them from the other side's end. The `keep` best guesses by shape
// and support have their two missing sides measured there, then are refined and scored; not when
// an outline in `known` is already within 3 px of one at every corner.
void two_line_candidates(const Detect& d, const cv::Mat& det, const std::vector<EdgeLine>& lines, double min_gap,
                         std::size_t keep, const std::vector<Quad>& known, std::vector<Candidate>& out) {
  struct Guess {
    Quad q;
    double score;
  };
  std::vector<Guess> guesses;
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const EdgeLine &a = lines[i], &c = lines[j];
      if (angle_between(a, c) < 50 * kPi / 180) continue;
      const auto corner = intersect(a.line, c.line);
      if (!corner) continue;
      // From the corner along a line: the direction its segments run and how far they reach, if
      // they lie beyond it (reaching back past it by 10 % of their extent at most).
      const auto run = [&](const EdgeLine& l) -> std::optional<std::pair<P, double>> {
        const double s = (*corner - l.line.p).dot(l.line.d);
        const double ext = l.t1 - l.t0;
        if (l.t0 >= s - 0.1 * ext && l.t1 > s) return std::pair{l.line.d, l.t1 - s};
        if (l.t1 <= s + 0.1 * ext && l.t0 < s) return std::pair{-l.line.d, s - l.t0};
        return std::nullopt;
      };
      const auto ra = run(a), rc = run(c);
      // One reaches min_gap or more, the other half of it (its side's far part may lie over print),
      // and each line's segments cover a third of what they reach or more (a side, not clutter).
      if (!ra || !rc || std::min(ra->second, rc->second) < 0.5 * min_gap || std::max(ra->second, rc->second) < min_gap)
        continue;
      if (a.length < 0.3 * ra->second || c.length < 0.3 * rc->second) continue;
      const double la = 1.04 * ra->second, lc = 1.04 * rc->second;
      for (const auto& [da, dc] : {std::pair{la, lc}, std::pair{la, la * d.aspect}, std::pair{la, la / d.aspect},
                                   std::pair{lc * d.aspect, lc}, std::pair{lc / d.aspect, lc}}) {
        const Quad g{*corner, *corner + ra->first * da, *corner + ra->first * da + rc->first * dc,
                     *corner + rc->first * dc};
        auto sh = shape_of(d, g);
        if (!sh) continue;
        const auto [mean, weak] = sides_seen(d, sh->q);
        if (weak > 2) continue;
        guesses.push_back({g, sh->score * mean});
      }
    }
  std::sort(guesses.begin(), guesses.end(), [](const Guess& x, const Guess& y) { return x.score > y.score; });
  if (guesses.size() > keep) guesses.resize(keep);
  std::vector<double> tried;
  for (const auto& gs : guesses) {
    Quad g = gs.q;
    // A missing side: of the lines within `range` of where the guess puts it (2 px apart) and 2
    // degrees of its direction, the one with the most edges (side_support, less 0.001 per pixel
    // from the guess), if it stands out: 0.1 more than 9 in 10 of them. (side_line takes the
    // strongest edge at each point, which over a page of text is a letter's.) On a keyboard a line
    // tilted from its rows of keys crosses their edges at every row: many of the lines tried do
    // about as well as the best, which then lies on no side (two keyboard scenes of
    // bench/locate_scenes were lost without this).
    const auto measured = [&](std::size_t s, double range) -> std::optional<Line> {
      const P a = g[s], b = g[(s + 1) % 4], n = inward_normal(g, s), m = (a + b) * 0.5;
      range = std::min(range, 100.0);
      tried.clear();
      double best = -1;
      Line line{};
      for (double off = -range; off <= range; off += 2)
        for (int tilt = -2; tilt <= 2; ++tilt) {
          const double t = tilt * kPi / 180, cs = std::cos(t), sn = std::sin(t);
          const auto turned = [&](P p) {
            const P h = p - m;
            return m + P(h.x * cs - h.y * sn, h.x * sn + h.y * cs) + n * off;
          };
          const P pa = turned(a), pb = turned(b);
          const double sup = side_support(d, pa, pb);
          tried.push_back(sup);
          if (const double key = sup - 0.001 * std::abs(off); key > best) {
            best = key;
            line = Line{pa, (pb - pa) / dist(pa, pb)};
          }
        }
      const auto p90 = tried.begin() + static_cast<std::ptrdiff_t>(tried.size() * 9 / 10);
      std::nth_element(tried.begin(), p90, tried.end());
      if (best < *p90 + 0.1) return std::nullopt;
      return line;
    };
    const Line along_a{g[0], (g[1] - g[0]) / dist(g[0], g[1])}, along_c{g[0], (g[3] - g[0]) / dist(g[0], g[3])};
    // Side 1 (opposite the side on c) and side 2 (opposite the side on a).
    const auto l1 = measured(1, 0.2 * dist(g[0], g[1]));
    if (!l1) continue;
    const auto l2 = measured(2, 0.2 * dist(g[0], g[3]));
    if (!l2) continue;
    const auto k1 = intersect(*l1, along_a), k2 = intersect(*l1, *l2), k3 = intersect(*l2, along_c);
    if (!k1 || !k2 || !k3) continue;
    g = Quad{g[0], *k1, *k2, *k3};
    if (!convex(g)) continue;
    for (int pass = 0; pass < 2; ++pass) g = refine(det, g, 6, 2, 1.0);
    const auto near = [&](const Quad& q) {
      for (std::size_t step : {1u, 3u})  // either way round
        for (std::size_t k = 0; k < 4; ++k) {
          double worst = 0;
          for (std::size_t i = 0; i < 4; ++i) worst = std::max(worst, dist(g[i], q[(k + step * i) % 4]));
          if (worst < 3) return true;
        }
      return false;
    };
    if (std::any_of(known.begin(), known.end(), near)) continue;
    if (auto sc = score_quad(d, g)) out.push_back(*sc);
  }
}

// A line printed near the card's edge (a frame, a border band) is an edge all along, parallel to the
// card's; a quad on it is the card shrunk by a millimetre or two. Each side moves out to the
// outermost parallel edge within 7 % of the short side whose band from the current side looks
// like the card's inside (not a shadow or the desk beside it), an edge along 70 % of the side (and
// 85 % of the current side's support), or 60 % beside a plain background.
Quad push_out(const Detect& d, const cv::Mat& smooth, const Quad& q) {
  const P centre = centre_of(q);
  const int max_off = static_cast<int>(0.07 * shortest_side(q));
  auto colour = [&](P p) {
    const int x = std::clamp(static_cast<int>(p.x), 0, smooth.cols - 1),
              y = std::clamp(static_cast<int>(p.y), 0, smooth.rows - 1);
    cv::Vec3d c(0, 0, 0);
    const std::uint8_t* px = smooth.ptr<std::uint8_t>(y) + x * smooth.channels();
    for (int k = 0; k < smooth.channels(); ++k) c[k] = px[k];
    return c;
  };
  std::array<Line, 4> lines;
  for (std::size_t s = 0; s < 4; ++s) {
    const P a = q[s], b = q[(s + 1) % 4];
    const P dir = (b - a) / dist(a, b);
    P n(-dir.y, dir.x);
    if ((centre - a).dot(n) > 0) n = -n;  // outwards
    const double cur = side_support(d, a, b);
    int best = 0;
    for (int off = 2; off <= max_off; ++off) {
      const P sh = n * static_cast<double>(off);
      // Beside a plain background (a scanner's lid) an edge is the card's however weak: a pale
      // card's edge on a white lid is a weaker edge than the line printed just inside it; it must
      // be seen along 60 % of the side. Elsewhere it must also be as well supported as the current
      // side, and seen along 70 %. Or along 80 % of where the current side is seen: a hand over
      // part of a side hides the printed line and the card's edge beyond it alike (a framed card
      // held by its edge was 10 to 15 px inside it).
      const bool plain = plain_outside(d, a + sh, b + sh, n);
      const double sup = side_support(d, a + sh, b + sh);
      if (!plain && sup < 0.85 * cur) continue;
      const std::array<P, 2> current{a, b};
      if (sup < (plain ? 0.6 : 0.7) && side_support(d, a + sh, b + sh, 0.07, 0.93, nullptr, &current) < 0.8) continue;
      // The band's colour half-way out against the inside's as far in, or each further from the
      // current side: a side on a printed line's edge has the line's blur on one side of it at the
      // detection scale (a pale card's frame on pale tiles: 10 to 14 px inside the edge before).
      double diff = 1e9;
      for (const double out : {0.5, 0.65, 0.8})
        for (const double in : {0.5, 1.0, 1.5}) {
          double dt = 0;
          for (int i = 0; i < 16; ++i) {
            const P p = a + (b - a) * (0.1 + 0.8 * (i + 0.5) / 16);
            dt += cv::norm(colour(p + sh * out) - colour(p - sh * in), cv::NORM_L1) / smooth.channels() / 16;
          }
          diff = std::min(diff, dt);
        }
      if (diff < 25) best = off;
    }
    lines[s] = Line{a + n * static_cast<double>(best), dir};
  }
  return meet(lines, q);
}

CardLocation location_of(const Quad& q, std::string method) {
  CardLocation loc;
  loc.found = true;
  loc.method = std::move(method);
  for (std::size_t i = 0; i < 4; ++i) {
    loc.corners[i] = ImagePoint{q[i].x, q[i].y};
    loc.side_px[i] = dist(q[i], q[(i + 1) % 4]);
  }
  loc.rotation_deg = -std::atan2(q[1].y - q[0].y, q[1].x - q[0].x) * 180 / kPi;
  return loc;
}

// The image itself as the card: its aspect is the card's with a bleed of 0..max_bleed mm.
std::optional<Quad> whole_image(int w, int h, CardFormat f, Mm max_bleed) {
  const bool landscape = w >= h;
  const double W = landscape ? w : h, H = landscape ? h : w;
  const MmSize s = card_size(f);
  const double r = W / H;
  // r = (w + 2b) / (h + 2b)  =>  b = (w - r h) / (2 (r - 1))
  double b = (s.w.v - r * s.h.v) / (2 * (r - 1));
  const double tol_mm = 0.6;  // rounding of a render's pixel size, and a scanner's crop
  if (b < -tol_mm || b > max_bleed.v + tol_mm) return std::nullopt;
  b = std::max(b, 0.0);
  const double px_per_mm = W / (s.w.v + 2 * b);
  const double bx = b * px_per_mm;
  if (!landscape) return std::nullopt;  // a portrait-shaped image is a photo, not our render
  return Quad{P(bx, bx), P(w - bx, bx), P(w - bx, h - bx), P(bx, h - bx)};
}

bool inside(const Quad& outer, P p, double slack) {
  std::vector<cv::Point2f> poly(outer.begin(), outer.end());
  return cv::pointPolygonTest(poly, cv::Point2f(static_cast<float>(p.x), static_cast<float>(p.y)), true) >= -slack;
}

}  // namespace

Result<CardLocation> locate_card(const ImageView& image, const LocateOptions& o) {
  if (image.empty()) return Error(Errc::bad_image, "the image is empty", "give a photo or scan of the card");
  if (o.detect_side < 256 || o.detect_side > 4096)
    return Error(Errc::invalid_argument, "detect_side " + std::to_string(o.detect_side) + " is outside 256..4096",
                 "use the default 1024");
  if (image.width() < 16 || image.height() < 16) return CardLocation{};
  try {
    const cv::Mat src = as_mat(image);
    const double scale = std::min(1.0, static_cast<double>(o.detect_side) / std::max(src.cols, src.rows));
    cv::Mat small;
    if (scale < 1)
      cv::resize(src, small, cv::Size(), scale, scale, cv::INTER_AREA);
    else
      small = src;
    Detect d;
    cv::Mat smooth;
    cv::GaussianBlur(small, smooth, cv::Size(5, 5), 0);
    d.gray = to_gray(smooth);
    d.grad = colour_gradient(smooth, d.magnitude);
    d.aspect = aspect_of(o.format);
    d.img_area = static_cast<double>(smooth.cols) * smooth.rows;
    d.lens = Lens{P(smooth.cols / 2.0, smooth.rows / 2.0), std::hypot(smooth.cols, smooth.rows)};
    d.smooth = &smooth;

    // The outline, from the detection scale to the full image: pushed out past a line printed along
    // the card's edge, then a search as wide as the detection's uncertainty (at least `range`, full
    // image pixels), then a narrow one. The wide search takes, on every side, the outermost clear
    // step of at least `outermost` of the strongest; with `outermost` 0, per side: 35 % where the
    // background beside the side is plain, else the strongest step. `edges` is the detection's
    // measure of edges (d, or d with a fainter edge: kFaintEdge).
    auto fit_full_image = [&](const Quad& at_detection, int outlines, double outermost = 0, double range = 0,
                              const Detect* edges = nullptr) {
      const Detect& e = edges ? *edges : d;
      Quad q;
      const Quad pushed = push_out(e, smooth, at_detection);
      // Beside a plain background the outermost clear step is the card's edge, however weak
      // against a line printed just inside it.
      std::array<double, 4> outer{outermost, outermost, outermost, outermost};
      if (outermost == 0)
        for (std::size_t s = 0; s < 4; ++s) outer[s] = plain_outside(e, pushed, s) ? 0.35 : 0;
      for (std::size_t i = 0; i < 4; ++i) q[i] = pushed[i] / scale;
      const int w = std::clamp(static_cast<int>(std::lround(1.5 / scale)), 2, 6);
      q = refine(src, q, std::max({3.0, 2.5 / scale, range}), w, std::max(1.0, 0.6 / scale), outer);
      q = refine(src, q, 3.0, w, 1.0);
      // Past a line printed within half a millimetre of where the side is (and a box), to the
      // card's edge within 2 mm outside it (past_printed_line).
      const double px_per_mm = shortest_side(q) / card_size(o.format).h.v;
      q = past_printed_line(src, q, w, static_cast<int>(std::lround(0.5 * px_per_mm)) + w / 2 + 1,
                            std::max(3 * w, static_cast<int>(std::lround(2.0 * px_per_mm))));
      q = past_margin(src, q, w, card_size(o.format).w.v, card_size(o.format).h.v);
      CardLocation loc = location_of(order_quad(q), "outline");
      loc.outlines = outlines;
      return loc;
    };
    // Whether the image's border is plain all round (a desk, a scanner's lid: no print runs off it).
    const bool plain_frame = plain_border(d);
    // A location's corners at the detection scale, as a quad.
    const auto detection_quad = [&](const CardLocation& l) {
      Quad q;
      for (std::size_t i = 0; i < 4; ++i) q[i] = P(l.corners[i].x, l.corners[i].y) * scale;
      return q;
    };
    // The fit moves each side by a few millimetres at most. On a scanner (a plain frame, the card
    // flat under it: no perspective), an outline on the inner edge of a band printed along the
    // card's edge with its other sides on a frame printed just inside the card (a pale card's back
    // on a white lid: the band's lower edge and a guilloché border, of a card's shape at the
    // detection scale) is fitted out to the card's edge on three sides, and is then a rectangle
    // too long for a card by the band's width: completed by the card's aspect (`complete`, now
    // that the other three sides are the card's) and fitted again, it is the card, if its shape is
    // then clearly the better and its sides as well seen. (In a phone's perspective the aspect may
    // mislead: not there.)
    auto on_full_image = [&](const Quad& at_detection, int outlines, double outermost = 0, double range = 0,
                             const Detect* edges = nullptr) {
      const Detect& e = edges ? *edges : d;
      CardLocation loc = fit_full_image(at_detection, outlines, outermost, range, edges);
      if (!plain_frame) return loc;
      const auto c = score_quad(e, detection_quad(loc));
      if (!c || c->penalty < kCompleteFitted || !flat_rectangle(c->q)) return loc;
      std::vector<Candidate> completed;
      complete(e, smooth, *c, completed);
      const Candidate* better = nullptr;
      for (const auto& k : completed)
        if (!better || k.score > better->score) better = &k;
      if (!better) return loc;
      CardLocation again = fit_full_image(better->q, outlines, outermost, range, edges);
      const auto c2 = score_quad(e, detection_quad(again));
      return c2 && c2->penalty < c->penalty - 0.02 && c2->min_support() >= c->min_support() - 0.1 ? again : loc;
    };

    // The image itself is the card (a render, a tight scan, a scan with a margin of up to the
    // bleed: its aspect says the card's size, and the margin left around it). An outline is used
    // instead only when it is the card's edge, found more precisely: of the card's size (less by at
    // most 0.8 % of the width: the crop's rounding) or larger, and within the margin, wherever the
    // crop left the card in it; an outline smaller than that is a frame printed on the card, never
    // the card's edge, since the card cannot be smaller than the image's aspect allows. So only the
    // card's own sides are looked for, the outermost edge within the margin of each, not outlines
    // anywhere in the image.
    // When the card's own edge is not found in the margin (a render with a bleed shows none), the
    // image is taken as the card; with a margin wider than a print bleed, unless an outline found in
    // it below is clearly a card lying in the image: a camera's 3:2 photo has the aspect of a card
    // with 4.6 mm around it.
    std::optional<CardLocation> as_whole;
    double whole_area = 0;
    if (const auto whole = whole_image(src.cols, src.rows, o.format, o.max_bleed)) {
      const double near = 0.008 * src.cols, margin = (*whole)[0].x;
      Quad q;
      for (std::size_t i = 0; i < 4; ++i) q[i] = (*whole)[i] * scale;
      // The lid or desk around a scan is plain: any clear step is the card's edge, however weak
      // beside a line printed inside it. The margin may be narrow on one side: a side counts as the
      // crop's edge (a tight crop's dark rim, rounding) only within 0.3 mm of the border.
      const double px_per_mm = dist((*whole)[0], (*whole)[1]) / card_size(o.format).w.v;
      const auto c =
          score_quad(d, refine(smooth, q, (margin + near) * scale + 2, 2, 1.0, 0.1), 0.3 * px_per_mm * scale);
      bool card = c.has_value();
      if (c) {
        const double w = dist((*whole)[0], (*whole)[1]), h = dist((*whole)[1], (*whole)[2]);
        const Quad& k = c->q;  // ordered: a long side first
        // Of the card's size, or larger where the crop left the card nearer one edge of the image
        // than the other (the image's aspect then understates the card, by up to the margins: a
        // flatbed scan cropped unevenly, 1 % on G-mild card 27 of bench/eval_checker); never smaller,
        // which only a frame printed inside the card is. And of the card's aspect, within 1.5 %.
        for (std::size_t i = 0; i < 4; ++i) {
          card &= dist(k[i], k[(i + 1) % 4]) / scale > (i % 2 ? h : w) - near;
          card &= std::min(dist(k[i] / scale, (*whole)[i]), dist(k[i] / scale, (*whole)[(i + 2) % 4])) <
                  std::sqrt(2.0) * margin + near;
        }
        const double along = dist(k[0], k[1]) + dist(k[2], k[3]), across = dist(k[1], k[2]) + dist(k[3], k[0]);
        card &= std::abs(std::log(along / across / d.aspect)) < 0.015;
      }
      // On the full image too, the outermost clear step within 1 mm: a pale card's edge on a white
      // lid is a weak step that the detection copy's smoothing leaves under a line printed just
      // inside it.
      if (card) return on_full_image(c->q, 1, 0.1, px_per_mm);
      CardLocation loc = location_of(*whole, "whole_image");
      loc.outlines = 1;
      // A print bleed is at most 3 mm: beyond that, the image may be a photo of that aspect. So may
      // an image whose border is plain all round, however narrow its margin: a photo of a card lying
      // on a white desk, cropped to about the card's aspect, or a scan of one at an angle.
      if (margin / px_per_mm < detail::kPrintBleedMm && !plain_frame) return loc;
      as_whole = loc;
      whole_area = quad_area(*whole) * scale * scale;
    }

    // Candidate quadrilaterals from three kinds of evidence: contours of edge maps (three Canny
    // thresholds on the colour gradient), contours of brightness segmentations, and long straight
    // edges paired into four sides (which survives a card touching clutter, which merges contours).
    std::vector<Quad> quads;
    edge_map_candidates(d, {{25.0, 75.0}, {50.0, 150.0}, {100.0, 250.0}}, quads);
    // In a plain frame, those of an edge map of faint edges (Canny from kFaintEdge, a third of the
    // lowest above), when needed: a white card on a white desk may differ from it by a few levels
    // only, too little for an edge (kEdge) all round (card_on_a_desk below).
    std::optional<std::vector<Quad>> faint_edge_quads;
    const auto faint_edges = [&]() -> const std::vector<Quad>& {
      if (!faint_edge_quads) edge_map_candidates(d, {{kFaintEdge, 3 * kFaintEdge}}, faint_edge_quads.emplace());
      return *faint_edge_quads;
    };
    // The image taken as the card in a plain frame holds a card lying on the desk, or apart in it,
    // only if one of these edge maps has an outline that the rules below could take: lying at an
    // angle, of a card's shape and a quarter of the image or more, its corners inside the image (the
    // border is plain, so a card does not reach it; a render's edge maps can close an outline along
    // it); or of the card's shape and under 0.72 of the image, its sides seen (apart; the scoring
    // drops any other). A coarse outline of a card on a desk may not be seen all round, at any
    // edge, until it is fitted (card_on_a_desk). Without such an outline the image is the card: a
    // render with a bleed, whose full search below took ten times all the above.
    // The area of the card, or of the image when it is not taken as the card (the desk rules).
    const double frame_area = as_whole ? whole_area : d.img_area;
    // An outline that may be a card lying on a desk by its shape and size alone (its sides are
    // judged once it is fitted: card_on_a_desk).
    const auto desk_shaped = [&](const Candidate& c) {
      return c.penalty < 2 * kCardShape && c.area >= 0.25 * frame_area && c.area <= 0.95 * frame_area && lying(c.q);
    };
    // An outline in the image taken as the card is the card lying apart in it only if it is at most
    // 85 % of the image's card across (the rule at the end).
    const double apart_area = 0.72 * whole_area;
    if (as_whole && plain_frame) {
      const auto inside_image = [&](const P& p) {
        return p.x > 2 && p.y > 2 && p.x < d.grad.cols - 3 && p.y < d.grad.rows - 3;
      };
      const auto may_be_a_card = [&](const Quad& q) {
        auto c = shape_of(d, q);
        if (!c) return false;
        // A card lying at an angle has two sides turned or more (all four turned, or two opposite
        // ones in a phone's perspective); an outline with one (the specimen's 300 dpi back: a band's
        // edge and the guilloché border inside it, one side 2.2° off) is clutter of the card's
        // print, and the search it would start takes four times the look.
        if (desk_shaped(*c) && sides_turned(c->q) >= 2 && std::all_of(c->q.begin(), c->q.end(), inside_image))
          return true;
        return c->penalty < kCardShape && c->area < apart_area && measure_sides(d, *c);
      };
      if (std::none_of(quads.begin(), quads.end(), may_be_a_card) &&
          std::none_of(faint_edges().begin(), faint_edges().end(), may_be_a_card))
        return *as_whole;
    }
    // The chroma, from here on (an image that is the card itself returns above without it).
    if (smooth.channels() == 3) {
      std::vector<cv::Mat> ch;
      cv::split(smooth, ch);
      cv::Mat hi, lo;
      cv::max(ch[0], ch[1], hi);
      cv::max(hi, ch[2], hi);
      cv::min(ch[0], ch[1], lo);
      cv::min(lo, ch[2], lo);
      cv::subtract(hi, lo, d.chroma);
    }
    segmentation_candidates(d, smooth, quads);
    // And of an edge map at half the lowest thresholds above: a pale card on a pale desk (a light
    // grey table) is some 20 grey levels brighter than it and hardly differs in chroma, a step whose
    // gradient after the smoothing is an edge (kEdge) all round but stays under the lowest pair's
    // strong threshold (75), the more so where the light is dim, so that no contour of those maps
    // follows it, nor does any segmentation's above (bench/locate_scenes, seed 2 scenes 83, 96 and
    // 128; in 83, no candidate within 74 px of the card's corners at the detection scale).
    edge_map_candidates(d, {{12.0, 36.0}}, quads);
    {
      // The longest lines of the whole image, and of each of 3 x 3 windows of 60 % of its width and
      // height: a card far from the camera has sides shorter than the clutter's longest lines, but
      // lies wholly inside one of the windows (any card up to 40 % of the frame across does).
      const auto segs = segments_of(d.gray);
      const double w = d.gray.cols, h = d.gray.rows, min_gap = 0.06 * std::min(w, h);
      line_candidates(edge_lines(segs, cv::Rect2d(-1, -1, w + 2, h + 2)), min_gap, quads);
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
          line_candidates(edge_lines(segs, cv::Rect2d(0.2 * i * w - 1, 0.2 * j * h - 1, 0.6 * w + 2, 0.6 * h + 2)),
                          min_gap, quads);
    }

    // Scored in order of what their shape and size allow (an upper bound of the score): a
    // candidate's ends are measured only while it can still matter, that is be among the ten best
    // (refined and completed below) or within 0.75 of the best (the enclosing-frame rule); its sides
    // only then, or when it has a card's shape (the count of cards below reads shape and sides
    // alone). Of its ends, how far its sides run on past its corners is measured first (cheaper),
    // and where they end at the corners only if it can still matter after that. The outcome is the
    // same as scoring every quad in full, at a fraction of the cost: a card's front gives thousands
    // of quads, most of them small, and a keyboard over a hundred thousand.
    std::vector<Candidate> cands;
    // Outlines from two lines (two_line_candidates), kept apart: the few best of them join the best
    // few of the rest below, and do not push any of those out.
    std::vector<Candidate> from_two;
    {
      // The ten best scores, and the ten best choice scores (kSharpCorner).
      struct Best {
        std::priority_queue<double, std::vector<double>, std::greater<>> ten;
        double best = 0;
        bool matters(double bound) const {
          return ten.size() < 10 || bound >= std::min(ten.top(), 0.75 * best) * (1 - 1e-9);
        }
        void add(double score) {
          best = std::max(best, score);
          ten.push(score);
          if (ten.size() > 10) ten.pop();
        }
      } by_score, by_choice;
      auto matters = [&](double bound) { return by_score.matters(bound) || by_choice.matters(bound); };
      SideCache side_cache;
      // The quads of a card's shape, scored in order of what their shape and size allow. The
      // candidates kept are moved to the front of the list (on a keyboard, over a hundred thousand
      // of them: no second vector).
      const auto score_all = [&](const std::vector<Quad>& from) {
        std::vector<Candidate> list;
        for (const auto& q : from)
          if (auto c = shape_of(d, q)) list.push_back(*c);
        std::stable_sort(list.begin(), list.end(),
                         [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
        std::size_t kept = 0;
        for (auto& c : list) {
          if (!matters(c.score) && c.penalty >= kCardShape) continue;
          if (!measure_sides(d, c, &side_cache)) continue;
          if (matters(c.score)) {
            // The overrun first, which bounds the score at a fraction of the corners' cost: on a
            // keyboard nearly every block of keys has a shape and sides that could matter, and sides
            // that run on into the grid's lines.
            measure_overrun(d, c, &side_cache);
            if (!matters(c.score * overrun_bound(c))) {
              c.score *= overrun_bound(c);  // still an upper bound
            } else {
              measure_corners(d, c);
              // A block of a grid, tested only when its score would count: on a keyboard, tens of
              // thousands of quads reach here, and thousands of them are blocks of its keys.
              if (matters(c.score) && grid_block(d, c.q)) c.score *= kGridBlock;
              by_score.add(c.score);
              by_choice.add(choice_score(c));
            }
          }
          list[kept++] = c;
        }
        list.resize(kept);
        return list;
      };
      cands = score_all(quads);
      // No outline of a card at all: the card may be as bright as the desk (a blue card on a grey
      // desk), so that the grey image has no segment along its sides (seed 21 scene 78 of
      // bench/locate_scenes: none on two of them, one of 27 px on a third), and the clutter's lines
      // that meet its edges join its contours to theirs. The longest lines of the chroma close it.
      // Only then: added to every image's, their outlines found 11 cards more in 900 scenes and
      // lost 8, 4 of those where an outline from the grey image scored over kNoOutline.
      if (by_choice.best < kNoOutline && !d.chroma.empty()) {
        const double w = d.gray.cols, h = d.gray.rows;
        const cv::Rect2d whole(-1, -1, w + 2, h + 2);
        const double min_gap = 0.06 * std::min(w, h);
        std::vector<Quad> more;
        line_candidates(edge_lines(segments_of(d.chroma), whole), min_gap, more);
        // And the fainter lines (kFaintQuant) of the chroma and of each colour channel: a pale card
        // on a pale desk of another hue differs from it by some 10 levels in a channel or two and by
        // less in grey. Seed 23 scene 41, a pale card on a pale green desk (red 9 levels brighter,
        // green 10 darker, grey 3): no segment of the grey image lies along its sides, the chroma's
        // cover 0 to 9 % of each, and its faint ones 91 to 94 %. Seed 3 scene 132, a card on a
        // lavender desk under glare (blue 10 levels apart): the blue channel's faint segments cover
        // 62 to 93 % of each side. Added to the chroma's lines above, not instead: their segments
        // join differently, and with the faint ones alone seed 7 scene 77's outline was lost.
        line_candidates(edge_lines(segments_of(d.chroma, kFaintQuant), whole), min_gap, more);
        std::vector<cv::Mat> channels;
        cv::split(smooth, channels);
        for (const auto& channel : channels)
          line_candidates(edge_lines(segments_of(channel, kFaintQuant), whole), min_gap, more);
        const auto extra = score_all(more);
        cands.insert(cands.end(), extra.begin(), extra.end());
      }
      // No strong outline: the card's sides may be too faint for the line detector where they lie
      // over something pale (a pale card on a sheet of paper), and its outline no candidate. The
      // lines of the grey image equalised locally (CLAHE) show more of them, and three of them
      // close it (three_line_candidates).
      if (by_choice.best < kWeakOutline) {
        cv::Mat equalised;
        cv::createCLAHE(2.0, cv::Size(8, 8))->apply(d.gray, equalised);
        const double w = d.gray.cols, h = d.gray.rows;
        const auto eq_lines = edge_lines(segments_of(equalised), cv::Rect2d(-1, -1, w + 2, h + 2));
        three_line_candidates(d, smooth, eq_lines, 0.06 * std::min(w, h), 200, cands);
        // And from two, as a last resort (two_line_candidates).
        {
          std::vector<std::size_t> order(cands.size());
          for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
          const std::size_t top = std::min<std::size_t>(order.size(), 200);
          std::partial_sort(
              order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
              [&](std::size_t a, std::size_t b) { return choice_score(cands[a]) > choice_score(cands[b]); });
          std::vector<Quad> known;
          for (std::size_t i = 0; i < top; ++i) known.push_back(cands[order[i]].q);
          two_line_candidates(d, smooth, eq_lines, 0.06 * std::min(w, h), 100, known, from_two);
        }
      }
    }
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    // The best few by score and by choice score, refined at the detection scale and scored again: a
    // coarse quad whose corners are cut by rounding or a line a pixel off scores what it deserves.
    std::vector<std::size_t> few;
    for (std::size_t i = 0; i < std::min<std::size_t>(cands.size(), 10); ++i) few.push_back(i);
    {
      std::vector<std::size_t> by_choice(cands.size());
      std::vector<double> choice(cands.size());
      for (std::size_t i = 0; i < by_choice.size(); ++i) {
        by_choice[i] = i;
        choice[i] = choice_score(cands[i]);
      }
      std::stable_sort(by_choice.begin(), by_choice.end(),
                       [&](std::size_t a, std::size_t b) { return choice[a] > choice[b]; });
      for (std::size_t i = 0; i < std::min<std::size_t>(by_choice.size(), 10); ++i)
        if (by_choice[i] >= 10) few.push_back(by_choice[i]);
    }
    std::stable_sort(from_two.begin(), from_two.end(),
                     [](const Candidate& a, const Candidate& b) { return choice_score(a) > choice_score(b); });
    for (std::size_t i = 0; i < std::min<std::size_t>(from_two.size(), kFromTwo); ++i) {
      few.push_back(cands.size());
      cands.push_back(from_two[i]);
    }
    const cv::Mat& det = smooth;
    for (std::size_t i : few) {
      const Quad r = refine(det, cands[i].q, 6, 2, 1.0);
      if (auto c = score_quad(d, r); c && c->score >= cands[i].score) cands[i] = *c;
    }
    {
      std::vector<Candidate> completed;
      for (std::size_t i : few) complete(d, det, cands[i], completed);
      // By the corners, twice: a band wider than the walk past a corner takes two steps.
      std::vector<Candidate> by_corners, next;
      for (std::size_t i : few) complete_by_corners(d, det, cands[i], by_corners);
      for (const auto& c : by_corners) complete_by_corners(d, det, c, next);
      completed.insert(completed.end(), by_corners.begin(), by_corners.end());
      completed.insert(completed.end(), next.begin(), next.end());
      // The card round its printed field in a white margin, whose outline no line or contour gave
      // (the margin's edge broken by a keyboard's keys, faint against a sheet of paper): each side
      // of the best few moved out to the outermost clear step within kRingWidth of the short side,
      // when that makes a narrow ring round it. Only then: one side moved out
      // onto a tile's edge beside a card whose corners two thumbs hide was taken, 14 px off.
      for (std::size_t i : few) {
        const Quad& q = cands[i].q;
        const double reach = kRingWidth * std::min(dist(q[1], q[2]), dist(q[3], q[0]));
        if (auto c = score_quad(d, refine(det, q, reach, 2, 1.0, 0.25)); c && narrow_ring(d, q, c->q))
          completed.push_back(*c);
      }
      for (auto& c : completed) {
        const Quad r = refine(det, c.q, 3, 2, 1.0);
        if (auto rc = score_quad(d, r); rc && rc->score >= c.score) c = *rc;
      }
      cands.insert(cands.end(), completed.begin(), completed.end());
    }
    // From here on an outline's score is its choice score; an outline never fully scored (its
    // score an upper bound, below the ten best) comes after every one that was.
    for (auto& c : cands) c.score = choice_score(c);
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      return a.scored != b.scored ? a.scored : a.score > b.score;
    });

    const Candidate* best = cands.empty() ? nullptr : &cands.front();
    // Outlines of the same card (every corner within 4 % of the short side of the best's, scoring
    // at least 0.85 of it) differ in how squarely they lie, which the score rewards, and in how
    // precisely their sides lie on the card's edges, which the support (an edge within 2 px, of which
    // the fine print inside a card has plenty) hardly tells: a side that follows the card's edge
    // along one part and a line printed just inside it along the rest is askew, and can make the quad
    // squarer than the card in perspective is. The one whose sides lie on the strongest edges (3 %
    // more than the best's, on average over the sides) is the card's outline.
    if (best) {
      const double near = 0.04 * std::min(dist(best->q[1], best->q[2]), dist(best->q[3], best->q[0]));
      auto strength = [&](const Quad& q) {
        double sum = 0;
        for (std::size_t s = 0; s < 4; ++s) sum += side_strength(det, q[s], q[(s + 1) % 4]);
        return sum / 4;
      };
      double best_strength = strength(best->q);
      for (const auto& c : cands) {
        if (&c == best || c.score < 0.85 * best->score) continue;
        bool same = true;
        for (std::size_t i = 0; i < 4 && same; ++i) same = dist(c.q[i], best->q[i]) <= near;
        if (!same) continue;
        if (const double k = strength(c.q); k > best_strength * 1.03) {
          best_strength = k;
          best = &c;
        }
      }
    }
    // A printed frame inside the card can outscore the card's own edge; the card encloses it.
    // So can a band printed along one side whose edge against the background is weak (a dark band
    // on a dark desk): the outline through the band's inner edge shares the card's other three
    // sides and, in strong perspective, may even look more like a card's aspect than the card.
    // There the enclosing outline needs to score only 0.6 of it, its sides ending at its corners.
    // Enclosing: at least 2 % larger, or 1 % for a narrow ring round it. The card round its printed
    // field in a white margin of 2 mm beside one short side is 2.3 % larger than the field's
    // outline, or less on the far side of a card in perspective (seed 22 scene 24 of
    // bench/locate_scenes: 1.99 %); a ring is plain between the two, which a side merely moved out
    // over a page of text is not (seed 7 scene 44, lost when any outline 1 % larger could win).
    // Never one with sharp corners where the best has rounded ones (more sharp ends than the
    // best's, or 2): a folder or a book the card lies on, of about its aspect, whose sides are
    // edges all round and end at its corners (bench/eval_checker's F-back card 17: 257 px off).
    if (const Candidate* const inner = best)
      for (const auto& c : cands) {
        if (&c == best || c.area <= best->area * 1.01 || c.area >= best->area * 1.6) continue;
        const double near = 0.03 * std::min(dist(c.q[1], c.q[2]), dist(c.q[3], c.q[0]));
        // Whether corner i of q is also a corner of `other`.
        auto shared_corner = [&](const Quad& q, std::size_t i, const Quad& other) {
          return std::any_of(other.begin(), other.end(), [&](const P& e) { return dist(e, q[i]) <= near; });
        };
        int shared = 0;
        for (std::size_t i = 0; i < 4; ++i) shared += shared_corner(best->q, i, c.q);
        const double ratio = shared >= 2 ? 0.6 : 0.75;
        if (!std::all_of(best->q.begin(), best->q.end(), [&](const P& p) { return inside(c.q, p, 2); }) || !c.scored ||
            c.score < ratio * best->score || c.overrun >= kRingOverrun || c.sharp > std::max(2, best->sharp) ||
            c.min_support() < 0.3)
          continue;
        // Its sides hardly run on past its corners, which fit a card's at least as well as the
        // best's. Or it is a narrow ring round the best (narrow_ring: the card round its printed
        // field in a white margin), whose corners fit nearly as well as the first best's (so that
        // rings round rings do not creep outwards) and whose sides may run on further: the field's
        // sides end cleanly in the plain margin, the card's against whatever the desk has beside it.
        const bool larger = c.area > best->area * 1.02;
        if (c.min_support() >= 0.7 &&
            ((larger && c.overrun < 0.1 && c.corner_misfit <= best->corner_misfit) ||
             (c.corner_misfit <= std::min(best->corner_misfit, inner->corner_misfit) + kRingMisfit &&
              narrow_ring(d, best->q, c.q)))) {
          best = &c;
          continue;
        }
        if (!larger || c.overrun >= 0.1) continue;
        // The band's edge is too weak for that (under 0.7 of its length against the desk), but
        // the card's two sides beside the band tell: on the band's outline both run on past its
        // corners (by a radius or more), and on the enclosing one both end at its corners.
        if (shared == 3 || !best->scored) continue;
        for (std::size_t i = 0; i < 4; ++i) {
          const std::size_t i1 = (i + 1) % 4, i3 = (i + 3) % 4;
          if (shared_corner(best->q, i, c.q) || shared_corner(best->q, i1, c.q) ||
              !shared_corner(best->q, (i + 2) % 4, c.q) || !shared_corner(best->q, i3, c.q))
            continue;
          // Best's side i is the band's edge; its neighbours' ends at its corners i and i + 1.
          if (best->ends[i3][1] > -1.0 || best->ends[i1][0] > -1.0) break;
          // The same corners of the enclosing outline, which are not the band's.
          for (std::size_t j = 0; j < 4; ++j) {
            const std::size_t j1 = (j + 1) % 4, j3 = (j + 3) % 4;
            if (shared_corner(c.q, j, best->q) || shared_corner(c.q, j1, best->q)) continue;
            if (end_misfit(c.ends[j3][1]) <= 0.25 && end_misfit(c.ends[j1][0]) <= 0.25) best = &c;
            break;
          }
          break;
        }
      }

    // Other cards in the frame: outlines of about the same size (cards held together are at about
    // the same distance) with the card's aspect and edges all round; a book or a screen is not one.
    // Any candidate of a place counts, not only the best-scored there (which may have a weak side);
    // a place is one card however many passes found it (two outlines are apart when neither's
    // centre lies inside the other).
    int cards = best ? 1 : 0;
    if (best) {
      std::vector<const Candidate*> others;
      auto apart = [](const Candidate& a, const Candidate& b) {
        return !inside(a.q, centre_of(b.q), 0) && !inside(b.q, centre_of(a.q), 0);
      };
      for (const auto& c : cands)
        if (c.area > 0.6 * best->area && c.area < 1.6 * best->area && c.penalty < kCardShape && c.min_support() > 0.7 &&
            apart(c, *best) &&
            std::all_of(others.begin(), others.end(), [&](const Candidate* e) { return apart(c, *e); })) {
          // Its sides end at its corners (kOtherCardAtCorner below): a rectangle cut from a grid (a
          // tiled floor, a cutting mat) has sides that run on into the grid's lines.
          Candidate e = c;
          if (!e.scored) measure_ends(d, e);
          // Nor is a rectangle with sharp corners (a book, a box printed on a sheet): 2 of its 8
          // ends are a rounded corner's (short of it by 0.1 to 1 r) on the cluttered desks of
          // tests/verify/locate_test.cpp, 4 for a second card held beside the first.
          int rounded = 0, at_corner = 0;
          for (const auto& end : e.ends)
            for (double x : end) {
              rounded += x >= 0.1 && x <= 1.0;
              at_corner += end_misfit(x) == 0;
            }
          // Nor is a rectangle of lines that do not end at its corners: on the cluttered desk of
          // small_in_frame (tests/verify/locate_test.cpp), sides that run 3 to 4 r past two of its
          // corners, or past one and stop 4.6 r short of another. A line across a card's corner
          // spoils that corner only.
          unsigned spoilt = 0;  // bit k: a side ends more than kFarEnd r before or past corner k
          for (std::size_t j = 0; j < 4; ++j)
            for (std::size_t k = 0; k < 2; ++k)
              if (std::abs(e.ends[j][k]) > kFarEnd) spoilt |= 1u << ((j + k) % 4);
          // (A corner taken as hidden by a finger is not excused here: two sides of the clutter
          // that miss each other look the same.)
          if (std::popcount(spoilt) > 1 || e.hidden_corner || at_corner < kOtherCardAtCorner ||
              rounded < kOtherCardRounded)
            continue;
          others.push_back(&c);
        }
      cards += static_cast<int>(others.size());
    }

    // A card lying on a plain desk (a white sheet, a scanner's lid with the card at an angle): an
    // outline lying at an angle to the image is the card, since a printed frame inside an upright
    // scan's card lies square, and a plain desk has no clutter of the card's shape. Its shape may
    // then be as far from the card's as a phone's perspective takes it (0.15 to 0.16 for a card
    // tilted by 8 % of its width), and it may cover nearly all of the image; it must still be seen
    // all round and end at rounded corners (not sharp ones: a sheet of paper), and cover a quarter
    // of the image (of its card, when the image has a card's aspect) or more.
    const auto outline = [](const Candidate& c) { return c.scored && c.corner_misfit <= 1.0 && c.overrun < 0.1; };
    // A card's outline of the card's shape, seen along 80 % of its sides.
    const auto sound = [&](const Candidate& c) {
      return outline(c) && c.penalty < kCardShape && c.min_support() >= 0.8;
    };
    const auto on_a_desk = [&](const Candidate& c) {
      return outline(c) && c.sharp <= 2 && c.penalty < 2 * kCardShape && c.min_support() >= 0.9 &&
             c.area > 0.25 * frame_area && c.area < 0.95 * frame_area && lying(c.q);
    };
    // A pale card's outline at the detection scale is coarse on a white desk: a side a few pixels
    // off its faint edge loses support and ends away from its corners (0.6 to 0.85 of a side seen,
    // corner misfits of 1.7 to 2.8), or lies on the header band's inner edge instead of the card's.
    // So the best few outlines lying at an angle (apart from each other) are fitted to the full
    // image's edges and judged again there; where a fitted side is a band's inner edge (whose outer
    // edge push_out does not pass) its neighbours run on past it, and it is completed by its
    // corners and fitted again.
    // Once fitted, an outline may lie square to the image after all (a card turned under kLyingDeg
    // on a scanner's lid). It is still the card where the best outline, fitted too, is not a sound
    // one, and this one is, enclosing it (a frame printed inside the card cannot enclose the card's
    // own outline): `square_ok`, set at the end.
    bool square_ok = false;
    const auto encloses_best = [&](const Candidate& c) {
      return best && sound(c) && c.sharp <= 2 && c.min_support() >= 0.9 && c.area >= best->area &&
             c.area < 0.95 * frame_area && inside(c.q, centre_of(best->q), 0);
    };
    const auto card_of_desk = [&](const Candidate& c) { return on_a_desk(c) || (square_ok && encloses_best(c)); };
    const auto fitted_on_desk = [&](const Quad& at_detection, const Detect& edges) -> std::optional<CardLocation> {
      const auto fit = [&](const Quad& at) {
        const CardLocation fitted = on_full_image(at, std::max(cards, 1), 0, 0, &edges);
        return std::pair{fitted, score_quad(edges, order_quad(detection_quad(fitted)))};
      };
      const auto [fitted, c] = fit(at_detection);
      if (!c) return std::nullopt;
      if (card_of_desk(*c)) return fitted;
      std::vector<Candidate> completed;
      complete_by_corners(edges, smooth, *c, completed);
      std::sort(completed.begin(), completed.end(),
                [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
      for (std::size_t i = 0; i < std::min<std::size_t>(completed.size(), 2); ++i)
        if (const auto [again, k] = fit(completed[i].q); k && card_of_desk(*k)) return again;
      return std::nullopt;
    };
    const auto first_fitted = [&](const std::vector<Candidate>& from, const Detect& edges) {
      std::vector<const Quad*> tried;
      for (const auto& c : from) {
        if (tried.size() == 4) break;
        if (!lying(c.q) || c.area < 0.25 * frame_area) continue;
        const double near = 0.04 * std::min(dist(c.q[1], c.q[2]), dist(c.q[3], c.q[0]));
        if (std::any_of(tried.begin(), tried.end(), [&](const Quad* t) {
              for (std::size_t i = 0; i < 4; ++i)
                if (dist((*t)[i], c.q[i]) > near) return false;
              return true;
            }))
          continue;
        tried.push_back(&c.q);
        if (auto loc = fitted_on_desk(c.q, edges)) return loc;
      }
      return std::optional<CardLocation>{};
    };
    const auto card_on_a_desk = [&]() -> std::optional<CardLocation> {
      if (auto loc = first_fitted(cands, d)) return loc;
      // A white card on a white desk may differ from it by a few levels only, too little for an
      // edge (kEdge) all round, so that no outline of it is a candidate at all. The desk being
      // plain, a fainter edge (kFaintEdge) is the card's: the candidates of a card's shape and size
      // lying at an angle are measured again with it, with those of the faint edge map above. (The
      // brightness of such a card may be the desk's, its colour not: the colour gradient has its
      // outline, the grey image's line segments may not.)
      Detect faint = d;
      faint.edge = kFaintEdge;
      std::vector<Quad> faint_quads = quads;
      faint_quads.insert(faint_quads.end(), faint_edges().begin(), faint_edges().end());
      std::vector<Candidate> desk;
      // In the order of what their shape and size allow: such an outline may lie a few pixels off a
      // faint edge, so that its sides are judged only once fitted.
      for (const auto& q : faint_quads)
        if (auto c = shape_of(faint, q); c && desk_shaped(*c)) desk.push_back(*c);
      std::stable_sort(desk.begin(), desk.end(),
                       [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
      return first_fitted(desk, faint);
    };

    // Taken as the card, the image has no edge of it in its margin; an outline in it is the card
    // lying in a photo of that aspect only when it has the card's shape, edges all round that end at
    // rounded corners, and is far smaller than the image's card: at most 85 % of its width, so at
    // least 6.4 mm short of it at either end on top of the bleed. (A frame printed that far inside a
    // card's edge and shaped like a card would be taken for the card: no ID-1 design known to us has
    // one.) Or, in a plain frame, when it is a card lying on a desk.
    if (as_whole) {
      if (best) {
        const bool apart = sound(*best) && best->area < apart_area;
        if (apart || (plain_frame && on_a_desk(*best))) return on_full_image(best->q, cards);
      }
      if (plain_frame)
        if (auto loc = card_on_a_desk()) return *loc;
      return *as_whole;
    }
    // In a plain frame of another aspect, a card lying on the desk found so is the card unless the
    // best outline is one, or is a sound outline elsewhere (a smaller card beside a phone lying on
    // the desk); a block printed on a white card has a card's outline of its own, inside the card.
    if (plain_frame && !(best && on_a_desk(*best)))
      if (auto loc = card_on_a_desk();
          loc && (!best || !sound(*best) || inside(detection_quad(*loc), centre_of(best->q), 0)))
        return *loc;
    if (best) {
      CardLocation loc = on_full_image(best->q, cards);
      // A pale card turned under kLyingDeg on a white lid may have a coarse outline askew, one side
      // on the card's faint edge at one end and on a guilloché printed inside it at the other, and
      // the fit follows it (the 1200 dpi flatbed back of the tests: that side 1.1 to 2.2 mm inside
      // the card). Judged again once fitted (with the faint edges of a plain frame), its sides end
      // away from its corners or are not seen all round; a sound outline fitted from the desk's
      // candidates that encloses it, better seen and ending at its corners as well, is the card.
      if (plain_frame && !sound(*best)) {
        Detect faint = d;
        faint.edge = kFaintEdge;
        const auto judged = [&](const CardLocation& l) { return score_quad(faint, order_quad(detection_quad(l))); };
        const auto fitted = judged(loc);
        if (!fitted || fitted->corner_misfit > 0 || fitted->min_support() < 0.95) {
          square_ok = true;
          if (auto enclosing = card_on_a_desk()) {
            const auto e = judged(*enclosing);
            if (e &&
                (!fitted || (e->min_support() > fitted->min_support() && e->corner_misfit <= fitted->corner_misfit)))
              return *enclosing;
          }
        }
      }
      return loc;
    }
    CardLocation none;
    none.outlines = 0;
    return none;
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "looking for the card in the image");
  }
}

Result<Image> rectify_card(const ImageView& image, const std::array<ImagePoint, 4>& corners, CardFormat format,
                           Dpi dpi) {
  if (image.empty()) return Error(Errc::bad_image, "the image is empty", "give a photo or scan of the card");
  if (dpi.v < 50 || dpi.v > 2400)
    return Error(Errc::invalid_argument, "working dpi " + std::to_string(dpi.v) + " is outside 50..2400", "use 300");
  try {
    std::array<cv::Point2d, 4> q;
    for (std::size_t i = 0; i < 4; ++i) q[i] = cv::Point2d(corners[i].x, corners[i].y);
    std::vector<cv::Point2f> poly(q.begin(), q.end());
    if (!std::all_of(q.begin(), q.end(),
                     [](const cv::Point2d& p) { return std::isfinite(p.x) && std::isfinite(p.y); }) ||
        std::abs(cv::contourArea(poly)) < 64)
      return Error(Errc::invalid_argument, "the card corners are degenerate", "locate the card first (locate_card)");
    const MmSize s = card_size(format);
    const int W = to_px(s.w, dpi).v, H = to_px(s.h, dpi).v;
    cv::Mat src = as_mat(image);
    // Large downscales: area-average first, so fine print does not alias in the warp.
    const double source_px = (dist(q[0], q[1]) + dist(q[2], q[3])) / 2;
    const double shrink = source_px / W;
    if (shrink > 1.6) {
      const double f = 1.0 / std::floor(shrink);
      cv::Mat small;
      cv::resize(src, small, cv::Size(), f, f, cv::INTER_AREA);
      const double fx = static_cast<double>(small.cols) / src.cols, fy = static_cast<double>(small.rows) / src.rows;
      for (auto& p : q) p = cv::Point2d(p.x * fx, p.y * fy);
      src = small;
    }
    // Image coordinates have pixel centres at +0.5; OpenCV's at +0.
    std::vector<cv::Point2f> from, to;
    for (const auto& p : q) from.emplace_back(static_cast<float>(p.x - 0.5), static_cast<float>(p.y - 0.5));
    const float fw = static_cast<float>(W) - 0.5f, fh = static_cast<float>(H) - 0.5f;
    to = {{-0.5f, -0.5f}, {fw, -0.5f}, {fw, fh}, {-0.5f, fh}};
    const cv::Mat h = cv::getPerspectiveTransform(from, to);
    Image out(W, H, src.channels() == 1 ? PixelFormat::gray8 : PixelFormat::rgb8);
    cv::Mat dst(H, W, src.channels() == 1 ? CV_8UC1 : CV_8UC3, out.data());
    cv::warpPerspective(src, dst, h, dst.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return out;
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "rectifying the card");
  }
}

CaptureQuality capture_quality(const ImageView& rectified) {
  CaptureQuality q;
  if (rectified.empty()) return q;
  try {
    const cv::Mat m = as_mat(rectified);
    const cv::Mat g = to_gray(m);
    // A 3 % margin keeps the card's edge and the background beyond it out.
    const int mx = g.cols * 3 / 100, my = g.rows * 3 / 100;
    const cv::Rect inner(mx, my, g.cols - 2 * mx, g.rows - 2 * my);
    cv::Mat lap;
    cv::Laplacian(g(inner), lap, CV_32F);
    cv::Scalar mean, sd;
    cv::meanStdDev(lap, mean, sd);
    q.sharpness = sd[0] * sd[0];
    // Glare as the checks see it (clipped white in every colour channel), and its twin at black.
    q.glare = detail::clipped_white_share(rectified, PxRect{inner.x, inner.y, inner.width, inner.height});
    cv::Mat hi;
    if (m.channels() == 1) {
      hi = m(inner) <= 5;
    } else {
      cv::Mat mx3;
      std::vector<cv::Mat> ch;
      cv::split(m(inner), ch);
      cv::max(ch[0], ch[1], mx3);
      cv::max(mx3, ch[2], mx3);
      hi = mx3 <= 5;
    }
    q.dark = cv::countNonZero(hi) / static_cast<double>(inner.area());
  } catch (...) {
    // Quality is advisory: an allocation failure leaves it at zero.
  }
  return q;
}

double edge_spread_mm(const ImageView& image, const CardLocation& where, CardFormat format) {
  if (image.empty() || !where.found || where.method != "outline" || image.format() == PixelFormat::cmyk8) return 0;
  try {
    const cv::Mat m = as_mat(image);
    // Grey level at (x, y) in OpenCV's pixel-centre coordinates, bilinear; NaN outside the image.
    const auto grey = [&](double x, double y) {
      if (!(x >= 0 && y >= 0 && x < m.cols - 1 && y < m.rows - 1)) return std::numeric_limits<double>::quiet_NaN();
      double c[4];
      bilinear(m, x, y, c);
      return m.channels() >= 3 ? 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] : c[0];
    };
    const MmSize size = card_size(format);
    std::array<P, 4> q;
    for (std::size_t i = 0; i < 4; ++i) q[i] = P(where.corners[i].x - 0.5, where.corners[i].y - 0.5);
    const P centre = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    std::vector<double> side_mm;
    for (std::size_t i = 0; i < 4; ++i) {
      const P a = q[i], b = q[(i + 1) % 4];
      const double len = dist(a, b);
      const double px_mm = len / (i % 2 == 0 ? size.w.v : size.h.v);
      if (!(px_mm > 1 && px_mm < 1000)) continue;  // under 25 dpi, or corners no image has
      const P along = (b - a) / len;
      P out(along.y, -along.x);
      if ((out.x * ((a + b) * 0.5 - centre).x + out.y * ((a + b) * 0.5 - centre).y) < 0) out = -out;
      // The steepest slope within 0.4 mm of the located side (within a pixel or two of the edge,
      // whatever the blur), and the step it belongs to: the area of the gradient's lobe around it,
      // out to where the gradient falls to a tenth of its peak or turns (a printed line beside the
      // edge has the other sign on its near flank). Step over slope: 2.5 σ for a Gaussian blur of σ,
      // the length of a movement across the edge.
      const double reach = 1.6 * px_mm, slope_reach = std::max(2.0, 0.4 * px_mm);
      const int n = static_cast<int>(std::ceil(reach * 2));  // samples every half pixel
      std::vector<double> widths, prof(static_cast<std::size_t>(2 * n + 1)), grad(prof.size(), 0.0);
      for (int k = 0; k < 24; ++k) {
        const P base = a + along * (len * (0.15 + 0.7 * k / 23.0));
        bool inside = true;
        for (int j = -n; j <= n && inside; ++j) {
          const P s = base + out * (j * 0.5);
          prof[static_cast<std::size_t>(j + n)] = grey(s.x, s.y);
          inside = std::isfinite(prof[static_cast<std::size_t>(j + n)]);
        }
        if (!inside) continue;
        std::size_t peak_at = 0;
        for (std::size_t j = 1; j + 1 < prof.size(); ++j) {
          grad[j] = prof[j + 1] - prof[j - 1];  // per pixel: two half-pixel steps
          if (std::abs((static_cast<double>(j) - n) * 0.5) <= slope_reach &&
              (peak_at == 0 || std::abs(grad[j]) > std::abs(grad[peak_at])))
            peak_at = j;
        }
        const double sign = grad[peak_at] < 0 ? -1 : 1, peak = std::abs(grad[peak_at]);
        if (peak_at == 0 || peak <= 0) continue;
        double area = 0;
        for (std::size_t j = peak_at; j >= 1 && sign * grad[j] >= 0.1 * peak; --j) area += sign * grad[j] * 0.5;
        for (std::size_t j = peak_at + 1; j + 1 < prof.size() && sign * grad[j] >= 0.1 * peak; ++j)
          area += sign * grad[j] * 0.5;
        if (area < 24) continue;  // the card's edge barely shows against the background here
        widths.push_back(std::min(area / peak, reach));
      }
      if (widths.size() < 10) continue;  // a hand, a thumb or a faint edge along most of it
      std::nth_element(widths.begin(), widths.begin() + static_cast<std::ptrdiff_t>(widths.size() / 2), widths.end());
      side_mm.push_back(widths[widths.size() / 2] / px_mm);
    }
    if (side_mm.size() < 2) return 0;
    std::sort(side_mm.begin(), side_mm.end(), std::greater<>());
    return side_mm[1];
  } catch (...) {
    return 0;  // advisory, as capture_quality
  }
}

}  // namespace sdc

namespace sdc::detail {

std::optional<ImagePoint> map_point(const std::array<ImagePoint, 4>& from, const std::array<ImagePoint, 4>& to,
                                    ImagePoint p) {
  std::vector<cv::Point2f> a, b;
  for (const auto& q : from) a.emplace_back(static_cast<float>(q.x), static_cast<float>(q.y));
  for (const auto& q : to) b.emplace_back(static_cast<float>(q.x), static_cast<float>(q.y));
  try {
    const cv::Mat h = cv::getPerspectiveTransform(a, b);
    if (h.empty()) return std::nullopt;
    std::vector<cv::Point2d> in{{p.x, p.y}}, out;
    cv::perspectiveTransform(in, out, h);
    if (out.empty() || !std::isfinite(out[0].x) || !std::isfinite(out[0].y)) return std::nullopt;
    return ImagePoint{out[0].x, out[0].y};
  } catch (const cv::Exception&) {
    return std::nullopt;
  }
}

Image rotated_180(const ImageView& image) {
  Image out(image.width(), image.height(), image.format());
  const int c = channels(image.format());
  for (int y = 0; y < image.height(); ++y) {
    const std::uint8_t* s = image.row(image.height() - 1 - y);
    std::uint8_t* d = out.row(y);
    for (int x = 0; x < image.width(); ++x)
      std::copy_n(s + static_cast<std::ptrdiff_t>(image.width() - 1 - x) * c, c,
                  d + static_cast<std::ptrdiff_t>(x) * c);
  }
  return out;
}

}  // namespace sdc::detail
