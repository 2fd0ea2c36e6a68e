// Guilloché element: a parametric pattern (guilloche.hpp) stroked in one colour or a rainbow
// (split-fountain) ramp, clipped to its box; static (issuer seed) or personal (personal seed).
#include <sdc/guilloche.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <numbers>

#include "core/format.hpp"
#include "guilloche/guilloche_json.hpp"
#include "lint/lintable.hpp"
#include "template/el_security.hpp"
#include "template/elements.hpp"

namespace sdc::detail {

namespace {

Error spec_error(JsonReader& r, const Error& e) {
  // validate() names the parameter in Where::field; the template key has the same name.
  const std::string key = r.has(e.where().field) ? e.where().field : "";
  return r.error(key, e.message(), e.hint());
}

}  // namespace

Result<GuillocheSpec> parse_guilloche_spec(JsonReader& r, const MmRect& box, Dpi check_dpi, std::int64_t max_points) {
  GuillocheSpec s;
  static const std::vector<std::string> families = {"hypotrochoid", "epitrochoid", "rose",  "lissajous",
                                                    "rings",        "waves",       "border"};
  auto fam = r.choice("family", families, std::nullopt);
  if (!fam) return std::move(fam).error();
  for (std::size_t i = 0; i < families.size(); ++i)
    if (*fam == families[i]) s.family = static_cast<GuillocheFamily>(i);
  s.box = box;
  auto get = [&](const char* key, double lo, double hi, double def, double& out, const char* unit = "mm") -> Status {
    auto v = r.number(key, lo, hi, def, unit);
    if (!v) return std::move(v).error();
    out = *v;
    return {};
  };
  auto geti = [&](const char* key, long lo, long hi, long def, int& out) -> Status {
    auto v = r.integer(key, lo, hi, def);
    if (!v) return std::move(v).error();
    out = *v;
    return {};
  };
  double cx = 0, cy = 0;
  const double short_side = std::min(box.w.v, box.h.v);
  Status st;
  if (!(st = get("center_x", -100, 300, box.x.v + box.w.v / 2, cx))) return std::move(st).error();
  if (!(st = get("center_y", -100, 300, box.y.v + box.h.v / 2, cy))) return std::move(st).error();
  s.center = {Mm{cx}, Mm{cy}};
  if (!(st = get("radius", 0.1, 500, short_side / 2, s.radius))) return std::move(st).error();
  if (!(st = get("radius_y", 0, 500, 0, s.radius_y))) return std::move(st).error();
  if (!(st = get("pen", 0, 500, s.radius * 0.3, s.pen))) return std::move(st).error();
  if (!(st = get("amplitude", 0, 500, 1.0, s.amplitude))) return std::move(st).error();
  if (!(st = geti("freq_a", 1, 1000, 7, s.freq_a))) return std::move(st).error();
  if (!(st = geti("freq_b", 1, 1000, 3, s.freq_b))) return std::move(st).error();
  if (!(st = get("wavelength", 0.2, 500, 5.0, s.wavelength))) return std::move(st).error();
  if (!(st = get("spacing", 0, 100, 0.5, s.spacing))) return std::move(st).error();
  if (!(st = get("offset", -500, 500, 0, s.offset))) return std::move(st).error();
  if (!(st = get("inset", 0, 100, 1.0, s.inset))) return std::move(st).error();
  if (!(st = get("corner_radius", 0, 100, 3.18, s.corner_radius))) return std::move(st).error();
  if (!(st = geti("strokes", 1, 2000, 1, s.strokes))) return std::move(st).error();
  if (!(st = get("phase", -36000, 36000, 0, s.phase, "degrees"))) return std::move(st).error();
  if (!(st = get("phase_step", -36000, 36000, 0, s.phase_step, "degrees"))) return std::move(st).error();
  if (!(st = get("modulation", 0, 0.9, 0, s.modulation, "(fraction)"))) return std::move(st).error();
  if (!(st = geti("modulation_freq", 0, 1000, 0, s.modulation_freq))) return std::move(st).error();
  if (!(st = get("scale_step", 0, 0.5, 0, s.scale_step, "(fraction)"))) return std::move(st).error();
  if (auto v = validate(s); !v) return spec_error(r, v.error());
  // Refuse at load what could not be printed: generate once at a fine tolerance.
  auto pl = guilloche_polylines(s, flattening_tolerance(check_dpi), GuillocheLimits{.max_points = max_points});
  if (!pl) return spec_error(r, pl.error());
  return s;
}

namespace {

struct Look {
  double line_width = 0.08;
  Rgba color{0.2, 0.3, 0.5, 1};
  std::vector<Rgba> rainbow;  ///< >= 2 stops: a split-fountain ramp
  enum class Along { x, y, curve } along = Along::x;
  enum class Clip { rect, ellipse, rounded_rect, none } clip = Clip::rect;
  double clip_radius = 3.18;
};

Rgba ramp(const std::vector<Rgba>& stops, double t) {
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(t), stops.size() - 2);
  const double u = t - static_cast<double>(i);
  const Rgba &a = stops[i], &b = stops[i + 1];
  return {a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u, a.a + (b.a - a.a) * u};
}

void clip_to(cairo_t* cr, const MmRect& b, const Look& look) {
  switch (look.clip) {
    case Look::Clip::none: return;
    case Look::Clip::rect: cairo_rectangle(cr, b.x.v, b.y.v, b.w.v, b.h.v); break;
    case Look::Clip::rounded_rect: rounded_rect_path(cr, b.x.v, b.y.v, b.w.v, b.h.v, look.clip_radius); break;
    case Look::Clip::ellipse: ellipse_path(cr, b.x.v, b.y.v, b.w.v, b.h.v); break;
  }
  cairo_clip(cr);
}

using Polylines = std::vector<GuillochePolyline>;

class GuillocheItem final : public Item {
 public:
  GuillocheItem(ElementCommon c, GuillocheSpec spec, Look look)
      : Item(std::move(c)), spec_(spec), look_(std::move(look)) {}

  void draw(cairo_t* cr, const DrawEnv& env) const override {
    const auto lines = polylines(env.dpi);
    if (!lines) return;
    cairo_save(cr);
    transform_to_box(cr, common);
    clip_to(cr, common.box, look_);
    cairo_set_line_width(cr, look_.line_width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    const auto& b = common.box;
    if (look_.rainbow.size() >= 2 && look_.along == Look::Along::curve) {
      // Colour follows the curve parameter: stroke in short runs, each in its own colour.
      constexpr std::size_t run = 48;
      for (const auto& pl : *lines) {
        for (std::size_t i = 0; i + 1 < pl.points.size(); i += run) {
          const std::size_t end = std::min(i + run, pl.points.size() - 1);
          cairo_move_to(cr, pl.points[i].x.v, pl.points[i].y.v);
          for (std::size_t k = i + 1; k <= end; ++k) cairo_line_to(cr, pl.points[k].x.v, pl.points[k].y.v);
          set_source(cr, ramp(look_.rainbow, (pl.t[i] + pl.t[end]) / 2.0));
          cairo_stroke(cr);
        }
      }
    } else {
      for (const auto& pl : *lines) {
        cairo_move_to(cr, pl.points[0].x.v, pl.points[0].y.v);
        for (std::size_t k = 1; k < pl.points.size(); ++k) cairo_line_to(cr, pl.points[k].x.v, pl.points[k].y.v);
        if (pl.closed) cairo_close_path(cr);
      }
      if (look_.rainbow.size() >= 2) {
        const bool along_x = look_.along == Look::Along::x;
        cairo_pattern_t* g = along_x ? cairo_pattern_create_linear(b.x.v, 0, b.x.v + b.w.v, 0)
                                     : cairo_pattern_create_linear(0, b.y.v, 0, b.y.v + b.h.v);
        const auto n = look_.rainbow.size();
        for (std::size_t i = 0; i < n; ++i) {
          const auto& c = look_.rainbow[i];
          cairo_pattern_add_color_stop_rgba(g, static_cast<double>(i) / static_cast<double>(n - 1), c.r, c.g, c.b, c.a);
        }
        cairo_set_source(cr, g);
        cairo_pattern_destroy(g);
      } else {
        set_source(cr, look_.color);
      }
      cairo_stroke(cr);
    }
    cairo_restore(cr);
  }

 private:
  /// Polylines for a dpi, generated once per dpi (a quarter-pixel tolerance) and shared.
  std::shared_ptr<const Polylines> polylines(Dpi dpi) const {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(dpi.v); it != cache_.end()) return it->second;
    // The spec was checked at 1200 dpi when the template was read; past that, coarsen the
    // tolerance rather than exceed the point limit (never fail while printing).
    double tol = flattening_tolerance(dpi);
    Result<Polylines> r = guilloche_polylines(spec_, tol, GuillocheLimits{.max_points = 8'000'000});
    while (!r && r.error().code() == Errc::limit_exceeded && tol < 0.5) {
      tol *= 2;
      r = guilloche_polylines(spec_, tol, GuillocheLimits{.max_points = 8'000'000});
    }
    std::shared_ptr<const Polylines> p = r ? std::make_shared<const Polylines>(std::move(*r)) : nullptr;
    if (cache_.size() >= 4) cache_.erase(cache_.begin());
    cache_[dpi.v] = p;
    return p;
  }

  GuillocheSpec spec_;
  Look look_;
  mutable std::mutex mu_;
  mutable std::map<int, std::shared_ptr<const Polylines>> cache_;
};

enum class Seed { none, issuer, personal };

class GuillocheElement final : public Element, public Lintable {
 public:
  GuillocheElement(ElementCommon c, GuillocheSpec spec, Look look, Seed seed, double variation)
      : Element(std::move(c)), spec_(spec), look_(std::move(look)), seed_(seed), variation_(variation) {}
  bool personal() const override { return seed_ == Seed::personal; }
  void fields(std::vector<std::string>& out) const override {
    if (personal()) out.push_back("document_number");
  }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    GuillocheSpec s = spec_;
    if (seed_ == Seed::issuer) s = perturb(spec_, env.issuer_seed, common.name, variation_);
    if (seed_ == Seed::personal) s = perturb(spec_, env.personal_seed, common.name, variation_);
    auto item = std::make_shared<GuillocheItem>(common, s, look_);
    item->personal = personal();
    return std::shared_ptr<const Item>(std::move(item));
  }
  void lint(Dpi dpi, std::vector<LintWarning>& out) const override {
    const double px = 25.4 / dpi.v;
    if (look_.line_width < px)
      out.push_back({common.name, common.side, "line_width",
                     "guilloche lines of " + format_number(look_.line_width) +
                         " mm are thinner than one device pixel (" + format_number(std::round(px * 1000) / 1000) +
                         " mm) at " + std::to_string(dpi.v) + " dpi: they will print broken.",
                     "print at " + std::to_string(static_cast<int>(std::ceil(25.4 / look_.line_width))) +
                         " dpi or more, or make line_width at least " + format_number(std::ceil(px * 1000) / 1000) +
                         " mm."});
  }

 private:
  GuillocheSpec spec_;
  Look look_;
  Seed seed_;
  double variation_;
};

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

}  // namespace

Result<std::shared_ptr<const Element>> parse_guilloche(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  auto spec = parse_guilloche_spec(r, c.box);
  if (!spec) return std::move(spec).error();
  Look look;
  auto lw = r.mm("line_width", 0.01, 2, 0.08);
  if (!lw) return std::move(lw).error();
  look.line_width = lw->v;
  auto color = r.color("color", Rgba{0.2, 0.3, 0.5, 1});
  if (!color) return std::move(color).error();
  look.color = *color;
  if (r.has("rainbow")) {
    auto rb = r.object("rainbow");
    if (!rb) return std::move(rb).error();
    auto n = rb->array_size("colors", 2, 16);
    if (!n) return std::move(n).error();
    for (std::size_t i = 0; i < *n; ++i) {
      auto col = parse_hex(*rb, "colors", rb->json()["colors"][i]);
      if (!col) return std::move(col).error();
      look.rainbow.push_back(*col);
    }
    auto along = rb->choice("along", {"x", "y", "curve"}, std::string("x"));
    if (!along) return std::move(along).error();
    look.along = *along == "x" ? Look::Along::x : *along == "y" ? Look::Along::y : Look::Along::curve;
    if (auto st = rb->check_unknown_keys(); !st) return std::move(st).error();
    if (c.ink != Ink::process)
      return r.error("rainbow", "a rainbow needs process ink (colour).",
                     "remove 'rainbow' or set \"ink\": \"process\".");
  }
  auto clip = r.choice("clip", {"rect", "ellipse", "rounded_rect", "none"}, std::string("rect"));
  if (!clip) return std::move(clip).error();
  look.clip = *clip == "rect"           ? Look::Clip::rect
              : *clip == "ellipse"      ? Look::Clip::ellipse
              : *clip == "rounded_rect" ? Look::Clip::rounded_rect
                                        : Look::Clip::none;
  auto cr = r.mm("clip_radius", 0, 50, 3.18);
  if (!cr) return std::move(cr).error();
  look.clip_radius = cr->v;
  auto seed = r.choice("seed", {"issuer", "personal", "none"}, std::string("issuer"));
  if (!seed) return std::move(seed).error();
  auto var = r.number("variation", 0, 1, *seed == "personal" ? 0.5 : 0.0, "(0 to 1)");
  if (!var) return std::move(var).error();
  const Seed sd = *seed == "issuer" ? Seed::issuer : *seed == "personal" ? Seed::personal : Seed::none;
  return std::shared_ptr<const Element>(
      std::make_shared<GuillocheElement>(std::move(c), *spec, std::move(look), sd, *var));
}

}  // namespace sdc::detail
