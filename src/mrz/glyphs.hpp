// Internal: reference glyphs of the MRZ alphabet rendered from an OCR-B font file (FreeType in
// glyphs_ft.cpp; this header shows no FreeType type).
#pragma once

#include <sdc/error.hpp>

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

namespace sdc::mrz {

/// One anti-aliased glyph: coverage 0 (none) to 255 (full ink), rows top to bottom.
struct GlyphBitmap {
  char ch = 0;
  int width = 0, height = 0;
  int left = 0;        ///< pixels from the pen position to the bitmap's first column
  int top = 0;         ///< pixels from the baseline up to the bitmap's first row
  double advance = 0;  ///< pen advance in pixels
  std::vector<std::uint8_t> coverage;
};

/// Renders each character of `chars` with the font so that a capital "H" is `cap_height_px` high.
/// `embolden` widens every stroke by that fraction of the capital height (negative: thins it), with
/// FreeType's outline emboldening: the weights a zone is printed in (the font's vendor, the
/// printer's dot gain, a laser's burn) vary about OCR-B's own stem of 0.135 capitals.
/// Errors: Errc::bad_font naming the file (unreadable, not a font, a character without glyph).
Result<std::vector<GlyphBitmap>> render_glyphs(const std::filesystem::path& font, double cap_height_px,
                                               std::string_view chars, double embolden = 0);

/// The default OCR-B font: OCRB.otf in the installed fonts (`Resources::installed()`).
std::filesystem::path default_ocrb_font();

}  // namespace sdc::mrz
