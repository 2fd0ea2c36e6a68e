// Shared fixtures for the text tests: the project's fonts, loaded once.
#pragma once

#include <sdc/text.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sdc::test {

inline const FontSet& project_fonts() {
  static const FontSet fonts = [] {
    auto r = FontSet::load(std::filesystem::path(SDC_SOURCE_DIR) / "fonts");
    if (!r) throw std::runtime_error(r.error().to_string());
    return *r;
  }();
  return fonts;
}

inline std::uint16_t font_index(const std::string& family, bool bold = false) {
  auto r = project_fonts().find(family, bold);
  if (!r) throw std::runtime_error(r.error().to_string());
  return *r;
}

inline std::vector<std::uint32_t> clusters_of(const TextLine& line) {
  std::vector<std::uint32_t> out;
  for (const auto& g : line.glyphs) out.push_back(g.cluster);
  return out;
}

inline std::vector<std::uint32_t> glyphs_of(const TextLine& line) {
  std::vector<std::uint32_t> out;
  for (const auto& g : line.glyphs) out.push_back(g.glyph);
  return out;
}

}  // namespace sdc::test
