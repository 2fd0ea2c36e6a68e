// The internal template model: JSON -> plain element specs.
//
// A template is parsed into one ElementSpec per element: the common fields, what the element
// depends on, and a type-specific spec struct (specs.hpp). Specs are values: nothing here draws,
// composes, encodes or signs. compose/ turns specs into display items (compose/builders.hpp).
// Adding an element type = a spec struct and a parser here (one line in registry.cpp), and a
// builder in compose/ (one line in compose/registry.cpp).
#pragma once

#include <sdc/display.hpp>
#include <sdc/record.hpp>
#include <sdc/template.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "json/json_reader.hpp"

namespace sdc::detail {

/// What an element's content depends on besides the template. The parser states these facts;
/// whether the element is personal is derived from them in one place (`personal()`).
struct Dependencies {
  std::vector<std::string> fields;  ///< record fields it refers to
  bool photo = false;               ///< the holder's portrait
  bool seal = false;                ///< the signed seal text
  bool mrz = false;                 ///< the MRZ lines
  bool personal_seed = false;       ///< the per-card pattern seed (derived from the document number)

  bool personal() const { return !fields.empty() || photo || seal || mrz || personal_seed; }
};

/// What every element has.
struct ElementCommon {
  std::string name;
  std::string type;
  Side side = Side::front;
  MmRect box;
  Ink ink = Ink::process;
  double opacity = 1.0;     ///< 0..1
  double rotate_deg = 0.0;  ///< about the box centre
  std::string json_path;    ///< "/front/elements/3", for errors at compose time
  int line = 0;
  std::string file;
  Dependencies deps;

  /// An error at compose time about this element.
  Error error(Errc code, std::string message, std::string hint) const {
    return Error(code, std::move(message), std::move(hint),
                 Where{.file = file, .json_path = json_path, .line = line, .element = name});
  }
  /// Adds this element's location to an error raised by a module below (keeps its message).
  Error locate(Error e, const std::string& prefix = {}) const;
};

/// A parsed element: common fields and the type's spec (specs.hpp), found by `type`.
struct ElementSpec {
  explicit ElementSpec(ElementCommon c) : common(std::move(c)) {}
  virtual ~ElementSpec() = default;
  ElementSpec(const ElementSpec&) = delete;
  ElementSpec& operator=(const ElementSpec&) = delete;
  ElementCommon common;
};

/// A spec of type T: `Spec<GuillocheElement>` holds a GuillocheElement beside the common fields.
template <class T>
struct Spec final : ElementSpec {
  Spec(ElementCommon c, T v) : ElementSpec(std::move(c)), value(std::move(v)) {}
  T value;
};

template <class T>
std::shared_ptr<const ElementSpec> make_spec(ElementCommon c, T v) {
  return std::make_shared<const Spec<T>>(std::move(c), std::move(v));
}

/// The type-specific part of `e`, or null when `e` is of another type.
template <class T>
const T* spec_as(const ElementSpec& e) {
  const auto* s = dynamic_cast<const Spec<T>*>(&e);
  return s ? &s->value : nullptr;
}

/// A parser for one element type; `c` holds the common fields already read from `r`.
using ElementParser = Result<std::shared_ptr<const ElementSpec>> (*)(JsonReader& r, ElementCommon c,
                                                                     const std::filesystem::path& base_dir);
struct ElementKind {
  const char* type;
  ElementParser parse;
  const char* summary;
};
std::span<const ElementKind> element_kinds();

}  // namespace sdc::detail

namespace sdc {

struct Template::Impl {
  std::string name, source, content_id;
  /// Identifies everything static content depends on: the JSON and the pixels of its images.
  std::string static_id;
  SideGeometry geometry;
  RecordSchema schema;
  std::vector<std::shared_ptr<const detail::ElementSpec>> front, back;
  bool has_front = false, has_back = false;
  Rgba front_background{1, 1, 1, 1}, back_background{1, 1, 1, 1};
  std::vector<std::uint8_t> pattern_seed;  ///< the template's own issuer seed (specimen)
  std::string issuer_code = "XXA";
  const std::vector<std::shared_ptr<const detail::ElementSpec>>& side(Side s) const {
    return s == Side::front ? front : back;
  }
};

}  // namespace sdc
