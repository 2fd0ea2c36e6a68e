// Parsers of the security element types (issue 3): guilloché, microtext, ghost image and
// line-modulated photo, MRZ, overlay (varnish) mask. registry.cpp lists them.
#pragma once

#include "template/model.hpp"

namespace sdc::detail {

Result<std::shared_ptr<const Element>> parse_guilloche(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_microtext(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_ghost(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_photo_lines(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_mrz(JsonReader&, ElementCommon, const std::filesystem::path&);
Result<std::shared_ptr<const Element>> parse_overlay_mask(JsonReader&, ElementCommon, const std::filesystem::path&);

}  // namespace sdc::detail
