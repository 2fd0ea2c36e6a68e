#include <gtest/gtest.h>
#include <sdc/lint.hpp>
#include <sdc/microtext.hpp>

#include <cmath>
#include <numbers>

#include "guilloche/security_support.hpp"

namespace sdc {
namespace {

const FontSet& fonts() {
  return test::composer().fonts();
}

TEST(Microtext, FontSizeGivesTheCapHeight) {
  MicrotextStyle st;
  st.cap_height = Mm{0.3};
  auto size = microtext_font_size(fonts(), st);
  ASSERT_TRUE(size);
  auto h = shape_text(fonts(), "H", TextStyle{.family = st.family, .size = *size}).value();
  EXPECT_NEAR(h.ink.h.v, 0.3, 0.003);
  st.cap_height = Mm{0.1};
  auto bad = microtext_font_size(fonts(), st);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().field, "cap_height");
}

TEST(Microtext, GlyphsFollowAnArcAndRepeatToFill) {
  MicrotextStyle st;
  st.cap_height = Mm{0.3};
  st.baseline = MicrotextStyle::Baseline::on_path;
  const MmPoint c{Mm{40}, Mm{27}};
  const auto path = arc_path(c, Mm{15}, Mm{15}, 180, 360);  // upper half circle, left to right
  auto l = layout_microtext(fonts(), "SPECIMEN", st, path);
  ASSERT_TRUE(l) << l.error().to_string();
  EXPECT_GT(l->copies, 5u);
  EXPECT_NEAR(l->path_length.v, std::numbers::pi * 15, 0.01);
  for (const auto& g : l->glyphs) {
    // On the circle (baseline on the path) and rotated to the tangent there.
    const double dx = g.origin.x.v - c.x.v, dy = g.origin.y.v - c.y.v;
    EXPECT_NEAR(std::hypot(dx, dy), 15, 0.01);
    const double tangent = std::atan2(dy, dx) + std::numbers::pi / 2;
    EXPECT_NEAR(std::remainder(g.angle_rad - tangent, 2 * std::numbers::pi), 0, 0.05);
  }
}

TEST(Microtext, ClosedPathsJoinSeamlessly) {
  MicrotextStyle st;
  st.cap_height = Mm{0.25};
  const auto path = rounded_rect_path(MmRect{Mm{1}, Mm{1}, Mm{83.6}, Mm{51.98}}, Mm{2.2});
  ASSERT_TRUE(path.closed);
  auto l = layout_microtext(fonts(), "SPECIMEN ISSUING AUTHORITY", st, path).value();
  ASSERT_GT(l.copies, 3u);
  // Whole copies only: the glyph count is a multiple of the copy's glyph count.
  EXPECT_EQ(l.glyphs.size() % l.copies, 0u);
  // The first glyph starts at the path's start (top middle), upright.
  EXPECT_NEAR(l.glyphs[0].angle_rad, 0, 1e-9);
  EXPECT_NEAR(l.glyphs[0].origin.x.v, 1 + 83.6 / 2, 1e-6);
}

TEST(Microtext, ErrorsNameTheProblem) {
  MicrotextStyle st;
  auto shortp = layout_microtext(fonts(), "SPECIMEN", st, line_path({Mm{0}, Mm{0}}, {Mm{0.05}, Mm{0}}));
  ASSERT_FALSE(shortp);
  EXPECT_EQ(shortp.error().code(), Errc::does_not_fit);
  EXPECT_NE(shortp.error().message().find("shorter than one glyph"), std::string::npos);
  st.fill = MicrotextStyle::Fill::once;
  auto once = layout_microtext(fonts(), "SPECIMEN SPECIMEN SPECIMEN", st, line_path({Mm{0}, Mm{0}}, {Mm{3}, Mm{0}}));
  ASSERT_FALSE(once);
  EXPECT_EQ(once.error().code(), Errc::does_not_fit);
  EXPECT_FALSE(layout_microtext(fonts(), "", MicrotextStyle{}, line_path({Mm{0}, Mm{0}}, {Mm{30}, Mm{0}})));
  MicrotextPath bad{{{Mm{0}, Mm{0}}, {Mm{std::nan("")}, Mm{0}}}, false};
  EXPECT_FALSE(layout_microtext(fonts(), "A", MicrotextStyle{}, bad));
  // Glyph limit: a long path at the smallest size is refused, not allocated.
  MicrotextStyle tiny;
  tiny.cap_height = Mm{0.15};
  auto many = layout_microtext(fonts(), "AB", tiny, line_path({Mm{0}, Mm{0}}, {Mm{400}, Mm{0}}),
                               MicrotextLimits{.max_glyphs = 1000});
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code(), Errc::limit_exceeded);
}

TEST(MicrotextElement, TemplateErrorsNameElementAndKey) {
  auto small = Template::parse(test::one_side(R"({"type": "microtext", "name": "mt", "x": 5, "y": 5, "w": 40,
      "h": 1, "text": "X", "cap_height": 0.1})"),
                               "t.json");
  ASSERT_FALSE(small);
  EXPECT_EQ(small.error().where().element, "mt");
  EXPECT_NE(small.error().where().json_path.find("cap_height"), std::string::npos);
  auto shortp = Template::parse(test::one_side(R"({"type": "microtext", "name": "mt", "x": 5, "y": 5, "w": 40,
      "h": 1, "text": "SPECIMEN", "path": {"shape": "line", "x1": 5, "y1": 5, "x2": 5.05, "y2": 5}})"),
                                "t.json");
  ASSERT_FALSE(shortp);
  EXPECT_NE(shortp.error().message().find("shorter than one glyph"), std::string::npos);
  // Personal text that only fails with a long value: the compose error names element and record.
  auto card = test::compose_json(test::one_side(R"({"type": "microtext", "name": "mt", "x": 5, "y": 5, "w": 3,
      "h": 1, "text": "{surname}", "fill": "once"})"),
                                 test::specimen_record());
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().where().element, "mt");
  EXPECT_EQ(card.error().code(), Errc::does_not_fit);
}

TEST(MicrotextElement, LintNeedsSevenPixelsOfCapHeight) {
  auto t = Template::parse(test::one_side(R"({"type": "microtext", "name": "border_mt", "x": 0, "y": 0, "w": 85.6,
      "h": 53.98, "text": "SPECIMEN", "cap_height": 0.25, "path": {"shape": "rounded_rect", "inset": 1}})"),
                           "t.json")
               .value();
  const auto w300 = lint(t, Dpi{300});
  ASSERT_EQ(w300.size(), 1u);
  EXPECT_EQ(w300[0].parameter, "cap_height");
  EXPECT_NE(w300[0].message.find("7"), std::string::npos);
  EXPECT_EQ(lint(t, Dpi{600}).size(), 1u);  // 0.25 mm is 5.9 px at 600 dpi
  EXPECT_TRUE(lint(t, Dpi{720}).empty());   // 7.1 px
  EXPECT_TRUE(lint(t, Dpi{1200}).empty());
}

TEST(MicrotextElement, EveryPathShapeDrawsInKInk) {
  const std::string shapes[] = {
      R"({"shape": "line", "x1": 10, "y1": 20, "x2": 70, "y2": 30})",
      R"({"shape": "arc", "rx": 12, "ry": 9, "start": 180, "end": 360})",
      R"({"shape": "ellipse"})",
      R"({"shape": "rounded_rect", "inset": 0.5})",
      R"({"shape": "guilloche", "family": "rose", "radius": 12, "amplitude": 4, "freq_a": 6, "freq_b": 1,
          "strokes": 3, "phase_step": 20, "stroke": 2})",
      R"({"shape": "guilloche", "family": "waves", "amplitude": 1, "wavelength": 12, "strokes": 4,
          "spacing": 2, "stroke": 3})",
  };
  for (const auto& path : shapes) {
    const auto json = test::one_side(R"({"type": "microtext", "name": "mt", "x": 10, "y": 10, "w": 60, "h": 30,
        "text": "SPECIMEN {document_number}", "cap_height": 0.3, "path": )" +
                                     path + "}");
    auto card = test::compose_json(json, test::specimen_record());
    ASSERT_TRUE(card) << path << ": " << card.error().to_string();
    const auto p = test::render_card(*card, 600);
    std::size_t k = 0, process = 0;
    for (int y = 0; y < p.k.height(); ++y)
      for (int x = 0; x < p.k.width(); ++x) {
        k += p.k.row(y)[x] > 128;
        process += p.process.row(y)[3 * x] != 255;
      }
    EXPECT_GT(k, 500u) << path;
    EXPECT_EQ(process, 0u) << path;  // K by default: nothing in the process plane
  }
  auto bad = Template::parse(test::one_side(R"({"type": "microtext", "name": "mt", "x": 10, "y": 10, "w": 60,
      "h": 30, "text": "X", "path": {"shape": "guilloche", "family": "rose", "strokes": 2, "stroke": 5}})"),
                             "t.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().where().json_path.find("path/stroke"), std::string::npos) << bad.error().to_string();
}

// ---- Legibility: read by OCR at 1200 dpi; unreadable after a 300 dpi scan and reprint ----

const char* kOcrText = "SECURE 4729 DOCUMENT";

Image microtext_crop(int dpi) {
  const auto json = test::one_side(std::string(R"({"type": "microtext", "name": "line", "x": 5, "y": 10, "w": 40,
      "h": 2, "text": ")") + kOcrText +
                                   R"(", "fill": "once", "cap_height": 0.4, "letter_spacing": 0.08,
      "font": "DejaVu Sans", "path": {"shape": "line", "x1": 5, "y1": 11, "x2": 45, "y2": 11}})");
  const auto p = test::render_json(json, dpi);
  const Image rgb = composite(p);
  const double k = dpi / 25.4;
  return test::crop_gray(rgb, PxRect{p.trim.x + static_cast<int>(4 * k), p.trim.y + static_cast<int>(9.5 * k),
                                     static_cast<int>(32 * k), static_cast<int>(3 * k)});
}

/// Area-average down by `f`, then bilinear back up: a scan at 1/f the resolution, printed back.
Image scan_and_reprint(const Image& g, int f) {
  const int w = g.width() / f, h = g.height() / f;
  std::vector<double> small(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int j = 0; j < f; ++j)
        for (int i = 0; i < f; ++i) s += g.row(y * f + j)[x * f + i];
      small[static_cast<std::size_t>(y) * w + x] = s / (f * f);
    }
  Image out(w * f, h * f, PixelFormat::gray8);
  for (int y = 0; y < h * f; ++y)
    for (int x = 0; x < w * f; ++x) {
      const double sx = std::clamp((x + 0.5) / f - 0.5, 0.0, w - 1.0),
                   sy = std::clamp((y + 0.5) / f - 0.5, 0.0, h - 1.0);
      const int x0 = static_cast<int>(sx), y0 = static_cast<int>(sy);
      const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
      const double fx = sx - x0, fy = sy - y0;
      auto at = [&](int xx, int yy) { return small[static_cast<std::size_t>(yy) * w + xx]; };
      const double v =
          (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
      // A reprint is binary: toner or not.
      out.row(y)[x] = v < 128 ? 0 : 255;
    }
  out.set_dpi(g.dpi());
  return out;
}

TEST(MicrotextOcr, ReadAt1200DpiNotAfterA300DpiCopy) {
  if (test::tesseract_binary().empty()) GTEST_SKIP() << "tesseract is not installed";
  const Image original = microtext_crop(1200);
  const std::string opts = "--psm 7 -l eng";
  const std::string read = test::squeeze(test::ocr(original, opts));
  const Image copy = scan_and_reprint(original, 4);
  const std::string read_copy = test::squeeze(test::ocr(copy, opts));
  const auto d = test::edit_distance(read, kOcrText), dc = test::edit_distance(read_copy, kOcrText);
  std::printf("OCR at 1200 dpi: '%s' (edit distance %zu)\n", read.c_str(), d);
  std::printf("OCR of the 300 dpi copy: '%s' (edit distance %zu of %zu characters)\n", read_copy.c_str(), dc,
              std::string(kOcrText).size());
  EXPECT_EQ(read, kOcrText);
  EXPECT_GT(dc, std::string(kOcrText).size() / 2);
}

}  // namespace
}  // namespace sdc
