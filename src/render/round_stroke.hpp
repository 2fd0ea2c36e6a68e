// Internal: the coverage of a stroke with round joins and round caps, computed directly.
//
// Such a stroke is exactly the union of the capsules (discs swept along each segment) of its
// half width, so a pixel's coverage follows from its centre's distance to the nearest segment. The
// renderer uses it for the guilloché, whose thousands of short segments per polyline Cairo 1.16's
// stroker outlines in more than linear time (bench/RESULTS.md, issue 11). No third-party types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sdc::detail {

struct StrokeSegment {
  double x0, y0, x1, y1;  ///< device pixels, (0, 0) the top-left corner of the first pixel
};

/// A rectangle of device pixels: [x, x + width) x [y, y + height).
struct PixelArea {
  int x = 0, y = 0, width = 0, height = 0;
};

/// Writes into `mask` (the pixels of `area`, rows `stride` bytes apart, every byte overwritten)
/// the 8-bit coverage of the stroke of half width `half_width` (device pixels) along `segments`.
/// A pixel's coverage is that of a straight stroke at its centre's distance from the nearest
/// segment, seen through a one-pixel box across the stroke: exactly the stroke's width summed
/// across it however thin (a 0.7-pixel line is 0.7 pixels of ink, not one faint pixel), and
/// ramped over one pixel at the edge of a thick one. Where strokes cross, the nearer one decides.
/// Segments may be long, far outside `area` or of zero length (a dot); the work is proportional
/// to the stroke's length inside `area` plus the number of segments. The caller checks that the
/// coordinates are finite.
void round_stroke_coverage(std::span<const StrokeSegment> segments, double half_width, PixelArea area,
                           std::uint8_t* mask, std::ptrdiff_t stride);

}  // namespace sdc::detail
