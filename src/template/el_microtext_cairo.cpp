// Microtext element: text at 0.15-0.5 mm cap height along a line, arc, ellipse, rounded rectangle
// or guilloché stroke (microtext.hpp), static or with {field} references, K ink by default.
#include <sdc/guilloche.hpp>
#include <sdc/microtext.hpp>

#include <charconv>
#include <cmath>

#include "core/format.hpp"
#include "guilloche/guilloche_json.hpp"
#include "lint/lintable.hpp"
#include "template/el_security.hpp"
#include "template/elements.hpp"
#include "text/draw_cairo.hpp"

namespace sdc::detail {

namespace {

class MicrotextItem final : public Item {
 public:
  MicrotextItem(ElementCommon c, FontSet fonts, MicrotextLayout layout, Rgba color)
      : Item(std::move(c)), fonts_(std::move(fonts)), layout_(std::move(layout)), color_(color) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    cairo_save(cr);
    transform_to_box(cr, common);
    for (const auto& g : layout_.glyphs) {
      cairo_save(cr);
      cairo_translate(cr, g.origin.x.v, g.origin.y.v);
      cairo_rotate(cr, g.angle_rad);
      draw_glyph_path(cr, fonts_, g.font, g.glyph, layout_.size);
      cairo_restore(cr);
    }
    set_source(cr, color_);
    cairo_fill(cr);
    cairo_restore(cr);
  }

 private:
  FontSet fonts_;
  MicrotextLayout layout_;
  Rgba color_;
};

class MicrotextElement final : public Element, public Lintable {
 public:
  MicrotextElement(ElementCommon c, std::string text, std::vector<FieldRef> refs, MicrotextStyle style,
                   MicrotextPath path, Rgba color, bool uppercase)
      : Element(std::move(c)),
        text_(std::move(text)),
        refs_(std::move(refs)),
        style_(std::move(style)),
        path_(std::move(path)),
        color_(color),
        uppercase_(uppercase) {}
  bool personal() const override { return !refs_.empty(); }
  void fields(std::vector<std::string>& out) const override {
    for (const auto& r : refs_) out.push_back(r.field);
  }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    auto text = substitute_fields(text_, env.record, *this, common);
    if (!text) return std::move(text).error();
    if (uppercase_)
      for (auto& ch : *text)
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    auto layout = layout_microtext(env.fonts, *text, style_, path_);
    if (!layout) {
      Error e = std::move(layout).error();
      Where w = e.where();
      const std::string param = w.field;
      w.file = common.file;
      w.json_path = common.json_path + (param.empty() ? "" : "/" + param);
      w.line = common.line;
      w.element = common.name;
      w.field.clear();
      if (personal()) w.record = env.record.index;
      return Error(
          e.code(),
          "microtext element '" + common.name + "'" + (param.empty() ? "" : ", '" + param + "'") + ": " + e.message(),
          e.hint(), w);
    }
    auto item = std::make_shared<MicrotextItem>(common, env.fonts, std::move(*layout), color_);
    item->personal = personal();
    return std::shared_ptr<const Item>(std::move(item));
  }
  void lint(Dpi dpi, std::vector<LintWarning>& out) const override {
    const double need = min_resolvable_cap_height(dpi).v;
    if (style_.cap_height.v < need)
      out.push_back(
          {common.name, common.side, "cap_height",
           "microtext of " + format_number(style_.cap_height.v) + " mm cap height is " +
               format_number(std::round(style_.cap_height.v * dpi.v / 25.4 * 10) / 10) + " device pixels at " +
               std::to_string(dpi.v) + " dpi; about 7 are needed to resolve the letters.",
           "print at " + std::to_string(static_cast<int>(std::ceil(7 * 25.4 / style_.cap_height.v))) + " dpi or more" +
               (need <= 0.5
                    ? ", or raise cap_height to " + format_number(std::ceil(need * 100) / 100) + " mm."
                    : " (microtext, at most 0.5 mm, cannot be resolved at " + std::to_string(dpi.v) + " dpi).")});
  }

 private:
  std::string text_;
  std::vector<FieldRef> refs_;
  MicrotextStyle style_;
  MicrotextPath path_;
  Rgba color_;
  bool uppercase_;
};

Result<MicrotextPath> parse_path_object(JsonReader& e, const ElementCommon& c) {
  const auto& b = c.box;
  if (!e.has("path")) return line_path({b.x, b.y + b.h / 2}, {b.right(), b.y + b.h / 2});
  auto pr = e.object("path");
  if (!pr) return std::move(pr).error();
  JsonReader& r = *pr;
  auto shape = r.choice("shape", {"line", "arc", "ellipse", "rounded_rect", "guilloche"}, std::nullopt);
  if (!shape) return std::move(shape).error();
  MicrotextPath path;
  auto num_or = [&](const char* key, double lo, double hi, double def, const char* unit = "mm") -> Result<double> {
    return r.number(key, lo, hi, def, unit);
  };
#define SDC_GET(var, key, lo, hi, def, unit)       \
  auto var##_r = num_or(key, lo, hi, def, unit);   \
  if (!var##_r) return std::move(var##_r).error(); \
  const double var = *var##_r
  if (*shape == "line") {
    SDC_GET(x1, "x1", -20, 300, b.x.v, "mm");
    SDC_GET(y1, "y1", -20, 300, b.y.v + b.h.v / 2, "mm");
    SDC_GET(x2, "x2", -20, 300, b.right().v, "mm");
    SDC_GET(y2, "y2", -20, 300, b.y.v + b.h.v / 2, "mm");
    path = line_path({Mm{x1}, Mm{y1}}, {Mm{x2}, Mm{y2}});
  } else if (*shape == "arc" || *shape == "ellipse") {
    SDC_GET(cx, "cx", -20, 300, b.x.v + b.w.v / 2, "mm");
    SDC_GET(cy, "cy", -20, 300, b.y.v + b.h.v / 2, "mm");
    SDC_GET(rx, "rx", 0, 300, b.w.v / 2, "mm");
    SDC_GET(ry, "ry", 0, 300, b.h.v / 2, "mm");
    SDC_GET(start, "start", -720, 720, -90, "degrees");
    SDC_GET(end, "end", -720, 720, *shape == "ellipse" ? 270 : 0, "degrees");
    if (rx <= 0 || ry <= 0)
      return r.error(rx <= 0 ? "rx" : "ry", "an arc radius must be positive.", "give rx and ry above 0 mm.");
    path = arc_path({Mm{cx}, Mm{cy}}, Mm{rx}, Mm{ry}, start, *shape == "ellipse" ? start + 360 : end);
  } else if (*shape == "rounded_rect") {
    SDC_GET(inset, "inset", 0, 50, 0, "mm");
    SDC_GET(radius, "radius", 0, 50, std::max(0.0, 3.18 - inset), "mm");
    if (2 * inset >= std::min(b.w.v, b.h.v))
      return r.error("inset", "the inset leaves no rectangle inside the box.", "lower 'inset'.");
    path = rounded_rect_path(b.inset(Mm{inset}), Mm{radius});
  } else {
    auto stroke = r.integer("stroke", 0, 1999, 0);
    if (!stroke) return std::move(stroke).error();
    auto spec = parse_guilloche_spec(r, b);
    if (!spec) return std::move(spec).error();
    if (*stroke >= spec->strokes)
      return r.error(
          "stroke",
          "stroke " + std::to_string(*stroke) + " does not exist; the curve has " + std::to_string(spec->strokes) + ".",
          "choose a stroke from 0 to strokes - 1.");
    GuillocheSpec one = *spec;
    one.phase += *stroke * spec->phase_step;
    one.scale_step = 0;
    one.strokes = 1;
    if (spec->family == GuillocheFamily::rings || spec->family == GuillocheFamily::waves ||
        spec->family == GuillocheFamily::border) {
      // Strokes of these families differ by offset, not by phase alone: keep the index.
      one = *spec;
      one.strokes = *stroke + 1;
    } else if (spec->scale_step > 0) {
      one.radius *= 1 - *stroke * spec->scale_step;
      one.pen *= 1 - *stroke * spec->scale_step;
    }
    auto pl = guilloche_polylines(one, 0.002);
    if (!pl) return r.error("", pl.error().message(), pl.error().hint());
    path.points = std::move(pl->back().points);
    path.closed = pl->back().closed;
  }
#undef SDC_GET
  if (auto st = r.check_unknown_keys(); !st) return std::move(st).error();
  return path;
}

}  // namespace

Result<std::shared_ptr<const Element>> parse_microtext(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  if (!r.has("ink")) c.ink = Ink::k;
  auto text = r.string("text", std::nullopt);
  if (!text) return std::move(text).error();
  auto refs = parse_field_refs(r, "text", *text);
  if (!refs) return std::move(refs).error();
  MicrotextStyle st;
  auto font = r.string("font", st.family);
  if (!font) return std::move(font).error();
  st.family = *font;
  auto bold = r.boolean("bold", false);
  if (!bold) return std::move(bold).error();
  st.bold = *bold;
  auto cap = r.mm("cap_height", 0.15, 0.5, 0.25);
  if (!cap) return std::move(cap).error();
  st.cap_height = *cap;
  auto ls = r.number("letter_spacing", -0.2, 1, 0.05, "em");
  if (!ls) return std::move(ls).error();
  st.letter_spacing_em = *ls;
  auto sep = r.string("separator", st.separator, true);
  if (!sep) return std::move(sep).error();
  st.separator = *sep;
  auto base = r.choice("baseline", {"center", "on_path"}, std::string("center"));
  if (!base) return std::move(base).error();
  st.baseline = *base == "center" ? MicrotextStyle::Baseline::centered : MicrotextStyle::Baseline::on_path;
  auto fill = r.choice("fill", {"repeat", "once"}, std::string("repeat"));
  if (!fill) return std::move(fill).error();
  st.fill = *fill == "repeat" ? MicrotextStyle::Fill::repeat : MicrotextStyle::Fill::once;
  auto color = r.color("color", Rgba{0, 0, 0, 1});
  if (!color) return std::move(color).error();
  auto upper = r.boolean("uppercase", false);
  if (!upper) return std::move(upper).error();
  auto path = parse_path_object(r, c);
  if (!path) return std::move(path).error();
  double len = 0;
  for (std::size_t i = 1; i < path->points.size(); ++i)
    len += std::hypot(path->points[i].x.v - path->points[i - 1].x.v, path->points[i].y.v - path->points[i - 1].y.v);
  // No glyph is narrower than a fraction of the cap height: refuse such paths at load already.
  if (len < st.cap_height.v / 2)
    return r.error("path", "the microtext path is " + format_number(len) + " mm long, shorter than one glyph.",
                   "make the path longer (or check its coordinates).");
  auto el =
      std::make_shared<MicrotextElement>(std::move(c), *text, std::move(*refs), st, std::move(*path), *color, *upper);
  return std::shared_ptr<const Element>(std::move(el));
}

}  // namespace sdc::detail
