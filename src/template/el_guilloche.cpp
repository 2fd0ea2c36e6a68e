// Guilloché element: a parametric pattern (guilloche.hpp) stroked in one colour or a rainbow
// (split-fountain) ramp, clipped to its box; static (issuer seed) or personal (personal seed).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "template/elements.hpp"

namespace sdc::detail {

namespace {

Error spec_error(JsonReader& r, const Error& e) {
  // validate() names the parameter in Where::field; the template key has the same name.
  const std::string key = r.has(e.where().field) ? e.where().field : "";
  return r.error(key, e.message(), e.hint());
}

Result<Rgba> parse_hex(JsonReader& r, const std::string& key, const nlohmann::json& v) {
  const std::string bad_hint = "write colours as \"#RRGGBB\" or \"#RRGGBBAA\".";
  if (!v.is_string()) return r.error(key, "a colour must be a string.", bad_hint);
  const auto s = v.get<std::string>();
  if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return r.error(key, "'" + s + "' is not a colour.", bad_hint);
  unsigned c[4] = {0, 0, 0, 255};
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
    auto res = std::from_chars(s.data() + 1 + i, s.data() + 3 + i, c[i / 2], 16);
    if (res.ec != std::errc() || res.ptr != s.data() + 3 + i)
      return r.error(key, "'" + s + "' is not a colour.", bad_hint);
  }
  return Rgba{c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, c[3] / 255.0};
}

// Drawing-cost bounds of one guilloché element (see parse_guilloche).
constexpr double kMaxGuillocheCrossings = 500'000;
constexpr double kMaxGuillocheCoats = 4;

}  // namespace

Result<GuillocheSpec> parse_guilloche_spec(JsonReader& r, const MmRect& box, Dpi check_dpi, std::int64_t max_points,
                                           GuillocheExtent* extent) {
  GuillocheSpec s;
  static const std::vector<std::string> families = {"hypotrochoid", "epitrochoid", "rose",  "lissajous",
                                                    "rings",        "waves",       "border"};
  SDC_TRY_ASSIGN(const std::string fam, r.choice("family", families, std::nullopt));
  for (std::size_t i = 0; i < families.size(); ++i)
    if (fam == families[i]) s.family = static_cast<GuillocheFamily>(i);
  s.box = box;
  const double short_side = std::min(box.w.v, box.h.v);
  SDC_TRY_ASSIGN(const double cx, r.number("center_x", -100, 300, box.x.v + box.w.v / 2));
  SDC_TRY_ASSIGN(const double cy, r.number("center_y", -100, 300, box.y.v + box.h.v / 2));
  s.center = {Mm{cx}, Mm{cy}};
  SDC_TRY_ASSIGN(s.radius, r.number("radius", 0.1, 500, short_side / 2));
  SDC_TRY_ASSIGN(s.radius_y, r.number("radius_y", 0, 500, 0));
  SDC_TRY_ASSIGN(s.pen, r.number("pen", 0, 500, s.radius * 0.3));
  SDC_TRY_ASSIGN(s.amplitude, r.number("amplitude", 0, 500, 1.0));
  SDC_TRY_ASSIGN(s.freq_a, r.integer("freq_a", 1, 1000, 7));
  SDC_TRY_ASSIGN(s.freq_b, r.integer("freq_b", 1, 1000, 3));
  SDC_TRY_ASSIGN(s.wavelength, r.number("wavelength", 0.2, 500, 5.0));
  SDC_TRY_ASSIGN(s.spacing, r.number("spacing", 0, 100, 0.5));
  SDC_TRY_ASSIGN(s.offset, r.number("offset", -500, 500, 0));
  SDC_TRY_ASSIGN(s.inset, r.number("inset", 0, 100, 1.0));
  SDC_TRY_ASSIGN(s.corner_radius, r.number("corner_radius", 0, 100, 3.18));
  SDC_TRY_ASSIGN(s.strokes, r.integer("strokes", 1, 2000, 1));
  SDC_TRY_ASSIGN(s.phase, r.number("phase", -36000, 36000, 0, "degrees"));
  SDC_TRY_ASSIGN(s.phase_step, r.number("phase_step", -36000, 36000, 0, "degrees"));
  SDC_TRY_ASSIGN(s.modulation, r.number("modulation", 0, 0.9, 0, "(fraction)"));
  SDC_TRY_ASSIGN(s.modulation_freq, r.integer("modulation_freq", 0, 1000, 0));
  SDC_TRY_ASSIGN(s.scale_step, r.number("scale_step", 0, 0.5, 0, "(fraction)"));
  if (auto v = validate(s); !v) return spec_error(r, v.error());
  // Refuse at load what could not be printed: generate once at a fine tolerance.
  auto pl = guilloche_polylines(s, flattening_tolerance(check_dpi), GuillocheLimits{.max_points = max_points});
  if (!pl) return spec_error(r, pl.error());
  if (extent) {
    double len = 0, x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const auto& line : *pl)
      for (std::size_t i = 0; i < line.points.size(); ++i) {
        const auto& p = line.points[i];
        x0 = std::min(x0, p.x.v), y0 = std::min(y0, p.y.v), x1 = std::max(x1, p.x.v), y1 = std::max(y1, p.y.v);
        if (i > 0) len += std::hypot(p.x.v - line.points[i - 1].x.v, p.y.v - line.points[i - 1].y.v);
      }
    extent->length_mm = len;
    extent->area_mm2 = x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0;
  }
  return s;
}

ParseResult parse_guilloche(JsonReader& r, ElementCommon c, const Base&) {
  GuillocheElement g;
  GuillocheExtent extent;
  SDC_TRY_ASSIGN(g.spec, parse_guilloche_spec(r, c.box, Dpi{1200}, 2'000'000, &extent));
  SDC_TRY_ASSIGN(const Mm lw, r.mm("line_width", 0.01, 2, 0.08));
  g.line_width = lw.v;
  // The point bound does not bound the drawing: a 330-byte hypotrochoid with modulation_freq
  // 1000 passed it and then took Cairo's stroker 110 s and 745 MB at 300 dpi. Stroking costs
  // about one unit per self-crossing, about L² / (π A) for a curve of length L filling an area A
  // (Buffon), and a pattern lays L * line_width / A coats of ink over its area. The specimen's
  // densest guilloché has 9,400 crossings and 0.38 coats; the limits leave 50 and 10 times that
  // (a pattern at the crossing limit renders in about 2 s at 300 dpi; bench/RESULTS.md).
  const double area = std::max(extent.area_mm2, 1.0);
  const double coats = extent.length_mm * g.line_width / area;
  const double crossings = extent.length_mm * extent.length_mm / (3.141592653589793 * area);
  if (crossings > kMaxGuillocheCrossings || coats > kMaxGuillocheCoats) {
    char what[256];
    std::snprintf(what, sizeof what,
                  "the pattern is %.0f mm of line in %.0f mm²: about %.3g self-crossings and %.1f coats of ink, "
                  "over the limits of %.0f crossings and %.0f coats.",
                  extent.length_mm, area, crossings, coats, kMaxGuillocheCrossings, kMaxGuillocheCoats);
    return r.error("strokes", std::string(what) + " It would print as a blot and take minutes to draw.",
                   "lower strokes, freq_a/freq_b or modulation_freq, or spread the pattern over a larger box.");
  }
  SDC_TRY_ASSIGN(g.color, r.color("color", Rgba{0.2, 0.3, 0.5, 1}));
  if (r.has("rainbow")) {
    SDC_TRY_ASSIGN(JsonReader rb, r.object("rainbow"));
    SDC_TRY_ASSIGN(const std::size_t n, rb.array_size("colors", 2, 16));
    for (std::size_t i = 0; i < n; ++i) {
      SDC_TRY_ASSIGN(const Rgba col, parse_hex(rb, "colors", rb.json()["colors"][i]));
      g.rainbow.push_back(col);
    }
    SDC_TRY_ASSIGN(const std::string along, rb.choice("along", {"x", "y", "curve"}, std::string("x")));
    using A = GuillocheElement::Along;
    g.along = along == "x" ? A::x : along == "y" ? A::y : A::curve;
    SDC_TRY(rb.check_unknown_keys());
    if (c.ink != Ink::process)
      return r.error("rainbow", "a rainbow needs process ink (colour).",
                     "remove 'rainbow' or set \"ink\": \"process\".");
  }
  SDC_TRY_ASSIGN(const std::string clip,
                 r.choice("clip", {"rect", "ellipse", "rounded_rect", "none"}, std::string("rect")));
  using C = GuillocheElement::Clip;
  g.clip = clip == "rect"           ? C::rect
           : clip == "ellipse"      ? C::ellipse
           : clip == "rounded_rect" ? C::rounded_rect
                                    : C::none;
  SDC_TRY_ASSIGN(const Mm cr, r.mm("clip_radius", 0, 50, 3.18));
  g.clip_radius = cr.v;
  SDC_TRY_ASSIGN(const std::string seed, r.choice("seed", {"issuer", "personal", "none"}, std::string("issuer")));
  SDC_TRY_ASSIGN(g.variation, r.number("variation", 0, 1, seed == "personal" ? 0.5 : 0.0, "(0 to 1)"));
  using S = GuillocheElement::Seed;
  g.seed = seed == "issuer" ? S::issuer : seed == "personal" ? S::personal : S::none;
  if (g.seed == S::personal) {
    c.deps.personal_seed = true;
    c.deps.fields.push_back("document_number");  // the personal seed is derived from it
  }
  return make_spec(std::move(c), std::move(g));
}

}  // namespace sdc::detail
