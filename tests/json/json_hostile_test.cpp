// Hostile JSON (hostile inputs #3 and #8): deep nesting is refused before parsing, and a number out
// of double range is an error with its line, not an exception.
#include <sdc/export.hpp>
#include <sdc/record.hpp>
#include <sdc/template.hpp>

#include <gtest/gtest.h>

#include <string>

#include "json/json_util.hpp"

namespace sdc {
namespace {

TEST(JsonHostile, DeepNestingIsRefusedWithItsLine) {
  std::string deep = "{\"sdc_template\": 1,\n\"x\": ";
  for (int i = 0; i < 100000; ++i) deep += "[";
  for (int i = 0; i < 100000; ++i) deep += "]";
  deep += "}";
  auto t = Template::parse(deep, "deep.json");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::invalid_template);
  EXPECT_NE(t.error().to_string().find("nested"), std::string::npos) << t.error().to_string();
  EXPECT_EQ(t.error().where().line, 2);
  // Brackets inside strings do not count.
  std::string quoted = "{\"a\": \"";
  for (int i = 0; i < 1000; ++i) quoted += "[{";
  quoted += "\"}";
  EXPECT_TRUE(detail::parse_json_text(quoted, "q.json"));
}

TEST(JsonHostile, NumberOutOfRangeIsAnErrorWithItsLine) {
  auto t = Template::parse("{\"sdc_template\": 1,\n \"front\": {\"elements\": [\n {\"x\": 1e999}]}}", "big.json");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), Errc::invalid_template);
  EXPECT_NE(t.error().to_string().find("too large"), std::string::npos) << t.error().to_string();
  EXPECT_EQ(t.error().where().line, 3);
  auto p = parse_printer_profile("{\"width_px\": -1e999}", "p.json");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().to_string().find("too large"), std::string::npos) << p.error().to_string();
  auto r = parse_records("{\"surname\": \"A\", \"n\": 1e400}\n", RecordFormat::json_lines, "r.jsonl");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().to_string().find("too large"), std::string::npos) << r.error().to_string();
}

}  // namespace
}  // namespace sdc
