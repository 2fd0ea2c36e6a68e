// The internal template model: how an element type plugs in.
//
// An element type provides a parser (JSON -> Element). At compose time an Element resolves, with
// the record, photo and issuer, into an Item whose content is fully decided; the renderer draws
// Items through Cairo into the plane of their ink. Adding a type = one parser function, one
// Element and one Item class, and one line in registry.cpp.
#pragma once

#include <cairo.h>
#include <sdc/compose.hpp>
#include <sdc/record.hpp>
#include <sdc/template.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "template/json_reader.hpp"

namespace sdc::detail {

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
};

/// Everything compose knows when it resolves an element.
struct ComposeEnv {
  const Record& record;
  const Template& tmpl;
  const FontSet& fonts;
  const Issuer& issuer;
  const Image* portrait = nullptr;  ///< cropped portrait (null when the template has no photo)
  std::vector<std::string>* warnings = nullptr;
  std::string seal_text;  ///< computed before personal elements resolve
  std::vector<std::string> mrz_lines;
  std::vector<std::uint8_t> issuer_seed;    ///< static pattern seed
  std::vector<std::uint8_t> personal_seed;  ///< HMAC-SHA256(issuer seed, document number)
};

/// How the renderer draws: user space is millimetres with the trim box's top-left at the origin.
struct DrawEnv {
  Dpi dpi{300};
  bool vector = false;  ///< drawing to a vector surface (PDF): no pixel snapping
};

/// A resolved, ready-to-draw item.
class Item {
 public:
  explicit Item(ElementCommon c) : common(std::move(c)) {}
  virtual ~Item() = default;
  Item(const Item&) = delete;
  Item& operator=(const Item&) = delete;
  /// Draws into `cr` (already set to the item's ink plane, in mm). For process ink, colours are
  /// sRGB; for the other inks only coverage (alpha) counts.
  virtual void draw(cairo_t* cr, const DrawEnv& env) const = 0;

  ElementCommon common;
  bool personal = false;
};

/// A parsed template element.
class Element {
 public:
  explicit Element(ElementCommon c) : common(std::move(c)) {}
  virtual ~Element() = default;
  Element(const Element&) = delete;
  Element& operator=(const Element&) = delete;
  /// True when the element depends on the record (field text, photo, personal patterns, seal).
  virtual bool personal() const = 0;
  /// Record fields it refers to.
  virtual void fields(std::vector<std::string>& /*out*/) const {}
  /// Does the element need the cropped portrait / the seal / the MRZ?
  virtual bool needs_portrait() const { return false; }
  virtual bool needs_seal() const { return false; }
  virtual bool needs_mrz() const { return false; }
  virtual Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const = 0;

  ElementCommon common;

 protected:
  /// An error at compose time about this element.
  Error error(Errc code, std::string message, std::string hint) const {
    return Error(
        code, std::move(message), std::move(hint),
        Where{.file = common.file, .json_path = common.json_path, .line = common.line, .element = common.name});
  }
};

/// A parser for one element type; `c` holds the common fields already read from `r`.
using ElementParser = Result<std::shared_ptr<const Element>> (*)(JsonReader& r, ElementCommon c,
                                                                 const std::filesystem::path& base_dir);
struct ElementKind {
  const char* type;
  ElementParser parse;
  const char* summary;
};
std::span<const ElementKind> element_kinds();

/// Sets the cairo source to an sRGB colour, multiplying alpha by the item's opacity.
void set_source(cairo_t* cr, const Rgba& c);

}  // namespace sdc::detail

namespace sdc {

struct Template::Impl {
  std::string name, source, content_id;
  SideGeometry geometry;
  RecordSchema schema;
  std::vector<std::shared_ptr<const detail::Element>> front, back;
  bool has_front = false, has_back = false;
  detail::Rgba front_background{1, 1, 1, 1}, back_background{1, 1, 1, 1};
  std::vector<std::uint8_t> pattern_seed;  ///< the template's own issuer seed (specimen)
  std::string issuer_code = "XXA";
  const std::vector<std::shared_ptr<const detail::Element>>& side(Side s) const {
    return s == Side::front ? front : back;
  }
};

}  // namespace sdc
