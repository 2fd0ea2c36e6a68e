// Internal: paragraph analysis (bidi, scripts, font per cluster) and shaping of line ranges, in em
// units. layout.cpp turns these into millimetre layouts; shaper_hb.cpp and bidi_fribidi.cpp do
// the work with HarfBuzz and FriBidi. No third-party header here.
#pragma once

#include <sdc/text.hpp>

#include "text/font_impl.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace sdc::detail {

// bidi_fribidi.cpp ------------------------------------------------------------------------------

struct BidiInfo {
  std::vector<std::uint8_t> levels;  // embedding level per code point (UAX #9 X1-I2)
  std::vector<bool> trailing_ws;     // whitespace/isolate types that rule L1 resets at a line end
  bool rtl = false;                  // paragraph direction
};

// False only if FriBidi fails (out of memory).
bool bidi_analyse(const std::vector<char32_t>& cps, TextDirection direction, BidiInfo& out);

// Rule L2: the visual order (left to right) of runs with the given levels.
std::vector<std::size_t> visual_order(const std::vector<std::uint8_t>& run_levels);

// shaper_hb.cpp ---------------------------------------------------------------------------------

struct Paragraph {
  std::string_view text;            // the caller keeps it alive
  std::vector<char32_t> cps;        // code points
  std::vector<std::uint32_t> offs;  // byte offset of each code point, plus text.size() at the end
  BidiInfo bidi;
  std::vector<std::uint32_t> scripts;  // hb_script_t per code point, Common/Inherited resolved
  std::vector<std::uint16_t> fonts;    // font per code point (the same across a cluster)
  std::uint16_t primary = 0;
  std::string language;
  double tracking_em = 0;
};

struct UnitGlyph {
  std::uint32_t glyph = 0;
  std::uint16_t font = 0;
  double x = 0, y = 0;  // origin in em from the line's start; y up (HarfBuzz convention)
  double adv = 0;       // em
  std::uint32_t cluster = 0;
};

struct UnitLine {
  std::vector<UnitGlyph> glyphs;  // visual order
  double width = 0;               // em
};

// Fills scripts and fonts of a paragraph whose text, cps, offs, bidi, primary, language and
// tracking are set, shaping it whole to find clusters the chosen font cannot draw (.notdef) and
// moving them down the fallback chain. `whole` receives the shaped paragraph as one line.
// Errors: bad_font when no font draws a cluster.
Status resolve_fonts(const FontSet::Impl& impl, Paragraph& para, UnitLine& whole);

// Shapes code points [begin, end) of a resolved paragraph as one line (rule L1 applied at its end).
UnitLine shape_range(const FontSet::Impl& impl, const Paragraph& para, std::size_t begin, std::size_t end);

// Outline bounds of a glyph in em, y up. False for a glyph with no outline.
bool glyph_bounds(const FontSet::Impl& impl, std::uint16_t font, std::uint32_t glyph, double& x0, double& y0,
                  double& x1, double& y1);

}  // namespace sdc::detail
