// Internal: how compose turns element specs into display items. One builder per element type
// (build_*.cpp), listed in compose/registry.cpp.
#pragma once

#include <sdc/compose.hpp>
#include <sdc/display.hpp>

#include <string>
#include <vector>

#include "template/model.hpp"
#include "template/specs.hpp"

namespace sdc::detail {

/// Everything a builder may use: decided once per card before any element is built.
struct ComposeEnv {
  const Record& record;
  const Template::Impl& tmpl;
  const FontSet& fonts;
  std::string issuer_code;             ///< the issuer's, else the template's
  Dpi dpi{600};                        ///< resolution the geometry is flattened for
  const Image* portrait = nullptr;     ///< cropped portrait (null when no element prints it)
  std::vector<std::string>* warnings;  ///< the card's warnings
  std::string seal_text;
  std::vector<std::string> mrz_lines;
  std::vector<std::uint8_t> issuer_seed;    ///< static pattern seed
  std::vector<std::uint8_t> personal_seed;  ///< HMAC-SHA256(issuer seed, document number)
};

/// Builds the content of one display item from a spec of its type. The caller fills the item's
/// common fields (name, box, ink, personal, ...) from the spec's ElementCommon.
using Builder = Result<decltype(DisplayItem::content)> (*)(const ElementSpec& spec, const ComposeEnv& env);

/// The builder of an element type; null for an unknown type.
Builder builder_for(const std::string& type);

/// Substitutes {field} and {field:DATEPATTERN} references with record values ("{{" and "}}" are
/// literal braces). Errors name the element and the missing field.
Result<std::string> substitute_fields(const std::string& text, const Record& record, const ElementCommon& c);

/// The MRZ lines of the template's first MRZ element (empty when it has none).
Result<std::vector<std::string>> compute_mrz_lines(const ComposeEnv& env);

// Builders of the built-in types.
using BuildResult = Result<decltype(DisplayItem::content)>;
BuildResult build_shape(const ElementSpec&, const ComposeEnv&);
BuildResult build_text(const ElementSpec&, const ComposeEnv&);
BuildResult build_image(const ElementSpec&, const ComposeEnv&);
BuildResult build_photo(const ElementSpec&, const ComposeEnv&);
BuildResult build_qr(const ElementSpec&, const ComposeEnv&);
BuildResult build_guilloche(const ElementSpec&, const ComposeEnv&);
BuildResult build_microtext(const ElementSpec&, const ComposeEnv&);
BuildResult build_ghost(const ElementSpec&, const ComposeEnv&);
BuildResult build_mrz(const ElementSpec&, const ComposeEnv&);
BuildResult build_overlay(const ElementSpec&, const ComposeEnv&);

/// The type-specific spec of `e`, or an internal error when the registry paired a type with the
/// wrong builder.
template <class T>
Result<const T*> expect_spec(const ElementSpec& e) {
  if (const T* s = spec_as<T>(e)) return s;
  return e.common.error(Errc::internal, "the element type '" + e.common.type + "' reached the wrong builder.",
                        "report this as a bug.");
}

}  // namespace sdc::detail
