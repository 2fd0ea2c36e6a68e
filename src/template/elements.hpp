// Shared pieces of the built-in element types.
#pragma once

#include <array>
#include <optional>

#include "template/model.hpp"

namespace sdc::detail {

struct Paint {
  std::optional<Rgba> fill, stroke;
  double stroke_width = 0.1;  // mm
};
Result<Paint> parse_paint(JsonReader& r);
void apply_paint(cairo_t* cr, const Paint& p);

struct PathSeg {
  char op;  // M L C Z
  std::array<double, 6> p;
};
struct PathData {
  std::vector<PathSeg> segs;
  double scale_x = 1, scale_y = 1;
  bool even_odd = false;
};

/// Rotates user space about the element box's centre when the element asks for it.
void transform_to_box(cairo_t* cr, const ElementCommon& c);
void rounded_rect_path(cairo_t* cr, double x, double y, double w, double h, double r);
/// Appends the ellipse inscribed in (x, y, w, h) to the current path.
void ellipse_path(cairo_t* cr, double x, double y, double w, double h);

/// Substitutes {field} and {field:DATEPATTERN} references with record values ("{{" and "}}" are
/// literal braces). Errors name the element and the missing field.
struct FieldRef {
  std::string field, format;
};
Result<std::vector<FieldRef>> parse_field_refs(JsonReader& r, const std::string& key, const std::string& text);
Result<std::string> substitute_fields(const std::string& text, const Record& record, const Element& el,
                                      const ElementCommon& c);

// Parsers of the built-in types (registry.cpp lists them).
Result<std::shared_ptr<const Element>> parse_rect(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_ellipse(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_path(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_text(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_field(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_image(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_photo(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_qr(JsonReader&, ElementCommon, const std::filesystem::path&);

}  // namespace sdc::detail
