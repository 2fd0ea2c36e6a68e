#include <sdc/microtext.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include "core/format.hpp"

namespace sdc {

using detail::format_number;

namespace {

constexpr double kPi = std::numbers::pi;

/// Segments needed for an arc of radius r and sweep a (radians) within tolerance `tol`.
int arc_segments(double r, double sweep, double tol) {
  if (r <= tol) return 1;
  const double step = 2 * std::acos(std::max(-1.0, 1 - tol / r));
  return std::clamp(static_cast<int>(std::ceil(std::abs(sweep) / std::max(step, 1e-6))), 1, 1'000'000);
}

void add_arc(std::vector<MmPoint>& out, double cx, double cy, double rx, double ry, double a0, double a1, double tol,
             bool skip_first) {
  const int n = arc_segments(std::max(rx, ry), a1 - a0, tol);
  for (int k = skip_first ? 1 : 0; k <= n; ++k) {
    const double a = a0 + (a1 - a0) * k / n;
    out.push_back({Mm{cx + rx * std::cos(a)}, Mm{cy + ry * std::sin(a)}});
  }
}

/// Arc-length parametrisation of a polyline.
class Walker {
 public:
  Walker(const std::vector<MmPoint>& pts, bool closed) : p_(pts), closed_(closed) {
    cum_.reserve(p_.size());
    cum_.push_back(0);
    for (std::size_t i = 1; i < p_.size(); ++i)
      cum_.push_back(cum_.back() + std::hypot(p_[i].x.v - p_[i - 1].x.v, p_[i].y.v - p_[i - 1].y.v));
  }
  double length() const { return cum_.back(); }
  /// The point at arc length s (wrapped on closed paths, clamped/extrapolated on open ones).
  void at(double s, double& x, double& y) const {
    const double L = length();
    if (closed_) {
      s = std::fmod(s, L);
      if (s < 0) s += L;
    }
    std::size_t i = static_cast<std::size_t>(std::upper_bound(cum_.begin(), cum_.end(), s) - cum_.begin());
    i = std::clamp<std::size_t>(i, 1, p_.size() - 1);
    const double seg = cum_[i] - cum_[i - 1];
    const double u = seg > 0 ? (s - cum_[i - 1]) / seg : 0;
    x = p_[i - 1].x.v + u * (p_[i].x.v - p_[i - 1].x.v);
    y = p_[i - 1].y.v + u * (p_[i].y.v - p_[i - 1].y.v);
  }

 private:
  const std::vector<MmPoint>& p_;
  bool closed_;
  std::vector<double> cum_;
};

}  // namespace

MicrotextPath line_path(MmPoint a, MmPoint b) {
  return MicrotextPath{{a, b}, false};
}

MicrotextPath arc_path(MmPoint c, Mm rx, Mm ry, double start_deg, double end_deg, double tol) {
  MicrotextPath p;
  tol = std::clamp(tol, 0.0005, 1.0);
  const bool full = std::abs(end_deg - start_deg) >= 360;
  if (full) end_deg = start_deg + (end_deg > start_deg ? 360 : -360);
  add_arc(p.points, c.x.v, c.y.v, rx.v, ry.v, start_deg * kPi / 180, end_deg * kPi / 180, tol, false);
  if (full) {
    p.points.back() = p.points.front();
    p.closed = true;
  }
  return p;
}

MicrotextPath rounded_rect_path(MmRect rc, Mm radius, double tol) {
  MicrotextPath p;
  tol = std::clamp(tol, 0.0005, 1.0);
  const double x = rc.x.v, y = rc.y.v, w = rc.w.v, h = rc.h.v;
  const double r = std::clamp(radius.v, 0.0, std::min(w, h) / 2);
  p.points.push_back({Mm{x + w / 2}, Mm{y}});
  if (r > 0) {
    add_arc(p.points, x + w - r, y + r, r, r, -kPi / 2, 0, tol, false);
    add_arc(p.points, x + w - r, y + h - r, r, r, 0, kPi / 2, tol, false);
    add_arc(p.points, x + r, y + h - r, r, r, kPi / 2, kPi, tol, false);
    add_arc(p.points, x + r, y + r, r, r, kPi, 3 * kPi / 2, tol, false);
  } else {
    for (auto [px, py] : {std::pair{x + w, y}, {x + w, y + h}, {x, y + h}, {x, y}})
      p.points.push_back({Mm{px}, Mm{py}});
  }
  p.points.push_back(p.points.front());
  p.closed = true;
  return p;
}

Mm min_resolvable_cap_height(Dpi dpi) noexcept {
  return Mm{7 * 25.4 / std::max(1, dpi.v)};
}

Result<Pt> microtext_font_size(const FontSet& fonts, const MicrotextStyle& style) {
  if (!(style.cap_height.v >= 0.15 && style.cap_height.v <= 0.5))
    return Error(Errc::invalid_argument,
                 "microtext cap height " + format_number(style.cap_height.v) + " mm is outside 0.15 to 0.5 mm.",
                 "set 'cap_height' between 0.15 and 0.5 mm.", Where{.field = "cap_height"});
  constexpr double ref = 100;
  SDC_TRY_ASSIGN(auto h,
                 shape_text(fonts, "H", TextStyle{.family = style.family, .bold = style.bold, .size = Pt{ref}}));
  if (h.ink.h.v <= 0)
    return Error(Errc::bad_font, "the font '" + style.family + "' draws no capital H to measure.",
                 "choose a Latin font for microtext.", Where{.field = "font"});
  return Pt{ref * style.cap_height.v / h.ink.h.v};
}

Result<MicrotextLayout> layout_microtext(const FontSet& fonts, std::string_view utf8, const MicrotextStyle& style,
                                         const MicrotextPath& path, const MicrotextLimits& limits) {
  if (utf8.empty())
    return Error(Errc::invalid_argument, "the microtext is empty.", "give the text to repeat.", Where{.field = "text"});
  if (!(style.letter_spacing_em >= -0.2 && style.letter_spacing_em <= 1))
    return Error(Errc::invalid_argument,
                 "microtext letter spacing " + format_number(style.letter_spacing_em) + " em is outside -0.2 to 1.",
                 "set 'letter_spacing' between -0.2 and 1 em.", Where{.field = "letter_spacing"});
  if (path.points.size() < 2)
    return Error(Errc::invalid_argument, "the microtext path has fewer than two points.", "give a longer path.",
                 Where{.field = "path"});
  if (path.points.size() > limits.max_path_points)
    return Error(Errc::limit_exceeded, "the microtext path has " + std::to_string(path.points.size()) + " points.",
                 "use a simpler path.", Where{.field = "path"});
  for (const auto& p : path.points)
    if (!std::isfinite(p.x.v) || !std::isfinite(p.y.v))
      return Error(Errc::invalid_argument, "the microtext path has a non-finite point.", "check the path parameters.",
                   Where{.field = "path"});
  SDC_TRY_ASSIGN(auto size, microtext_font_size(fonts, style));
  const TextStyle ts{.family = style.family,
                     .bold = style.bold,
                     .size = size,
                     .letter_spacing_em = style.letter_spacing_em,
                     .direction = TextDirection::ltr};
  SDC_TRY_ASSIGN(auto text, shape_text(fonts, utf8, ts));
  std::vector<PositionedGlyph> unit = text.lines.empty() ? std::vector<PositionedGlyph>{} : text.lines[0].glyphs;
  double text_w = text.lines.empty() ? 0 : text.lines[0].width.v;
  double unit_w = text_w;
  if (style.fill == MicrotextStyle::Fill::repeat && !style.separator.empty()) {
    SDC_TRY_ASSIGN(auto sep, shape_text(fonts, style.separator, ts));
    for (auto g : sep.lines[0].glyphs) {
      g.x_mm += text_w;
      unit.push_back(g);
    }
    unit_w += sep.lines[0].width.v;
  }
  if (unit.empty() || unit_w <= 0)
    return Error(Errc::invalid_argument, "the microtext draws nothing.", "give visible text.", Where{.field = "text"});

  const Walker walk(path.points, path.closed);
  const double L = walk.length();
  MicrotextLayout out;
  out.size = size;
  out.cap_height = style.cap_height;
  out.path_length = Mm{L};
  const double first_adv = unit.front().advance_mm;
  if (L < first_adv)
    return Error(Errc::does_not_fit,
                 "the microtext path is " + format_number(L) + " mm long, shorter than one glyph (" +
                     format_number(first_adv) + " mm).",
                 "make the path longer or the cap height smaller.", Where{.field = "path"});
  if (style.fill == MicrotextStyle::Fill::once && L < text_w)
    return Error(
        Errc::does_not_fit,
        "the microtext needs " + format_number(text_w) + " mm but the path is " + format_number(L) + " mm long.",
        "shorten the text, lower the cap height, or use \"fill\": \"repeat\".", Where{.field = "path"});

  // Copies and the spacing between them.
  double pitch = unit_w;
  std::size_t copies = 1;
  bool cut = false;
  if (style.fill == MicrotextStyle::Fill::repeat) {
    if (path.closed && L >= unit_w) {
      copies = static_cast<std::size_t>(std::floor(L / unit_w));
      pitch = L / static_cast<double>(copies);  // spread evenly: the text joins seamlessly
    } else {
      copies = static_cast<std::size_t>(std::ceil(L / unit_w));
      cut = true;
    }
  }
  const double est = static_cast<double>(copies) * static_cast<double>(unit.size());
  if (est > static_cast<double>(limits.max_glyphs))
    return Error(Errc::limit_exceeded,
                 "the microtext would have " + format_number(est) + " glyphs, over the limit of " +
                     std::to_string(limits.max_glyphs) + ".",
                 "use a shorter path or a larger cap height.", Where{.field = "path"});

  // The baseline sits half a cap height below the path when centred (y down: below = +normal).
  const double drop = style.baseline == MicrotextStyle::Baseline::centered ? style.cap_height.v / 2 : 0.0;
  out.glyphs.reserve(static_cast<std::size_t>(est));
  for (std::size_t c = 0; c < copies; ++c) {
    const double base = static_cast<double>(c) * pitch;
    for (const auto& g : unit) {
      const double s0 = base + g.x_mm, s1 = s0 + std::max(g.advance_mm, 1e-3);
      if (cut && s1 > L + 1e-9) break;
      double x0, y0, x1, y1;
      walk.at(s0, x0, y0);
      walk.at(s1, x1, y1);
      const double ang = std::atan2(y1 - y0, x1 - x0);
      // Baseline offset along the glyph's own "down" (the normal to the left of travel, y down).
      const double nx = -std::sin(ang), ny = std::cos(ang);
      const double by = g.y_mm - text.ascent.v;  // mark offsets relative to the baseline
      const double ox = x0 + nx * (drop + by), oy = y0 + ny * (drop + by);
      out.glyphs.push_back({g.font, g.glyph, MmPoint{Mm{ox}, Mm{oy}}, ang});
    }
  }
  out.copies = cut ? static_cast<std::size_t>(std::floor(L / unit_w)) : copies;
  return out;
}

}  // namespace sdc
