/// @file microtext.hpp
/// Microtext: text at sub-millimetre size set along a path, glyph by glyph.
///
/// Microtext looks like a thin line to the eye and reads as text under a loupe. A copy made by
/// scanning at office resolution (300 dpi) loses it: the glyphs blur into a band. sdc sets it along
/// straight lines, arcs, closed curves (ellipses, rounded-rectangle borders) and any guilloché
/// stroke: the text is shaped once (`shape_text`, so kerning and font fallback apply), then each
/// glyph is placed at its arc length along the path and rotated to the path's direction there,
/// and the text is repeated to fill the path.
///
/// **Size.** Microtext is specified by its cap height (the height of a capital H) in mm, 0.15 to
/// 0.5 mm; the font size follows from the font's own cap height. To be resolved by a printer or
/// scanner it needs about seven device pixels of cap height (`min_resolvable_cap_height()`):
/// 0.59 mm at 300 dpi, 0.30 mm at 600 dpi, 0.15 mm at 1200 dpi. `sdc::lint` warns below that.
///
/// **Orientation.** Glyphs stand on the left of the direction of travel (y down): a path running
/// clockwise on the card (left to right along the top edge) has the tops of the letters pointing
/// outwards.
///
/// Pure functions: thread-safe (FontSet is), deterministic, independent of the output dpi.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/text.hpp>
#include <sdc/units.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

/// A path for microtext: points in card mm, in the direction the text runs.
struct MicrotextPath {
  std::vector<MmPoint> points;
  bool closed = false;  ///< the path returns to its first point (text wraps around seamlessly)
};

/// A straight line from `a` to `b`.
SDC_EXPORT MicrotextPath line_path(MmPoint a, MmPoint b);

/// An elliptical arc about `center` with radii `rx`, `ry` (mm), from `start_deg` to `end_deg`
/// (degrees, 0 = +x, increasing clockwise on the card since y points down). A sweep of 360 degrees
/// or more gives a closed path. Flattened within `tolerance_mm` (default 0.002 mm: far below any
/// printer's resolution, so glyph positions do not depend on the output dpi).
SDC_EXPORT MicrotextPath arc_path(MmPoint center, Mm rx, Mm ry, double start_deg, double end_deg,
                                  double tolerance_mm = 0.002);

/// The rounded rectangle `rect` with corner radius `radius`, clockwise from the middle of the top
/// edge (so text along it reads upright on the top edge), closed. Flattened as for arc_path().
SDC_EXPORT MicrotextPath rounded_rect_path(MmRect rect, Mm radius, double tolerance_mm = 0.002);

/// How to set microtext.
struct MicrotextStyle {
  std::string family = "Noto Sans";  ///< family or file name, see FontSet::find()
  bool bold = false;
  Mm cap_height{0.25};            ///< height of capitals: 0.15 to 0.5 mm
  double letter_spacing_em = 0;   ///< extra space after each character, in em: -0.2 to 1
  std::string separator = " • ";  ///< put between repetitions (may be empty)
  /// Where the text sits relative to the path: centred on it (the path runs through the middle of
  /// the capitals, good for borders) or standing on it (the path is the baseline).
  enum class Baseline { centered, on_path } baseline = Baseline::centered;
  /// Fill the path with repetitions (the last may be cut on an open path; on a closed path whole
  /// repetitions are spread evenly so the text joins seamlessly), or set the text once.
  enum class Fill { repeat, once } fill = Fill::repeat;
};

/// One glyph of a microtext layout: draw glyph `glyph` of font `font` at `size`, its origin (on the
/// baseline, left of its advance) at `origin`, rotated by `angle_rad` (clockwise on the card).
struct PlacedGlyph {
  std::uint16_t font = 0;
  std::uint32_t glyph = 0;
  MmPoint origin;
  double angle_rad = 0;
};

/// The result of `layout_microtext()`. Value type; glyph indices refer to the FontSet it was made with.
struct MicrotextLayout {
  std::vector<PlacedGlyph> glyphs;
  Pt size;             ///< the font size that gives the requested cap height
  Mm cap_height;       ///< as requested
  Mm path_length;      ///< arc length of the path
  std::size_t copies;  ///< whole repetitions of the text placed
};

/// Limits of `layout_microtext()`.
struct MicrotextLimits {
  std::size_t max_glyphs = 200'000;  ///< refuse layouts with more glyphs (Errc::limit_exceeded)
  std::size_t max_path_points = 2'000'000;
};

/// The font size at which `style`'s font has the requested cap height (measured on the outline of
/// "H"). Errors: those of shape_text() (unknown family); Errc::invalid_argument for a cap height
/// outside 0.15 to 0.5 mm.
SDC_EXPORT Result<Pt> microtext_font_size(const FontSet& fonts, const MicrotextStyle& style);

/// Sets `utf8` along `path`. Errors (the message names the parameter):
/// - Errc::invalid_argument: cap height or letter spacing out of range, empty text, a path of
///   fewer than two points or with non-finite coordinates;
/// - Errc::does_not_fit: the path is shorter than one glyph (or, with Fill::once, than the text);
/// - Errc::limit_exceeded: more than `limits.max_glyphs` glyphs or `limits.max_path_points` points;
/// - those of shape_text() (unknown font, a character no font can draw).
/// Thread-safe; deterministic; cost is proportional to the number of glyphs.
SDC_EXPORT Result<MicrotextLayout> layout_microtext(const FontSet& fonts, std::string_view utf8,
                                                    const MicrotextStyle& style, const MicrotextPath& path,
                                                    const MicrotextLimits& limits = {});

/// The smallest cap height a device of `dpi` resolves: seven device pixels (7 * 25.4 / dpi mm).
SDC_EXPORT Mm min_resolvable_cap_height(Dpi dpi) noexcept;

}  // namespace sdc
