// Stage 1 of the checker: find a card of known aspect in any image, warp it to its trim box, and
// measure the capture. Nothing here knows sdc's layout: it works on any ID-1 (ID-2, ID-3) card.
//
// Detection runs on a copy scaled to LocateOptions::detect_side (bounded time on huge images):
// edge maps at two Canny thresholds and two threshold segmentations give contours; each convex
// hull is simplified to a quadrilateral, which must be convex, large enough, of the card's aspect
// (loosely: perspective changes it) and supported by edges along most of its sides. The best one
// is refined on the full image: each side is re-measured at many points (strongest step across
// it), a line is fitted robustly (a finger or a rounded corner is an outlier, not a shift) and the
// corners are the lines' intersections.
#include <sdc/verify.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "verify/checker_detail.hpp"

#include <algorithm>
#include <cmath>

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

double dist(cv::Point2d a, cv::Point2d b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

// Orders four points clockwise (on screen) starting so that the first edge is a long edge running
// left to right as far as possible: the card upright or upside down, never on its side.
std::array<cv::Point2d, 4> order_quad(std::array<cv::Point2d, 4> q) {
  cv::Point2d c(0, 0);
  for (const auto& p : q) c += p * 0.25;
  std::sort(q.begin(), q.end(), [&](const cv::Point2d& a, const cv::Point2d& b) {
    return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
  });
  // atan2 with y down sorts clockwise on screen. Start at a long edge.
  int start = dist(q[0], q[1]) + dist(q[2], q[3]) >= dist(q[1], q[2]) + dist(q[3], q[0]) ? 0 : 1;
  std::array<cv::Point2d, 4> r;
  for (int i = 0; i < 4; ++i) r[static_cast<std::size_t>(i)] = q[static_cast<std::size_t>((start + i) % 4)];
  // Of the two long-edge starts, take the one whose top edge points rightwards.
  const cv::Point2d d = r[1] - r[0];
  if (d.x < 0 || (d.x == 0 && d.y > 0)) std::rotate(r.begin(), r.begin() + 2, r.end());
  return r;
}

struct Candidate {
  std::array<cv::Point2d, 4> q;  // detection scale, ordered
  double area = 0, score = 0;
  double penalty = 0, min_support = 0;  // aspect penalty; weakest side's edge support
};

// Fraction of points along the side (away from the corners) that lie on an edge pixel.
double edge_support(const cv::Mat& edges, cv::Point2d a, cv::Point2d b) {
  const int n = 40;
  int hit = 0;
  for (int i = 0; i < n; ++i) {
    const double t = 0.1 + 0.8 * (i + 0.5) / n;
    const cv::Point2d p = a + (b - a) * t;
    const int x = static_cast<int>(p.x), y = static_cast<int>(p.y);
    if (x >= 0 && y >= 0 && x < edges.cols && y < edges.rows && edges.at<std::uint8_t>(y, x)) ++hit;
  }
  return static_cast<double>(hit) / n;
}

// A quadrilateral for a contour, or nothing.
std::optional<std::array<cv::Point2d, 4>> quad_of(const std::vector<cv::Point>& contour) {
  std::vector<cv::Point> hull;
  cv::convexHull(contour, hull);
  const double perimeter = cv::arcLength(hull, true);
  for (double eps : {0.015, 0.025, 0.04, 0.06}) {
    std::vector<cv::Point> approx;
    cv::approxPolyDP(hull, approx, eps * perimeter, true);
    if (approx.size() == 4 && cv::isContourConvex(approx)) {
      std::array<cv::Point2d, 4> q;
      for (std::size_t i = 0; i < 4; ++i) q[i] = cv::Point2d(approx[i].x, approx[i].y);
      return order_quad(q);
    }
    if (approx.size() < 4) break;
  }
  // Rounded or clipped corners can leave 5 to 8 vertices: the minimum-area rectangle of a hull
  // that fills it is then a good start for the refinement.
  const cv::RotatedRect rr = cv::minAreaRect(hull);
  if (rr.size.area() <= 0 || cv::contourArea(hull) < 0.9 * rr.size.area()) return std::nullopt;
  cv::Point2f p[4];
  rr.points(p);
  std::array<cv::Point2d, 4> q;
  for (std::size_t i = 0; i < 4; ++i) q[i] = cv::Point2d(p[i].x, p[i].y);
  return order_quad(q);
}

// The card aspect seen through perspective: the ratio of mean long to mean short side, allowing
// for foreshortening (a card tilted by up to ~40° still passes).
bool plausible_aspect(const std::array<cv::Point2d, 4>& q, double aspect, double& penalty) {
  const double top = dist(q[0], q[1]), bottom = dist(q[2], q[3]);
  const double left = dist(q[3], q[0]), right = dist(q[1], q[2]);
  if (std::min({top, bottom, left, right}) < 8) return false;
  // Opposite sides may differ by perspective, but not wildly.
  if (std::max(top, bottom) > 2.0 * std::min(top, bottom) || std::max(left, right) > 2.0 * std::min(left, right))
    return false;
  const double a = (top + bottom) / (left + right);
  penalty = std::abs(std::log(a / aspect));
  return penalty < std::log(1.35);
}

// The step across the side at `p` (normal `n`): the sub-pixel position of the strongest grey-level
// change within +-range pixels on the full image. Empty when there is none worth the name.
std::optional<cv::Point2d> edge_point(const cv::Mat& gray, cv::Point2d p, cv::Point2d n, double range) {
  const int m = static_cast<int>(std::ceil(range));
  std::vector<double> v(static_cast<std::size_t>(2 * m + 3));
  for (int i = -m - 1; i <= m + 1; ++i) {
    const cv::Point2d s = p + n * static_cast<double>(i);
    const double x = std::clamp(s.x - 0.5, 0.0, gray.cols - 1.001), y = std::clamp(s.y - 0.5, 0.0, gray.rows - 1.001);
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const double fx = x - x0, fy = y - y0;
    const int x1 = std::min(x0 + 1, gray.cols - 1), y1 = std::min(y0 + 1, gray.rows - 1);
    const double a = gray.at<std::uint8_t>(y0, x0) * (1 - fx) + gray.at<std::uint8_t>(y0, x1) * fx;
    const double b = gray.at<std::uint8_t>(y1, x0) * (1 - fx) + gray.at<std::uint8_t>(y1, x1) * fx;
    v[static_cast<std::size_t>(i + m + 1)] = a * (1 - fy) + b * fy;
  }
  int best = -1;
  double best_g = 5;  // grey levels per pixel: weaker is noise
  std::vector<double> g(v.size(), 0);
  for (std::size_t i = 1; i + 1 < v.size(); ++i) g[i] = std::abs(v[i + 1] - v[i - 1]) / 2;
  for (std::size_t i = 1; i + 1 < v.size(); ++i)
    if (g[i] > best_g) {
      best_g = g[i];
      best = static_cast<int>(i);
    }
  if (best < 0) return std::nullopt;
  double off = 0;
  const auto b = static_cast<std::size_t>(best);
  if (b >= 2 && b + 2 < g.size()) {
    const double den = g[b - 1] - 2 * g[b] + g[b + 1];
    if (den < 0) off = std::clamp(0.5 * (g[b - 1] - g[b + 1]) / den, -0.5, 0.5);
  }
  return p + n * (best - m - 1 + off);
}

struct Line {
  cv::Point2d p, d;  // a point and the unit direction
};

std::optional<cv::Point2d> intersect(const Line& a, const Line& b) {
  const double den = a.d.x * b.d.y - a.d.y * b.d.x;
  if (std::abs(den) < 1e-9) return std::nullopt;
  const cv::Point2d w = b.p - a.p;
  const double t = (w.x * b.d.y - w.y * b.d.x) / den;
  return a.p + a.d * t;
}

// Refines the corners on the full image. `q` is in full-image pixels; `range` is the search
// distance across each side.
std::array<cv::Point2d, 4> refine(const cv::Mat& gray, const std::array<cv::Point2d, 4>& q, double range) {
  std::array<Line, 4> lines;
  cv::Point2d centre(0, 0);
  for (const auto& p : q) centre += p * 0.25;
  for (int s = 0; s < 4; ++s) {
    const cv::Point2d a = q[static_cast<std::size_t>(s)], b = q[static_cast<std::size_t>((s + 1) % 4)];
    const double len = dist(a, b);
    const cv::Point2d d = (b - a) / len;
    cv::Point2d n(-d.y, d.x);
    if ((centre - a).dot(n) < 0) n = -n;  // inwards
    std::vector<cv::Point2f> pts;
    const int count = 48;
    for (int i = 0; i < count; ++i) {
      // Away from the corners: rounded (3.18 mm of 54) and where fingers hold cards.
      const double t = 0.1 + 0.8 * (i + 0.5) / count;
      if (auto e = edge_point(gray, a + (b - a) * t, n, range)) pts.emplace_back(e->x, e->y);
    }
    lines[static_cast<std::size_t>(s)] = Line{a, d};
    if (pts.size() < 8) continue;
    // Fit, drop the points far from the line (a finger, a shadow, clutter), fit again.
    for (int pass = 0; pass < 2; ++pass) {
      cv::Vec4f l;
      cv::fitLine(pts, l, cv::DIST_HUBER, 0, 0.01, 0.01);
      Line line{cv::Point2d(l[2], l[3]), cv::Point2d(l[0], l[1])};
      lines[static_cast<std::size_t>(s)] = line;
      std::vector<double> r;
      for (const auto& p : pts) r.push_back(std::abs((cv::Point2d(p) - line.p).cross(line.d)));
      std::vector<double> sorted = r;
      std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
      const double tol = std::max(1.0, 3 * sorted[sorted.size() / 2]);
      std::vector<cv::Point2f> kept;
      for (std::size_t i = 0; i < pts.size(); ++i)
        if (r[i] <= tol) kept.push_back(pts[i]);
      if (kept.size() < 8 || kept.size() == pts.size()) break;
      pts = std::move(kept);
    }
  }
  std::array<cv::Point2d, 4> out = q;
  for (int i = 0; i < 4; ++i) {
    auto c = intersect(lines[static_cast<std::size_t>((i + 3) % 4)], lines[static_cast<std::size_t>(i)]);
    // A refinement that moves a corner far is not trusted.
    if (c && dist(*c, q[static_cast<std::size_t>(i)]) < 3 * range) out[static_cast<std::size_t>(i)] = *c;
  }
  return out;
}

CardLocation location_of(const std::array<cv::Point2d, 4>& q, std::string method) {
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
std::optional<std::array<cv::Point2d, 4>> whole_image(int w, int h, CardFormat f, Mm max_bleed) {
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
  return std::array<cv::Point2d, 4>{cv::Point2d(bx, bx), cv::Point2d(w - bx, bx), cv::Point2d(w - bx, h - bx),
                                    cv::Point2d(bx, h - bx)};
}

}  // namespace

Result<CardLocation> locate_card(const ImageView& image, const LocateOptions& o) {
  if (image.empty()) return Error(Errc::bad_image, "the image is empty", "give a photo or scan of the card");
  if (o.detect_side < 256 || o.detect_side > 4096)
    return Error(Errc::invalid_argument, "detect_side " + std::to_string(o.detect_side) + " is outside 256..4096",
                 "use the default 1024");
  try {
    const cv::Mat src = as_mat(image);
    const double scale = std::min(1.0, static_cast<double>(o.detect_side) / std::max(src.cols, src.rows));
    cv::Mat small;
    if (scale < 1)
      cv::resize(src, small, cv::Size(), scale, scale, cv::INTER_AREA);
    else
      small = src;
    cv::Mat g = to_gray(small).clone();
    cv::GaussianBlur(g, g, cv::Size(5, 5), 0);
    const double img_area = static_cast<double>(g.cols) * g.rows;
    const double aspect = aspect_of(o.format);

    // Edge evidence for scoring: a gradient-magnitude mask, dilated by one pixel.
    cv::Mat gx, gy, mag, support;
    cv::Sobel(g, gx, CV_32F, 1, 0);
    cv::Sobel(g, gy, CV_32F, 0, 1);
    cv::magnitude(gx, gy, mag);
    cv::threshold(mag, support, 40, 255, cv::THRESH_BINARY);
    support.convertTo(support, CV_8U);
    cv::dilate(support, support, cv::Mat(), cv::Point(-1, -1), 1);

    std::vector<Candidate> cands;
    auto consider = [&](const cv::Mat& binary) {
      std::vector<std::vector<cv::Point>> contours;
      cv::findContours(binary, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
      for (const auto& c : contours) {
        if (c.size() < 4) continue;
        const cv::Rect bb = cv::boundingRect(c);
        if (static_cast<double>(bb.area()) < 0.02 * img_area) continue;
        auto q = quad_of(c);
        if (!q) continue;
        double penalty = 0;
        if (!plausible_aspect(*q, aspect, penalty)) continue;
        std::vector<cv::Point2f> poly(q->begin(), q->end());
        const double area = cv::contourArea(poly);
        if (area < 0.02 * img_area) continue;
        // A quad hugging the image border is the frame, not a card on it.
        int on_border = 0;
        for (const auto& p : *q) on_border += p.x < 2 || p.y < 2 || p.x > g.cols - 3 || p.y > g.rows - 3;
        if (on_border >= 3) continue;
        double sup[4];
        for (int s = 0; s < 4; ++s)
          sup[s] =
              edge_support(support, (*q)[static_cast<std::size_t>(s)], (*q)[static_cast<std::size_t>((s + 1) % 4)]);
        std::sort(sup, sup + 4);
        // Three sides well supported: a finger or a shadow may hide most of the fourth.
        if (sup[1] < 0.6) continue;
        const double mean_sup = (sup[1] + sup[2] + sup[3]) / 3;
        cands.push_back({*q, area, area / img_area * mean_sup * std::exp(-3 * penalty), penalty, sup[0]});
      }
    };
    cv::Mat edges;
    for (auto [lo, hi] : {std::pair{30.0, 90.0}, std::pair{60.0, 180.0}}) {
      cv::Canny(g, edges, lo, hi);
      cv::dilate(edges, edges, cv::Mat(), cv::Point(-1, -1), 1);
      consider(edges);
    }
    cv::Mat bin;
    cv::threshold(g, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    consider(bin);
    cv::bitwise_not(bin, bin);
    consider(bin);

    // Distinct outlines: the same card is found by several passes, and its inner frame may be
    // card-shaped too; count those whose centres are outside every larger one.
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.area > b.area; });
    std::vector<const Candidate*> distinct;
    for (const auto& c : cands) {
      cv::Point2d centre(0, 0);
      for (const auto& p : c.q) centre += p * 0.25;
      bool inside = false;
      for (const auto* d : distinct) {
        std::vector<cv::Point2f> poly(d->q.begin(), d->q.end());
        inside |= cv::pointPolygonTest(poly, cv::Point2f(static_cast<float>(centre.x), static_cast<float>(centre.y)),
                                       false) >= 0;
      }
      if (!inside) distinct.push_back(&c);
    }
    // The best: the highest score among the outer outlines; an inner frame loses to its card.
    const Candidate* best = nullptr;
    for (const auto* c : distinct)
      if (!best || c->score > best->score) best = c;

    // Other cards in the frame: outlines of about the same size (cards held together are at about
    // the same distance) with the card's aspect and edges all round; a book or a screen is not one.
    int cards = best ? 1 : 0;
    for (const auto* c : distinct)
      if (c != best && c->area > 0.6 * best->area && c->area < 1.6 * best->area && c->penalty < std::log(1.12) &&
          c->min_support > 0.7)
        ++cards;

    auto whole = whole_image(src.cols, src.rows, o.format, o.max_bleed);
    // The image itself is the card (a render, a tight scan) unless a card outline clearly inside
    // it was found; an outline hugging the whole image is the render's own frame.
    // The image itself is the card (a render, a tight scan) unless a card outline was found
    // hugging its border (a scan with a margin): an outline well inside a card-shaped image is a
    // frame printed on the card.
    bool use_whole = whole.has_value();
    if (whole && best) {
      double far = 0;
      for (std::size_t i = 0; i < 4; ++i)
        far = std::max(
            far, std::min(dist(best->q[i] / scale, (*whole)[i]), dist(best->q[i] / scale, (*whole)[(i + 2) % 4])));
      use_whole = far >= 0.04 * src.cols;
    }
    if (best && !use_whole) {
      std::array<cv::Point2d, 4> q;
      for (std::size_t i = 0; i < 4; ++i) q[i] = best->q[i] / scale;
      // Twice: a wide search from the coarse outline, then a narrow one around the fitted lines.
      const cv::Mat gray = to_gray(src);
      q = refine(gray, q, std::max(6.0, 5.0 / scale));
      q = refine(gray, q, 3.0);
      CardLocation loc = location_of(order_quad(q), "outline");
      loc.outlines = cards;
      return loc;
    }
    if (whole) {
      CardLocation loc = location_of(*whole, "whole_image");
      loc.outlines = 1;
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
    cv::Mat lo, hi;
    if (m.channels() == 1) {
      lo = m(inner) >= 250;
      hi = m(inner) <= 5;
    } else {
      cv::Mat mn, mx3;
      std::vector<cv::Mat> ch;
      cv::split(m(inner), ch);
      cv::min(ch[0], ch[1], mn);
      cv::min(mn, ch[2], mn);
      cv::max(ch[0], ch[1], mx3);
      cv::max(mx3, ch[2], mx3);
      lo = mn >= 250;
      hi = mx3 <= 5;
    }
    const double n = static_cast<double>(inner.area());
    q.glare = cv::countNonZero(lo) / n;
    q.dark = cv::countNonZero(hi) / n;
  } catch (...) {
    // Quality is advisory: an allocation failure leaves it at zero.
  }
  return q;
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
