#include "template/elements.hpp"

namespace sdc::detail {

// Every element type, in the order docs/template.md lists them. A new type adds one line here.
static const ElementKind kinds[] = {
    {"rect", parse_rect, "a rectangle, optionally with rounded corners"},
    {"ellipse", parse_ellipse, "an ellipse inscribed in the box"},
    {"path", parse_path, "a vector path (SVG path data) scaled into the box"},
    {"image", parse_image, "a raster image from the template's folder"},
    {"text", parse_text, "static or field text, shaped, fitted to the box"},
    {"field", parse_field, "the value of one record field, fitted to the box"},
    {"photo", parse_photo, "the holder's portrait, cropped around the face"},
};

std::span<const ElementKind> element_kinds() {
  return kinds;
}

}  // namespace sdc::detail
