// A strict reader for one JSON object (templates, trust lists, printer profiles): typed getters with ranges and units,
// errors that name the file, JSON pointer, line and element, and a check for unknown keys (a misspelt key is an error,
// not silently ignored).
#pragma once

#include <nlohmann/json.hpp>
#include <sdc/error.hpp>
#include <sdc/units.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "json/json_util.hpp"

namespace sdc::detail {

using sdc::Rgba;

class JsonReader {
 public:
  JsonReader(const nlohmann::json& obj, std::string pointer, const std::string& file, const JsonLines& lines,
             std::string element = {})
      : j_(obj), ptr_(std::move(pointer)), file_(file), lines_(lines), element_(std::move(element)) {}

  const nlohmann::json& json() const { return j_; }
  const std::string& pointer() const { return ptr_; }
  const std::string& file() const { return file_; }
  const JsonLines& lines() const { return lines_; }
  const std::string& element() const { return element_; }
  void set_element(std::string e) { element_ = std::move(e); }

  bool has(const std::string& key) const { return j_.is_object() && j_.contains(key); }
  /// An error about `key` (or about the object itself when key is empty).
  Error error(const std::string& key, std::string message, std::string hint) const;

  // Typed getters. `required` getters fail when the key is absent; the others return the default.
  Result<double> number(const std::string& key, double min, double max, std::optional<double> def,
                        const char* unit = "mm");
  Result<Mm> mm(const std::string& key, double min, double max, std::optional<double> def) {
    SDC_TRY_ASSIGN(auto r, number(key, min, max, def, "mm"));
    return Mm{r};
  }
  Result<int> integer(const std::string& key, long min, long max, std::optional<long> def);
  Result<bool> boolean(const std::string& key, std::optional<bool> def);
  Result<std::string> string(const std::string& key, std::optional<std::string> def, bool allow_empty = false);
  /// One of a list of words.
  Result<std::string> choice(const std::string& key, const std::vector<std::string>& choices,
                             std::optional<std::string> def);
  /// "#RRGGBB" or "#RRGGBBAA" (sRGB).
  Result<Rgba> color(const std::string& key, std::optional<Rgba> def);
  /// A child object reader (for nested objects such as "clip" or "path").
  Result<JsonReader> object(const std::string& key);
  /// A child array; each element as a reader via at().
  Result<std::size_t> array_size(const std::string& key, std::size_t min, std::size_t max);
  JsonReader at(const std::string& key, std::size_t index);

  /// Fails if the object has keys that were never read; lists the keys it knows.
  Status check_unknown_keys() const;
  /// Marks a key as known without reading it.
  void accept(const std::string& key) { used_.insert(key); }

 private:
  std::string key_pointer(const std::string& key) const { return ptr_ + "/" + pointer_escape(key); }
  const nlohmann::json& j_;
  std::string ptr_;
  const std::string& file_;
  const JsonLines& lines_;
  std::string element_;
  std::set<std::string> used_;
};

}  // namespace sdc::detail
