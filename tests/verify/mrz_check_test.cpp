// The `mrz` finding: printed zone against the zone of the sealed data.
#include <gtest/gtest.h>

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

TEST(MrzFinding, UnreadableWarnsAndNoZoneIsNotChecked) {
  const Finding unread = mrz_finding(nullptr, "no zone found", kTd1, 0);
  EXPECT_EQ(unread.outcome, Outcome::warn);
  EXPECT_NE(unread.reason.find("no zone found"), std::string::npos);
  const MrzReading r = reading(kTd1);
  EXPECT_EQ(mrz_finding(&r, "", {}, 0).outcome, Outcome::not_checked);
}

}  // namespace
}  // namespace sdc::detail
