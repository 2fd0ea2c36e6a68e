// A round-joined, round-capped stroke drawn from its coverage (round_stroke.hpp) against Cairo's
// own stroke of the same path, and through the canvas that draws display lists.
#include "render/round_stroke.hpp"

#include "render/canvas_cairo.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace sdc::detail {
namespace {

// An A8 surface, cleared, with a context in device pixels.
struct Plane {
  int w, h;
  cairo_surface_t* s;
  cairo_t* cr;
  Plane(int w_, int h_) : w(w_), h(h_), s(cairo_image_surface_create(CAIRO_FORMAT_A8, w_, h_)), cr(cairo_create(s)) {
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY);
  }
  ~Plane() {
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
  Plane(const Plane&) = delete;
  Plane& operator=(const Plane&) = delete;
  int at(int x, int y) {
    cairo_surface_flush(s);
    return cairo_image_surface_get_data(s)[y * cairo_image_surface_get_stride(s) + x];
  }
  double total() {
    double t = 0;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) t += at(x, y);
    return t / 255.0;
  }
};

// A wavy polyline like a guilloché wave: `n` points across `w` pixels.
std::vector<StrokeSegment> wave(double w, double y, double amplitude, double period, int n) {
  std::vector<StrokeSegment> out;
  double px = 2, py = y;
  for (int i = 1; i <= n; ++i) {
    const double x = 2 + (w - 4) * i / n;
    const double yy = y + amplitude * std::sin(2 * std::numbers::pi * (x - 2) / period);
    out.push_back({px, py, x, yy});
    px = x, py = yy;
  }
  return out;
}

// Cairo's stroke of `segs` (one polyline) with round joins and caps.
void cairo_stroke_of(Plane& p, const std::vector<StrokeSegment>& segs, double width) {
  cairo_move_to(p.cr, segs.front().x0, segs.front().y0);
  for (const auto& g : segs) cairo_line_to(p.cr, g.x1, g.y1);
  cairo_set_line_width(p.cr, width);
  cairo_set_line_join(p.cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(p.cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke(p.cr);
}

// Ours into the whole plane.
void coverage_of(Plane& p, const std::vector<StrokeSegment>& segs, double width) {
  cairo_surface_flush(p.s);
  round_stroke_coverage(segs, width / 2, PixelArea{0, 0, p.w, p.h}, cairo_image_surface_get_data(p.s),
                        cairo_image_surface_get_stride(p.s));
  cairo_surface_mark_dirty(p.s);
}

TEST(RoundStroke, InkMatchesCairosStrokeFromHairlineToThickLines) {
  // Device widths of a 0.05 to 0.2 mm line at 300 and 600 dpi, and a thick one.
  for (const double width : {0.59, 0.71, 1.18, 1.42, 2.36, 4.7, 9.0}) {
    Plane cairo(240, 60), ours(240, 60);
    const auto segs = wave(240, 30, 12, 37, 600);  // segments of 0.4 px, as flattened at 1/4 px
    cairo_stroke_of(cairo, segs, width);
    coverage_of(ours, segs, width);
    const double a = cairo.total(), b = ours.total();
    EXPECT_NEAR(b / a, 1.0, 0.03) << "width " << width << ": Cairo " << a << ", ours " << b;
    // Pixel by pixel: the same line, antialiased a little differently (measured: ink within 2 %).
    int worst = 0;
    for (int y = 0; y < 60; ++y)
      for (int x = 0; x < 240; ++x) worst = std::max(worst, std::abs(cairo.at(x, y) - ours.at(x, y)));
    EXPECT_LE(worst, 48) << "width " << width;  // measured: 12 to 32 of 255
  }
}

TEST(RoundStroke, AThickLineIsSolidInsideAndEmptyBeyondItsReach) {
  Plane p(60, 40);
  coverage_of(p, {{10.5, 20.5, 50.5, 20.5}}, 8);  // a horizontal line from pixel centre to pixel centre
  EXPECT_EQ(p.at(30, 20), 255);
  EXPECT_EQ(p.at(30, 17), 255);  // 3 px from the axis, inside the 4 px half width
  EXPECT_EQ(p.at(30, 25), 0);    // 5 px: beyond half width + half a pixel
  EXPECT_EQ(p.at(30, 15), 0);
  // The round cap: the disc around the end point, nothing beyond it.
  EXPECT_EQ(p.at(53, 20), 255);
  EXPECT_EQ(p.at(55, 20), 0);
  EXPECT_EQ(p.at(54, 24), 0);  // outside the disc though inside its bounding box
}

TEST(RoundStroke, ZeroLengthSegmentIsADotAndNoWidthIsNothing) {
  Plane p(20, 20);
  coverage_of(p, {{10.5, 10.5, 10.5, 10.5}}, 4);
  EXPECT_EQ(p.at(10, 10), 255);
  EXPECT_GT(p.at(12, 10), 0);
  EXPECT_EQ(p.at(14, 10), 0);
  coverage_of(p, {{10.5, 10.5, 15.5, 10.5}}, 0);
  EXPECT_EQ(p.total(), 0.0);
}

TEST(RoundStroke, CrossingLinesNeverOverflowAndTheAreaIsClipped) {
  Plane p(40, 40);
  // Two thick lines crossing, and a segment whose ends are far outside the area: only its part
  // near the area is walked.
  std::vector<StrokeSegment> segs{{0, 0, 40, 40}, {0, 40, 40, 0}, {-1e9, 20.5, 1e9, 20.5}};
  coverage_of(p, segs, 3);
  EXPECT_EQ(p.at(20, 20), 255);
  EXPECT_EQ(p.at(1, 20), 255);   // the long line, at the area's left
  EXPECT_EQ(p.at(38, 20), 255);  // and right
  // An area offset from the origin sees the same stroke shifted.
  std::vector<std::uint8_t> part(10 * 10);
  round_stroke_coverage(segs, 1.5, PixelArea{15, 15, 10, 10}, part.data(), 10);
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 10; ++x) EXPECT_EQ(part[y * 10 + x], p.at(15 + x, 15 + y)) << x << "," << y;
}

// Through the canvas: a guilloché-like path item with round joins and caps drawn by coverage
// lands where Cairo's stroke does, under the renderer's millimetre space, a rotation, an
// opacity group and a clip.
TEST(RoundStroke, TheCanvasDrawsAPathItemWhereCairoStrokesIt) {
  DisplayItem di;
  di.box = {Mm{2}, Mm{2}, Mm{16}, Mm{6}};
  PathItem item;
  PathDraw d;
  d.join = LineJoin::round;
  d.cap = LineCap::round;
  d.stroke_width = 0.06;
  d.stroke = Paint{.color = Rgba{0, 0, 0, 1}};
  for (int w = 0; w < 4; ++w) {
    d.path.move_to(2, 3 + w);
    for (int i = 1; i <= 400; ++i) d.path.line_to(2 + 16.0 * i / 400, 3 + w + 0.8 * std::sin(i * 0.11 + w));
  }
  item.draws.push_back(d);
  di.content = item;
  for (const double rotate : {0.0, 30.0}) {
    for (const bool clipped : {false, true}) {
      di.rotate_deg = rotate;
      auto& pi = std::get<PathItem>(di.content);
      pi.clip.reset();
      if (clipped) pi.clip.emplace().rect(5, 2, 6, 6);
      // Ours through draw_item; Cairo's stroke of the same path, placed the same way.
      Plane canvas(240, 120), reference(240, 120);
      const double k = 600 / 25.4;
      for (Plane* p : {&canvas, &reference}) cairo_scale(p->cr, k, k);
      GlyphPathCache scratch;
      // Rotated, it is drawn in a group, as draw_items draws a translucent item: the group's
      // surface has a device offset of its own.
      if (rotate != 0) cairo_push_group(canvas.cr);
      draw_item(canvas.cr, di, CanvasOptions{.dpi = Dpi{600}, .glyph_paths = &scratch});
      if (rotate != 0) {
        cairo_pop_group_to_source(canvas.cr);
        cairo_paint(canvas.cr);
      }
      ASSERT_EQ(cairo_status(canvas.cr), CAIRO_STATUS_SUCCESS);
      {
        cairo_t* cr = reference.cr;
        cairo_save(cr);
        const double cx = 10, cy = 5;
        cairo_translate(cr, cx, cy);
        cairo_rotate(cr, rotate * std::numbers::pi / 180.0);
        cairo_translate(cr, -cx, -cy);
        if (clipped) {
          cairo_rectangle(cr, 5, 2, 6, 6);
          cairo_clip(cr);
        }
        const double* a = d.path.args.data();
        for (const auto v : d.path.verbs) {
          if (v == Path::Verb::move_to) cairo_move_to(cr, a[0], a[1]);
          if (v == Path::Verb::line_to) cairo_line_to(cr, a[0], a[1]);
          a += Path::arg_count(v);
        }
        cairo_set_line_width(cr, d.stroke_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_stroke(cr);
        cairo_restore(cr);
      }
      const double a = reference.total(), b = canvas.total();
      ASSERT_GT(a, 100.0);
      EXPECT_NEAR(b / a, 1.0, 0.05) << "rotate " << rotate << " clipped " << clipped;
      // Where the reference has ink the canvas has ink, and the other way round.
      int misplaced = 0;
      for (int y = 0; y < 120; ++y)
        for (int x = 0; x < 240; ++x) {
          const int r = reference.at(x, y), c = canvas.at(x, y);
          misplaced += (r > 160 && c < 40) || (c > 160 && r < 40);
        }
      EXPECT_EQ(misplaced, 0) << "rotate " << rotate << " clipped " << clipped;
      if (rotate == 0 && !clipped) {
        // Upright and whole, the canvas's pixels are the coverage itself (black over nothing):
        // the stroke was drawn by coverage, not by Cairo.
        std::vector<StrokeSegment> segs;
        const double* arg = d.path.args.data();
        double px = 0, py = 0;
        for (const auto v : d.path.verbs) {
          if (v == Path::Verb::line_to) segs.push_back({px, py, arg[0] * k, arg[1] * k});
          px = arg[0] * k, py = arg[1] * k;
          arg += Path::arg_count(v);
        }
        Plane direct(240, 120);
        coverage_of(direct, segs, d.stroke_width * k);
        int differ = 0;
        for (int y = 0; y < 120; ++y)
          for (int x = 0; x < 240; ++x) differ += std::abs(direct.at(x, y) - canvas.at(x, y)) > 1;
        EXPECT_EQ(differ, 0);
      }
    }
  }
}

TEST(RoundStroke, TheCanvasLeavesOtherStrokesAndBadCoordinatesToCairo) {
  // A mitre-joined stroke and a path with a coordinate that is not finite: drawn as before,
  // without a crash or an error.
  DisplayItem di;
  PathItem item;
  PathDraw d;
  d.stroke_width = 0.3;
  d.stroke = Paint{.color = Rgba{0, 0, 0, 1}};
  d.path.move_to(1, 1);
  d.path.line_to(8, 1);
  item.draws.push_back(d);
  d.join = LineJoin::round;
  d.cap = LineCap::round;
  d.path = Path{};
  d.path.move_to(1, 3);
  d.path.line_to(std::nan(""), 3);
  d.path.line_to(8, 3);
  item.draws.push_back(d);
  di.content = item;
  Plane p(100, 60);
  cairo_scale(p.cr, 10, 10);
  draw_item(p.cr, di, CanvasOptions{.dpi = Dpi{254}});
  EXPECT_GT(p.at(40, 10), 200);  // the mitre-joined line, by Cairo
}

}  // namespace
}  // namespace sdc::detail
