// Drawing with cairo: ink lands in the layout's box, PDF output embeds the fonts.
#include "text/draw_cairo.hpp"

#include "text/text_support.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gtest/gtest.h>

#include <zlib.h>
#include <numbers>

#include <memory>
#include <thread>
#include <vector>

namespace sdc {
namespace {

using test::project_fonts;

struct Canvas {
  static constexpr double kDpi = 300;
  static constexpr double kPxPerMm = kDpi / 25.4;
  int w, h;
  cairo_surface_t* surface;
  cairo_t* cr;
  Canvas(double w_mm, double h_mm)
      : w(static_cast<int>(w_mm * kPxPerMm)),
        h(static_cast<int>(h_mm * kPxPerMm)),
        surface(cairo_image_surface_create(CAIRO_FORMAT_A8, w, h)),
        cr(cairo_create(surface)) {
    cairo_scale(cr, kPxPerMm, kPxPerMm);  // user space in mm, as the renderer sets it up
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
  }
  ~Canvas() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  struct Ink {
    long inside = 0, outside = 0;
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;  // mm
  };
  // Counts inked pixels inside and outside the rectangle (mm).
  Ink ink(MmRect r) {
    cairo_surface_flush(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    Ink out;
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        if (data[y * stride + x] < 32) continue;
        const double mx = (x + 0.5) / kPxPerMm, my = (y + 0.5) / kPxPerMm;
        const bool in = mx >= r.x.v && mx <= r.right().v && my >= r.y.v && my <= r.bottom().v;
        (in ? out.inside : out.outside) += 1;
        out.x0 = std::min(out.x0, mx), out.y0 = std::min(out.y0, my);
        out.x1 = std::max(out.x1, mx), out.y1 = std::max(out.y1, my);
      }
    return out;
  }
};

TEST(DrawCairo, NamesInkInsideTheirBoxAndWhereTheLayoutSays) {
  const char* names[] = {"Zoë Ødegård-Šimůnková", "محمد عبد الله", "अनिता शर्मा", "Nguyễn Thị Ngọc Ánh",
                         "Maria Fernanda Zoë Ødegård-Šimůnková"};
  for (const char* name : names) {
    SCOPED_TRACE(name);
    const MmRect box{Mm{5}, Mm{4}, Mm{30}, Mm{8}};
    const auto layout = fit_text(project_fonts(), name, {}, MmSize{box.w, box.h}, FitOptions{.min_size = Pt{6}});
    ASSERT_TRUE(layout) << layout.error().to_string();
    Canvas c(45, 16);
    detail::draw_text(c.cr, project_fonts(), *layout, box.x.v, box.y.v);
    // Glyph outlines may reach a little past the advance box (side bearings, accents over the
    // ascent); a quarter millimetre is the margin a designer keeps anyway.
    const auto ink = c.ink(box.inset(Mm{-0.25}));
    EXPECT_GT(ink.inside, 500);
    EXPECT_EQ(ink.outside, 0);
    // The drawn ink matches the layout's ink rectangle (to a pixel and a half).
    const double tol = 1.5 / Canvas::kPxPerMm;
    EXPECT_NEAR(ink.x0, box.x.v + layout->ink.x.v, tol);
    EXPECT_NEAR(ink.x1, box.x.v + layout->ink.right().v, tol);
    EXPECT_NEAR(ink.y0, box.y.v + layout->ink.y.v, tol);
    EXPECT_NEAR(ink.y1, box.y.v + layout->ink.bottom().v, tol);
  }
}

TEST(DrawCairo, TwoLinesInkBothHalves) {
  const auto layout = fit_text(project_fonts(), "Maria Fernanda Zoë Ødegård-Šimůnková", {}, MmSize{Mm{30}, Mm{8}},
                               FitOptions{.min_size = Pt{6}});
  ASSERT_TRUE(layout);
  ASSERT_EQ(layout->lines.size(), 2u);
  Canvas c(30, 8);
  detail::draw_text(c.cr, project_fonts(), *layout, 0, 0);
  const double split = (layout->lines[0].baseline.v + layout->lines[1].baseline.v) / 2 - layout->ascent.v / 2;
  EXPECT_GT(c.ink(MmRect{Mm{0}, Mm{0}, Mm{30}, Mm{split}}).inside, 300);
  EXPECT_GT(c.ink(MmRect{Mm{0}, Mm{split}, Mm{30}, Mm{8 - split}}).inside, 300);
}

TEST(DrawCairo, GlyphOutlinesArePlacedAndTurnedAtTheirOrigins) {
  const auto& fonts = project_fonts();
  const auto h = shape_text(fonts, "H", TextStyle{.size = Pt{36}});
  ASSERT_TRUE(h);
  const auto& g = h->lines[0].glyphs[0];
  Canvas c(40, 40);
  // One "H" with its baseline origin at (5, 15), unturned.
  const cairo_glyph_t at{g.glyph, 5, 15};
  detail::append_glyph_paths(c.cr, fonts, g.font, Pt{36}, &at, nullptr, 1);
  cairo_fill(c.cr);
  // Noto Sans "H": cap height 0.714 em above the baseline, at 36 pt = 12.7 mm em.
  const auto ink = c.ink(MmRect{Mm{5}, Mm{15 - 0.714 * 12.7 - 0.2}, Mm{g.advance_mm}, Mm{0.714 * 12.7 + 0.4}});
  EXPECT_GT(ink.inside, 1000);
  EXPECT_EQ(ink.outside, 0);
  EXPECT_NEAR(ink.y1, 15, 0.1);

  // The path has the extents of the public outline, moved to the origin; a glyph turned by 90
  // degrees about its origin has them turned (x -> -y, y -> x).
  const auto outline = fonts.glyph_outline(g.font, g.glyph, Pt{36});
  double oy0 = 1e9, oy1 = -1e9, ox0 = 1e9, ox1 = -1e9;
  for (const auto& p : outline->points) {
    ox0 = std::min(ox0, p.x.v), ox1 = std::max(ox1, p.x.v), oy0 = std::min(oy0, p.y.v), oy1 = std::max(oy1, p.y.v);
  }
  const double turn = std::numbers::pi / 2;
  for (const double* angles : {static_cast<const double*>(nullptr), &turn}) {
    cairo_new_path(c.cr);
    cairo_set_font_size(c.cr, 3.0);  // the caller's font state survives
    const cairo_glyph_t one{g.glyph, 20, 20};
    detail::append_glyph_paths(c.cr, fonts, g.font, Pt{36}, &one, angles, 1);
    double x0, y0, x1, y1;
    cairo_path_extents(c.cr, &x0, &y0, &x1, &y1);
    if (!angles) {
      EXPECT_NEAR(x0, 20 + ox0, 0.01);
      EXPECT_NEAR(x1, 20 + ox1, 0.01);
      EXPECT_NEAR(y0, 20 + oy0, 0.01);
      EXPECT_NEAR(y1, 20 + oy1, 0.01);
    } else {
      EXPECT_NEAR(x0, 20 - oy1, 0.01);
      EXPECT_NEAR(x1, 20 - oy0, 0.01);
      EXPECT_NEAR(y0, 20 + ox0, 0.01);
      EXPECT_NEAR(y1, 20 + ox1, 0.01);
    }
    cairo_matrix_t fm;
    cairo_get_font_matrix(c.cr, &fm);
    EXPECT_DOUBLE_EQ(fm.xx, 3.0);
    cairo_matrix_t m;
    cairo_get_matrix(c.cr, &m);
    EXPECT_DOUBLE_EQ(m.x0, 0.0);
  }
  EXPECT_NE(detail::cairo_face(fonts, g.font), nullptr);
  EXPECT_EQ(detail::cairo_face(fonts, 999), nullptr);
}

TEST(DrawCairo, ConcurrentDrawingWithOneFontSetGivesIdenticalPixels) {
  const char* names[] = {"Zoë Ødegård-Šimůnková", "محمد عبد الله", "अनिता शर्मा", "Nguyễn Thị Ngọc Ánh"};
  auto render = [&](const FontSet& fonts, const char* name) {
    const auto layout = fit_text(fonts, name, {}, MmSize{Mm{30}, Mm{8}}, FitOptions{.min_size = Pt{6}});
    Canvas c(30, 8);
    if (layout) detail::draw_text(c.cr, fonts, *layout, 0, 0);
    cairo_surface_flush(c.surface);
    const auto* data = cairo_image_surface_get_data(c.surface);
    return std::vector<unsigned char>(data, data + cairo_image_surface_get_stride(c.surface) * c.h);
  };
  const auto fonts = FontSet::load(std::filesystem::path(SDC_SOURCE_DIR) / "fonts");
  ASSERT_TRUE(fonts);
  std::vector<std::vector<unsigned char>> reference;
  for (const char* n : names) reference.push_back(render(project_fonts(), n));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 10; ++rep)
        for (std::size_t i = 0; i < 4; ++i) {
          const std::size_t k = (i + t) % 4;
          if (render(*fonts, names[k]) != reference[k]) ++mismatches[t];
        }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

TEST(DrawCairo, PdfEmbedsTheFontsUsed) {
  std::string pdf;
  auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  {
    // The layout outlives nothing: the FontSet copy is dropped before the surface is finished.
    cairo_surface_t* s = cairo_pdf_surface_create_for_stream(write, &pdf, 100, 50);
    cairo_t* cr = cairo_create(s);
    cairo_scale(cr, 72 / 25.4, 72 / 25.4);
    {
      auto fonts = FontSet::load(std::filesystem::path(SDC_SOURCE_DIR) / "fonts");
      ASSERT_TRUE(fonts);
      const auto layout = shape_text(*fonts, "Ana محمد", {});
      ASSERT_TRUE(layout);
      detail::draw_text(cr, *fonts, *layout, 2, 2);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
  }
  EXPECT_NE(pdf.find("/FontFile"), std::string::npos);
  EXPECT_NE(pdf.find("NotoSans-Regular"), std::string::npos);
  EXPECT_NE(pdf.find("NotoSansArabic"), std::string::npos);
}

// The decompressed content of every Flate stream of a PDF, concatenated.
std::string inflate_streams(const std::string& pdf) {
  std::string out;
  for (std::size_t at = pdf.find("stream\n"); at != std::string::npos; at = pdf.find("stream\n", at)) {
    const std::size_t begin = at + 7, end = pdf.find("endstream", begin);
    if (end == std::string::npos) break;
    std::vector<unsigned char> buf(1 << 20);
    uLongf len = buf.size();
    if (uncompress(buf.data(), &len, reinterpret_cast<const Bytef*>(pdf.data() + begin), end - begin) == Z_OK)
      out.append(reinterpret_cast<const char*>(buf.data()), len);
    at = end + 9;  // past "endstream", which itself ends in "stream"
  }
  return out;
}

TEST(DrawCairo, PdfCarriesTheRealTextOfEveryScript) {
  std::string pdf;
  auto write = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_surface_t* s = cairo_pdf_surface_create_for_stream(write, &pdf, 200, 100);
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
  cairo_t* cr = cairo_create(s);
  cairo_scale(cr, 72 / 25.4, 72 / 25.4);
  double y = 2;
  for (const char* name : {"Zoë Ødegård", "محمد عبد الله 1985", "अनिता शर्मा", "Name: محمد (ع)"}) {
    const auto layout = shape_text(project_fonts(), name, {});
    ASSERT_TRUE(layout);
    detail::draw_text(cr, project_fonts(), *layout, 2, y);
    y += 6;
  }
  // A wrong text-to-glyph mapping would put the context in an error state (INVALID_CLUSTERS).
  EXPECT_EQ(cairo_status(cr), CAIRO_STATUS_SUCCESS) << cairo_status_to_string(cairo_status(cr));
  cairo_destroy(cr);
  cairo_surface_finish(s);
  EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy(s);
  const std::string content = inflate_streams(pdf);
  ASSERT_FALSE(content.empty());
  // Arabic maps to its letters (U+0645 meem), not to presentation forms (U+FEE3 initial meem).
  EXPECT_NE(content.find("<0645>"), std::string::npos);
  EXPECT_EQ(content.find("<fee3>"), std::string::npos);
  // Devanagari नि (na + reordered i-matra) carries its text in logical order.
  EXPECT_NE(content.find("/ActualText <feff0928093f>"), std::string::npos);
}

}  // namespace
}  // namespace sdc
