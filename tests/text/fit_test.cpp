// fit_text(): shrink, wrap with balanced breaks, refuse; alignment and direction.
#include <sdc/text.hpp>

#include "text/text_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sdc {
namespace {

using test::project_fonts;

TextLayout fit(std::string_view text, MmSize box, const FitOptions& opt = {}, const TextStyle& style = {}) {
  auto r = fit_text(project_fonts(), text, style, box, opt);
  if (!r) throw std::runtime_error(r.error().to_string());
  return std::move(*r);
}

double natural_width(std::string_view text, const TextStyle& style = {}) {
  return shape_text(project_fonts(), text, style)->lines.at(0).width.v;
}

std::string line_text(const TextLayout& l, std::size_t i) {
  return l.text.substr(l.lines[i].begin, l.lines[i].end - l.lines[i].begin);
}

void expect_inside(const TextLayout& l) {
  for (const auto& line : l.lines) {
    EXPECT_LE(line.width.v, l.box.w.v + 1e-9);
    EXPECT_GE(line.x.v, -1e-9);
    EXPECT_LE(line.x.v + line.width.v, l.box.w.v + 1e-9);
    for (const auto& g : line.glyphs) {
      EXPECT_GE(g.x_mm, line.x.v - 1e-9);
      EXPECT_LE(g.x_mm + g.advance_mm, line.x.v + line.width.v + 1e-9);
    }
  }
  const double block = (l.ascent + l.descent).v + l.line_height.v * static_cast<double>(l.lines.size() - 1);
  EXPECT_LE(block, l.box.h.v + 1e-9);
}

TEST(Fit, ShortTextKeepsTheStyleSize) {
  const auto l = fit("Anna Berg", MmSize{Mm{40}, Mm{5}});
  EXPECT_EQ(l.size, Pt{8});
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_DOUBLE_EQ(l.lines[0].x.v, 0);
  EXPECT_DOUBLE_EQ(l.lines[0].baseline.v, l.ascent.v);
  EXPECT_EQ(l.box, (MmSize{Mm{40}, Mm{5}}));
  expect_inside(l);
}

TEST(Fit, LongNameShrinksInQuarterPointSteps) {
  const std::string name = "Ковальчук Олександр";
  const double w8 = natural_width(name);  // about 30 mm at 8 pt
  const MmSize box{Mm{25}, Mm{5}};
  const auto l = fit(name, box);
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_LT(l.size.v, 8);
  EXPECT_GE(l.size.v, 5);
  EXPECT_DOUBLE_EQ(std::fmod(l.size.v, 0.25), 0);
  // The largest quarter-point size that fits: the next step up would not.
  EXPECT_LE(w8 * l.size.v / 8, 25 + 1e-9);
  EXPECT_GT(w8 * (l.size.v + 0.25) / 8, 25);
  EXPECT_NEAR(l.lines[0].width.v, w8 * l.size.v / 8, 1e-9);
  expect_inside(l);
}

TEST(Fit, ShrinksForTheBoxHeightToo) {
  const auto l = fit("Anna", MmSize{Mm{100}, Mm{3}});
  ASSERT_EQ(l.lines.size(), 1u);
  EXPECT_LT(l.size.v, 8);
  EXPECT_LE((l.ascent + l.descent).v, 3 + 1e-9);
  const double em_per_pt = 25.4 / 72;
  EXPECT_GT((l.ascent + l.descent).v / l.size.v * (l.size.v + 0.25), 3);  // next step would not fit
  EXPECT_GT(em_per_pt, 0);
}

TEST(Fit, LongerNameWrapsOntoTwoBalancedLines) {
  const std::string name = "Maria Fernanda Zoë Ødegård-Šimůnková";
  const MmSize box{Mm{30}, Mm{8}};
  const FitOptions opt{.min_size = Pt{6}};
  ASSERT_GT(natural_width(name) * 6 / 8, 30);  // does not fit on one line even at the minimum size
  const auto l = fit(name, box, opt);
  ASSERT_EQ(l.lines.size(), 2u);
  EXPECT_GE(l.size.v, 6);
  EXPECT_NEAR(l.lines[1].baseline.v - l.lines[0].baseline.v, l.line_height.v, 1e-9);
  EXPECT_GT(l.lines[1].glyphs.at(0).y_mm, l.lines[0].glyphs.at(0).y_mm);
  // The lines cover the text except the break space; every glyph belongs to its line's bytes.
  EXPECT_EQ(l.lines[0].begin, 0u);
  EXPECT_EQ(l.lines[1].end, name.size());
  EXPECT_EQ(line_text(l, 0) + " " + line_text(l, 1), name);
  for (const auto& line : l.lines)
    for (const auto& g : line.glyphs) {
      EXPECT_GE(g.cluster, line.begin);
      EXPECT_LT(g.cluster, line.end);
    }
  expect_inside(l);

  // Balanced: no other single break gives a narrower widest line.
  const double chosen = std::max(natural_width(line_text(l, 0)), natural_width(line_text(l, 1)));
  for (std::size_t at = name.find(' '); at != std::string::npos; at = name.find(' ', at + 1)) {
    const double w = std::max(natural_width(name.substr(0, at)), natural_width(name.substr(at + 1)));
    EXPECT_GE(w, chosen - 1e-9) << "break at byte " << at;
  }
  EXPECT_EQ(line_text(l, 0), "Maria Fernanda Zoë");
}

TEST(Fit, WrapsAfterAHyphenWhenThereIsNoSpace) {
  const std::string name = "Ødegård-Šimůnková-Brzęczyszczykiewicz";
  const auto l = fit(name, MmSize{Mm{30}, Mm{9}}, FitOptions{.min_size = Pt{6}});
  ASSERT_EQ(l.lines.size(), 2u);
  EXPECT_EQ(line_text(l, 0) + line_text(l, 1), name);
  EXPECT_EQ(line_text(l, 0).back(), '-');  // the hyphen stays at the end of the first line
  expect_inside(l);
}

TEST(Fit, ThreeLinesWhenAllowed) {
  const std::string name = "Alexandra Konstantina Papadopoulou-Oikonomou Wiśniewska";
  const MmSize box{Mm{28}, Mm{12}};
  const auto two = fit_text(project_fonts(), name, {}, box, FitOptions{.min_size = Pt{7}});
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().code(), Errc::does_not_fit);
  const auto three = fit(name, box, FitOptions{.min_size = Pt{7}, .max_lines = 3});
  EXPECT_EQ(three.lines.size(), 3u);
  expect_inside(three);
}

TEST(Fit, AbsurdNameDoesNotFitAndSaysWhatToDo) {
  std::string name;
  for (int i = 0; i < 12; ++i) name += "Wolfeschlegelsteinhausenbergerdorff ";
  name += "Senior";
  const auto r = fit_text(project_fonts(), name, {}, MmSize{Mm{40}, Mm{8}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::does_not_fit);
  const auto& msg = r.error().message();
  EXPECT_NE(msg.find(std::to_string(name.size()) + " characters"), std::string::npos) << msg;
  EXPECT_NE(msg.find("40.0 x 8.0 mm"), std::string::npos) << msg;
  EXPECT_NE(msg.find("two lines"), std::string::npos) << msg;
  EXPECT_NE(r.error().hint().find("min_size"), std::string::npos);
  EXPECT_NE(r.error().hint().find("never truncates"), std::string::npos);

  const auto unbreakable = fit_text(project_fonts(), "Wolfeschlegelsteinhausenbergerdorff", {}, MmSize{Mm{20}, Mm{8}});
  ASSERT_FALSE(unbreakable);
  EXPECT_EQ(unbreakable.error().code(), Errc::does_not_fit);
  EXPECT_NE(unbreakable.error().message().find("no space or hyphen"), std::string::npos);

  const auto one_line = fit_text(project_fonts(), "Maria Fernanda Zoë Ødegård-Šimůnková", {}, MmSize{Mm{30}, Mm{8}},
                                 FitOptions{.min_size = Pt{6}, .max_lines = 1});
  ASSERT_FALSE(one_line);
  EXPECT_NE(one_line.error().message().find("max_lines = 1"), std::string::npos);
}

TEST(Fit, StartAndEndFollowTheParagraphDirection) {
  const MmSize box{Mm{40}, Mm{6}};
  const auto rtl = fit("محمد عبد الله", box);
  ASSERT_TRUE(rtl.rtl);
  const double w = rtl.lines[0].width.v;
  EXPECT_NEAR(rtl.lines[0].x.v, 40 - w, 1e-9);  // start = right edge
  const auto& last = rtl.lines[0].glyphs.back();
  EXPECT_NEAR(last.x_mm + last.advance_mm, 40, 1e-9);
  EXPECT_NEAR(fit("محمد عبد الله", box, {.align = FitOptions::Align::end}).lines[0].x.v, 0, 1e-9);
  EXPECT_NEAR(fit("محمد عبد الله", box, {.align = FitOptions::Align::left}).lines[0].x.v, 0, 1e-9);
  EXPECT_NEAR(fit("محمد عبد الله", box, {.align = FitOptions::Align::center}).lines[0].x.v, (40 - w) / 2, 1e-9);

  const auto ltr = fit("Anna", box, {.align = FitOptions::Align::end});
  EXPECT_NEAR(ltr.lines[0].x.v + ltr.lines[0].width.v, 40, 1e-9);
  EXPECT_NEAR(fit("Anna", box, {.align = FitOptions::Align::right}).lines[0].x.v, ltr.lines[0].x.v, 1e-9);
  EXPECT_NEAR(fit("Anna", box).lines[0].x.v, 0, 1e-9);
}

TEST(Fit, WrappedArabicKeepsLogicalLineOrderAndRightAlignment) {
  const std::string name = "عبد الرحمن بن محمد بن عبد الله الهاشمي";
  const auto l = fit(name, MmSize{Mm{30}, Mm{9}}, FitOptions{.min_size = Pt{6}});
  ASSERT_EQ(l.lines.size(), 2u);
  EXPECT_EQ(l.lines[0].begin, 0u);  // the first words on the first (top) line
  for (const auto& line : l.lines) {
    EXPECT_TRUE(line.rtl);
    EXPECT_NEAR(line.x.v + line.width.v, 30, 1e-9);
    // Visual order within each line: clusters decrease from left to right.
    for (std::size_t i = 1; i < line.glyphs.size(); ++i) EXPECT_LE(line.glyphs[i].cluster, line.glyphs[i - 1].cluster);
  }
  expect_inside(l);
}

TEST(Fit, VerticalAlignment) {
  const MmSize box{Mm{40}, Mm{10}};
  const auto top = fit("Anna", box);
  const auto mid = fit("Anna", box, {.valign = FitOptions::VAlign::middle});
  const auto bottom = fit("Anna", box, {.valign = FitOptions::VAlign::bottom});
  const double block = (top.ascent + top.descent).v;
  EXPECT_NEAR(top.lines[0].baseline.v, top.ascent.v, 1e-9);
  EXPECT_NEAR(mid.lines[0].baseline.v, (10 - block) / 2 + top.ascent.v, 1e-9);
  EXPECT_NEAR(bottom.lines[0].baseline.v, 10 - top.descent.v, 1e-9);
}

TEST(Fit, SpacesAroundTheTextDoNotShiftIt) {
  const MmSize box{Mm{40}, Mm{6}};
  const auto padded = fit("  Anna Berg ", box, {.align = FitOptions::Align::end});
  const auto plain = fit("Anna Berg", box, {.align = FitOptions::Align::end});
  EXPECT_NEAR(padded.lines[0].width.v, plain.lines[0].width.v, 1e-9);
  EXPECT_NEAR(padded.lines[0].x.v, plain.lines[0].x.v, 1e-9);
  EXPECT_EQ(line_text(padded, 0), "Anna Berg");
  const auto wrapped = fit(" Maria Fernanda Zoë Ødegård-Šimůnková  ", MmSize{Mm{30}, Mm{8}}, {.min_size = Pt{6}});
  ASSERT_EQ(wrapped.lines.size(), 2u);
  EXPECT_EQ(line_text(wrapped, 0), "Maria Fernanda Zoë");
  EXPECT_EQ(line_text(wrapped, 1), "Ødegård-Šimůnková");
}

TEST(Fit, TooLowABoxSaysSo) {
  const auto r = fit_text(project_fonts(), "Anna", {}, MmSize{Mm{40}, Mm{1}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::does_not_fit);
  EXPECT_NE(r.error().message().find("more than the box's height"), std::string::npos) << r.error().message();
}

TEST(Fit, InvalidOptionsAreErrors) {
  const auto& f = project_fonts();
  EXPECT_EQ(fit_text(f, "Anna", {}, MmSize{Mm{0}, Mm{5}}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit_text(f, "Anna", {}, MmSize{Mm{40}, Mm{5}}, {.min_size = Pt{9}}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit_text(f, "Anna", {}, MmSize{Mm{40}, Mm{5}}, {.max_lines = 0}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit_text(f, "Anna", {}, MmSize{Mm{40}, Mm{5}}, {.line_spacing = 0}).error().code(), Errc::invalid_argument);
  EXPECT_EQ(fit_text(f, "Anna", {.family = "Nope"}, MmSize{Mm{40}, Mm{5}}).error().code(), Errc::bad_font);
}

}  // namespace
}  // namespace sdc
