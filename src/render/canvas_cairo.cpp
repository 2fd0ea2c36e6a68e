#include "render/canvas_cairo.hpp"

#include <sdc/qr.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <vector>

#include "render/round_stroke.hpp"
#include "text/draw_cairo.hpp"

namespace sdc::detail {

void set_source(cairo_t* cr, const Rgba& c) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

namespace {

void build_path(cairo_t* cr, const Path& p) {
  const bool transformed = p.origin.x.v != 0 || p.origin.y.v != 0 || p.scale_x != 1 || p.scale_y != 1;
  if (transformed) {
    // Build in the path's own space; the path survives the restore (Cairo keeps it in device
    // space), so stroke widths stay in card millimetres.
    cairo_save(cr);
    cairo_translate(cr, p.origin.x.v, p.origin.y.v);
    cairo_scale(cr, p.scale_x, p.scale_y);
  }
  const double* a = p.args.data();
  const double* end = a + p.args.size();
  using V = Path::Verb;
  for (const V v : p.verbs) {
    if (a + Path::arg_count(v) > end) break;  // malformed: ignore the rest
    switch (v) {
      case V::move_to: cairo_move_to(cr, a[0], a[1]); break;
      case V::line_to: cairo_line_to(cr, a[0], a[1]); break;
      case V::cubic_to: cairo_curve_to(cr, a[0], a[1], a[2], a[3], a[4], a[5]); break;
      case V::close: cairo_close_path(cr); break;
      case V::new_sub_path: cairo_new_sub_path(cr); break;
      case V::arc: cairo_arc(cr, a[0], a[1], a[2], a[3], a[4]); break;
      case V::rect: cairo_rectangle(cr, a[0], a[1], a[2], a[3]); break;
      case V::ellipse:
        cairo_save(cr);
        cairo_translate(cr, a[0] + a[2] / 2, a[1] + a[3] / 2);
        cairo_scale(cr, a[2] / 2, a[3] / 2);
        cairo_new_sub_path(cr);
        cairo_arc(cr, 0, 0, 1, 0, 2 * std::numbers::pi);
        cairo_restore(cr);
        break;
    }
    a += Path::arg_count(v);
  }
  if (transformed) cairo_restore(cr);
}

void set_paint(cairo_t* cr, const Paint& p) {
  if (p.gradient.size() < 2) {
    set_source(cr, p.color);
    return;
  }
  cairo_pattern_t* g = cairo_pattern_create_linear(p.p0.x.v, p.p0.y.v, p.p1.x.v, p.p1.y.v);
  const auto n = p.gradient.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = p.gradient[i];
    cairo_pattern_add_color_stop_rgba(g, static_cast<double>(i) / static_cast<double>(n - 1), c.r, c.g, c.b, c.a);
  }
  cairo_set_source(cr, g);
  cairo_pattern_destroy(g);
}

// The thickest stroke (half width, device pixels) drawn through round_stroke_coverage: its work
// grows with the square of the width, Cairo's does not.
constexpr double kMaxCoverageHalfWidth = 8.0;
// The largest mask it fills (pixels); a larger stroke is left to Cairo, whose memory is bounded.
constexpr long long kMaxCoveragePixels = 64LL << 20;

// The half width in device pixels at which stroke_by_coverage draws `d`'s stroke on this raster
// canvas; nothing when it cannot: it needs round joins and caps, straight segments only, a device
// transform that keeps circles circles, grey antialiasing (the renderer's; Cairo's default on an
// image surface) and a thin line. A width of 0, negative or NaN is left to Cairo, as before.
std::optional<double> coverage_half_width(cairo_t* cr, const PathDraw& d, const CanvasOptions& o) {
  if (o.vector || !d.stroke || d.join != LineJoin::round || d.cap != LineCap::round) return std::nullopt;
  const cairo_antialias_t aa = cairo_get_antialias(cr);
  if (aa != CAIRO_ANTIALIAS_DEFAULT && aa != CAIRO_ANTIALIAS_GRAY) return std::nullopt;
  using V = Path::Verb;
  for (const V v : d.path.verbs)
    if (v != V::move_to && v != V::line_to && v != V::close && v != V::new_sub_path) return std::nullopt;
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  const double scale = std::sqrt(std::abs(m.xx * m.yy - m.xy * m.yx));
  const double tol = 1e-9 * (std::abs(m.xx) + std::abs(m.xy) + std::abs(m.yx) + std::abs(m.yy));
  const bool similar = (std::abs(m.xx - m.yy) <= tol && std::abs(m.xy + m.yx) <= tol) ||
                       (std::abs(m.xx + m.yy) <= tol && std::abs(m.xy - m.yx) <= tol);
  const double half = d.stroke_width / 2 * scale;
  if (!similar || !(half > 0) || half > kMaxCoverageHalfWidth) return std::nullopt;
  return half;
}

// Strokes `d` at `half` device pixels each side (coverage_half_width) with the current source
// through a mask that round_stroke_coverage fills: the same outline Cairo would stroke, in a
// fraction of its time. Returns false, having drawn nothing, when a coordinate is not finite or
// the mask would be too large; the caller then strokes with Cairo.
bool stroke_by_coverage(cairo_t* cr, const PathDraw& d, double half, const CanvasOptions& o) {
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  const Path& p = d.path;
  std::vector<StrokeSegment> own;
  std::vector<StrokeSegment>& segs = o.glyph_paths ? o.glyph_paths->segments : own;
  segs.clear();
  double lo_x = HUGE_VAL, lo_y = HUGE_VAL, hi_x = -HUGE_VAL, hi_y = -HUGE_VAL;
  // Device position of a path point: the path's own placement, then the user-to-device matrix.
  auto device = [&](double x, double y, double& dx, double& dy) {
    const double ux = p.origin.x.v + x * p.scale_x, uy = p.origin.y.v + y * p.scale_y;
    dx = m.xx * ux + m.xy * uy + m.x0;
    dy = m.yx * ux + m.yy * uy + m.y0;
    lo_x = std::min(lo_x, dx), hi_x = std::max(hi_x, dx), lo_y = std::min(lo_y, dy), hi_y = std::max(hi_y, dy);
    return std::isfinite(dx) && std::isfinite(dy);
  };
  using V = Path::Verb;
  const double* a = p.args.data();
  const double* end = a + p.args.size();
  bool open = false;                      // a current point exists
  double sx = 0, sy = 0, cx = 0, cy = 0;  // the subpath's start and the current point
  for (const V v : p.verbs) {
    if (a + Path::arg_count(v) > end) break;  // malformed: ignore the rest, as build_path does
    double x, y;
    switch (v) {
      case V::move_to:
        if (!device(a[0], a[1], x, y)) return false;
        sx = cx = x, sy = cy = y, open = true;
        break;
      case V::line_to:
        if (!device(a[0], a[1], x, y)) return false;
        if (!open) sx = cx = x, sy = cy = y, open = true;  // Cairo: a line_to with no point moves
        segs.push_back({cx, cy, x, y});
        cx = x, cy = y;
        break;
      case V::close:
        if (open) segs.push_back({cx, cy, sx, sy});
        cx = sx, cy = sy;
        break;
      case V::new_sub_path: open = false; break;
      default: return false;
    }
    a += Path::arg_count(v);
  }
  if (segs.empty()) return true;
  // The mask covers the stroke's pixels within the clip.
  double c0x, c0y, c1x, c1y;
  cairo_save(cr);
  cairo_identity_matrix(cr);
  cairo_clip_extents(cr, &c0x, &c0y, &c1x, &c1y);
  cairo_restore(cr);
  const double reach = half + 1;
  const int x0 = static_cast<int>(std::floor(std::max(lo_x - reach, c0x)));
  const int y0 = static_cast<int>(std::floor(std::max(lo_y - reach, c0y)));
  const int x1 = static_cast<int>(std::ceil(std::min(hi_x + reach, c1x)));
  const int y1 = static_cast<int>(std::ceil(std::min(hi_y + reach, c1y)));
  if (x1 <= x0 || y1 <= y0) return true;  // nothing of it in the clip
  const int w = x1 - x0, h = y1 - y0;
  if (static_cast<long long>(w) * h > kMaxCoveragePixels) return false;
  const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_A8, w);
  std::vector<std::uint8_t> own_mask;
  std::vector<std::uint8_t>& mask = o.glyph_paths ? o.glyph_paths->mask : own_mask;
  mask.resize(static_cast<std::size_t>(stride) * static_cast<std::size_t>(h));
  round_stroke_coverage(segs, half, PixelArea{x0, y0, w, h}, mask.data(), stride);
  cairo_surface_t* s = cairo_image_surface_create_for_data(mask.data(), CAIRO_FORMAT_A8, w, h, stride);
  cairo_save(cr);
  cairo_identity_matrix(cr);  // the source keeps the user space it was set in
  cairo_mask_surface(cr, s, x0, y0);
  cairo_restore(cr);
  cairo_surface_finish(s);
  cairo_surface_destroy(s);
  return true;
}

void draw(cairo_t* cr, const PathItem& item, const DisplayItem&, const CanvasOptions& o) {
  if (item.clip) {
    build_path(cr, *item.clip);
    cairo_clip(cr);
  }
  for (const auto& d : item.draws) {
    const std::optional<double> half = coverage_half_width(cr, d, o);
    const bool by_coverage = half.has_value();
    if (d.fill || !by_coverage) build_path(cr, d.path);
    cairo_set_fill_rule(cr, d.fill_rule == FillRule::even_odd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
    if (d.fill) {
      set_paint(cr, *d.fill);
      d.stroke && !by_coverage ? cairo_fill_preserve(cr) : cairo_fill(cr);
    }
    if (d.stroke && by_coverage) {
      set_paint(cr, *d.stroke);
      if (stroke_by_coverage(cr, d, *half, o)) continue;
      build_path(cr, d.path);  // Cairo strokes it after all
    }
    if (d.stroke) {
      cairo_set_line_width(cr, d.stroke_width);
      cairo_set_line_join(cr, d.join == LineJoin::round   ? CAIRO_LINE_JOIN_ROUND
                              : d.join == LineJoin::bevel ? CAIRO_LINE_JOIN_BEVEL
                                                          : CAIRO_LINE_JOIN_MITER);
      cairo_set_line_cap(cr, d.cap == LineCap::round    ? CAIRO_LINE_CAP_ROUND
                             : d.cap == LineCap::square ? CAIRO_LINE_CAP_SQUARE
                                                        : CAIRO_LINE_CAP_BUTT);
      set_paint(cr, *d.stroke);
      cairo_stroke(cr);
    }
  }
}

void draw(cairo_t* cr, const TextItem& item, const DisplayItem&, const CanvasOptions&) {
  set_source(cr, item.color);
  draw_text(cr, item.fonts, item.layout, item.origin.x.v, item.origin.y.v);
}

bool same_matrix(const cairo_matrix_t& a, const cairo_matrix_t& b) {
  return a.xx == b.xx && a.yx == b.yx && a.xy == b.xy && a.yy == b.yy && a.x0 == b.x0 && a.y0 == b.y0;
}

void draw(cairo_t* cr, const GlyphsItem& item, const DisplayItem& di, const CanvasOptions& o) {
  set_source(cr, item.color);
  // Not inside an opacity group, whose surface has a device offset of its own.
  GlyphPathCache* cache = o.glyph_paths && !di.personal && di.opacity >= 1.0 && o.glyph_paths->current.get() == &di
                              ? o.glyph_paths
                              : nullptr;
  cairo_matrix_t ctm;
  cairo_get_matrix(cr, &ctm);
  if (cache) {
    for (const auto& e : cache->entries) {
      if (e.item.get() != &di || !same_matrix(e.ctm, ctm)) continue;
      cairo_save(cr);
      cairo_identity_matrix(cr);
      cairo_append_path(cr, e.path);
      cairo_restore(cr);
      cairo_fill(cr);
      return;
    }
  }
  // Per run of glyphs in one font, the font set once.
  std::vector<cairo_glyph_t> own_run;
  std::vector<double> own_angles;
  std::vector<cairo_glyph_t>& run = o.glyph_paths ? o.glyph_paths->run : own_run;
  std::vector<double>& angles = o.glyph_paths ? o.glyph_paths->angles : own_angles;
  for (std::size_t i = 0; i < item.glyphs.size();) {
    const std::uint16_t font = item.glyphs[i].font;
    run.clear();
    angles.clear();
    for (; i < item.glyphs.size() && item.glyphs[i].font == font; ++i) {
      const auto& g = item.glyphs[i];
      run.push_back(cairo_glyph_t{g.glyph, g.origin.x.v, g.origin.y.v});
      angles.push_back(g.angle_rad);
    }
    append_glyph_paths(cr, item.fonts, font, item.size, run.data(), angles.data(), static_cast<int>(run.size()));
  }
  if (cache) {
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_path_t* path = cairo_copy_path(cr);
    cairo_restore(cr);
    if (path->status == CAIRO_STATUS_SUCCESS) {
      if (cache->entries.size() >= GlyphPathCache::kMax) {
        cairo_path_destroy(cache->entries.front().path);
        cache->entries.erase(cache->entries.begin());
      }
      cache->entries.push_back({cache->current, ctm, path});
    } else {
      cairo_path_destroy(path);
    }
  }
  cairo_fill(cr);
}

/// Pixels as Cairo's premultiplied ARGB32, into `px` (resized).
void to_argb32(const Image& img, std::vector<std::uint32_t>& px) {
  const int w = img.width(), h = img.height(), ch = channels(img.format());
  px.resize(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* s = img.row(y);
    std::uint32_t* d = px.data() + static_cast<std::size_t>(y) * w;
    for (int x = 0; x < w; ++x, s += ch) {
      std::uint32_t r, g, b, a = 255;
      if (ch == 1)
        r = g = b = s[0];
      else
        r = s[0], g = s[1], b = s[2];
      if (ch == 4) a = s[3];
      // Premultiply with rounding.
      r = (r * a + 127) / 255, g = (g * a + 127) / 255, b = (b * a + 127) / 255;
      d[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
}

void draw(cairo_t* cr, const ImageItem& item, const DisplayItem&, const CanvasOptions& o) {
  if (!item.image || item.image->empty() || item.image->format() == PixelFormat::cmyk8) return;
  if (item.clip) {
    build_path(cr, *item.clip);
    cairo_clip(cr);
  }
  const Image& img = *item.image;
  // The worker's buffer on a raster surface (which reads it only while drawing); a vector
  // surface copies the pixels when it is finished below, so a buffer of its own is as good.
  std::vector<std::uint32_t> own;
  std::vector<std::uint32_t>& px = o.glyph_paths && !o.vector ? o.glyph_paths->argb : own;
  to_argb32(img, px);
  cairo_surface_t* s = cairo_image_surface_create_for_data(
      reinterpret_cast<unsigned char*>(px.data()), CAIRO_FORMAT_ARGB32, img.width(), img.height(), img.width() * 4);
  const auto& r = item.dest;
  cairo_save(cr);
  cairo_rectangle(cr, r.x.v, r.y.v, r.w.v, r.h.v);
  cairo_clip(cr);
  cairo_translate(cr, r.x.v, r.y.v);
  cairo_scale(cr, r.w.v / img.width(), r.h.v / img.height());
  cairo_set_source_surface(cr, s, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  cairo_paint(cr);
  cairo_restore(cr);
  // A vector surface may still reference the pixels: it copies them when the surface is finished
  // (snapshot on destroy), so the buffer must outlive the surface object, not the page.
  cairo_surface_finish(s);
  cairo_surface_destroy(s);
}

void draw(cairo_t* cr, const QrItem& item, const DisplayItem& di, const CanvasOptions& o) {
  const QrMatrix& m = item.matrix;
  if (m.empty()) return;
  const auto& b = di.box;
  const Mm side{std::min(b.w.v, b.h.v)};
  const int q = item.quiet;
  const double module = o.vector ? side.v / (m.size + 2 * q) : layout_qr(m, side, o.dpi, q).module.v;
  const double total = module * (m.size + 2 * q);
  // Centre the code in the box; on raster output snap the origin to the device pixel grid so
  // every module edge falls on a pixel edge (crisp, full-coverage K modules).
  double x0 = b.x.v + (b.w.v - total) / 2 + q * module;
  double y0 = b.y.v + (b.h.v - total) / 2 + q * module;
  if (!o.vector) {
    double ux = x0, uy = y0;
    cairo_user_to_device(cr, &ux, &uy);
    ux = std::round(ux), uy = std::round(uy);
    cairo_device_to_user(cr, &ux, &uy);
    x0 = ux, y0 = uy;
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < m.size; ++y) {
    for (int x = 0; x < m.size;) {
      if (!m.at(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < m.size && m.at(x + run, y)) ++run;
      cairo_rectangle(cr, x0 + x * module, y0 + y * module, run * module, module);
      x += run;
    }
  }
  cairo_fill(cr);
}

}  // namespace

GlyphPathCache::~GlyphPathCache() {
  for (auto& e : entries) cairo_path_destroy(e.path);
}

void draw_item(cairo_t* cr, const DisplayItem& item, const CanvasOptions& options) {
  cairo_save(cr);
  if (item.rotate_deg != 0) {
    const auto& b = item.box;
    const double cx = b.x.v + b.w.v / 2, cy = b.y.v + b.h.v / 2;
    cairo_translate(cr, cx, cy);
    cairo_rotate(cr, item.rotate_deg * std::numbers::pi / 180.0);
    cairo_translate(cr, -cx, -cy);
  }
  std::visit([&](const auto& content) { draw(cr, content, item, options); }, item.content);
  cairo_restore(cr);
}

Status draw_items(cairo_t* cr, const SideDisplay& side, Ink ink, const CanvasOptions& options, std::size_t first,
                  std::size_t last) {
  last = std::min(last, side.items.size());
  for (std::size_t i = first; i < last; ++i) {
    const DisplayItem& it = *side.items[i];
    if (it.ink != ink) continue;
    if (options.glyph_paths) options.glyph_paths->current = side.items[i];
    cairo_save(cr);
    if (it.opacity < 1.0) {
      cairo_push_group(cr);
      draw_item(cr, it, options);
      cairo_pop_group_to_source(cr);
      cairo_paint_with_alpha(cr, it.opacity);
    } else {
      draw_item(cr, it, options);
    }
    cairo_restore(cr);
    if (const cairo_status_t st = cairo_status(cr); st != CAIRO_STATUS_SUCCESS)
      return Error(
          Errc::internal,
          "Cairo could not draw the element '" + it.name + "' (" + it.type + "): " + cairo_status_to_string(st) + ".",
          st == CAIRO_STATUS_NO_MEMORY ? "give the process more memory or lower the dpi."
                                       : "report this as a bug, with the template.",
          Where{.element = it.name});
  }
  return {};
}

}  // namespace sdc::detail
