#include <gtest/gtest.h>
#include <sdc/mrz.hpp>

#include <cmath>
#include <cstring>
#include <span>

#include "guilloche/security_support.hpp"

namespace sdc {
namespace {

// The TD1 specimen of ICAO Doc 9303 Part 5 (Utopia, Anna Maria Eriksson).
MrzData eriksson() {
  MrzData d;
  d.document_code = "I";
  d.issuing_state = "UTO";
  d.document_number = "D23145890";
  d.date_of_birth = Date{1974, 8, 12};
  d.sex = 'F';
  d.date_of_expiry = Date{2012, 4, 15};
  d.nationality = "UTO";
  d.surname = "Eriksson";
  d.given_names = "Anna Maria";
  return d;
}

TEST(MrzCheckDigit, IcaoExamples) {
  EXPECT_EQ(mrz_check_digit("D23145890"), 7);
  EXPECT_EQ(mrz_check_digit("740812"), 2);
  EXPECT_EQ(mrz_check_digit("120415"), 9);
  EXPECT_EQ(mrz_check_digit("L898902C<"), 3);  // Part 4 passport specimen
  EXPECT_EQ(mrz_check_digit("520727"), 3);     // 7-3-1 worked example of Part 3
  EXPECT_EQ(mrz_check_digit("AB2134<<<"), 5);
  EXPECT_EQ(mrz_check_digit("ab"), -1);
}

TEST(MrzTd1, IcaoPart5Specimen) {
  auto l = make_td1(eriksson());
  ASSERT_TRUE(l) << l.error().to_string();
  EXPECT_EQ((*l)[0], "I<UTOD231458907<<<<<<<<<<<<<<<");
  EXPECT_EQ((*l)[1], "7408122F1204159UTO<<<<<<<<<<<6");
  EXPECT_EQ((*l)[2], "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
  // Each check digit, and the composite over 6-30, 1-7, 9-15, 19-29.
  EXPECT_EQ((*l)[0][14], '0' + mrz_check_digit("D23145890"));
  EXPECT_EQ((*l)[1][6], '0' + mrz_check_digit("740812"));
  EXPECT_EQ((*l)[1][14], '0' + mrz_check_digit("120415"));
  EXPECT_EQ(mrz_check_digit("D231458907<<<<<<<<<<<<<<<"
                            "7408122"
                            "1204159"
                            "<<<<<<<<<<<"),
            6);
  for (const auto& line : *l) EXPECT_EQ(line.size(), 30u);
  auto p = parse_td1(*l).value();
  EXPECT_TRUE(p.all_checks_ok());
  EXPECT_EQ(p.document_number, "D23145890");
  EXPECT_EQ(p.surname, "ERIKSSON");
  EXPECT_EQ(p.given_names, "ANNA MARIA");
  EXPECT_EQ(p.date_of_birth, "740812");
  EXPECT_EQ(p.sex, 'F');
}

TEST(MrzTd1, LongDocumentNumberUsesOptionalData) {
  auto d = eriksson();
  d.document_number = "D23145890123";
  auto l = make_td1(d).value();
  EXPECT_EQ(l[0].substr(5, 10), "D23145890<");
  EXPECT_EQ(l[0].substr(15, 4), std::string("123") + static_cast<char>('0' + mrz_check_digit("D23145890123")));
  auto p = parse_td1(l).value();
  EXPECT_EQ(p.document_number, "D23145890123");
  EXPECT_TRUE(p.all_checks_ok());
  d.document_number = "D231458901234567890123X";
  EXPECT_FALSE(make_td1(d));
}

TEST(MrzTd1, NamesTruncateFromTheSecondaryIdentifiers) {
  auto d = eriksson();
  d.surname = "Wolfeschlegelsteinhausen";
  d.given_names = "Hubert Blaine Frederick";
  auto l = make_td1(d).value();
  EXPECT_EQ(l[2].size(), 30u);
  EXPECT_EQ(l[2], "WOLFESCHLEGELSTEINHAUSEN<<HU<B");
  d.given_names = "Anna Maria";
  d.surname = "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";  // 35 letters: primary cut, ends with a letter
  l = make_td1(d).value();
  EXPECT_EQ(l[2], std::string(30, 'A'));
  d.surname = "Mcdonald-Smythe";
  d.given_names = "Mary Elizabeth Josephine";
  l = make_td1(d).value();
  EXPECT_EQ(l[2], "MCDONALD<SMYTHE<<MARY<ELIZAB<J");
  EXPECT_NE(l[2].back(), '<');
}

TEST(MrzTransliteration, Icao9303Part3) {
  auto t = [](const char* s, MrzTransliteration m = MrzTransliteration::expand) {
    return mrz_transliterate(s, m).value();
  };
  EXPECT_EQ(t("Müller"), "MUELLER");
  EXPECT_EQ(t("Müller", MrzTransliteration::base), "MULLER");
  EXPECT_EQ(t("Ångström"), "AANGSTROEM");
  EXPECT_EQ(t("Ångström", MrzTransliteration::base), "ANGSTROM");
  EXPECT_EQ(t("Øre"), "OERE");
  EXPECT_EQ(t("Strauß"), "STRAUSS");
  EXPECT_EQ(t("Þórunn"), "THORUNN");
  EXPECT_EQ(t("Ægir Œuvre"), "AEGIR<OEUVRE");
  EXPECT_EQ(t("Łukasz Dvořák"), "LUKASZ<DVORAK");
  EXPECT_EQ(t("Ĳsselmeer"), "IJSSELMEER");
  EXPECT_EQ(t("O'Brien-Núñez"), "OBRIEN<NUNEZ");
  EXPECT_EQ(t("Ștefan"), "STEFAN");
  EXPECT_EQ(t("Mu\xCC\x88ller"), "MUELLER");  // combining diaeresis
  auto cyr = mrz_transliterate("Иванов", MrzTransliteration::expand);
  ASSERT_FALSE(cyr);
  EXPECT_EQ(cyr.error().code(), Errc::invalid_field);
  EXPECT_NE(cyr.error().message().find("U+0418"), std::string::npos) << cyr.error().message();
  EXPECT_FALSE(mrz_transliterate("A\xFF", MrzTransliteration::expand));
}

TEST(MrzRecord, NonLatinNamesNeedALatinForm) {
  auto r = test::specimen_record({{"surname", "Иванова"}});
  auto d = mrz_data_from_record(r, "XXA");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().where().field, "surname");
  EXPECT_NE(d.error().hint().find("surname_latin"), std::string::npos);
  r.set("surname_latin", "Ivanova");
  d = mrz_data_from_record(r, "XXA");
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(make_td1(*d).value()[2].substr(0, 9), "IVANOVA<<");
}

TEST(MrzRecord, BadFieldsAreNamed) {
  auto d = eriksson();
  d.document_number = "D23/45";
  auto l = make_td1(d);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().where().field, "document_number");
  d = eriksson();
  d.sex = 'Q';
  EXPECT_EQ(make_td1(d).error().where().field, "sex");
  d = eriksson();
  d.optional_2 = "123456789012";
  EXPECT_EQ(make_td1(d).error().where().field, "optional_2");
  EXPECT_FALSE(parse_td1({"SHORT", "", ""}));
}

TEST(MrzElement, ComposeFillsCardLinesAndErrorsNameTheElement) {
  const auto json = test::one_side(R"({"type": "mrz", "name": "mrz", "x": 2, "y": 36, "w": 81.6, "h": 16})");
  auto card = test::compose_json(json, test::specimen_record());
  ASSERT_TRUE(card) << card.error().to_string();
  ASSERT_EQ(card->mrz_lines().size(), 3u);
  EXPECT_EQ(card->mrz_lines()[0].substr(0, 14), "I<XXAXA0000417");
  EXPECT_EQ(card->mrz_lines()[2], "SPECIMEN<EXAMPLE<<ALEXANDRA<MA");
  EXPECT_TRUE(parse_td1({card->mrz_lines()[0], card->mrz_lines()[1], card->mrz_lines()[2]})->all_checks_ok());
  auto bad = test::compose_json(json, test::specimen_record({{"surname", "山田"}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().element, "mrz");
  EXPECT_EQ(bad.error().where().field, "surname");
  auto narrow =
      Template::parse(test::one_side(R"({"type": "mrz", "name": "m", "x": 2, "y": 36, "w": 60, "h": 16})"), "t.json");
  ASSERT_FALSE(narrow);
  EXPECT_NE(narrow.error().where().json_path.find("/w"), std::string::npos);
}

// Render, read back with tesseract, parse, compare. Like an MRZ reader, the test knows the zone's
// fixed character pitch (2.54 mm) and line pitch: it cuts the zone into its 3 x 30 character cells
// and has tesseract classify each cell as a single character (--psm 10, one run over a list of
// cell images), because tesseract's general English model, given whole lines, merges runs of the
// filler "<" into letters such as "K".
std::string ocr_cells(const Image& zone, double x0_px, double pitch_px, const std::vector<double>& line_centres_px) {
  const auto dir = std::filesystem::temp_directory_path() / ("sdc_mrz_ocr_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string list;
  const int half_h = static_cast<int>(pitch_px * 0.9), cw = static_cast<int>(std::ceil(pitch_px)), pad = cw / 2;
  for (std::size_t li = 0; li < line_centres_px.size(); ++li)
    for (int i = 0; i < 30; ++i) {
      Image cell(cw + 2 * pad, 2 * half_h + 2 * pad, PixelFormat::gray8);
      std::memset(cell.data(), 255, cell.size_bytes());
      const int sx = static_cast<int>(std::lround(x0_px + i * pitch_px));
      const int sy = static_cast<int>(std::lround(line_centres_px[li])) - half_h;
      for (int y = 0; y < 2 * half_h; ++y)
        for (int x = 0; x < cw; ++x)
          if (sy + y >= 0 && sy + y < zone.height() && sx + x < zone.width())
            cell.row(pad + y)[pad + x] = zone.row(sy + y)[sx + x];
      cell.set_dpi(zone.dpi());
      const auto path = dir / ("c" + std::to_string(li) + "_" + std::to_string(100 + i) + ".png");
      EXPECT_TRUE(write_png(cell.view(), path, PngOptions{.dpi = zone.dpi()}).has_value());
      list += path.string() + "\n";
    }
  const auto list_path = dir / "cells.txt";
  EXPECT_TRUE(write_file_atomic(list_path, std::span(reinterpret_cast<const std::uint8_t*>(list.data()), list.size()))
                  .has_value());
  const std::string cmd = test::tesseract_binary() + " " + list_path.string() +
                          " stdout --psm 10 -l eng -c 'tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<'"
                          " -c page_separator='|' 2>/dev/null";
  std::string out = test::command_output(cmd);
  std::filesystem::remove_all(dir);
  // One character per cell: cells are separated by '|'; 30 cells make a line.
  std::string text;
  int count = 0;
  std::string cell;
  for (char c : out) {
    if (c == '|') {
      text += cell.empty() ? "?" : cell.substr(0, 1);
      cell.clear();
      if (++count % 30 == 0) text += '\n';
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      cell += c;
    }
  }
  if (!cell.empty()) text += cell.substr(0, 1);
  return text;
}

TEST(MrzOcr, RoundTrip) {
  if (test::tesseract_binary().empty()) GTEST_SKIP() << "tesseract is not installed";
  const auto json = test::one_side(R"({"type": "mrz", "name": "mrz", "x": 2, "y": 36, "w": 81.6, "h": 16})");
  const auto rec = test::specimen_record();
  auto card = test::compose_json(json, rec).value();
  const int dpi = 600;
  const auto p = test::render_card(card, dpi);
  const double k = dpi / 25.4;
  const Image gray = test::crop_gray(
      composite(p), PxRect{p.trim.x, p.trim.y + static_cast<int>(36 * k), p.trim.w, static_cast<int>(16 * k)});
  // Zone geometry of the element: 30 * 2.54 mm centred in the box, lines 4.23 mm apart about its middle.
  const std::string text =
      ocr_cells(gray, (2 + (81.6 - 30 * 2.54) / 2) * k, 2.54 * k, {(8 - 4.23) * k, 8 * k, (8 + 4.23) * k});
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text + "\n") {
    if (c == '\n') {
      if (!cur.empty()) lines.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  ASSERT_EQ(lines.size(), 3u) << text;
  std::printf("OCR of the MRZ:\n%s\n%s\n%s\n", lines[0].c_str(), lines[1].c_str(), lines[2].c_str());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(lines[static_cast<std::size_t>(i)], card.mrz_lines()[static_cast<std::size_t>(i)]);
  auto parsed = parse_td1({lines[0], lines[1], lines[2]});
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_TRUE(parsed->all_checks_ok());
  EXPECT_EQ(parsed->document_number, rec.get("document_number").value());
  EXPECT_EQ(parsed->date_of_birth, "840715");
  EXPECT_EQ(parsed->nationality, "XXA");
}

}  // namespace
}  // namespace sdc
