#include "json/json_util.hpp"

#include <cmath>
#include <cstdlib>
#include <functional>
#include <set>
#include <vector>

namespace sdc::detail {

namespace {

// Watches the parser's events for a key repeated within one object and remembers the first one
// with its JSON pointer (nlohmann-json itself keeps the last copy without a word).
class DuplicateKeys {
 public:
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start: stack_.push_back(Frame{event == E::object_start, {}, {}, 0}); break;
      case E::key: {
        Frame& f = stack_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && pointer_.empty()) pointer_ = path() + "/" + pointer_escape(f.key);
        break;
      }
      case E::object_end:
      case E::array_end:
        stack_.pop_back();
        value_done();
        break;
      case E::value: value_done(); break;
    }
    return true;
  }
  /// The pointer of the first repeated key ("/revoked_kids"), empty when there is none.
  const std::string& duplicate() const { return pointer_; }

 private:
  struct Frame {
    bool object;
    std::set<std::string> keys;
    std::string key;
    long index;
  };
  void value_done() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().index;
  }
  std::string path() const {  // the object holding the current key
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i)
      p += "/" + (stack_[i].object ? pointer_escape(stack_[i].key) : std::to_string(stack_[i].index));
    return p;
  }
  std::vector<Frame> stack_;
  std::string pointer_;
};

Error duplicate_key_error(std::string_view text, const std::string& name, int first_line, const std::string& pointer) {
  const JsonLines lines(text);
  const std::string key = pointer.substr(pointer.rfind('/') + 1);
  const int first = lines.line_of(pointer), again = lines.line_of_repeat(pointer);
  std::string message = "the key '" + key + "' appears twice in the same object";
  if (first > 0 && again > 0)
    message +=
        " (lines " + std::to_string(first + first_line - 1) + " and " + std::to_string(again + first_line - 1) + ")";
  return Error(Errc::invalid_template, message + "; only one of them would count.",
               "write the key once: merge the two values into one, or remove the copy you do not mean.",
               Where{.file = name, .json_path = pointer, .line = again > 0 ? again + first_line - 1 : 0});
}

}  // namespace

namespace {

// The line (1-based, counted from `first_line`) of byte `at`.
int line_at(std::string_view text, std::size_t at, int first_line) {
  int line = first_line;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// Nesting deeper than any sdc document needs is refused before parsing: the parser and the line
// index would otherwise spend memory quadratic in the depth (hostile input: 100,000 levels).
constexpr int kMaxDepth = 64;

// Calls `visit(i)` for each byte `i` of `text` that is outside JSON strings; `visit` returns the
// index to go on from (i + 1, past a token it read, or text.size() to stop).
template <class Visit>
void for_each_outside_strings(std::string_view text, Visit visit) {
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_string) {
      if (c == '"') in_string = false;
      i += c == '\\' ? 2 : 1;
    } else if (c == '"') {
      in_string = true;
      ++i;
    } else {
      i = visit(i);
    }
  }
}

Status check_depth(std::string_view text, const std::string& name, int first_line) {
  int depth = 0;
  Status result;
  for_each_outside_strings(text, [&](std::size_t i) {
    const char c = text[i];
    if ((c == '{' || c == '[') && ++depth > kMaxDepth) {
      result =
          Error(Errc::invalid_template, "the JSON is nested more than " + std::to_string(kMaxDepth) + " levels deep.",
                "an sdc document needs a few levels; check that this is the right file.",
                Where{.file = name, .line = line_at(text, i, first_line)});
      return text.size();
    }
    if (c == '}' || c == ']') --depth;
    return i + 1;
  });
  return result;
}

// The first number that does not fit a double (1e999), for the error nlohmann gives without a
// position.
int line_of_overflow(std::string_view text, int first_line) {
  int line = 0;
  for_each_outside_strings(text, [&](std::size_t i) {
    const char c = text[i];
    if (!((c >= '0' && c <= '9') || c == '-')) return i + 1;
    std::size_t j = i;
    while (j < text.size() && std::string_view("+-0123456789.eE").find(text[j]) != std::string_view::npos) ++j;
    const std::string number(text.substr(i, j - i));
    if (!std::isinf(std::strtod(number.c_str(), nullptr))) return j;
    line = line_at(text, i, first_line);
    return text.size();
  });
  return line;
}

}  // namespace

Result<nlohmann::json> parse_json_text(std::string_view text, const std::string& name, int first_line) {
  SDC_TRY(check_depth(text, name, first_line));
  try {
    DuplicateKeys dup;
    auto j = nlohmann::json::parse(text.begin(), text.end(), std::ref(dup), true, /*ignore_comments=*/false);
    if (!dup.duplicate().empty()) return duplicate_key_error(text, name, first_line, dup.duplicate());
    return j;
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
  } catch (const nlohmann::json::out_of_range&) {
    return Error(Errc::invalid_template, "a number is too large to be represented (such as 1e999).",
                 "write an ordinary number in range.", Where{.file = name, .line = line_of_overflow(text, first_line)});
  } catch (const nlohmann::json::exception& e) {
    return Error(Errc::invalid_template, std::string("the JSON cannot be read: ") + e.what(), "fix the JSON.",
                 Where{.file = name});
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
    if (stack.empty() || !stack.back().object || !stack.back().expect_key) {
      auto p = path();
      if (!lines_.emplace(p, line).second) repeats_.emplace(std::move(p), line);
    }
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

int JsonLines::line_of_repeat(const std::string& pointer) const {
  auto it = repeats_.find(pointer);
  return it == repeats_.end() ? 0 : it->second;
}

}  // namespace sdc::detail
