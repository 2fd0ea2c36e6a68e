#include "json/json_reader.hpp"
#include "core/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sdc::detail {

namespace {}  // namespace

Error JsonReader::error(const std::string& key, std::string message, std::string hint) const {
  Where w;
  w.file = file_;
  w.json_path = key.empty() ? ptr_ : key_pointer(key);
  w.line = lines_.line_of(w.json_path);
  if (w.line == 0) w.line = lines_.line_of(ptr_);
  w.element = element_;
  return Error(Errc::invalid_template, std::move(message), std::move(hint), std::move(w));
}

Result<double> JsonReader::number(const std::string& key, double min, double max, std::optional<double> def,
                                  const char* unit) {
  used_.insert(key);
  if (!has(key)) {
    if (def) return *def;
    return error(
        "", "the required key '" + key + "' is missing.",
        "add \"" + key + "\": a number in " + unit + " from " + format_number(min) + " to " + format_number(max) + ".");
  }
  const auto& v = j_[key];
  if (!v.is_number())
    return error(key, "'" + key + "' must be a number (" + unit + ").",
                 "write a plain number, without quotes or units.");
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < min || d > max)
    return error(key,
                 "'" + key + "' is " + format_number(d) + " " + unit + ", outside the allowed range " +
                     format_number(min) + " to " + format_number(max) + ".",
                 "choose a value in range.");
  return d;
}

Result<int> JsonReader::integer(const std::string& key, long min, long max, std::optional<long> def) {
  used_.insert(key);
  if (!has(key)) {
    if (def) return static_cast<int>(*def);
    return error(
        "", "the required key '" + key + "' is missing.",
        "add \"" + key + "\": a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ".");
  }
  const auto& v = j_[key];
  if (!v.is_number_integer()) return error(key, "'" + key + "' must be a whole number.", "write an integer such as 3.");
  const auto i = v.get<long long>();
  if (i < min || i > max)
    return error(key,
                 "'" + key + "' is " + std::to_string(i) + ", outside the allowed range " + std::to_string(min) +
                     " to " + std::to_string(max) + ".",
                 "choose a value in range.");
  return static_cast<int>(i);
}

Result<bool> JsonReader::boolean(const std::string& key, std::optional<bool> def) {
  used_.insert(key);
  if (!has(key)) {
    if (def) return *def;
    return error("", "the required key '" + key + "' is missing.", "add \"" + key + "\": true or false.");
  }
  if (!j_[key].is_boolean())
    return error(key, "'" + key + "' must be true or false.", "write true or false, unquoted.");
  return j_[key].get<bool>();
}

Result<std::string> JsonReader::string(const std::string& key, std::optional<std::string> def, bool allow_empty) {
  used_.insert(key);
  if (!has(key)) {
    if (def) return *def;
    return error("", "the required key '" + key + "' is missing.", "add \"" + key + "\": \"...\".");
  }
  if (!j_[key].is_string()) return error(key, "'" + key + "' must be a string.", "put the value in double quotes.");
  auto s = j_[key].get<std::string>();
  if (s.empty() && !allow_empty) return error(key, "'" + key + "' is empty.", "write a value or remove the key.");
  return s;
}

Result<std::string> JsonReader::choice(const std::string& key, const std::vector<std::string>& choices,
                                       std::optional<std::string> def) {
  auto s = string(key, def);
  if (!s) return s;
  for (const auto& c : choices)
    if (c == *s) return s;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  return error(key, "'" + key + "' is \"" + *s + "\", which is not one of: " + list + ".",
               "use one of the listed words.");
}

Result<Rgba> JsonReader::color(const std::string& key, std::optional<Rgba> def) {
  used_.insert(key);
  if (!has(key)) {
    if (def) return *def;
    return error("", "the required colour '" + key + "' is missing.", "add \"" + key + "\": \"#RRGGBB\".");
  }
  const auto& v = j_[key];
  auto bad = [&] {
    return error(key, "'" + key + "' must be an sRGB colour \"#RRGGBB\" or \"#RRGGBBAA\".", "write e.g. \"#1f3a93\".");
  };
  if (!v.is_string()) return bad();
  const auto s = v.get<std::string>();
  if ((s.size() != 7 && s.size() != 9) || s[0] != '#') return bad();
  unsigned vals[4] = {0, 0, 0, 255};
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
    unsigned x = 0;
    auto [p, ec] = std::from_chars(s.data() + 1 + i, s.data() + 3 + i, x, 16);
    if (ec != std::errc() || p != s.data() + 3 + i) return bad();
    vals[i / 2] = x;
  }
  return Rgba{vals[0] / 255.0, vals[1] / 255.0, vals[2] / 255.0, vals[3] / 255.0};
}

Result<JsonReader> JsonReader::object(const std::string& key) {
  used_.insert(key);
  if (!has(key) || !j_[key].is_object())
    return error(has(key) ? key : "", "'" + key + "' must be a JSON object.", "write \"" + key + "\": { ... }.");
  return JsonReader(j_[key], key_pointer(key), file_, lines_, element_);
}

Result<std::size_t> JsonReader::array_size(const std::string& key, std::size_t min, std::size_t max) {
  used_.insert(key);
  if (!has(key) || !j_[key].is_array())
    return error(has(key) ? key : "", "'" + key + "' must be a JSON array.", "write \"" + key + "\": [ ... ].");
  const auto n = j_[key].size();
  if (n < min || n > max)
    return error(key,
                 "'" + key + "' has " + std::to_string(n) + " entries; " + std::to_string(min) + " to " +
                     std::to_string(max) + " are allowed.",
                 "add or remove entries.");
  return n;
}

JsonReader JsonReader::at(const std::string& key, std::size_t index) {
  return JsonReader(j_[key][index], key_pointer(key) + "/" + std::to_string(index), file_, lines_, element_);
}

Status JsonReader::check_unknown_keys() const {
  if (!j_.is_object()) return {};
  for (auto it = j_.begin(); it != j_.end(); ++it) {
    if (used_.count(it.key())) continue;
    std::string known;
    for (const auto& k : used_) known += (known.empty() ? "" : ", ") + k;
    return error(it.key(), "unknown key '" + it.key() + "'.",
                 known.empty() ? "remove it." : "remove it, or use one of: " + known + ".");
  }
  return {};
}

}  // namespace sdc::detail
