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
    {"qr", parse_qr, "a QR code carrying the signed seal (or text), in K ink"},
    {"guilloche", parse_guilloche, "a guilloche pattern (spirograph, rose, Lissajous, rings, waves, border)"},
    {"microtext", parse_microtext, "text at 0.15-0.5 mm cap height along a line, arc, border or guilloche curve"},
    {"ghost", parse_ghost, "a second, lightened or line-screened portrait (process or UV ink)"},
    {"photo_lines", parse_photo_lines, "the portrait as lines whose width follows its darkness"},
    {"mrz", parse_mrz, "the ICAO 9303 TD1 machine-readable zone in OCR-B, K ink"},
    {"overlay_mask", parse_overlay_mask, "varnish over the card with holes for a chip and a magnetic stripe"},
};

std::span<const ElementKind> element_kinds() {
  return kinds;
}

}  // namespace sdc::detail
