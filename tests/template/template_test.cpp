#include <gtest/gtest.h>
#include <sdc/template.hpp>

#include <filesystem>

using namespace sdc;

namespace {

std::string with_front(const std::string& elements) {
  return "{\n  \"sdc_template\": 1,\n  \"name\": \"t\",\n  \"front\": {\n    \"elements\": [\n" + elements +
         "\n    ]\n  }\n}\n";
}

Error parse_error(const std::string& json) {
  auto t = Template::parse(json, "t.json");
  EXPECT_FALSE(t);
  return t ? Error() : t.error();
}

}  // namespace

TEST(Template, SpecimenLoadsWithBothSides) {
  auto t = Template::load(std::filesystem::path(SDC_SOURCE_DIR) / "assets/templates/specimen.json");
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_TRUE(t->has_side(Side::front));
  EXPECT_TRUE(t->has_side(Side::back));
  EXPECT_EQ(t->geometry().format, CardFormat::id1);
  const auto front = t->elements(Side::front);
  ASSERT_FALSE(front.empty());
  bool has_photo = false, has_specimen = false;
  for (const auto& e : front) {
    has_photo |= e.type == "photo" && e.personal;
    has_specimen |= e.name == "specimen_front";
  }
  EXPECT_TRUE(has_photo);
  EXPECT_TRUE(has_specimen);
  const auto fields = t->referenced_fields();
  EXPECT_NE(std::find(fields.begin(), fields.end(), "surname"), fields.end());
  EXPECT_EQ(t->content_id().size(), 64u);
}

TEST(Template, SyntaxErrorNamesLineAndColumn) {
  const auto e = parse_error("{\n  \"sdc_template\": 1,\n  \"front\": {\"elements\": [}\n}\n");
  EXPECT_EQ(e.code(), Errc::invalid_template);
  EXPECT_EQ(e.where().file, "t.json");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_GT(e.where().column, 0);
}

TEST(Template, UnknownTypeListsKnownTypes) {
  const auto e = parse_error(with_front(R"(      {"type": "hologram", "name": "h", "x": 1, "y": 1, "w": 5, "h": 5})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/type");
  EXPECT_EQ(e.where().line, 6);
  EXPECT_EQ(e.where().element, "h");
  EXPECT_NE(e.hint().find("rect"), std::string::npos);
}

TEST(Template, UnknownKeyIsAnErrorNotIgnored) {
  const auto e = parse_error(with_front(
      R"(      {"type": "rect", "name": "r", "x": 1, "y": 1, "w": 5, "h": 5, "fill": "#000000", "colour": "#fff"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/colour");
  EXPECT_NE(e.message().find("colour"), std::string::npos);
}

TEST(Template, RangesAndTypesAreChecked) {
  auto e = parse_error(
      with_front(R"(      {"type": "rect", "name": "r", "x": 1, "y": 1, "w": -5, "h": 5, "fill": "#000000"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/w");
  e = parse_error(
      with_front(R"(      {"type": "rect", "name": "r", "x": "1", "y": 1, "w": 5, "h": 5, "fill": "#000000"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/x");
  e = parse_error(with_front(R"(      {"type": "rect", "name": "r", "x": 1, "y": 1, "w": 5, "h": 5, "fill": "red"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/fill");
  e = parse_error(with_front(R"(      {"type": "rect", "name": "r", "x": 1, "y": 1, "w": 5, "h": 5})"));
  EXPECT_NE(e.message().find("fill"), std::string::npos);
  e = parse_error(
      with_front(R"(      {"type": "text", "name": "t", "x": 1, "y": 1, "w": 5, "h": 5, "text": "x", "size": 2})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/size");
}

TEST(Template, DuplicateNamesAndBadReferences) {
  auto e = parse_error(with_front(
      R"(      {"type": "rect", "name": "a", "x": 1, "y": 1, "w": 5, "h": 5, "fill": "#000000"},
      {"type": "rect", "name": "a", "x": 1, "y": 1, "w": 5, "h": 5, "fill": "#000000"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/1/name");
  EXPECT_EQ(e.where().line, 7);
  e = parse_error(
      with_front(R"(      {"type": "text", "name": "t", "x": 1, "y": 1, "w": 5, "h": 5, "text": "{surname"})"));
  EXPECT_NE(e.message().find("never closed"), std::string::npos);
  e = parse_error(with_front(
      R"(      {"type": "path", "name": "p", "x": 1, "y": 1, "w": 5, "h": 5, "fill": "#000000", "d": "M 0 0 X 3"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/d");
}

TEST(Template, MissingImageAssetNamesThePath) {
  auto e = parse_error(
      with_front(R"(      {"type": "image", "name": "logo", "x": 1, "y": 1, "w": 5, "h": 5, "src": "nope.png"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/src");
  EXPECT_NE(e.hint().find("nope.png"), std::string::npos);
}

TEST(Template, NoSidesAndWrongVersion) {
  EXPECT_FALSE(Template::parse(R"({"sdc_template": 1})", "t.json"));
  auto e = parse_error(R"({"sdc_template": 2, "front": {"elements": []}})");
  EXPECT_EQ(e.where().json_path, "/sdc_template");
  EXPECT_FALSE(Template::load("/nonexistent/template.json"));
}

TEST(Template, DeclaredFieldsExtendTheSchema) {
  auto t = Template::parse(R"({"sdc_template": 1, "fields": [{"name": "case_officer", "max_length": 20}],
                               "front": {"elements": []}})",
                           "t.json");
  ASSERT_TRUE(t) << t.error().to_string();
  const auto* rule = t->schema().find("case_officer");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->max_length, 20u);
  EXPECT_NE(t->schema().find("surname"), nullptr);
}

// Hostile input 23: microtext that draws nothing (spaces, zero-width characters) was accepted.
TEST(Template, MicrotextThatDrawsNothingIsRefused) {
  const std::string line = R"("path": {"shape": "line", "x1": 1, "y1": 1, "x2": 30, "y2": 1})";
  for (const std::string text : {"   ", "\u200B\u200B\u200B", "\u3000"}) {
    const auto e =
        parse_error(with_front(R"(      {"type": "microtext", "name": "m", "x": 1, "y": 0.5, "w": 30, "h": 1, )"
                               R"("text": ")" +
                               text + R"(", )" + line + "}"));
    EXPECT_EQ(e.where().json_path, "/front/elements/0/text");
    EXPECT_NE(e.message().find("draws nothing"), std::string::npos) << e.message();
  }
  auto ok = Template::parse(with_front(R"(      {"type": "microtext", "name": "m", "x": 1, "y": 0.5, "w": 30, "h": 1, )"
                                       R"("text": " A ", )" +
                                       line + "}"),
                            "t.json");
  EXPECT_TRUE(ok) << ok.error().to_string();
}

// Hostile input 4: a 330-byte hypotrochoid passed the point bound and then took Cairo 110 s and
// 745 MB to draw at 300 dpi. The drawing cost (self-crossings, coats of ink) is bounded at load.
TEST(Template, GuillocheDrawingCostIsBounded) {
  const std::string g =
      R"(      {"type": "guilloche", "name": "g", "x": 0, "y": 0, "w": 85.6, "h": 53.98, "family": "hypotrochoid", )"
      R"("radius": 17, "freq_a": 17, "freq_b": 6, "pen": 7.5, "modulation": 0.9, )";
  const auto e = parse_error(with_front(g + R"("strokes": 9, "modulation_freq": 1000})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/strokes");
  EXPECT_NE(e.message().find("self-crossings"), std::string::npos) << e.message();
  EXPECT_NE(e.hint().find("modulation_freq"), std::string::npos);
  // The same curve, far less dense, is a pattern.
  auto ok = Template::parse(with_front(g + R"("strokes": 1, "modulation_freq": 40})"), "t.json");
  EXPECT_TRUE(ok) << ok.error().to_string();
  // The specimen's patterns stay far inside the bounds.
  EXPECT_TRUE(Template::load(std::filesystem::path(SDC_SOURCE_DIR) / "assets/templates/specimen.json"));
}

// Hostile input 22: a template's image path reached any file (and its error told whether the
// file existed). It stays inside the template's folder.
TEST(Template, ImagePathsStayInsideTheTemplatesFolder) {
  for (const std::string src : {"../../etc/passwd", "/etc/passwd", "a/../../b.png", "/dev/zero"}) {
    const auto e = parse_error(
        with_front(R"(      {"type": "image", "name": "i", "x": 1, "y": 1, "w": 5, "h": 5, "src": ")" + src + R"("})"));
    EXPECT_EQ(e.where().json_path, "/front/elements/0/src") << src;
    EXPECT_NE(e.message().find("leaves the template's folder"), std::string::npos) << src << ": " << e.message();
  }
  // Inside the folder, a missing file is still reported as such.
  const auto e = parse_error(
      with_front(R"(      {"type": "image", "name": "i", "x": 1, "y": 1, "w": 5, "h": 5, "src": "logo/missing.png"})"));
  EXPECT_EQ(e.where().json_path, "/front/elements/0/src");
}
