#include <gtest/gtest.h>
#include <sdc/record.hpp>

#include <filesystem>

using namespace sdc;

namespace {

Record docket() {
  Record r;
  r.source = "mem.csv";
  r.fields = {{"surname", "Doe"},
              {"given_names", "Jane"},
              {"date_of_birth", "1990-02-28"},
              {"sex", "F"},
              {"nationality", "XXA"},
              {"registration_number", "123456789"},
              {"docket_number", "CR-1"},
              {"document_number", "XA1"},
              {"issuing_office", "Office"},
              {"issue_date", "2026-01-01"},
              {"expiry_date", "2027-01-01"},
              {"card_variant", "temporary"},
              {"photo", "p.png"}};
  return r;
}

}  // namespace

TEST(Csv, QuotingBomCrlfAndMultilineFields) {
  const std::string text =
      "\xEF\xBB\xBFsurname,given_names,note\r\n"
      "\"O'Brien, Jr.\",\"Se\xC3\xA1n \"\"Jack\"\"\",\"two\nlines\"\r\n"
      "Nguy\xE1\xBB\x85n,Th\xE1\xBB\x8B,\r\n";
  auto r = parse_records(text, RecordFormat::csv, "t.csv");
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].get("surname"), "O'Brien, Jr.");
  EXPECT_EQ((*r)[0].get("given_names"), "Se\xC3\xA1n \"Jack\"");
  EXPECT_EQ((*r)[0].get("note"), "two\nlines");
  EXPECT_EQ((*r)[0].line, 2);
  EXPECT_EQ((*r)[1].line, 4);  // the quoted line break counts
  EXPECT_EQ((*r)[1].get("surname"), "Nguy\xE1\xBB\x85n");
  EXPECT_EQ((*r)[1].get("note"), "");
  EXPECT_EQ((*r)[1].index, 1);
}

TEST(Csv, BrokenQuoteNamesTheLine) {
  auto r = parse_records("a,b\n1,2\n\"open,3\n4,5\n", RecordFormat::csv, "bad.csv");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::invalid_record);
  EXPECT_EQ(r.error().where().file, "bad.csv");
  EXPECT_EQ(r.error().where().line, 3);
  EXPECT_NE(r.error().message().find("never closed"), std::string::npos);
}

TEST(Csv, InvalidUtf8AndColumnCountsAreRejected) {
  auto bad = parse_records("a,b\n\xC3\x28,x\n", RecordFormat::csv, "u.csv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().where().line, 2);
  EXPECT_NE(bad.error().message().find("UTF-8"), std::string::npos);
  auto cols = parse_records("a,b\n1,2,3\n", RecordFormat::csv, "c.csv");
  ASSERT_FALSE(cols);
  EXPECT_EQ(cols.error().where().record, 0);
  auto stray = parse_records("a,b\n1,x\"y\n", RecordFormat::csv, "q.csv");
  ASSERT_FALSE(stray);
  auto dup = parse_records("a,a\n1,2\n", RecordFormat::csv, "d.csv");
  ASSERT_FALSE(dup);
  EXPECT_FALSE(parse_records("", RecordFormat::csv, "e.csv"));
  EXPECT_FALSE(parse_records("a,b\n", RecordFormat::csv, "h.csv"));
}

TEST(Json, ObjectArrayAndLines) {
  auto one = parse_records(R"({"surname": "Doe", "n": 12})", RecordFormat::json, "o.json");
  ASSERT_TRUE(one);
  EXPECT_EQ((*one)[0].get("n"), "12");
  auto arr = parse_records(R"([{"a": "1"}, {"a": "2"}])", RecordFormat::json, "a.json");
  ASSERT_TRUE(arr);
  EXPECT_EQ(arr->size(), 2u);
  auto lines = parse_records("{\"a\": \"1\"}\n\n{\"a\": \"2\"}\n", RecordFormat::json_lines, "l.jsonl");
  ASSERT_TRUE(lines);
  EXPECT_EQ((*lines)[1].line, 3);
  auto broken = parse_records("{\"a\": \"1\"}\n{\"a\": }\n", RecordFormat::json_lines, "b.jsonl");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().where().line, 2);
  auto nested = parse_records(R"({"a": {"b": 1}})", RecordFormat::json, "n.json");
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().where().field, "a");
}

TEST(Validate, DocketRulesNameRecordAndField) {
  const auto schema = RecordSchema::docket();
  Record r = docket();
  EXPECT_TRUE(validate_record(r, schema));

  auto expect_bad = [&](const char* field, const char* value, Errc code) {
    Record x = docket();
    x.index = 16;
    x.set(field, value);
    auto st = validate_record(x, schema);
    ASSERT_FALSE(st) << field << "=" << value;
    EXPECT_EQ(st.error().code(), code) << field;
    EXPECT_EQ(st.error().where().field, field);
    EXPECT_EQ(st.error().where().record, 16);
    EXPECT_NE(st.error().to_string().find("record 17"), std::string::npos);
  };
  expect_bad("date_of_birth", "1990-02-30", Errc::invalid_field);
  expect_bad("date_of_birth", "30.02.1990", Errc::invalid_field);
  expect_bad("registration_number", "12345678", Errc::invalid_field);
  expect_bad("registration_number", "12345678X", Errc::invalid_field);
  expect_bad("nationality", "xxa", Errc::invalid_field);
  expect_bad("sex", "Q", Errc::invalid_field);
  expect_bad("card_variant", "forever", Errc::invalid_field);
  expect_bad("surname", "", Errc::missing_field);
  expect_bad("expiry_date", "2025-12-31", Errc::invalid_field);  // before issue
  expect_bad("surname", std::string(40, 'A').c_str(), Errc::invalid_field);
  expect_bad("surname", "tab\there", Errc::invalid_field);

  Record missing = docket();
  missing.fields.erase(missing.fields.begin());
  auto st = validate_record(missing, schema);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code(), Errc::missing_field);
  EXPECT_EQ(st.error().where().field, "surname");
}

TEST(Validate, LengthsCountCodePointsNotBytes) {
  Record r = docket();
  std::string arabic;
  for (int i = 0; i < 39; ++i) arabic += "\xD9\x85";  // 39 x U+0645 = 78 bytes
  r.set("surname", arabic);
  EXPECT_TRUE(validate_record(r, RecordSchema::docket()));
}

TEST(Dates, ParseAndFormat) {
  EXPECT_TRUE(parse_date("2024-02-29"));
  EXPECT_FALSE(parse_date("2023-02-29"));
  EXPECT_FALSE(parse_date("1899-12-31"));
  EXPECT_FALSE(parse_date("2024-2-9"));
  const Date d{1984, 7, 5};
  EXPECT_EQ(format_date(d, "DD.MM.YYYY"), "05.07.1984");
  EXPECT_EQ(format_date(d, "DD MMM YYYY"), "05 JUL 1984");
  EXPECT_EQ(format_date(d, "YYMMDD"), "840705");
}

TEST(Utf8, RejectsOverlongAndSurrogates) {
  EXPECT_TRUE(is_valid_utf8("\xE1\xBB\x85"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  std::size_t at = 0;
  EXPECT_FALSE(is_valid_utf8("ab\xFF", &at));
  EXPECT_EQ(at, 2u);
}

TEST(Specimen, ShippedRecordsAreValid) {
  const std::filesystem::path dir = std::filesystem::path(SDC_SOURCE_DIR) / "assets" / "records";
  for (const char* f : {"specimen.json", "specimen.csv"}) {
    auto r = load_records(dir / f);
    ASSERT_TRUE(r) << r.error().to_string();
    for (const auto& rec : *r) EXPECT_TRUE(validate_record(rec, RecordSchema::docket())) << f << " " << rec.index;
  }
  auto csv = load_records(dir / "specimen.csv");
  EXPECT_GE(csv->size(), 12u);
}

// Hostile input 12: a surname of U+202E + "elpmaxE-nemicepS" prints as "Specimen-Example" while
// the seal carries the reversed string; 39 x U+200B prints blank and was sealed valid.
TEST(Validate, RefusesInvisibleFormattingAndBlankNames) {
  const auto schema = RecordSchema::docket();
  auto refused = [&](const char* field, const std::string& value, const char* says) {
    Record x = docket();
    x.set(field, value);
    auto st = validate_record(x, schema);
    ASSERT_FALSE(st) << field;
    EXPECT_EQ(st.error().code(), Errc::invalid_field);
    EXPECT_EQ(st.error().where().field, field);
    EXPECT_NE(st.error().message().find(says), std::string::npos) << st.error().message();
  };
  refused("surname",
          "\xE2\x80\xAE"
          "elpmaxE-nemicepS",
          "character 1 is U+202E");
  std::string zwsp;
  for (int i = 0; i < 39; ++i) zwsp += "\xE2\x80\x8B";
  refused("surname", zwsp, "U+200B");
  refused("given_names", "Jane\xE2\x81\xA6X\xE2\x81\xA9", "character 5 is U+2066");  // isolate
  refused("docket_number",
          "CR\xC2\xAD"
          "1",
          "U+00AD");                                     // soft hyphen
  refused("issuing_office", "Office\x1B[2J", "U+001B");  // terminal escape
  refused("surname",
          "\xEF\xBB\xBF"
          "Doe",
          "U+FEFF");
  refused("surname",
          "Jo\xE2\x80\x8D"
          "e",
          "U+200D");  // a joiner between Latin letters
  refused("surname", "   ", "no visible character");
  refused("given_names", "\xE3\x80\x80\xC2\xA0", "no visible character");  // ideographic space, NBSP
  refused("surname", "\xE3\x85\xA4", "no visible character");              // Hangul filler

  // Zero-width non-joiner inside a Persian name is spelling, not a trick: kept.
  Record persian = docket();
  persian.set("surname", "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD8\xB2\xD8\xA7");  // U+0645 U+06CC ZWNJ ...
  EXPECT_TRUE(validate_record(persian, schema));
  // ...but not at the start or the end of the value.
  refused("surname", "\xE2\x80\x8C\xD9\x85\xDB\x8C", "U+200C");
  // Combining marks are letters' parts, not blanks.
  Record accents = docket();
  accents.set("surname", "Nguye\xCC\x82\xCC\x83n");
  EXPECT_TRUE(validate_record(accents, schema));
}

// Hostile input 14: 100,000 columns (a quadratic header check took 17 s), a million rows held in
// memory at once (2.5 GB), NUL bytes and a UTF-16 file.
TEST(Csv, SizeCapsAndForeignEncodings) {
  std::string wide;
  for (int i = 0; i < 100000; ++i) wide += (i ? ",c" : "c") + std::to_string(i);
  auto cols = parse_records(wide + "\n", RecordFormat::csv, "wide.csv");
  ASSERT_FALSE(cols);
  EXPECT_EQ(cols.error().code(), Errc::limit_exceeded);
  EXPECT_NE(cols.error().message().find("1024 fields"), std::string::npos) << cols.error().message();

  // 1000 distinct columns and a duplicate at the end: found, at hash-set cost.
  std::string header;
  for (int i = 0; i < 1000; ++i) header += "c" + std::to_string(i) + ",";
  auto dup = parse_records(header + "c7\n" + std::string(1000, ',') + "x\n", RecordFormat::csv, "dup.csv");
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message().find("'c7' twice"), std::string::npos) << dup.error().message();

  std::string rows = "a\n";
  for (int i = 0; i < 100001; ++i) rows += "x\n";
  auto many = parse_records(rows, RecordFormat::csv, "many.csv");
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code(), Errc::limit_exceeded);
  EXPECT_NE(many.error().to_string().find("sdc batch"), std::string::npos);
  std::string lines;
  for (int i = 0; i < 100001; ++i) lines += "{\"a\":\"x\"}\n";
  auto jl = parse_records(lines, RecordFormat::json_lines, "many.jsonl");
  ASSERT_FALSE(jl);
  EXPECT_EQ(jl.error().code(), Errc::limit_exceeded);

  auto nul = parse_records(std::string("a,b\n1,x\0y\n", 10), RecordFormat::csv, "nul.csv");
  ASSERT_TRUE(nul);  // read, then refused by validation with the field named
  Record r = docket();
  r.set("surname", (*nul)[0].get("b").value_or(""));
  auto st = validate_record(r, RecordSchema::docket());
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().where().field, "surname");

  // UTF-16 (with its BOM) is not UTF-8: refused with the line, not misread.
  auto utf16 = parse_records(std::string("\xFF\xFE"
                                         "a\0,\0b\0\n\0",
                                         10),
                             RecordFormat::csv, "u16.csv");
  ASSERT_FALSE(utf16);
  EXPECT_NE(utf16.error().message().find("UTF-8"), std::string::npos);
}

// Hostile input 24: a CR-only CSV reported a stray quote; 9999-12-31 was "not a calendar date".
TEST(Csv, ClearMessagesForCrLineEndsAndOutOfRangeYears) {
  auto cr = parse_records("a,b\r1,\"x\"\r", RecordFormat::csv, "mac.csv");
  ASSERT_FALSE(cr);
  EXPECT_NE(cr.error().message().find("carriage return"), std::string::npos) << cr.error().message();
  EXPECT_EQ(cr.error().where().line, 1);
  auto quoted = parse_records("a,b\r\n1,\"x\ry\"\r\n", RecordFormat::csv, "ok.csv");  // inside quotes: a value
  ASSERT_TRUE(quoted) << quoted.error().to_string();
  EXPECT_EQ((*quoted)[0].get("b"), "x\ry");

  Record r = docket();
  r.set("expiry_date", "9999-12-31");
  auto st = validate_record(r, RecordSchema::docket());
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("year 9999 is outside 1900 to 2199"), std::string::npos) << st.error().message();
  r.set("expiry_date", "2027-02-30");
  st = validate_record(r, RecordSchema::docket());
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message().find("not a calendar date"), std::string::npos);
}
