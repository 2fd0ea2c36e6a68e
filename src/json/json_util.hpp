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
/// A key that appears twice in one object is an error too (naming the key, its JSON pointer and
/// both lines): JSON parsers disagree about which copy wins, so a repeated key would silently
/// drop a value (a second "revoked_kids": [] would empty a revocation list).
/// `first_line` is the line of text[0] in the file (for JSON Lines). Errors: Errc::invalid_template
/// (callers reading other kinds of file may re-code them).
Result<nlohmann::json> parse_json_text(std::string_view text, const std::string& name, int first_line = 1);

/// Lines of every value in a JSON text, keyed by JSON pointer ("/front/elements/3/size").
/// Assumes the text is valid JSON (parse it first); unknown pointers map to 0.
class JsonLines {
 public:
  JsonLines() = default;
  explicit JsonLines(std::string_view text);
  int line_of(const std::string& pointer) const;
  /// The line where a key repeated in its object appears the second time (0 if it does not).
  int line_of_repeat(const std::string& pointer) const;

 private:
  std::unordered_map<std::string, int> lines_;
  std::unordered_map<std::string, int> repeats_;
};

/// Escapes a key for use in a JSON pointer (~ -> ~0, / -> ~1).
std::string pointer_escape(std::string_view key);

}  // namespace sdc::detail
