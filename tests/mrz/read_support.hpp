// Test images of machine-readable zones: ICAO specimen lines drawn with OCR-B, then put through a
// seeded capture channel (scale, rotation, blur, noise, JPEG) on a white or patterned background.
#pragma once

#include <sdc/image.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sdc::test {

/// Cells `first` to `last` of line `line` (0-based; -1: every line) washed out, clipped white as
/// under a highlight, before the channel's rotation.
struct CellRun {
  int line = -1, first = 0, last = 0;
};

struct Channel {
  double cap_px = 24;           ///< height of a capital letter in the final image
  double angle_deg = 0;         ///< rotation, counter-clockwise
  double blur_sigma = 0;        ///< Gaussian blur after the rotation, pixels
  double noise_sigma = 0;       ///< Gaussian noise, grey levels
  int jpeg_quality = 0;         ///< 0: no JPEG round trip
  bool pattern = false;         ///< light guilloche-like waves behind the zone
  double light_gradient = 0;    ///< 0..1: the right side this much darker
  double stroke = 0;            ///< strokes widened (negative: thinned) by this many capital heights
  double glyph_width = 1;       ///< glyphs this much wider (below 1: narrower) in their cells
  bool specks = false;          ///< a speck of background print (0.4 x 0.25 capitals) beside each line's ends
  std::vector<CellRun> washed;  ///< runs of cells washed out
  double pitch = 1.21;  ///< the character pitch in capital heights (OCR-B's own advance, as ICAO prints it: 1.0)
  double keystone = 0;  ///< after the rotation, the image's right edge this much shorter than its left
  std::uint32_t seed = 1;
};

/// The zone's lines drawn in OCR-B at 10 characters per inch-like pitch (pitch = 1.21 x cap
/// height, line spacing 2 x cap height), with margins, through the channel. Gray8.
Image zone_image(const std::vector<std::string>& lines, const Channel& ch);

/// A JPEG round trip of a gray8 or rgb8 image at `quality` (libjpeg).
Image jpeg_round_trip(const Image& image, int quality);

}  // namespace sdc::test
