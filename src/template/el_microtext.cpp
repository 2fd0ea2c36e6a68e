// Microtext element: text at 0.15-0.5 mm cap height along a line, arc, ellipse, rounded rectangle
// or guilloché stroke (microtext.hpp), static or with {field} references, K ink by default.
#include <cmath>

#include "core/format.hpp"
#include "core/utf8.hpp"
#include "template/elements.hpp"

namespace sdc::detail {

namespace {

Result<MicrotextPath> parse_path_object(JsonReader& e, const ElementCommon& c) {
  const auto& b = c.box;
  if (!e.has("path")) return line_path({b.x, b.y + b.h / 2}, {b.right(), b.y + b.h / 2});
  SDC_TRY_ASSIGN(auto pr, e.object("path"));
  JsonReader& r = pr;
  SDC_TRY_ASSIGN(auto shape, r.choice("shape", {"line", "arc", "ellipse", "rounded_rect", "guilloche"}, std::nullopt));
  MicrotextPath path;
  auto num_or = [&](const char* key, double lo, double hi, double def, const char* unit = "mm") -> Result<double> {
    return r.number(key, lo, hi, def, unit);
  };
#define SDC_GET(var, key, lo, hi, def, unit)       \
  auto var##_r = num_or(key, lo, hi, def, unit);   \
  if (!var##_r) return std::move(var##_r).error(); \
  const double var = *var##_r
  if (shape == "line") {
    SDC_GET(x1, "x1", -20, 300, b.x.v, "mm");
    SDC_GET(y1, "y1", -20, 300, b.y.v + b.h.v / 2, "mm");
    SDC_GET(x2, "x2", -20, 300, b.right().v, "mm");
    SDC_GET(y2, "y2", -20, 300, b.y.v + b.h.v / 2, "mm");
    path = line_path({Mm{x1}, Mm{y1}}, {Mm{x2}, Mm{y2}});
  } else if (shape == "arc" || shape == "ellipse") {
    SDC_GET(cx, "cx", -20, 300, b.x.v + b.w.v / 2, "mm");
    SDC_GET(cy, "cy", -20, 300, b.y.v + b.h.v / 2, "mm");
    SDC_GET(rx, "rx", 0, 300, b.w.v / 2, "mm");
    SDC_GET(ry, "ry", 0, 300, b.h.v / 2, "mm");
    SDC_GET(start, "start", -720, 720, -90, "degrees");
    SDC_GET(end, "end", -720, 720, shape == "ellipse" ? 270 : 0, "degrees");
    if (rx <= 0 || ry <= 0)
      return r.error(rx <= 0 ? "rx" : "ry", "an arc radius must be positive.", "give rx and ry above 0 mm.");
    path = arc_path({Mm{cx}, Mm{cy}}, Mm{rx}, Mm{ry}, start, shape == "ellipse" ? start + 360 : end);
  } else if (shape == "rounded_rect") {
    SDC_GET(inset, "inset", 0, 50, 0, "mm");
    SDC_GET(radius, "radius", 0, 50, std::max(0.0, 3.18 - inset), "mm");
    if (2 * inset >= std::min(b.w.v, b.h.v))
      return r.error("inset", "the inset leaves no rectangle inside the box.", "lower 'inset'.");
    path = rounded_rect_path(b.inset(Mm{inset}), Mm{radius});
  } else {
    SDC_TRY_ASSIGN(auto stroke, r.integer("stroke", 0, 1999, 0));
    SDC_TRY_ASSIGN(auto spec, parse_guilloche_spec(r, b));
    if (stroke >= spec.strokes)
      return r.error(
          "stroke",
          "stroke " + std::to_string(stroke) + " does not exist; the curve has " + std::to_string(spec.strokes) + ".",
          "choose a stroke from 0 to strokes - 1.");
    GuillocheSpec one = spec;
    one.phase += stroke * spec.phase_step;
    one.scale_step = 0;
    one.strokes = 1;
    if (spec.family == GuillocheFamily::rings || spec.family == GuillocheFamily::waves ||
        spec.family == GuillocheFamily::border) {
      // Strokes of these families differ by offset, not by phase alone: keep the index.
      one = spec;
      one.strokes = stroke + 1;
    } else if (spec.scale_step > 0) {
      one.radius *= 1 - stroke * spec.scale_step;
      one.pen *= 1 - stroke * spec.scale_step;
    }
    auto pl = guilloche_polylines(one, 0.002);
    if (!pl) return r.error("", pl.error().message(), pl.error().hint());
    path.points = std::move(pl->back().points);
    path.closed = pl->back().closed;
  }
#undef SDC_GET
  SDC_TRY(r.check_unknown_keys());
  return path;
}

}  // namespace

ParseResult parse_microtext(JsonReader& r, ElementCommon c, const Base&) {
  if (!r.has("ink")) c.ink = Ink::k;
  MicrotextElement m;
  SDC_TRY_ASSIGN(m.text, r.string("text", std::nullopt));
  SDC_TRY_ASSIGN(m.refs, parse_field_refs(r, "text", m.text));
  depend_on(c.deps, m.refs);
  MicrotextStyle& st = m.style;
  SDC_TRY_ASSIGN(st.family, r.string("font", st.family));
  SDC_TRY_ASSIGN(st.bold, r.boolean("bold", false));
  SDC_TRY_ASSIGN(st.cap_height, r.mm("cap_height", 0.15, 0.5, 0.25));
  SDC_TRY_ASSIGN(st.letter_spacing_em, r.number("letter_spacing", -0.2, 1, 0.05, "em"));
  SDC_TRY_ASSIGN(st.separator, r.string("separator", st.separator, true));
  SDC_TRY_ASSIGN(const std::string base, r.choice("baseline", {"center", "on_path"}, std::string("center")));
  st.baseline = base == "center" ? MicrotextStyle::Baseline::centered : MicrotextStyle::Baseline::on_path;
  SDC_TRY_ASSIGN(const std::string fill, r.choice("fill", {"repeat", "once"}, std::string("repeat")));
  st.fill = fill == "repeat" ? MicrotextStyle::Fill::repeat : MicrotextStyle::Fill::once;
  SDC_TRY_ASSIGN(m.color, r.color("color", Rgba{0, 0, 0, 1}));
  SDC_TRY_ASSIGN(m.uppercase, r.boolean("uppercase", false));
  // A text of spaces or zero-width characters prints an empty band that still passes as
  // microtext in a lint report and to an inspector's eye on screen.
  if (!detail::draws_something(m.text))
    return r.error("text", "the microtext draws nothing: it holds only spaces or invisible characters.",
                   "give visible text (or a {field} reference).");
  SDC_TRY_ASSIGN(m.path, parse_path_object(r, c));
  double len = 0;
  for (std::size_t i = 1; i < m.path.points.size(); ++i)
    len += std::hypot(m.path.points[i].x.v - m.path.points[i - 1].x.v, m.path.points[i].y.v - m.path.points[i - 1].y.v);
  // No glyph is narrower than a fraction of the cap height: refuse such paths at load already.
  if (len < st.cap_height.v / 2)
    return r.error("path", "the microtext path is " + format_number(len) + " mm long, shorter than one glyph.",
                   "make the path longer (or check its coordinates).");
  return make_spec(std::move(c), std::move(m));
}

}  // namespace sdc::detail
