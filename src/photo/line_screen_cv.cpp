// Line screen: parallel (optionally wavy) strokes whose width follows the portrait's darkness, as
// closed outlines in mm. OpenCV is used only to blur the tone map.
#include <sdc/photo.hpp>

#include "photo/photo_cv.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sdc {
namespace {

// Below this width a stroke is not drawn (with min_width_mm = 0 the line breaks there).
constexpr double kGapWidth = 0.005;

Error bad(const char* name, const std::string& hint) {
  return Error(Errc::invalid_argument, std::string("LineScreenOptions::") + name + " is out of range.", hint,
               Where{.field = name});
}

bool in(double v, double lo, double hi) {
  return std::isfinite(v) && v >= lo && v <= hi;
}

Status check(const LineScreenOptions& o) {
  if (!in(o.pitch_mm, 0.05, 5)) return bad("pitch_mm", "use 0.05 to 5 mm between lines.");
  if (!in(o.max_width_mm, 1e-6, 5)) return bad("max_width_mm", "use more than 0 and at most 5 mm.");
  if (!in(o.min_width_mm, 0, o.max_width_mm)) return bad("min_width_mm", "use 0 to max_width_mm.");
  if (!std::isfinite(o.angle_deg)) return bad("angle_deg", "use a finite angle in degrees.");
  if (!in(o.wave_amplitude_mm, 0, 5)) return bad("wave_amplitude_mm", "use 0 to 5 mm.");
  if (o.wave_amplitude_mm > 0 && !in(o.wave_length_mm, 0.2, 100)) return bad("wave_length_mm", "use 0.2 to 100 mm.");
  if (!std::isfinite(o.wave_phase_step)) return bad("wave_phase_step", "use a finite number of turns.");
  if (!in(o.gamma, 0.2, 5)) return bad("gamma", "use 0.2 to 5.");
  if (o.dpi.v < 72 || o.dpi.v > 2400) return bad("dpi", "use 72 to 2400 dpi.");
  if (o.max_points < 1000 || o.max_points > 50'000'000) return bad("max_points", "use 1000 to 50,000,000.");
  return {};
}

struct Vec {
  double x, y;
};

// Bilinear sample of a CV_32F map at fractional pixel coordinates (centres at +0.5), clamped.
float sample(const cv::Mat& m, double u, double v) {
  u = std::clamp(u - 0.5, 0.0, m.cols - 1.0);
  v = std::clamp(v - 0.5, 0.0, m.rows - 1.0);
  const int x0 = static_cast<int>(u), y0 = static_cast<int>(v);
  const int x1 = std::min(x0 + 1, m.cols - 1), y1 = std::min(y0 + 1, m.rows - 1);
  const float fx = static_cast<float>(u - x0), fy = static_cast<float>(v - y0);
  const float* r0 = m.ptr<float>(y0);
  const float* r1 = m.ptr<float>(y1);
  return (r0[x0] * (1 - fx) + r0[x1] * fx) * (1 - fy) + (r1[x0] * (1 - fx) + r1[x1] * fx) * fy;
}

// The part [t0, t1] of the line p(t) = n * d + u * t inside [0, w] x [0, h] (slab clipping).
bool clip_line(Vec u, Vec n, double d, double w, double h, double& t0, double& t1) {
  t0 = -1e300;
  t1 = 1e300;
  const double o[2] = {n.x * d, n.y * d}, dir[2] = {u.x, u.y}, hi[2] = {w, h};
  for (int a = 0; a < 2; ++a) {
    if (std::abs(dir[a]) < 1e-12) {
      if (o[a] < 0 || o[a] > hi[a]) return false;
      continue;
    }
    double ta = (0 - o[a]) / dir[a], tb = (hi[a] - o[a]) / dir[a];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
  }
  return t1 - t0 > 1e-9;
}

}  // namespace

Result<std::vector<LineScreenStroke>> line_screen(const ImageView& portrait, MmSize box, const LineScreenOptions& o) {
  if (portrait.empty() || portrait.format() == PixelFormat::cmyk8) {
    return Error(Errc::invalid_argument, "The line screen needs a non-empty gray8, rgb8 or rgba8 portrait.",
                 "crop the photo first with sdc::crop_portrait.");
  }
  if (!in(box.w.v, 0.5, 500) || !in(box.h.v, 0.5, 500)) {
    return Error(Errc::invalid_argument, "The line screen box must be 0.5 to 500 mm on each side.",
                 "check the element's size in the template.");
  }
  if (auto st = check(o); !st) return st.error();

  const double W = box.w.v, H = box.h.v;
  const double px_x = W / portrait.width(), px_y = H / portrait.height();  // mm per photo pixel
  const double device = 25.4 / o.dpi.v;

  // Tone map: darkness 0..1, blurred over about half a pitch so a line sees the mean tone of its band.
  cv::Mat dark;
  try {
    cv::Mat grey = detail::to_gray(portrait);
    grey.convertTo(dark, CV_32F, -1.0 / 255.0, 1.0);
    if (o.gamma != 1.0) cv::pow(dark, o.gamma, dark);
    const double sx = 0.5 * o.pitch_mm / px_x, sy = 0.5 * o.pitch_mm / px_y;
    if (sx > 0.3 || sy > 0.3)
      cv::GaussianBlur(dark, dark, cv::Size(0, 0), std::max(sx, 0.3), std::max(sy, 0.3), cv::BORDER_REPLICATE);
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("The line screen tone map failed: ") + e.what(),
                 "please report this as a bug in sdc.");
  }

  // Sampling step along a line: the photo's detail (no finer than half a device pixel, no coarser
  // than a third of the pitch), and for waves a chord error (sagitta A k^2 s^2 / 8) under a quarter
  // of a device pixel.
  double step = std::max(0.5 * device, std::min(std::min(px_x, px_y), o.pitch_mm / 3));
  const double k = o.wave_amplitude_mm > 0 ? 2 * std::numbers::pi / o.wave_length_mm : 0;
  if (k > 0) step = std::min(step, std::sqrt(8 * 0.25 * device / (o.wave_amplitude_mm * k * k)));
  step = std::max(step, 0.002);

  const double a = o.angle_deg * std::numbers::pi / 180;
  const Vec u{std::cos(a), -std::sin(a)};  // counter-clockwise on the page (y down)
  const Vec n{-u.y, u.x};                  // the normal: line offsets are measured along it
  double dmin = 1e300, dmax = -1e300;
  for (const Vec c : {Vec{0, 0}, Vec{W, 0}, Vec{0, H}, Vec{W, H}}) {
    const double d = c.x * n.x + c.y * n.y;
    dmin = std::min(dmin, d);
    dmax = std::max(dmax, d);
  }
  const auto lines = static_cast<std::int64_t>(std::floor((dmax - dmin) / o.pitch_mm));

  // Bound the output before generating it: every sample gives two outline points at most.
  struct Line {
    double d, t0, t1;
    std::int64_t samples;
  };
  std::vector<Line> plan;
  std::int64_t total = 0;
  if (lines > o.max_points) {
    return Error(Errc::limit_exceeded, "The line screen would need more than max_points outline points.",
                 "use a larger pitch_mm or raise LineScreenOptions::max_points.");
  }
  const double first =
      dmin + 0.5 * ((dmax - dmin) - static_cast<double>(lines - 1) * o.pitch_mm);  // centred in the box
  for (std::int64_t i = 0; i < lines; ++i) {
    Line l{first + static_cast<double>(i) * o.pitch_mm, 0, 0, 0};
    if (!clip_line(u, n, l.d, W, H, l.t0, l.t1)) continue;
    l.samples = static_cast<std::int64_t>(std::ceil((l.t1 - l.t0) / step)) + 1;
    total += 2 * l.samples;
    if (total > o.max_points) {
      return Error(Errc::limit_exceeded,
                   "The line screen would need more than " + std::to_string(o.max_points) + " outline points.",
                   "use a larger pitch_mm, fewer waves, a lower dpi, or raise LineScreenOptions::max_points.");
    }
    plan.push_back(l);
  }

  std::vector<LineScreenStroke> strokes;
  const double A = o.wave_amplitude_mm;
  std::vector<Vec> left, right;
  for (std::size_t li = 0; li < plan.size(); ++li) {
    const Line& l = plan[li];
    const double phase = 2 * std::numbers::pi * o.wave_phase_step * static_cast<double>(li);
    auto flush = [&] {
      if (left.size() >= 2) {
        LineScreenStroke s;
        s.outline.reserve(left.size() * 2);
        for (const Vec& p : left) s.outline.push_back({Mm{p.x}, Mm{p.y}});
        for (auto it = right.rbegin(); it != right.rend(); ++it) s.outline.push_back({Mm{it->x}, Mm{it->y}});
        strokes.push_back(std::move(s));
      }
      left.clear();
      right.clear();
    };
    for (std::int64_t i = 0; i < l.samples; ++i) {
      const double t =
          l.samples == 1 ? l.t0 : l.t0 + (l.t1 - l.t0) * static_cast<double>(i) / static_cast<double>(l.samples - 1);
      const double off = l.d + (A > 0 ? A * std::sin(k * t + phase) : 0.0);
      const Vec c{u.x * t + n.x * off, u.y * t + n.y * off};
      // Unit normal of the (wavy) centre line: tangent u + n * A k cos(k t + phase).
      const double slope = A > 0 ? A * k * std::cos(k * t + phase) : 0.0;
      Vec tan{u.x + n.x * slope, u.y + n.y * slope};
      const double len = std::hypot(tan.x, tan.y);
      tan = {tan.x / len, tan.y / len};
      const Vec nn{-tan.y, tan.x};
      const double darkness = sample(dark, c.x / px_x, c.y / px_y);
      double w = std::clamp(o.max_width_mm * darkness, o.min_width_mm, o.pitch_mm);
      if (w < kGapWidth) {
        flush();
        continue;
      }
      w *= 0.5;
      left.push_back({c.x + nn.x * w, c.y + nn.y * w});
      right.push_back({c.x - nn.x * w, c.y - nn.y * w});
    }
    flush();
  }
  return strokes;
}

}  // namespace sdc
