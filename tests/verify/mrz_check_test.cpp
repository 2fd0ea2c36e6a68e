// The `mrz` finding: printed zone against the zone of the sealed data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "verify/mrz_check.hpp"

namespace sdc::detail {
namespace {

// ICAO 9303 Part 5 specimen (TD1).
const std::vector<std::string> kTd1 = {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                                       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

MrzReading reading(const std::vector<std::string>& lines) {
  auto r = parse_mrz(lines);
  EXPECT_TRUE(r) << r.error().to_string();
  return r ? *r : MrzReading{};
}

TEST(MrzFinding, SameZonePasses) {
  const MrzReading r = reading(kTd1);
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::pass) << f.reason;
  EXPECT_EQ(f.check, "mrz");
  EXPECT_EQ(f.score, 0);
}

TEST(MrzFinding, AChangedNameFailsAndIsNamed) {
  auto printed = kTd1;
  printed[2] = "ERIKSEN<<ANNA<MARIA<<<<<<<<<<<";  // names carry no check digit
  const MrzReading r = reading(printed);
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::fail);
  EXPECT_EQ(f.code, "mismatch");
  EXPECT_NE(f.reason.find("surname printed 'ERIKSEN', sealed 'ERIKSSON'"), std::string::npos) << f.reason;
  EXPECT_GT(*f.score, 0);
}

TEST(MrzFinding, AChangedDateBreaksItsCheckDigit) {
  auto printed = kTd1;
  printed[1][0] = '8';  // 840812: the check digit 2 no longer holds
  const MrzReading r = reading(printed);
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::fail);
  EXPECT_EQ(f.code, "check_digit");
  EXPECT_NE(f.reason.find("date_of_birth"), std::string::npos) << f.reason;
}

TEST(MrzFinding, AChangedDateWithARecomputedCheckDigitStillFails) {
  auto printed = kTd1;
  printed[1] = "7408137F1204159UTO<<<<<<<<<<<6";  // 740813 with its own check digit 7 (composite off)
  auto parsed = parse_mrz(printed);
  ASSERT_TRUE(parsed);
  MrzReading r = *parsed;
  for (auto& c : r.checks) c.ok = true;  // a forger who fixed every digit
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::fail);
  EXPECT_NE(f.reason.find("date_of_birth printed '740813', sealed '740812'"), std::string::npos) << f.reason;
}

// A reading the reader could only make hold with many corrections is not trusted to show a
// forgery: its differences from the seal warn (retake). With a few corrections they still fail.
TEST(MrzFinding, AReadingMadeOfManyCorrectionsWarnsInsteadOfFailing) {
  auto printed = kTd1;
  printed[2] = "ERIKSEN<<ANNA<MARIA<<<<<<<<<<<";
  MrzReading r = reading(printed);
  for (std::size_t i = 0; i < kMrzMaxTrustedCorrections; ++i)
    r.corrections.push_back({.line = 0, .column = static_cast<int>(5 + i), .from = 'O', .to = '0', .reason = "x"});
  const Finding few = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(few.outcome, Outcome::fail);
  EXPECT_EQ(few.code, "mismatch");
  r.corrections.push_back({.line = 1, .column = 0, .from = 'O', .to = '0', .reason = "x"});
  const Finding many = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(many.outcome, Outcome::warn);
  EXPECT_EQ(many.code, "unreliable");
  EXPECT_NE(many.reason.find("7 characters corrected"), std::string::npos) << many.reason;
  EXPECT_NE(many.reason.find("mismatch"), std::string::npos) << many.reason;
  // A matching zone read with many corrections still passes: the corrections made it the sealed one.
  MrzReading same = reading(kTd1);
  same.corrections = r.corrections;
  EXPECT_EQ(mrz_finding(&same, "", kTd1, 0).outcome, Outcome::pass);
}

// A reading of `printed` with classifier scores: each cell scores 0.9 for the character read and
// 0.1 for the others, except `close` (line, column, character, score).
struct CloseScore {
  std::size_t line, column;
  char ch;
  float score;
};
MrzReading scored(const std::vector<std::string>& printed, const std::vector<CloseScore>& close) {
  MrzReading r = reading(printed);
  r.scores.resize(printed.size());
  for (std::size_t l = 0; l < printed.size(); ++l)
    for (char c : printed[l]) {
      std::vector<float> s(kMrzAlphabet.size(), 0.1f);
      s[kMrzAlphabet.find(c)] = 0.9f;
      r.scores[l].push_back(s);
    }
  for (const auto& c : close) r.scores[c.line][c.column][kMrzAlphabet.find(c.ch)] = c.score;
  return r;
}

TEST(MrzFinding, CharactersThatFitTheSealedOnesAsWellTakeThem) {
  // A phone capture of a genuine card: a 0 of the document number and one of the date of birth
  // read as the letter O (OCR-B's closest pair), which breaks both check digits as read.
  auto printed = kTd1;
  printed[0][13] = 'O';  // D2314589O
  printed[1][2] = 'O';   // 74O812
  const MrzReading r = scored(printed, {{0, 13, '0', 0.86f}, {1, 2, '0', 0.88f}});
  EXPECT_NEAR(r.loss(0, 13, '0'), 0.04f, 1e-5);
  EXPECT_EQ(r.loss(0, 13, 'O'), 0);
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::pass) << f.reason;
  EXPECT_NE(f.reason.find("2 character(s) read otherwise"), std::string::npos) << f.reason;
  EXPECT_NEAR(*f.score, 0.04, 1e-5);
  EXPECT_EQ(*f.threshold, kMrzMismatchLoss);
}

TEST(MrzFinding, AClearlyDifferentGlyphIsNotTakenForTheSealedOne) {
  auto printed = kTd1;
  printed[2] = "ERIKSEN<<ANNA<MARIA<<<<<<<<<<<";  // altered and printed cleanly
  std::vector<CloseScore> close;
  for (std::size_t c = 0; c < printed[2].size(); ++c)
    if (printed[2][c] != kTd1[2][c]) close.push_back({2, c, kTd1[2][c], 0.3f});
  const MrzReading r = scored(printed, close);
  const Finding f = mrz_finding(&r, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::fail);
  EXPECT_EQ(f.code, "mismatch");
  EXPECT_NEAR(*f.score, 0.6, 1e-5);
  EXPECT_GT(*f.score, *f.threshold);

  // One close glyph does not excuse another, clearly different one in the same field.
  auto one = kTd1;
  one[2][2] = 'L';  // ERLKSSON
  one[2][3] = 'X';  // ERLXSSON
  const MrzReading mixed = scored(one, {{2, 2, 'I', 0.88f}, {2, 3, 'K', 0.2f}});
  const Finding m = mrz_finding(&mixed, "", kTd1, 0);
  EXPECT_EQ(m.outcome, Outcome::fail);
  EXPECT_NE(m.reason.find("surname printed 'ERIXSSON', sealed 'ERIKSSON'"), std::string::npos) << m.reason;
}

TEST(MrzFinding, UnreadableWarnsAndNoZoneIsNotChecked) {
  const Finding unread = mrz_finding(nullptr, "no zone found", kTd1, 0);
  EXPECT_EQ(unread.outcome, Outcome::warn);
  EXPECT_NE(unread.reason.find("no zone found"), std::string::npos);
  const MrzReading r = reading(kTd1);
  EXPECT_EQ(mrz_finding(&r, "", {}, 0).outcome, Outcome::not_checked);
}

// A synthetic TD1 zone at 300 dpi (85.6 x 16 mm): 3 lines of 30 dark glyph-sized bars, centred with
// margins as compose prints them, on paper of `paper` levels with ink of `ink`.
Image zone_image(int paper, int ink) {
  Image img(1011, 189, PixelFormat::rgb8);
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const int cx = x - 56, line = (y - 30) / 50, in_line = (y - 30) % 50;
      const bool glyph = cx >= 0 && cx < 900 && y >= 30 && line < 3 && in_line < 28 && (cx % 30) >= 4 && (cx % 30) < 22;
      std::memset(img.row(y) + 3 * x, glyph ? ink : paper, 3);
    }
  return img;
}

// Adds a highlight of `strength` levels at its centre (cx, cy), σ `sigma` px; or darkens with a
// negative strength (a shadow).
void light(Image& img, double cx, double cy, double sigma, double strength) {
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (sigma * sigma);
      for (int c = 0; c < 3; ++c) {
        auto& v = img.row(y)[3 * x + c];
        v = static_cast<std::uint8_t>(std::clamp(v + strength * std::exp(-0.5 * d2), 0.0, 255.0));
      }
    }
}

TEST(MrzGlare, AHighlightWashesOutCellsAndNothingElseDoes) {
  const Image plain = zone_image(200, 40);
  const ZoneGlare none = mrz_glare(plain.view(), 3, 30);
  EXPECT_EQ(none.cells, 45);
  EXPECT_EQ(none.washed, 0);  // the margins without ink are paper, not glare

  Image lit = plain;
  light(lit, 500, 95, 100, 260);  // clips the middle of the zone
  const ZoneGlare g = mrz_glare(lit.view(), 3, 30);
  EXPECT_GE(g.washed, 3);
  EXPECT_LT(g.washed, 20);

  Image spot = plain;  // a small spot over part of one cell: clipped there, the rest readable
  light(spot, 500, 45, 12, 400);
  EXPECT_GE(mrz_glare(spot.view(), 3, 30).washed, 1);
  EXPECT_LE(mrz_glare(spot.view(), 3, 30).washed, 4);
  const ZoneGlare by_line = mrz_glare(spot.view(), 3, 30);  // on the first line only
  ASSERT_EQ(by_line.washed_in_row.size(), 3u);
  EXPECT_EQ(by_line.washed_in_row[0], by_line.washed);
  EXPECT_EQ(by_line.washed_in_row[1] + by_line.washed_in_row[2], 0);

  Image near_white = zone_image(248, 40);  // a paper nearly white already: white is lifted enough
  light(near_white, 500, 95, 100, 260);
  EXPECT_GE(mrz_glare(near_white.view(), 3, 30).washed, 3);
  EXPECT_EQ(mrz_glare(zone_image(248, 40).view(), 3, 30).washed, 0);

  Image shadow = plain;
  light(shadow, 500, 95, 80, -150);  // a finger's or a phone's shadow: darker, not glare
  EXPECT_EQ(mrz_glare(shadow.view(), 3, 30).washed, 0);

  Image gradient = plain;  // uneven light: one end of the zone 50 levels lighter
  for (int y = 0; y < gradient.height(); ++y)
    for (int x = 0; x < gradient.width(); ++x)
      for (int c = 0; c < 3; ++c)
        gradient.row(y)[3 * x + c] = static_cast<std::uint8_t>(gradient.row(y)[3 * x + c] + x / 20);
  EXPECT_EQ(mrz_glare(gradient.view(), 3, 30).washed, 0);

  EXPECT_EQ(mrz_glare(zone_image(255, 30).view(), 3, 30).washed, 0);  // a flatbed's clipped white

  const ZoneGlare white = mrz_glare(zone_image(255, 250).view(), 3, 30);  // clipped as a whole
  EXPECT_EQ(white.washed, white.cells);

  EXPECT_EQ(mrz_glare(ImageView(), 3, 30).cells, 0);  // nothing to measure
}

TEST(MrzFinding, AnUnreadableZoneUnderGlareIsARetakeThatSaysSo) {
  const Finding f = mrz_finding(nullptr, "no zone found", kTd1, 0, {4, 45});
  EXPECT_EQ(f.outcome, Outcome::warn);
  EXPECT_EQ(f.code, "glare");
  EXPECT_NE(f.reason.find("4 of its 45 cells"), std::string::npos) << f.reason;
  EXPECT_NE(f.reason.find("tilt the card away from the light"), std::string::npos) << f.reason;
}

// A zone read otherwise than sealed while glare washes out a cell of it: glare over part of a line
// throws the reader off along the whole line (a genuine card's document number misread in the
// clear middle of its line, ForensicFindings.GlareOverTheEndOfAnMrzLineIsReadAroundIt before the
// reader's grid was fixed), so the reading does not show an alteration there. A retake, never a
// pass; without glare the mismatch fails. Where glare washes out a cell of every line a difference
// rests on, only those lines are unread, and the others read as sealed (Checker::check_captures
// reads each line on one capture or another); otherwise every line is unread.
TEST(MrzFinding, AZoneReadOtherwiseUnderGlareIsARetake) {
  const auto glare_on = [](std::vector<int> rows) {
    ZoneGlare g{0, 45, std::move(rows)};
    for (const int w : g.washed_in_row) g.washed += w;
    return g;
  };
  const auto unread = [](const Finding& f) {
    std::string out;
    for (const auto& u : f.unread) out += (out.empty() ? "" : ",") + u;
    return out;
  };
  auto printed = kTd1;
  printed[2] = "ERIKSEN<<ANNA<MARIA<<<<<<<<<<<";
  const MrzReading r = reading(printed);
  const Finding lit = mrz_finding(&r, "", kTd1, 0, glare_on({0, 0, 2}));
  EXPECT_EQ(lit.outcome, Outcome::warn);
  EXPECT_EQ(lit.code, "glare");
  EXPECT_EQ(unread(lit), "line 3");
  EXPECT_NE(lit.reason.find("(mismatch) on line 3, where glare washes out 2 of 15 cells"), std::string::npos)
      << lit.reason;
  EXPECT_NE(lit.reason.find("tilt the card away from the light"), std::string::npos) << lit.reason;
  EXPECT_EQ(mrz_finding(&r, "", kTd1, 0).outcome, Outcome::fail);
  // Glare on other lines only (the name's clean): the reader may have been thrown off across the
  // zone (37 characters corrected on a genuine card's capture with one cell washed out), so every
  // line is unread.
  const Finding elsewhere = mrz_finding(&r, "", kTd1, 0, glare_on({3, 1, 0}));
  EXPECT_EQ(elsewhere.code, "glare");
  EXPECT_EQ(unread(elsewhere), "line 1,line 2,line 3");
  EXPECT_NE(elsewhere.reason.find("(mismatch) while glare washes out 4 of its 45 cells"), std::string::npos)
      << elsewhere.reason;
  EXPECT_EQ(unread(mrz_finding(&r, "", kTd1, 0, {2, 45})), "line 1,line 2,line 3");  // lines not known

  auto digit = kTd1;
  digit[1][0] = '8';  // the date of birth's check digit (line 2) and the composite (lines 1 and 2)
  const MrzReading d = reading(digit);
  EXPECT_EQ(mrz_finding(&d, "", kTd1, 0).code, "check_digit");
  const Finding second = mrz_finding(&d, "", kTd1, 0, glare_on({0, 1, 0}));
  EXPECT_EQ(second.code, "glare");
  EXPECT_EQ(unread(second), "line 2");
  EXPECT_EQ(unread(mrz_finding(&d, "", kTd1, 0, glare_on({1, 0, 0}))), "line 1,line 2,line 3");  // line 2 clean
  auto number = kTd1;
  number[0][7] = '4';  // the document number's check digit (line 1) and the composite
  const MrzReading n = reading(number);
  const Finding first = mrz_finding(&n, "", kTd1, 0, glare_on({2, 0, 1}));
  EXPECT_EQ(first.code, "glare");
  EXPECT_EQ(unread(first), "line 1");  // line 2 reads as sealed, line 3 has nothing to differ

  const MrzReading same = reading(kTd1);
  EXPECT_EQ(mrz_finding(&same, "", kTd1, 0, glare_on({1, 1, 1})).outcome, Outcome::pass);  // read as sealed
  // A zone not read: every line unread.
  EXPECT_EQ(unread(mrz_finding(nullptr, "no zone found", kTd1, 0, glare_on({0, 2, 0}))), "line 1,line 2,line 3");
  EXPECT_EQ(unread(mrz_finding(nullptr, "no zone found", kTd1, 0)), "line 1,line 2,line 3");
}

// Cells whose print matches no glyph (a cell washed out, hidden by a finger or wiped clean: its
// best score under kMrzMinCellMatch) are not read. Before, such a cell whose noise happened to fit
// the sealed character within kMrzMismatchLoss (or was read as it) counted as printed so, and a
// zone with a cell blank passed. Now it is neither the sealed character nor a difference: a zone
// that matches everywhere else warns `unclear` (or `glare` where glare washes out its line), those
// lines unread, and a difference in a clear cell fails as before.
TEST(MrzFinding, ACellThatMatchesNoGlyphIsNotRead) {
  const auto blank = [](std::vector<std::string> printed, std::size_t line, std::size_t column,
                        std::vector<CloseScore> more = {}) {
    MrzReading r = scored(printed, more);
    for (float& s : r.scores[line][column]) s = 0.12f;  // noise: every glyph about as (un)like it
    r.scores[line][column][kMrzAlphabet.find(printed[line][column])] = 0.2f;
    return r;
  };
  const auto unread = [](const Finding& f) {
    std::string out;
    for (const auto& u : f.unread) out += (out.empty() ? "" : ",") + u;
    return out;
  };
  // Read as sealed, but blank: before, a pass.
  const MrzReading as_sealed = blank(kTd1, 2, 3);
  const Finding f = mrz_finding(&as_sealed, "", kTd1, 0);
  EXPECT_EQ(f.outcome, Outcome::warn) << f.reason;
  EXPECT_EQ(f.code, "unclear");
  EXPECT_EQ(unread(f), "line 3");
  EXPECT_NE(f.reason.find("matches the sealed data where it was read, but 1 cell(s) of line 3 match no character"),
            std::string::npos)
      << f.reason;
  // Read as another character whose noise fits the sealed one as well (loss 0.08): before, taken as
  // the sealed one, a pass.
  auto other = kTd1;
  other[2][3] = 'X';  // ERIXSSON
  const MrzReading fits = blank(other, 2, 3, {});
  EXPECT_LE(fits.loss(2, 3, 'K'), kMrzMismatchLoss);
  const Finding g = mrz_finding(&fits, "", kTd1, 0);
  EXPECT_EQ(g.outcome, Outcome::warn) << g.reason;
  EXPECT_EQ(g.code, "unclear");
  EXPECT_NE(g.reason.find("differs from the sealed data (mismatch) only where it was not read"), std::string::npos)
      << g.reason;
  // Under glare on that line: a retake away from the light.
  const Finding lit = mrz_finding(&fits, "", kTd1, 0, ZoneGlare{1, 45, {0, 0, 1}});
  EXPECT_EQ(lit.code, "glare");
  EXPECT_EQ(unread(lit), "line 3");
  EXPECT_NE(lit.reason.find("tilt the card away from the light"), std::string::npos) << lit.reason;
  // A clear difference elsewhere still fails: the blank cell does not excuse it.
  auto altered = other;
  altered[1][0] = '8';  // the date of birth, printed cleanly
  const MrzReading both = blank(altered, 2, 3);
  const Finding h = mrz_finding(&both, "", kTd1, 0);
  EXPECT_EQ(h.outcome, Outcome::fail) << h.reason;
}

}  // namespace
}  // namespace sdc::detail
