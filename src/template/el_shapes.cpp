// Shapes: rect (optionally rounded), ellipse, and vector paths (SVG path data in a view box).
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "template/elements.hpp"

namespace sdc::detail {

namespace {

Status parse_paint(JsonReader& r, ShapeElement& s) {
  if (r.has("fill")) {
    SDC_TRY_ASSIGN(s.fill, r.color("fill", std::nullopt));
  }
  if (r.has("stroke")) {
    SDC_TRY_ASSIGN(s.stroke, r.color("stroke", std::nullopt));
  }
  SDC_TRY_ASSIGN(const Mm sw, r.mm("stroke_width", 0.01, 10, 0.1));
  s.stroke_width = sw.v;
  if (!s.fill && !s.stroke)
    return r.error("", "the shape has neither 'fill' nor 'stroke'.", "add \"fill\": \"#RRGGBB\" or a stroke.");
  return {};
}

// SVG path data subset: M m L l H h V v C c Q q Z z, numbers separated by spaces or commas.
Status parse_path_data(JsonReader& r, const std::string& d, Path& out) {
  std::size_t i = 0;
  auto skip = [&] {
    while (i < d.size() && (d[i] == ' ' || d[i] == ',' || d[i] == '\n' || d[i] == '\t')) ++i;
  };
  auto bad = [&](const std::string& why) {
    return r.error("d", "path data: " + why + " at character " + std::to_string(i + 1) + ".",
                   "use SVG path commands M, L, H, V, C, Q, Z (absolute or relative) with numbers in the view box.");
  };
  double cx = 0, cy = 0, sx = 0, sy = 0;
  char cmd = 0;
  std::size_t count = 0;
  while (true) {
    skip();
    if (i >= d.size()) break;
    if (std::isalpha(static_cast<unsigned char>(d[i])))
      cmd = d[i++];
    else if (cmd == 0)
      return bad("expected a command letter");
    const bool rel = std::islower(static_cast<unsigned char>(cmd));
    const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(cmd)));
    auto read = [&](double& v) -> bool {
      skip();
      const char* b = d.c_str() + i;
      char* e = nullptr;
      v = std::strtod(b, &e);
      if (e == b) return false;
      i += static_cast<std::size_t>(e - b);
      return std::isfinite(v);
    };
    if (up == 'Z') {
      out.close();
      cx = sx, cy = sy;
      continue;
    }
    const int nargs = up == 'M' || up == 'L' ? 2 : up == 'H' || up == 'V' ? 1 : up == 'C' ? 6 : up == 'Q' ? 4 : -1;
    if (nargs < 0) return bad(std::string("unsupported command '") + cmd + "'");
    double a[6];
    for (int k = 0; k < nargs; ++k)
      if (!read(a[k])) return bad("expected a number");
    if (++count > 100000) return bad("too many segments (over 100000)");
    const double ox = rel ? cx : 0, oy = rel ? cy : 0;
    switch (up) {
      case 'M':
        cx = a[0] + ox, cy = a[1] + oy, sx = cx, sy = cy;
        out.move_to(cx, cy);
        cmd = rel ? 'l' : 'L';  // further pairs are line-tos
        break;
      case 'L': cx = a[0] + ox, cy = a[1] + oy, out.line_to(cx, cy); break;
      case 'H': cx = a[0] + (rel ? cx : 0), out.line_to(cx, cy); break;
      case 'V': cy = a[0] + (rel ? cy : 0), out.line_to(cx, cy); break;
      case 'C':
        out.cubic_to(a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy, a[4] + ox, a[5] + oy);
        cx = a[4] + ox, cy = a[5] + oy;
        break;
      case 'Q': {
        // Quadratic to cubic, exactly.
        const double qx = a[0] + ox, qy = a[1] + oy, ex = a[2] + ox, ey = a[3] + oy;
        out.cubic_to(cx + 2.0 / 3 * (qx - cx), cy + 2.0 / 3 * (qy - cy), ex + 2.0 / 3 * (qx - ex),
                     ey + 2.0 / 3 * (qy - ey), ex, ey);
        cx = ex, cy = ey;
        break;
      }
      default: break;
    }
  }
  if (out.empty() || out.verbs[0] != Path::Verb::move_to) return bad("the path must start with M");
  return {};
}

ParseResult parse_shape(JsonReader& r, ElementCommon c, ShapeElement::Kind kind) {
  ShapeElement s;
  s.kind = kind;
  SDC_TRY(parse_paint(r, s));
  if (kind == ShapeElement::Kind::rect) {
    SDC_TRY_ASSIGN(const Mm rad, r.mm("radius", 0, 50, 0.0));
    s.radius = rad.v;
  } else if (kind == ShapeElement::Kind::path) {
    SDC_TRY_ASSIGN(const std::string d, r.string("d", std::nullopt));
    SDC_TRY(parse_path_data(r, d, s.path));
    // The path is drawn in a view box scaled to the element's box.
    SDC_TRY_ASSIGN(const double vw, r.number("view_w", 0.001, 1e6, c.box.w.v, "units"));
    SDC_TRY_ASSIGN(const double vh, r.number("view_h", 0.001, 1e6, c.box.h.v, "units"));
    SDC_TRY_ASSIGN(const std::string rule, r.choice("fill_rule", {"nonzero", "evenodd"}, std::string("nonzero")));
    s.path.origin = {c.box.x, c.box.y};
    s.path.scale_x = c.box.w.v / vw;
    s.path.scale_y = c.box.h.v / vh;
    s.fill_rule = rule == "evenodd" ? FillRule::even_odd : FillRule::nonzero;
  }
  return make_spec(std::move(c), std::move(s));
}

}  // namespace

ParseResult parse_rect(JsonReader& r, ElementCommon c, const Base&) {
  return parse_shape(r, std::move(c), ShapeElement::Kind::rect);
}
ParseResult parse_ellipse(JsonReader& r, ElementCommon c, const Base&) {
  return parse_shape(r, std::move(c), ShapeElement::Kind::ellipse);
}
ParseResult parse_path(JsonReader& r, ElementCommon c, const Base&) {
  return parse_shape(r, std::move(c), ShapeElement::Kind::path);
}

}  // namespace sdc::detail
