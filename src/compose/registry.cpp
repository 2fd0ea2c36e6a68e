#include <string_view>

#include "compose/builders.hpp"

namespace sdc::detail {

// Every element type's builder, beside its parser in template/registry.cpp.
Builder builder_for(const std::string& type) {
  static constexpr std::pair<std::string_view, Builder> builders[] = {
      {"rect", build_shape},
      {"ellipse", build_shape},
      {"path", build_shape},
      {"image", build_image},
      {"text", build_text},
      {"field", build_text},
      {"photo", build_photo},
      {"qr", build_qr},
      {"guilloche", build_guilloche},
      {"microtext", build_microtext},
      {"ghost", build_ghost},
      {"photo_lines", build_ghost},
      {"mrz", build_mrz},
      {"overlay_mask", build_overlay},
  };
  for (const auto& [name, b] : builders)
    if (type == name) return b;
  return nullptr;
}

}  // namespace sdc::detail
