#include "json/json_util.hpp"

#include <vector>

namespace sdc::detail {

Result<nlohmann::json> parse_json_text(std::string_view text, const std::string& name, int first_line) {
  try {
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based position of the failure; count lines up to it.
    const std::size_t at = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    int line = first_line, col = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n')
        ++line, col = 1;
      else
        ++col;
    }
    std::string what = e.what();
    // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: ...";
    // keep the part after the position.
    if (auto p = what.find(": "); p != std::string::npos) what = what.substr(p + 2);
    if (auto p = what.find(": "); p != std::string::npos && what.rfind("syntax error", 0) == 0)
      what = what.substr(p + 2);
    return Error(Errc::invalid_template, "JSON syntax error: " + what,
                 "fix the JSON at that position (a missing comma, quote or bracket is the usual cause).",
                 Where{.file = name, .line = line, .column = col});
  }
}

std::string pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

JsonLines::JsonLines(std::string_view t) {
  struct Frame {
    bool object;
    std::string key;
    long index;
    bool expect_key;
  };
  std::vector<Frame> stack;
  int line = 1;
  auto path = [&] {
    std::string p;
    for (const auto& f : stack) p += "/" + (f.object ? pointer_escape(f.key) : std::to_string(f.index));
    return p;
  };
  auto value_starts = [&] {
    if (stack.empty() || !stack.back().object || !stack.back().expect_key) lines_.emplace(path(), line);
  };
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == ':') continue;
    if (c == '{' || c == '[') {
      value_starts();
      stack.push_back({c == '{', {}, 0, c == '{'});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (c == ',') {
      if (!stack.empty()) {
        if (stack.back().object)
          stack.back().expect_key = true;
        else
          ++stack.back().index;
      }
    } else if (c == '"') {
      std::string s;
      for (++i; i < t.size() && t[i] != '"'; ++i) {
        if (t[i] == '\\' && i + 1 < t.size()) {
          s += t[++i];  // escapes matter only for keys; exotic ones just make the key differ
        } else {
          s += t[i];
        }
      }
      if (!stack.empty() && stack.back().object && stack.back().expect_key) {
        stack.back().key = s;
        stack.back().expect_key = false;
      } else {
        value_starts();
      }
    } else {
      value_starts();
      while (i + 1 < t.size() && t[i + 1] != ',' && t[i + 1] != '}' && t[i + 1] != ']' && t[i + 1] != '\n' &&
             t[i + 1] != ' ')
        ++i;
    }
  }
}

int JsonLines::line_of(const std::string& pointer) const {
  auto it = lines_.find(pointer);
  return it == lines_.end() ? 0 : it->second;
}

}  // namespace sdc::detail
