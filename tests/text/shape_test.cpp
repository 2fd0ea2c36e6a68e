// shape_text(): glyph order, cluster mapping, joining, reordering, marks, bidi and fallback for
// the scripts of the names sdc prints.
#include <sdc/text.hpp>

#include "text/text_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace sdc {
namespace {

using test::clusters_of;
using test::font_index;
using test::glyphs_of;
using test::project_fonts;

TextLayout shape(std::string_view text, const TextStyle& style = {}) {
  auto r = shape_text(project_fonts(), text, style);
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

// The single glyph a lone character shapes to.
std::uint32_t lone_glyph(std::string_view ch, const TextStyle& style = {}) {
  const auto l = shape(ch, style);
  EXPECT_EQ(l.lines.at(0).glyphs.size(), 1u) << ch;
  return l.lines.at(0).glyphs.at(0).glyph;
}

// Byte offset of every code point of a UTF-8 string.
std::vector<std::uint32_t> char_offsets(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(static_cast<std::uint32_t>(i));
  return out;
}

// Top of a glyph's ink, in mm above its origin.
double ink_top(const PositionedGlyph& g, Pt size) {
  const auto o = project_fonts().glyph_outline(g.font, g.glyph, size);
  double top = 0;
  for (const auto& p : o->points) top = std::max(top, -p.y.v);
  return top;
}

void expect_advancing(const TextLine& line) {
  for (std::size_t i = 1; i < line.glyphs.size(); ++i)
    EXPECT_NEAR(line.glyphs[i].x_mm - line.glyphs[i - 1].x_mm, line.glyphs[i - 1].advance_mm, 1e-9)
        << "glyph " << i << " is not at the pen position (no mark offsets expected here)";
}

TEST(Shape, LatinWithDiacriticsMapsOneGlyphPerCharacter) {
  const std::string name = "Zoë Ødegård-Šimůnková";
  const auto l = shape(name);
  ASSERT_EQ(l.lines.size(), 1u);
  const auto& line = l.lines[0];
  EXPECT_FALSE(l.rtl);
  EXPECT_EQ(clusters_of(line), char_offsets(name));  // precomposed glyphs, logical = visual order
  for (const auto& g : line.glyphs) EXPECT_EQ(g.font, font_index("Noto Sans"));
  for (const auto& g : line.glyphs) EXPECT_NE(g.glyph, 0u);
  expect_advancing(line);
  EXPECT_NEAR(line.width.v, line.glyphs.back().x_mm + line.glyphs.back().advance_mm, 1e-9);
  // ë, Ø, å, Š, ů are their own glyphs, not the base letters.
  EXPECT_NE(line.glyphs[2].glyph, lone_glyph("e"));
  EXPECT_EQ(line.glyphs[2].glyph, lone_glyph("ë"));
  EXPECT_NE(line.glyphs[12].glyph, lone_glyph("S"));
  EXPECT_EQ(line.glyphs[12].glyph, lone_glyph("Š"));
  // Baseline at the ascent, x from 0; the natural box holds the line.
  EXPECT_DOUBLE_EQ(line.glyphs[0].x_mm, 0);
  EXPECT_DOUBLE_EQ(line.glyphs[0].y_mm, l.ascent.v);
  EXPECT_DOUBLE_EQ(line.baseline.v, l.ascent.v);
  EXPECT_DOUBLE_EQ(l.box.w.v, line.width.v);
  EXPECT_NEAR(l.box.h.v, (l.ascent + l.descent).v, 1e-12);
  EXPECT_EQ(line.begin, 0u);
  EXPECT_EQ(line.end, name.size());
  EXPECT_EQ(l.text, name);
}

TEST(Shape, CyrillicKeepsLogicalOrder) {
  const std::string name = "Ковальчук Олександр";
  const auto l = shape(name);
  const auto& line = l.lines.at(0);
  EXPECT_FALSE(l.rtl);
  EXPECT_EQ(clusters_of(line), char_offsets(name));
  for (const auto& g : line.glyphs) EXPECT_EQ(g.font, font_index("Noto Sans"));
  expect_advancing(line);
  // The same letter gives the same glyph: К at 0 and к at 14 differ by case, а at 6 repeats at 29.
  EXPECT_EQ(line.glyphs[3].glyph, lone_glyph("а"));
  EXPECT_EQ(line.glyphs[3].glyph, line.glyphs[15].glyph);  // "Олександр": а at index 15
  EXPECT_NE(line.glyphs[0].glyph, line.glyphs[8].glyph);   // К vs к
}

TEST(Shape, ArabicIsRightToLeftJoinedAndInVisualOrder) {
  const std::string name = "محمد عبد الله";
  const auto l = shape(name);
  const auto& line = l.lines.at(0);
  EXPECT_TRUE(l.rtl);
  EXPECT_TRUE(line.rtl);
  // Fallback: Noto Sans has no Arabic, Noto Sans Arabic draws every cluster (spaces stay with it).
  for (const auto& g : line.glyphs) EXPECT_EQ(g.font, font_index("Noto Sans Arabic"));
  // Visual order, left to right: clusters never increase; the first letter is drawn rightmost.
  const auto cl = clusters_of(line);
  EXPECT_TRUE(std::is_sorted(cl.rbegin(), cl.rend())) << ::testing::PrintToString(cl);
  EXPECT_EQ(cl.back(), 0u);
  EXPECT_EQ(cl.front(), char_offsets(name).back());  // the last letter is drawn leftmost
  const auto rightmost = std::max_element(line.glyphs.begin(), line.glyphs.end(),
                                          [](const auto& a, const auto& b) { return a.x_mm < b.x_mm; });
  EXPECT_EQ(rightmost->cluster, 0u);

  // Joining: م isolated, initial (محمد starts with it) and medial (its second م) are three glyphs.
  const auto isolated = lone_glyph("م");
  const auto word = shape("محمد").lines.at(0);
  ASSERT_EQ(word.glyphs.size(), 4u);
  EXPECT_EQ(clusters_of(word), (std::vector<std::uint32_t>{6, 4, 2, 0}));
  const auto initial = word.glyphs[3].glyph;  // cluster 0
  const auto medial = word.glyphs[1].glyph;   // cluster 4
  EXPECT_NE(initial, isolated);
  EXPECT_NE(medial, isolated);
  EXPECT_NE(initial, medial);
  // د at the end is a final form, unlike a lone د.
  EXPECT_NE(word.glyphs[0].glyph, lone_glyph("د"));
  // The same word inside the full name shapes the same way (words do not join across spaces).
  const auto all = glyphs_of(line);
  EXPECT_EQ(std::vector<std::uint32_t>(all.end() - 4, all.end()), glyphs_of(word));
}

TEST(Shape, ArabicWithDigitsFollowsTheBidiAlgorithm) {
  const std::string text = "محمد 1985";  // Arabic name, space, Latin digits
  const auto l = shape(text);
  const auto& line = l.lines.at(0);
  EXPECT_TRUE(l.rtl);
  // Visual: "1985" at the left, reading left to right, then the space, then محمد right to left.
  EXPECT_EQ(clusters_of(line), (std::vector<std::uint32_t>{9, 10, 11, 12, 8, 6, 4, 2, 0}));
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(line.glyphs[i].glyph, lone_glyph(std::string(1, "1985"[i]), {.family = "Noto Sans Arabic"}));

  // An LTR paragraph with an Arabic name inside: the Latin stays first, the Arabic is reversed.
  const std::string mixed = "Name: محمد";
  const auto m = shape(mixed).lines.at(0);
  EXPECT_FALSE(shape(mixed).rtl);
  EXPECT_EQ(clusters_of(m), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 12, 10, 8, 6}));
  EXPECT_EQ(m.glyphs[0].font, font_index("Noto Sans"));
  EXPECT_EQ(m.glyphs[9].font, font_index("Noto Sans Arabic"));

  // Forcing the direction: the same text in an RTL paragraph puts "Name:" at the right.
  const auto r = shape(mixed, TextStyle{.direction = TextDirection::rtl}).lines.at(0);
  EXPECT_TRUE(r.rtl);
  // ":" and the space between the runs take the paragraph's direction (rule N1).
  EXPECT_EQ(clusters_of(r), (std::vector<std::uint32_t>{12, 10, 8, 6, 5, 4, 0, 1, 2, 3}));
}

TEST(Shape, DevanagariReordersTheIMatraAndFallsBackToTheDevanagariFont) {
  const std::string name = "अनिता शर्मा";
  const auto l = shape(name);
  const auto& line = l.lines.at(0);
  EXPECT_FALSE(l.rtl);
  for (const auto& g : line.glyphs) EXPECT_EQ(g.font, font_index("Noto Sans Devanagari"));
  const auto cl = clusters_of(line);
  EXPECT_TRUE(std::is_sorted(cl.begin(), cl.end())) << ::testing::PrintToString(cl);
  // नि = न (byte 3) + ि (byte 6): one cluster, and the i-matra glyph is drawn before (left of) न.
  const auto na = lone_glyph("न");
  std::vector<const PositionedGlyph*> ni;
  for (const auto& g : line.glyphs)
    if (g.cluster == 3) ni.push_back(&g);
  ASSERT_EQ(ni.size(), 2u);
  EXPECT_NE(ni[0]->glyph, na);
  EXPECT_EQ(ni[1]->glyph, na);
  EXPECT_LT(ni[0]->x_mm, ni[1]->x_mm);
  // शर्मा: र + ् before म becomes a reph drawn after (right of) म, not a full र.
  const auto ra = lone_glyph("र");
  const auto ids = glyphs_of(line);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), ra), 0);
  EXPECT_LT(line.glyphs.size(), char_offsets(name).size());
  EXPECT_DOUBLE_EQ(line.glyphs.back().advance_mm, 0);  // the reph sits over the syllable

  // "देवनागरी": the long ī matra follows its consonant.
  const auto d = shape("देवनागरी").lines.at(0);
  for (const auto& g : d.glyphs) EXPECT_EQ(g.font, font_index("Noto Sans Devanagari"));
  EXPECT_EQ(d.glyphs.front().cluster, 0u);
  EXPECT_EQ(d.glyphs.back().cluster, 18u);  // री
}

TEST(Shape, VietnameseStackedDiacriticsUsePrecomposedGlyphsOrStackedMarks) {
  const std::string name = "Nguyễn Thị Ngọc Ánh";
  const auto l = shape(name);
  const auto& line = l.lines.at(0);
  EXPECT_EQ(clusters_of(line), char_offsets(name));
  // Noto Sans has precomposed ễ, ị, ọ, Á: one glyph each, taller than ê, which is taller than e.
  const auto e_hat_tilde =
      *std::find_if(line.glyphs.begin(), line.glyphs.end(), [](const auto& g) { return g.cluster == 4; });
  const auto e = shape("e").lines[0].glyphs[0];
  const auto e_hat = shape("ê").lines[0].glyphs[0];
  EXPECT_NE(e_hat_tilde.glyph, e.glyph);
  EXPECT_NE(e_hat_tilde.glyph, e_hat.glyph);
  EXPECT_GT(ink_top(e_hat_tilde, l.size), ink_top(e_hat, l.size) + 0.2);
  EXPECT_GT(ink_top(e_hat, l.size), ink_top(e, l.size) + 0.3);

  // Decomposed input (e + U+0302 + U+0303, as some keyboards type it) gives the same glyphs.
  const std::string nfd = "Nguye\xCC\x82\xCC\x83n";
  const auto d = shape(nfd).lines.at(0);
  EXPECT_EQ(glyphs_of(d), glyphs_of(shape("Nguyễn").lines.at(0)));
  EXPECT_EQ(clusters_of(d), (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 9}));

  // Without a precomposed glyph (q̂̃), the marks are positioned by the font: zero advance, over the
  // base, and the tilde stacked above the circumflex.
  const auto q = shape("q\xCC\x82\xCC\x83").lines.at(0);
  ASSERT_EQ(q.glyphs.size(), 3u);
  EXPECT_EQ(clusters_of(q), (std::vector<std::uint32_t>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(q.glyphs[1].advance_mm, 0);
  EXPECT_DOUBLE_EQ(q.glyphs[2].advance_mm, 0);
  const double circumflex_top = ink_top(q.glyphs[1], l.size) + (l.ascent.v - q.glyphs[1].y_mm);
  const double tilde_bottom_offset = l.ascent.v - q.glyphs[2].y_mm;  // raised by mark-to-mark
  EXPECT_GT(tilde_bottom_offset, 0.3);
  EXPECT_GT(ink_top(q.glyphs[2], l.size) + tilde_bottom_offset, circumflex_top);
  EXPECT_GT(q.glyphs[1].x_mm, 0);
  EXPECT_LT(q.glyphs[1].x_mm, q.glyphs[0].advance_mm);
}

TEST(Shape, FallbackPicksAFontPerCluster) {
  const std::string text = "Ana अनिता محمد";
  const auto line = shape(text).lines.at(0);
  for (const auto& g : line.glyphs) {
    const char* expected = g.cluster < 4 ? "Noto Sans" : g.cluster < 20 ? "Noto Sans Devanagari" : "Noto Sans Arabic";
    EXPECT_EQ(g.font, font_index(expected)) << "cluster " << g.cluster;
  }
  // OCR-B primary: å is not in OCR-B, so that one cluster comes from DejaVu Sans (the next font of
  // the same weight); its neighbours stay in OCR-B.
  const auto ocr = shape("Ødegård", TextStyle{.family = "OCR-B"}).lines.at(0);
  for (const auto& g : ocr.glyphs) {
    if (g.cluster == 5) {
      EXPECT_EQ(project_fonts().info(g.font).family, "DejaVu Sans");
      EXPECT_FALSE(project_fonts().info(g.font).bold);
    } else {
      EXPECT_EQ(g.font, font_index("OCR-B")) << g.cluster;
    }
  }
  // Bold Latin with Arabic: the Arabic falls back to the regular Arabic face (no bold one).
  const auto bold = shape("Ali علي", TextStyle{.bold = true}).lines.at(0);
  EXPECT_EQ(bold.glyphs.front().font, font_index("Noto Sans", true));
  EXPECT_EQ(bold.glyphs.back().font, font_index("Noto Sans Arabic"));
}

TEST(Shape, CharactersNoFontDrawsAreAnErrorNotTofu) {
  const auto r = shape_text(project_fonts(), "Li 漢", {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::bad_font);
  EXPECT_NE(r.error().message().find("U+6F22"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("byte 3"), std::string::npos) << r.error().message();
}

TEST(Shape, InvalidUtf8AndControlCharactersAreErrors) {
  struct Case {
    std::string text;
    std::string says;
  };
  const Case cases[] = {
      {"Jos\xE9", "offset 3"},         // Latin-1 é
      {"ab\xC3(", "offset 2"},         // lead byte, then not a continuation
      {"\xE2\x82", "cut off"},         // truncated at the end
      {"\xC0\xAF", "offset 0"},        // overlong '/'
      {"x\xED\xA0\x80", "surrogate"},  // UTF-16 surrogate
      {"\xF4\x90\x80\x80", "above U+10FFFF"},
      {"\x80", "continuation"},
  };
  for (const auto& c : cases) {
    const auto r = shape_text(project_fonts(), c.text, {});
    ASSERT_FALSE(r) << c.says;
    EXPECT_EQ(r.error().code(), Errc::invalid_argument);
    EXPECT_NE(r.error().message().find("UTF-8"), std::string::npos) << r.error().message();
    EXPECT_NE(r.error().message().find(c.says), std::string::npos) << r.error().message();
    EXPECT_FALSE(fit_text(project_fonts(), c.text, {}, MmSize{Mm{40}, Mm{10}}));
  }
  const auto nl = shape_text(project_fonts(), "Anna\nMaria", {});
  ASSERT_FALSE(nl);
  EXPECT_NE(nl.error().message().find("U+000A"), std::string::npos) << nl.error().message();
  EXPECT_FALSE(shape_text(project_fonts(), "Anna", TextStyle{.size = Pt{0}}));
  EXPECT_FALSE(shape_text(project_fonts(), "Anna", TextStyle{.size = Pt{-3}}));
}

TEST(Shape, SizeScalesEverythingLinearly) {
  const auto a = shape("Ковальчук محمد", TextStyle{.size = Pt{8}});
  const auto b = shape("Ковальчук محمد", TextStyle{.size = Pt{16}});
  ASSERT_EQ(a.glyph_count(), b.glyph_count());
  EXPECT_NEAR(b.lines[0].width.v, 2 * a.lines[0].width.v, 1e-9);
  EXPECT_NEAR(b.ascent.v, 2 * a.ascent.v, 1e-9);
  for (std::size_t i = 0; i < a.lines[0].glyphs.size(); ++i) {
    EXPECT_EQ(a.lines[0].glyphs[i].glyph, b.lines[0].glyphs[i].glyph);
    EXPECT_NEAR(b.lines[0].glyphs[i].x_mm, 2 * a.lines[0].glyphs[i].x_mm, 1e-9);
  }
  // Ink lies within the line box horizontally, and around the baseline.
  EXPECT_GT(a.ink.w.v, 0);
  EXPECT_GE(a.ink.x.v, -0.1);
  EXPECT_LE(a.ink.right().v, a.lines[0].width.v + 0.1);
}

TEST(Shape, LetterSpacingWidensLatinButNotJoinedScripts) {
  const std::string latin = "ANNA";
  const auto plain = shape(latin);
  const auto spaced = shape(latin, TextStyle{.letter_spacing_em = 0.1});
  const double em = plain.size.to_mm().v;
  // Three gaps between four letters; none after the last.
  EXPECT_NEAR(spaced.lines[0].width.v - plain.lines[0].width.v, 3 * 0.1 * em, 1e-9);
  EXPECT_NEAR(spaced.lines[0].glyphs[1].x_mm - plain.lines[0].glyphs[1].x_mm, 0.1 * em, 1e-9);
  const auto arabic = shape("محمد");
  const auto arabic_spaced = shape("محمد", TextStyle{.letter_spacing_em = 0.1});
  EXPECT_NEAR(arabic_spaced.lines[0].width.v, arabic.lines[0].width.v, 1e-9);
}

TEST(Shape, EmptyTextIsOneEmptyLine) {
  const auto l = shape("");
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_TRUE(l.lines[0].glyphs.empty());
  EXPECT_EQ(l.lines[0].width.v, 0);
  EXPECT_EQ(l.ink.w.v, 0);
}

TEST(Shape, ConcurrentShapingGivesIdenticalResults) {
  const std::vector<std::string> names = {"Zoë Ødegård-Šimůnková", "محمد عبد الله",       "अनिता शर्मा",
                                          "Nguyễn Thị Ngọc Ánh",   "Ковальчук Олександр", "محمد 1985",
                                          "Ana अनिता محمد"};
  std::vector<TextLayout> reference;
  for (const auto& n : names) reference.push_back(shape(n));
  auto same = [](const TextLayout& a, const TextLayout& b) {
    if (a.lines.size() != b.lines.size()) return false;
    for (std::size_t l = 0; l < a.lines.size(); ++l) {
      const auto& x = a.lines[l].glyphs;
      const auto& y = b.lines[l].glyphs;
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].glyph != y[i].glyph || x[i].font != y[i].font || x[i].x_mm != y[i].x_mm || x[i].y_mm != y[i].y_mm ||
            x[i].cluster != y[i].cluster || x[i].advance_mm != y[i].advance_mm)
          return false;
    }
    return a.lines[0].width == b.lines[0].width && a.ink == b.ink;
  };
  // A fresh FontSet, so the threads also race on HarfBuzz's lazily loaded tables.
  const auto fonts = FontSet::load(std::filesystem::path(SDC_SOURCE_DIR) / "fonts");
  ASSERT_TRUE(fonts);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 40; ++rep) {
        for (std::size_t i = 0; i < names.size(); ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t)) % names.size();
          const auto r = shape_text(*fonts, names[k], {});
          const auto f = fit_text(*fonts, names[k], {}, MmSize{Mm{20}, Mm{8}});
          if (!r || !same(*r, reference[k]) || !f) ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace sdc
