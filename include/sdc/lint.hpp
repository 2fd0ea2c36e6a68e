/// @file lint.hpp
/// Checks a template for features that a given output resolution cannot reproduce.
///
/// Security features are drawn at sizes close to what printers resolve. `lint()` reports, for a
/// template and an output dpi, what will not come out as designed:
///
/// - microtext whose cap height is under about seven device pixels (`min_resolvable_cap_height`
///   in microtext.hpp: 0.59 mm at 300 dpi, 0.30 mm at 600 dpi): the glyphs merge into a line;
/// - guilloché (and line-screen) strokes thinner than one device pixel: they print broken or
///   not at all;
/// - fine features placed in an ink that the preview cannot show (none today).
///
/// Warnings are advice, not errors: the card still renders. `sdc lint` prints them, and so does
/// `sdc render` for its --dpi.
#pragma once

#include <sdc/api.hpp>
#include <sdc/template.hpp>
#include <sdc/units.hpp>

#include <string>
#include <vector>

namespace sdc {

/// One finding of `lint()`.
struct LintWarning {
  std::string element;  ///< the element's name
  Side side = Side::front;
  std::string parameter;  ///< the template key concerned ("cap_height", "line_width")
  std::string message;    ///< what will go wrong, with the numbers
  std::string hint;       ///< what to change
  /// "front/band_microtext (cap_height): ... Fix: ..." on one line.
  SDC_EXPORT std::string to_string() const;
};

/// Lints `tmpl` for printing at `dpi` (72 to 2400; other values are clamped). Elements are checked
/// in drawing order, front then back. An empty template gives no warnings. Thread-safe; cheap
/// (no rendering).
SDC_EXPORT std::vector<LintWarning> lint(const Template& tmpl, Dpi dpi);

}  // namespace sdc
