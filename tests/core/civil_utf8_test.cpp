// The shared calendar and UTF-8 helpers (core/civil.hpp, core/utf8.hpp) that records, text layout
// and the seal payload all use: their edge cases, once.
#include "core/civil.hpp"
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sdc::detail {
namespace {

bool ymd(std::string_view s, int lo = 1900, int hi = 2199) {
  int y = 0, m = 0, d = 0;
  return parse_ymd(s, lo, hi, y, m, d);
}

TEST(Civil, ParsesOnlyRealCalendarDatesInRange) {
  EXPECT_TRUE(ymd("1984-07-15"));
  EXPECT_TRUE(ymd("2024-02-29"));   // leap year
  EXPECT_TRUE(ymd("2000-02-29"));   // divisible by 400
  EXPECT_FALSE(ymd("2100-02-29"));  // divisible by 100 only
  EXPECT_FALSE(ymd("2027-02-30"));
  EXPECT_FALSE(ymd("2027-04-31"));
  EXPECT_FALSE(ymd("2027-13-01"));
  EXPECT_FALSE(ymd("2027-00-10"));
  EXPECT_FALSE(ymd("2027-01-00"));
  EXPECT_TRUE(ymd("1900-01-01"));
  EXPECT_TRUE(ymd("2199-12-31"));
  EXPECT_FALSE(ymd("1899-12-31"));
  EXPECT_FALSE(ymd("2200-01-01"));
  EXPECT_TRUE(ymd("0001-01-01", 1, 9999));
  EXPECT_FALSE(ymd("0000-01-01", 1, 9999));
  for (const char* bad : {"2027-1-01", "2027/01/01", "2027-01-01 ", "+027-01-01", "2027-0a-01", "", "20270101"})
    EXPECT_FALSE(ymd(bad)) << bad;
}

TEST(Civil, DayCountsRoundTrip) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1984, 7, 15), 5309);  // docs/seal.md worked example
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  for (std::int64_t z : {-719162, -1, 0, 59, 60, 11016, 2932896}) {
    int y = 0, m = 0, d = 0;
    civil_from_days(z, y, m, d);
    EXPECT_EQ(days_from_civil(y, m, d), z);
  }
  EXPECT_EQ(format_ymd(1, 2, 3), "0001-02-03");
  EXPECT_EQ(utc_text(unix_from_civil(2026, 3, 1, 23, 59, 58)), "2026-03-01T23:59:58Z");
  EXPECT_EQ(utc_text(-1), "1969-12-31T23:59:59Z");
}

TEST(Utf8, AcceptsAllScalarValuesOnly) {
  EXPECT_TRUE(utf8_valid(""));
  EXPECT_TRUE(utf8_valid("Ana \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(utf8_valid("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(utf8_valid("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  struct Bad {
    std::string s;
    std::size_t at;
    Utf8Fault fault;
  } bad[] = {
      {"ab\x80", 2, Utf8Fault::stray_continuation},
      {"\xC0\xAF", 0, Utf8Fault::invalid_byte},       // overlong '/', refused at the lead byte
      {"a\xE0\x80\xAF", 1, Utf8Fault::overlong},      // overlong 3-byte '/'
      {"\xF0\x80\x80\xAF", 0, Utf8Fault::overlong},   // overlong 4-byte
      {"\xED\xA0\x80", 0, Utf8Fault::surrogate},      // U+D800
      {"\xED\xBF\xBF", 0, Utf8Fault::surrogate},      // U+DFFF
      {"\xF4\x90\x80\x80", 0, Utf8Fault::above_max},  // U+110000
      {"\xF5\x80\x80\x80", 0, Utf8Fault::invalid_byte},
      {"\xFF", 0, Utf8Fault::invalid_byte},
      {"x\xE2\x82", 1, Utf8Fault::cut_off_by_end},
      {"\xE2\x82x", 0, Utf8Fault::cut_off},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.s);
    std::size_t at = 99;
    EXPECT_FALSE(utf8_valid(b.s, &at));
    EXPECT_EQ(at, b.at);
    EXPECT_EQ(utf8_next(b.s, b.at).fault, b.fault);
  }
  EXPECT_EQ(utf8_next("\xE2\x82x", 0).len, 2u);  // cut off after 2 bytes
}

}  // namespace
}  // namespace sdc::detail
