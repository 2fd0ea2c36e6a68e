#include <sdc/guilloche.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <numeric>

#include "core/digest.hpp"
#include "core/format.hpp"

namespace sdc {

using detail::format_number;

namespace {

constexpr double kPi = std::numbers::pi;

struct P {
  double x, y;
};

Error bad(const std::string& param, double value, const std::string& range) {
  return Error(Errc::invalid_argument,
               "guilloche parameter '" + param + "' is " + format_number(value) + ", outside " + range + ".",
               "set '" + param + "' within " + range + ".", Where{.field = param});
}

Status check(const std::string& param, double v, double lo, double hi, const char* unit = "") {
  if (!std::isfinite(v) || v < lo || v > hi)
    return bad(param, v,
               format_number(lo) + " to " + format_number(hi) + (*unit ? std::string(" ") + unit : std::string()));
  return {};
}

/// The curve of one stroke as a function of its parameter.
class Curve {
 public:
  Curve(const GuillocheSpec& s, int i) : s_(s), i_(i) {
    const double deg = kPi / 180.0;
    phi_ = (s.phase + i * s.phase_step) * deg;
    scale_ = 1.0 - i * s.scale_step;
    cos_phi_ = std::cos(phi_), sin_phi_ = std::sin(phi_);
    const auto a = static_cast<double>(s.freq_a), b = static_cast<double>(s.freq_b);
    switch (s.family) {
      case GuillocheFamily::hypotrochoid: R_ = s.radius, r_ = s.radius * b / a; break;
      case GuillocheFamily::epitrochoid: {
        // Scale so that R + r + pen (the farthest reach) equals radius.
        const double k = b / a;  // r / R
        R_ = std::max(s.radius - s.pen, 0.1 * s.radius) / (1 + k);
        r_ = R_ * k;
        break;
      }
      case GuillocheFamily::border: {
        const double d = s.inset + i * s.spacing;
        bx_ = s.box.x.v + d, by_ = s.box.y.v + d, bw_ = s.box.w.v - 2 * d, bh_ = s.box.h.v - 2 * d;
        // Corners concentric with the card's, but never sharper than the wave can follow.
        br_ = std::min({std::max(s.corner_radius - d, s.amplitude + 0.05), bw_ / 2, bh_ / 2});
        straight_w_ = bw_ - 2 * br_, straight_h_ = bh_ - 2 * br_;
        perimeter_ = 2 * (straight_w_ + straight_h_) + 2 * kPi * br_;
        break;
      }
      default: break;
    }
  }

  /// Range of the parameter.
  double t0() const { return s_.family == GuillocheFamily::waves ? s_.box.x.v : 0.0; }
  double t1() const {
    switch (s_.family) {
      case GuillocheFamily::waves: return s_.box.x.v + s_.box.w.v;
      case GuillocheFamily::border: return perimeter_;
      default: return guilloche_period(s_);
    }
  }
  bool closed() const { return s_.family != GuillocheFamily::waves; }
  /// How many "features" (lobes, waves) the range holds: sets the initial sampling density.
  double features() const {
    const double a = s_.freq_a, b = s_.freq_b, m = s_.modulation > 0 ? s_.modulation_freq : 0;
    switch (s_.family) {
      case GuillocheFamily::hypotrochoid:
      case GuillocheFamily::epitrochoid:
      case GuillocheFamily::rose: return (t1() / (2 * kPi)) * (a / b + 1 + m) + 1;
      case GuillocheFamily::lissajous: return (t1() / (2 * kPi)) * (a + b) + 1;
      case GuillocheFamily::rings: return a + m + 1;
      case GuillocheFamily::waves: return s_.box.w.v / s_.wavelength + m + 1;
      case GuillocheFamily::border: return a + 4;
    }
    return 1;
  }

  P operator()(double t) const {
    const auto& s = s_;
    double x = 0, y = 0;
    switch (s.family) {
      case GuillocheFamily::hypotrochoid: {
        const double k = (R_ - r_) / r_;
        x = (R_ - r_) * std::cos(t) + s.pen * std::cos(k * t);
        y = (R_ - r_) * std::sin(t) - s.pen * std::sin(k * t);
        break;
      }
      case GuillocheFamily::epitrochoid: {
        const double k = (R_ + r_) / r_;
        x = (R_ + r_) * std::cos(t) - s.pen * std::cos(k * t);
        y = (R_ + r_) * std::sin(t) - s.pen * std::sin(k * t);
        break;
      }
      case GuillocheFamily::rose: {
        const double k = static_cast<double>(s.freq_a) / s.freq_b;
        const double rho = (s.radius - s.amplitude) + s.amplitude * std::cos(k * t);
        x = rho * std::cos(t), y = rho * std::sin(t);
        break;
      }
      case GuillocheFamily::lissajous:
        x = s.radius * std::sin(s.freq_a * t + kPi / 2);
        y = (s.radius_y > 0 ? s.radius_y : s.radius) * std::sin(s.freq_b * t);
        break;
      case GuillocheFamily::rings: {
        double rho = s.radius - i_ * s.spacing + s.amplitude * std::sin(s.freq_a * t + phi_);
        if (s.modulation > 0) rho *= 1 + s.modulation * std::cos(s.modulation_freq * t);
        return {s.center.x.v + rho * std::cos(t), s.center.y.v + rho * std::sin(t)};
      }
      case GuillocheFamily::waves: {
        const double u = t - s.box.x.v;
        double amp = s.amplitude;
        if (s.modulation > 0) amp *= 1 + s.modulation * std::cos(2 * kPi * s.modulation_freq * u / s.box.w.v);
        return {t, s.box.y.v + s.offset + i_ * s.spacing + amp * std::sin(2 * kPi * u / s.wavelength + phi_)};
      }
      case GuillocheFamily::border: {
        P p, n;
        border_point(t, p, n);
        const double d = s.amplitude * std::sin(2 * kPi * s.freq_a * t / perimeter_ + phi_);
        return {p.x + n.x * d, p.y + n.y * d};
      }
    }
    // Centred families: modulate, scale, rotate by the stroke's phase, move to the centre.
    if (s.modulation > 0 && s.modulation_freq > 0) {
      const double f = 1 + s.modulation * std::cos(s.modulation_freq * std::atan2(y, x));
      x *= f, y *= f;
    }
    x *= scale_, y *= scale_;
    return {s.center.x.v + x * cos_phi_ - y * sin_phi_, s.center.y.v + x * sin_phi_ + y * cos_phi_};
  }

 private:
  // A point on the rounded rectangle at arc length `t` from the middle of the top edge, clockwise
  // on screen (y down), and its outward normal.
  void border_point(double t, P& p, P& n) const {
    const double cx = bx_ + bw_ / 2, cy = by_ + bh_ / 2;
    const double hw = straight_w_ / 2, hh = straight_h_ / 2, arc = kPi / 2 * br_;
    const double segs[8] = {hw, arc, straight_h_, arc, straight_w_, arc, straight_h_, arc};
    double s = std::fmod(t, perimeter_);
    if (s < 0) s += perimeter_;
    int k = 0;
    while (k < 7 && s > segs[k]) s -= segs[k++];
    auto corner = [&](double ccx, double ccy, double a0) {
      const double a = a0 + s / br_;
      n = {std::cos(a), std::sin(a)};
      p = {ccx + br_ * n.x, ccy + br_ * n.y};
    };
    switch (k) {
      case 0: p = {cx + s, by_}, n = {0, -1}; break;
      case 1: corner(cx + hw, cy - hh, -kPi / 2); break;
      case 2: p = {bx_ + bw_, cy - hh + s}, n = {1, 0}; break;
      case 3: corner(cx + hw, cy + hh, 0); break;
      case 4: p = {cx + hw - s, by_ + bh_}, n = {0, 1}; break;
      case 5: corner(cx - hw, cy + hh, kPi / 2); break;
      case 6: p = {bx_, cy + hh - s}, n = {-1, 0}; break;
      default:
        if (s > segs[7]) {  // the remainder of the top edge
          p = {cx - hw + (s - segs[7]), by_}, n = {0, -1};
        } else {
          corner(cx - hw, cy - hh, kPi);
        }
        break;
    }
  }

  const GuillocheSpec& s_;
  int i_;
  double phi_ = 0, scale_ = 1, cos_phi_ = 1, sin_phi_ = 0, R_ = 0, r_ = 0;
  double bx_ = 0, by_ = 0, bw_ = 0, bh_ = 0, br_ = 0, straight_w_ = 0, straight_h_ = 0, perimeter_ = 0;
};

double seg_dist(P p, P a, P b) {
  const double dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy;
  double u = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
  u = std::clamp(u, 0.0, 1.0);
  const double ex = a.x + u * dx - p.x, ey = a.y + u * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

std::uint64_t be64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int k = 0; k < 8; ++k) v = (v << 8) | p[k];
  return v;
}

}  // namespace

const char* to_string(GuillocheFamily f) noexcept {
  switch (f) {
    case GuillocheFamily::hypotrochoid: return "hypotrochoid";
    case GuillocheFamily::epitrochoid: return "epitrochoid";
    case GuillocheFamily::rose: return "rose";
    case GuillocheFamily::lissajous: return "lissajous";
    case GuillocheFamily::rings: return "rings";
    case GuillocheFamily::waves: return "waves";
    case GuillocheFamily::border: return "border";
  }
  return "?";
}

double flattening_tolerance(Dpi dpi) noexcept {
  return 25.4 / std::max(1, dpi.v) / 4.0;
}

Status validate(const GuillocheSpec& s) {
  const std::pair<const char*, std::pair<double, std::pair<double, double>>> ranges[] = {
      {"radius", {s.radius, {0.1, 500}}},
      {"radius_y", {s.radius_y, {0, 500}}},
      {"pen", {s.pen, {0, 500}}},
      {"amplitude", {s.amplitude, {0, 500}}},
      {"freq_a", {static_cast<double>(s.freq_a), {1, 1000}}},
      {"freq_b", {static_cast<double>(s.freq_b), {1, 1000}}},
      {"wavelength", {s.wavelength, {0.2, 500}}},
      {"spacing", {s.spacing, {0, 100}}},
      {"offset", {s.offset, {-500, 500}}},
      {"inset", {s.inset, {0, 100}}},
      {"corner_radius", {s.corner_radius, {0, 100}}},
      {"strokes", {static_cast<double>(s.strokes), {1, 2000}}},
      {"phase", {s.phase, {-36000, 36000}}},
      {"phase_step", {s.phase_step, {-36000, 36000}}},
      {"modulation", {s.modulation, {0, 0.9}}},
      {"modulation_freq", {static_cast<double>(s.modulation_freq), {0, 1000}}},
      {"scale_step", {s.scale_step, {0, 0.5}}},
  };
  for (const auto& [name, v] : ranges)
    if (auto st = check(name, v.first, v.second.first, v.second.second); !st) return st;
  for (double v : {s.center.x.v, s.center.y.v, s.box.x.v, s.box.y.v})
    if (auto st = check("center/box position", v, -1000, 1000, "mm"); !st) return st;
  if (auto st = check("box width", s.box.w.v, 0.01, 1000, "mm"); !st) return st;
  if (auto st = check("box height", s.box.h.v, 0.01, 1000, "mm"); !st) return st;
  if (s.strokes > 1 && (s.strokes - 1) * s.scale_step >= 1)
    return Error(Errc::invalid_argument,
                 "guilloche 'scale_step' " + format_number(s.scale_step) + " with " + std::to_string(s.strokes) +
                     " strokes shrinks the last strokes to nothing.",
                 "make strokes * scale_step less than 1.", Where{.field = "scale_step"});
  if (s.family == GuillocheFamily::hypotrochoid && s.freq_a == s.freq_b)
    return Error(Errc::invalid_argument, "a hypotrochoid with freq_a equal to freq_b is a single point.",
                 "make freq_a (fixed circle) different from freq_b (rolling circle).", Where{.field = "freq_b"});
  if (s.family == GuillocheFamily::rings && s.radius - (s.strokes - 1) * s.spacing - s.amplitude <= 0)
    return Error(Errc::invalid_argument,
                 "the innermost of " + std::to_string(s.strokes) + " rings would have a radius of " +
                     format_number(s.radius - (s.strokes - 1) * s.spacing - s.amplitude) + " mm.",
                 "lower 'strokes', 'spacing' or 'amplitude', or raise 'radius'.", Where{.field = "strokes"});
  if (s.family == GuillocheFamily::border) {
    const double d = s.inset + (s.strokes - 1) * s.spacing;
    if (2 * d + 2 * s.amplitude + 0.2 >= std::min(s.box.w.v, s.box.h.v))
      return Error(Errc::invalid_argument,
                   "the innermost border stroke (inset " + format_number(d) + " mm) does not fit in the box.",
                   "lower 'inset', 'spacing', 'strokes' or 'amplitude'.", Where{.field = "inset"});
  }
  return {};
}

double guilloche_period(const GuillocheSpec& s) noexcept {
  const int a = std::max(1, s.freq_a), b = std::max(1, s.freq_b);
  const int g = std::gcd(a, b);
  switch (s.family) {
    case GuillocheFamily::hypotrochoid:
    case GuillocheFamily::epitrochoid: return 2 * kPi * (b / g);
    case GuillocheFamily::rose: {
      const int n = a / g, d = b / g;
      const bool pure = s.amplitude >= s.radius;
      return (pure && (n % 2 == 1) && (d % 2 == 1)) ? kPi * d : 2 * kPi * d;
    }
    case GuillocheFamily::lissajous: return 2 * kPi / g;
    case GuillocheFamily::rings: return 2 * kPi;
    case GuillocheFamily::waves: return 0;
    case GuillocheFamily::border: return 0;  // parametrised by arc length; see guilloche_polylines
  }
  return 0;
}

Result<std::vector<GuillochePolyline>> guilloche_polylines(const GuillocheSpec& spec, double tol,
                                                           const GuillocheLimits& limits) {
  SDC_TRY(validate(spec));
  if (!(tol >= 0.0005 && tol <= 1))
    return Error(Errc::invalid_argument,
                 "flattening tolerance " + format_number(tol) + " mm is outside 0.0005 to 1 mm.",
                 "use flattening_tolerance(dpi).");
  if (limits.max_points < 1000 || limits.max_points > 50'000'000)
    return Error(Errc::invalid_argument, "max_points must be 1000 to 50,000,000.", "use the default limit.");
  const auto too_many = [&](double estimate) {
    return Error(Errc::limit_exceeded,
                 std::string("the ") + to_string(spec.family) + " guilloche would need about " +
                     format_number(std::round(estimate)) + " points, over the limit of " +
                     std::to_string(limits.max_points) + ".",
                 "lower 'strokes' or the frequencies (freq_a, freq_b, modulation_freq), or raise 'wavelength'.",
                 Where{.field = "strokes"});
  };
  // Initial sampling: 24 samples per feature (lobe or wave), before any refinement. Refuse early
  // when that alone breaks the limit, so absurd frequencies never allocate.
  double initial_total = 0;
  for (int i = 0; i < spec.strokes; ++i) initial_total += 24 * Curve(spec, i).features() + 8;
  if (initial_total > static_cast<double>(limits.max_points)) return too_many(initial_total);

  std::vector<GuillochePolyline> out;
  out.reserve(static_cast<std::size_t>(spec.strokes));
  std::int64_t total = 0;
  // A piece of the curve from t0 to t1, its ends and its midpoint already evaluated.
  struct Span {
    double t0, t1;
    P p0, p1, pm;
    int depth;
  };
  std::vector<Span> stack;
  for (int i = 0; i < spec.strokes; ++i) {
    const Curve f(spec, i);
    const double a = f.t0(), b = f.t1();
    const int n0 = static_cast<int>(std::ceil(24 * f.features())) + 8;
    GuillochePolyline pl;
    pl.closed = f.closed();
    const P first = f(a);
    pl.points.push_back({Mm{first.x}, Mm{first.y}});
    pl.t.push_back(0);
    P prev = first;
    for (int k = 1; k <= n0; ++k) {
      const double tk = k == n0 ? b : a + (b - a) * k / n0;
      const P pk = f(tk);
      const double tk0 = a + (b - a) * (k - 1) / n0;
      stack.clear();
      stack.push_back({tk0, tk, prev, pk, f((tk0 + tk) / 2), 0});
      // Depth-first, right halves pushed first so points come out in order. The quarter points
      // sampled to judge a span are its halves' midpoints: each is evaluated once.
      while (!stack.empty()) {
        const Span s = stack.back();
        stack.pop_back();
        const double tm = (s.t0 + s.t1) / 2;
        if (s.depth < 30) {
          const double tq1 = (s.t0 + tm) / 2, tq3 = (tm + s.t1) / 2;
          const P q1 = f(tq1), q3 = f(tq3);
          const double e = std::max({seg_dist(s.pm, s.p0, s.p1), seg_dist(q1, s.p0, s.p1), seg_dist(q3, s.p0, s.p1)});
          if (e > 0.8 * tol) {  // margin: three samples bound the deviation, not exactly
            stack.push_back({tm, s.t1, s.pm, s.p1, q3, s.depth + 1});
            stack.push_back({s.t0, tm, s.p0, s.pm, q1, s.depth + 1});
            continue;
          }
        }
        if (++total > limits.max_points) return too_many(static_cast<double>(total) * (spec.strokes) / (i + 1));
        pl.points.push_back({Mm{s.p1.x}, Mm{s.p1.y}});
        pl.t.push_back(static_cast<float>((s.t1 - a) / (b - a)));
      }
      prev = pk;
    }
    // Closed curves end exactly where they start (the period is exact; rounding is not).
    if (pl.closed) pl.points.back() = pl.points.front();
    out.push_back(std::move(pl));
  }
  return out;
}

GuillocheSpec perturb(const GuillocheSpec& spec, std::span<const std::uint8_t> seed, std::string_view label,
                      double amount) {
  amount = std::clamp(std::isfinite(amount) ? amount : 0.0, 0.0, 1.0);
  std::vector<double> u;
  for (int j = 0; u.size() < 6; ++j) {
    const std::string msg = "sdc/guilloche/v1/" + std::string(label) + "/" + std::to_string(j);
    const auto k = detail::hmac_sha256(seed, std::span(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()));
    for (int w = 0; w < 4; ++w) u.push_back(static_cast<double>(be64(k.data() + 8 * w)) / 18446744073709551616.0);
  }
  GuillocheSpec s = spec;
  const auto f = [&](int j) { return 1 + amount * (2 * u[static_cast<std::size_t>(j)] - 1) * 0.5; };
  s.phase = std::fmod(s.phase + 360 * u[0], 36000.0);
  s.phase_step = std::clamp(s.phase_step * f(1), -36000.0, 36000.0);
  s.amplitude = std::clamp(s.amplitude * f(2), 0.0, 500.0);
  s.pen = std::clamp(s.pen * f(3), 0.0, 500.0);
  s.wavelength = std::clamp(s.wavelength * f(4), 0.2, 500.0);
  if (s.modulation > 0) s.modulation = std::clamp(s.modulation + amount * (2 * u[5] - 1) * 0.1, 0.0, 0.9);
  return s;
}

}  // namespace sdc
