// Shapes: rect (optionally rounded), ellipse, and vector paths (SVG path data in millimetres).
#include <cmath>
#include <numbers>

#include "template/elements.hpp"

namespace sdc::detail {

void set_source(cairo_t* cr, const Rgba& c) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

void transform_to_box(cairo_t* cr, const ElementCommon& c) {
  if (c.rotate_deg == 0) return;
  const double cx = c.box.x.v + c.box.w.v / 2, cy = c.box.y.v + c.box.h.v / 2;
  cairo_translate(cr, cx, cy);
  cairo_rotate(cr, c.rotate_deg * std::numbers::pi / 180.0);
  cairo_translate(cr, -cx, -cy);
}

void rounded_rect_path(cairo_t* cr, double x, double y, double w, double h, double r) {
  r = std::min({r, w / 2, h / 2});
  if (r <= 0) {
    cairo_rectangle(cr, x, y, w, h);
    return;
  }
  const double pi = std::numbers::pi;
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -pi / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, pi / 2);
  cairo_arc(cr, x + r, y + h - r, r, pi / 2, pi);
  cairo_arc(cr, x + r, y + r, r, pi, 3 * pi / 2);
  cairo_close_path(cr);
}

void ellipse_path(cairo_t* cr, double x, double y, double w, double h) {
  cairo_save(cr);
  cairo_translate(cr, x + w / 2, y + h / 2);
  cairo_scale(cr, w / 2, h / 2);
  cairo_new_sub_path(cr);
  cairo_arc(cr, 0, 0, 1, 0, 2 * std::numbers::pi);
  cairo_restore(cr);
}

Result<Paint> parse_paint(JsonReader& r) {
  Paint p;
  if (r.has("fill")) {
    auto f = r.color("fill", std::nullopt);
    if (!f) return std::move(f).error();
    p.fill = *f;
  }
  if (r.has("stroke")) {
    auto s = r.color("stroke", std::nullopt);
    if (!s) return std::move(s).error();
    p.stroke = *s;
  }
  auto sw = r.mm("stroke_width", 0.01, 10, 0.1);
  if (!sw) return std::move(sw).error();
  p.stroke_width = sw->v;
  if (!p.fill && !p.stroke)
    return r.error("", "the shape has neither 'fill' nor 'stroke'.", "add \"fill\": \"#RRGGBB\" or a stroke.");
  return p;
}

void apply_paint(cairo_t* cr, const Paint& p) {
  if (p.fill) {
    set_source(cr, *p.fill);
    p.stroke ? cairo_fill_preserve(cr) : cairo_fill(cr);
  }
  if (p.stroke) {
    set_source(cr, *p.stroke);
    cairo_set_line_width(cr, p.stroke_width);
    cairo_stroke(cr);
  }
}

namespace {

class ShapeItem final : public Item {
 public:
  enum class Kind { rect, ellipse, path };
  ShapeItem(ElementCommon c, Kind k, Paint p, double radius, std::shared_ptr<const PathData> path)
      : Item(std::move(c)), kind_(k), paint_(p), radius_(radius), path_(std::move(path)) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    const auto& b = common.box;
    cairo_save(cr);
    transform_to_box(cr, common);
    switch (kind_) {
      case Kind::rect: rounded_rect_path(cr, b.x.v, b.y.v, b.w.v, b.h.v, radius_); break;
      case Kind::ellipse: ellipse_path(cr, b.x.v, b.y.v, b.w.v, b.h.v); break;
      case Kind::path:
        // Build the path in the view box; the path survives the restore (Cairo keeps it in
        // device space), so the stroke width below stays in card millimetres.
        cairo_save(cr);
        cairo_translate(cr, b.x.v, b.y.v);
        cairo_scale(cr, path_->scale_x, path_->scale_y);
        for (const auto& s : path_->segs) {
          switch (s.op) {
            case 'M': cairo_move_to(cr, s.p[0], s.p[1]); break;
            case 'L': cairo_line_to(cr, s.p[0], s.p[1]); break;
            case 'C': cairo_curve_to(cr, s.p[0], s.p[1], s.p[2], s.p[3], s.p[4], s.p[5]); break;
            case 'Z': cairo_close_path(cr); break;
            default: break;
          }
        }
        cairo_restore(cr);
        break;
    }
    cairo_set_fill_rule(cr, path_ && path_->even_odd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
    apply_paint(cr, paint_);
    cairo_restore(cr);
  }

 private:
  Kind kind_;
  Paint paint_;
  double radius_;
  std::shared_ptr<const PathData> path_;
};

class ShapeElement final : public Element {
 public:
  ShapeElement(ElementCommon c, ShapeItem::Kind k, Paint p, double radius, std::shared_ptr<const PathData> path)
      : Element(std::move(c)), kind_(k), paint_(p), radius_(radius), path_(std::move(path)) {}
  bool personal() const override { return false; }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv&) const override {
    return std::shared_ptr<const Item>(std::make_shared<ShapeItem>(common, kind_, paint_, radius_, path_));
  }

 private:
  ShapeItem::Kind kind_;
  Paint paint_;
  double radius_;
  std::shared_ptr<const PathData> path_;
};

// SVG path data subset: M m L l H h V v C c Q q Z z, numbers separated by spaces or commas.
Result<std::shared_ptr<PathData>> parse_path_data(JsonReader& r, const std::string& d) {
  auto pd = std::make_shared<PathData>();
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
    auto read = [&](double& out) -> bool {
      skip();
      const char* b = d.c_str() + i;
      char* e = nullptr;
      out = std::strtod(b, &e);
      if (e == b) return false;
      i += static_cast<std::size_t>(e - b);
      return std::isfinite(out);
    };
    if (up == 'Z') {
      pd->segs.push_back({'Z', {}});
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
        pd->segs.push_back({'M', {cx, cy}});
        cmd = rel ? 'l' : 'L';  // further pairs are line-tos
        break;
      case 'L': cx = a[0] + ox, cy = a[1] + oy, pd->segs.push_back({'L', {cx, cy}}); break;
      case 'H': cx = a[0] + (rel ? cx : 0), pd->segs.push_back({'L', {cx, cy}}); break;
      case 'V': cy = a[0] + (rel ? cy : 0), pd->segs.push_back({'L', {cx, cy}}); break;
      case 'C':
        pd->segs.push_back({'C', {a[0] + ox, a[1] + oy, a[2] + ox, a[3] + oy, a[4] + ox, a[5] + oy}});
        cx = a[4] + ox, cy = a[5] + oy;
        break;
      case 'Q': {
        // Quadratic to cubic, exactly.
        const double qx = a[0] + ox, qy = a[1] + oy, ex = a[2] + ox, ey = a[3] + oy;
        pd->segs.push_back({'C',
                            {cx + 2.0 / 3 * (qx - cx), cy + 2.0 / 3 * (qy - cy), ex + 2.0 / 3 * (qx - ex),
                             ey + 2.0 / 3 * (qy - ey), ex, ey}});
        cx = ex, cy = ey;
        break;
      }
      default: break;
    }
  }
  if (pd->segs.empty() || pd->segs[0].op != 'M') return bad("the path must start with M");
  return pd;
}

Result<std::shared_ptr<const Element>> parse_shape(JsonReader& r, ElementCommon c, ShapeItem::Kind kind) {
  auto paint = parse_paint(r);
  if (!paint) return std::move(paint).error();
  double radius = 0;
  std::shared_ptr<const PathData> path;
  if (kind == ShapeItem::Kind::rect) {
    auto rad = r.mm("radius", 0, 50, 0.0);
    if (!rad) return std::move(rad).error();
    radius = rad->v;
  } else if (kind == ShapeItem::Kind::path) {
    auto d = r.string("d", std::nullopt);
    if (!d) return std::move(d).error();
    auto pd = parse_path_data(r, *d);
    if (!pd) return std::move(pd).error();
    // The path is drawn in a view box scaled to the element's box.
    auto vw = r.number("view_w", 0.001, 1e6, c.box.w.v, "units");
    if (!vw) return std::move(vw).error();
    auto vh = r.number("view_h", 0.001, 1e6, c.box.h.v, "units");
    if (!vh) return std::move(vh).error();
    auto eo = r.choice("fill_rule", {"nonzero", "evenodd"}, std::string("nonzero"));
    if (!eo) return std::move(eo).error();
    (*pd)->scale_x = c.box.w.v / *vw;
    (*pd)->scale_y = c.box.h.v / *vh;
    (*pd)->even_odd = *eo == "evenodd";
    path = std::move(*pd);
  }
  return std::shared_ptr<const Element>(std::make_shared<ShapeElement>(std::move(c), kind, *paint, radius, path));
}

}  // namespace

Result<std::shared_ptr<const Element>> parse_rect(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  return parse_shape(r, std::move(c), ShapeItem::Kind::rect);
}
Result<std::shared_ptr<const Element>> parse_ellipse(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  return parse_shape(r, std::move(c), ShapeItem::Kind::ellipse);
}
Result<std::shared_ptr<const Element>> parse_path(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  return parse_shape(r, std::move(c), ShapeItem::Kind::path);
}

}  // namespace sdc::detail
