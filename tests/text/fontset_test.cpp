// FontSet: loading, lookup by family and file name, errors, glyph outlines.
#include <sdc/text.hpp>

#include "text/text_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace sdc {
namespace {

using test::project_fonts;

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sdc_text_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(FontSet, LoadsTheShippedFontsInFileNameOrder) {
  const auto& fonts = project_fonts();
  ASSERT_FALSE(fonts.empty());
  ASSERT_EQ(fonts.size(), 7u);
  std::vector<std::string> files;
  for (std::uint16_t i = 0; i < fonts.size(); ++i) files.push_back(fonts.info(i).file.filename().string());
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
  EXPECT_EQ(fonts.families(), (std::vector<std::string>{"DejaVu Sans", "Noto Sans", "Noto Sans Arabic",
                                                        "Noto Sans Devanagari", "OCR B"}));
  const auto& bold = fonts.info(test::font_index("Noto Sans", true));
  EXPECT_EQ(bold.file.filename(), "NotoSans-Bold.ttf");
  EXPECT_TRUE(bold.bold);
  EXPECT_EQ(bold.weight, 700);
  const auto& regular = fonts.info(test::font_index("Noto Sans"));
  EXPECT_EQ(regular.file.filename(), "NotoSans-Regular.ttf");
  EXPECT_FALSE(regular.bold);
  EXPECT_EQ(regular.units_per_em, 1000);
  EXPECT_THROW((void)fonts.info(static_cast<std::uint16_t>(fonts.size())), std::out_of_range);
}

TEST(FontSet, FindsFamiliesLooselyAndFilesByName) {
  const auto& fonts = project_fonts();
  const auto ocr = fonts.find("OCR-B");
  ASSERT_TRUE(ocr) << ocr.error().to_string();
  EXPECT_EQ(fonts.info(*ocr).family, "OCR B");
  EXPECT_EQ(*fonts.find("ocr b"), *ocr);
  EXPECT_EQ(*fonts.find("OCRB.otf"), *ocr);
  EXPECT_EQ(fonts.info(*fonts.find("NotoSans-Bold.ttf")).file.filename(), "NotoSans-Bold.ttf");
  // A file name selects that file, whatever `bold` says.
  EXPECT_EQ(fonts.info(*fonts.find("NotoSans-Bold", false)).file.filename(), "NotoSans-Bold.ttf");
  EXPECT_EQ(fonts.info(*fonts.find("dejavu sans", true)).file.filename(), "DejaVuSans-Bold.ttf");
  // No bold Arabic face: the nearest weight, the regular one.
  EXPECT_EQ(fonts.info(*fonts.find("Noto Sans Arabic", true)).file.filename(), "NotoSansArabic-Regular.ttf");
}

TEST(FontSet, MissingFamilyIsAnErrorListingTheAvailableOnes) {
  const auto r = project_fonts().find("Comic Sans");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::bad_font);
  EXPECT_NE(r.error().message().find("\"Comic Sans\""), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("Noto Sans Arabic"), std::string::npos);
  EXPECT_NE(r.error().message().find("OCR B"), std::string::npos);
  EXPECT_FALSE(r.error().hint().empty());

  const auto shaped = shape_text(project_fonts(), "Anna", TextStyle{.family = "Helvetica"});
  ASSERT_FALSE(shaped);
  EXPECT_EQ(shaped.error().code(), Errc::bad_font);
  EXPECT_NE(shaped.error().message().find("Helvetica"), std::string::npos);

  const FontSet empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0u);
  const auto none = shape_text(empty, "Anna", {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Errc::bad_font);
}

TEST(FontSet, LoadErrorsNameTheDirectoryOrFile) {
  const auto missing = FontSet::load("/nonexistent/sdc/fonts");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::io);
  EXPECT_EQ(missing.error().where().file, "/nonexistent/sdc/fonts");

  const auto dir = temp_dir("fonts");
  std::ofstream(dir / "README.md") << "no fonts here\n";
  const auto no_fonts = FontSet::load(dir);
  ASSERT_FALSE(no_fonts);
  EXPECT_EQ(no_fonts.error().code(), Errc::bad_font);

  std::ofstream(dir / "Broken.ttf") << "this is not a font";
  const auto broken = FontSet::load(dir);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code(), Errc::bad_font);
  EXPECT_EQ(std::filesystem::path(broken.error().where().file).filename(), "Broken.ttf");
  EXPECT_NE(broken.error().message().find("Broken.ttf"), std::string::npos);

  std::ofstream(dir / "Empty.otf").flush();
  const auto empty = FontSet::load_files({dir / "Empty.otf"});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), Errc::bad_font);
  EXPECT_FALSE(FontSet::load_files({}));
  std::filesystem::remove_all(dir);
}

TEST(FontSet, LoadFilesKeepsTheGivenOrder) {
  const std::filesystem::path dir = std::filesystem::path(SDC_SOURCE_DIR) / "fonts";
  const auto r = FontSet::load_files({dir / "OCRB.otf", dir / "NotoSans-Regular.ttf"});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->info(0).family, "OCR B");
  EXPECT_EQ(r->info(1).family, "Noto Sans");
  // Copies share the fonts and stay usable after the original is gone.
  FontSet copy;
  {
    const FontSet original = *r;
    copy = original;
  }
  EXPECT_TRUE(shape_text(copy, "P<UTO", TextStyle{.family = "OCR-B"}));
}

TEST(FontSet, GlyphOutlineIsInMillimetresYDown) {
  const auto& fonts = project_fonts();
  const auto layout = shape_text(fonts, "H", TextStyle{.size = Pt{72}});  // em = 25.4 mm
  ASSERT_TRUE(layout);
  const auto& g = layout->lines[0].glyphs.at(0);
  const auto outline = fonts.glyph_outline(g.font, g.glyph, Pt{72});
  ASSERT_TRUE(outline) << outline.error().to_string();
  ASSERT_FALSE(outline->empty());
  EXPECT_EQ(outline->verbs.front(), GlyphOutline::Verb::move_to);
  EXPECT_EQ(std::count(outline->verbs.begin(), outline->verbs.end(), GlyphOutline::Verb::close), 1);
  double ymin = 1e9, ymax = -1e9, xmax = -1e9;
  for (const auto& p : outline->points) {
    ymin = std::min(ymin, p.y.v), ymax = std::max(ymax, p.y.v), xmax = std::max(xmax, p.x.v);
  }
  // Noto Sans cap height is 714 units per 1000: 18.1 mm above the baseline at 72 pt.
  EXPECT_NEAR(ymin, -0.714 * 25.4, 0.05);
  EXPECT_NEAR(ymax, 0, 1e-9);
  EXPECT_LT(xmax, g.advance_mm);

  const auto space = shape_text(fonts, " ", {});
  ASSERT_TRUE(space);
  const auto& sg = space->lines[0].glyphs.at(0);
  EXPECT_TRUE(fonts.glyph_outline(sg.font, sg.glyph, Pt{8})->empty());
  EXPECT_FALSE(fonts.glyph_outline(999, 1, Pt{8}));
  EXPECT_FALSE(fonts.glyph_outline(0, 1, Pt{0}));
}

}  // namespace
}  // namespace sdc
