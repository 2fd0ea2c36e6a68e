// Shared pieces of the built-in element parsers (registry.cpp lists them).
#pragma once

#include <string>
#include <vector>

#include "template/model.hpp"
#include "template/specs.hpp"

namespace sdc::detail {

/// Reads {field} and {field:DATEPATTERN} references ("{{" and "}}" are literal braces). Errors
/// name the key.
Result<std::vector<FieldRef>> parse_field_refs(JsonReader& r, const std::string& key, const std::string& text);
/// Appends the referenced field names to `deps`.
void depend_on(Dependencies& deps, const std::vector<FieldRef>& refs);

/// Reads a guilloché family and its parameters from `r`; `box` is the element's box (waves and
/// border span it; the centred families default to its centre). Errors name the key. The spec is
/// validated and its drawing cost bounded at `check_dpi`, so a pattern that could not be printed
/// is refused when the template is read, not when a card is made.
/// `extent`, when given, receives the flattened pattern's total length and the area of its bounding
/// box (mm, mm²) for the element's own cost bound.
struct GuillocheExtent {
  double length_mm = 0;
  double area_mm2 = 0;
};
Result<GuillocheSpec> parse_guilloche_spec(JsonReader& r, const MmRect& box, Dpi check_dpi = Dpi{1200},
                                           std::int64_t max_points = 2'000'000, GuillocheExtent* extent = nullptr);

using ParseResult = Result<std::shared_ptr<const ElementSpec>>;
using Base = std::filesystem::path;
ParseResult parse_rect(JsonReader&, ElementCommon, const Base&);
ParseResult parse_ellipse(JsonReader&, ElementCommon, const Base&);
ParseResult parse_path(JsonReader&, ElementCommon, const Base&);
ParseResult parse_text(JsonReader&, ElementCommon, const Base&);
ParseResult parse_field(JsonReader&, ElementCommon, const Base&);
ParseResult parse_image(JsonReader&, ElementCommon, const Base&);
ParseResult parse_photo(JsonReader&, ElementCommon, const Base&);
ParseResult parse_qr(JsonReader&, ElementCommon, const Base&);
ParseResult parse_guilloche(JsonReader&, ElementCommon, const Base&);
ParseResult parse_microtext(JsonReader&, ElementCommon, const Base&);
ParseResult parse_ghost(JsonReader&, ElementCommon, const Base&);
ParseResult parse_photo_lines(JsonReader&, ElementCommon, const Base&);
ParseResult parse_mrz(JsonReader&, ElementCommon, const Base&);
ParseResult parse_overlay_mask(JsonReader&, ElementCommon, const Base&);

}  // namespace sdc::detail
