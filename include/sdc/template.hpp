/// @file template.hpp
/// Card templates: the layout of a card's front and back, in millimetres, read from JSON.
///
/// A template names a card format (ID-1, ID-2, ID-3), bleed and safe margins, the record fields it
/// needs, and per side an ordered list of elements drawn bottom to top: shapes, vector paths,
/// images, static and field text, the photo, and the security features (guilloché, microtext,
/// ghost image, MRZ, QR seal). Each element is assigned an ink (process, K, UV, overlay). The
/// format is documented in docs/template.md.
///
/// A `Template` is an immutable value: cheap to copy (shared), safe to use from many threads.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/record.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// What a template says about one of its elements (for tools, lint and overlays).
struct ElementInfo {
  std::string name;  ///< unique within the template
  std::string type;  ///< "rect", "text", "photo", "guilloche", ...
  Side side = Side::front;
  MmRect box;  ///< bounding box on the card (trim coordinates)
  Ink ink = Ink::process;
  bool personal = false;  ///< depends on the record (drawn per card, not cached)
};

/// An immutable card template.
class SDC_EXPORT Template {
 public:
  /// An empty template (no sides); `empty()` is true.
  Template() = default;

  /// Reads a template file. Errors (Errc::invalid_template, Errc::io) name the file, the JSON
  /// pointer and line of the offending value and what to write instead: syntax errors, unknown
  /// element types or keys, values out of range, missing assets, duplicate element names.
  /// Paths inside the template (images) are relative to the template file.
  static Result<Template> load(const std::filesystem::path& path);
  /// Parses a template held in memory; `name` is used in errors, `base_dir` resolves asset paths.
  static Result<Template> parse(std::string_view json, const std::string& name,
                                const std::filesystem::path& base_dir = {});

  bool empty() const noexcept { return impl_ == nullptr; }
  /// The template's own name ("Specimen docket card").
  const std::string& name() const noexcept;
  /// Where it was loaded from ("" if parsed from memory).
  const std::string& source() const noexcept;
  SideGeometry geometry() const noexcept;
  bool has_side(Side side) const noexcept;
  /// Elements of a side in drawing order.
  std::vector<ElementInfo> elements(Side side) const;
  /// The fields a record must carry for this template (the docket fields plus declared ones).
  const RecordSchema& schema() const noexcept;
  /// Whether an element carries the signed seal (then composing needs an issuer with a signer).
  bool has_seal() const noexcept;
  /// Record fields the template's elements refer to.
  std::vector<std::string> referenced_fields() const;
  /// A stable identifier of this template's content (SHA-256 of its bytes, hex), used for caches
  /// and recorded in seals and batch manifests.
  const std::string& content_id() const noexcept;

  struct Impl;
  /// Internal: the parsed model, for sdc's own modules.
  const std::shared_ptr<const Impl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<const Impl> impl_;
};

}  // namespace sdc
