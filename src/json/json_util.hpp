// JSON helpers shared by the template and record readers: parsing with line/column in syntax
// errors, and a map from JSON pointers to lines so that semantic errors can name the line too.
#pragma once

#include <nlohmann/json.hpp>
#include <sdc/error.hpp>

#include <string>
#include <string_view>
#include <unordered_map>

namespace sdc::detail {

/// Parses JSON; a syntax error names the file, line and column and what the parser expected.
/// `first_line` is the line of text[0] in the file (for JSON Lines).
Result<nlohmann::json> parse_json_text(std::string_view text, const std::string& name, int first_line = 1);

/// Lines of every value in a JSON text, keyed by JSON pointer ("/front/elements/3/size").
/// Assumes the text is valid JSON (parse it first); unknown pointers map to 0.
class JsonLines {
 public:
  JsonLines() = default;
  explicit JsonLines(std::string_view text);
  int line_of(const std::string& pointer) const;

 private:
  std::unordered_map<std::string, int> lines_;
};

/// Escapes a key for use in a JSON pointer (~ -> ~0, / -> ~1).
std::string pointer_escape(std::string_view key);

}  // namespace sdc::detail
