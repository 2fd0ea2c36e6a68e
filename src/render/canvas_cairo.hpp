// Internal: the one Cairo canvas that draws display lists (display.hpp), for the raster renderer
// and the PDF proof alike. Include only from *_cairo.cpp files.
#pragma once

#include <cairo.h>
#include <sdc/display.hpp>
#include <sdc/error.hpp>

#include <cstddef>

namespace sdc::detail {

struct CanvasOptions {
  Dpi dpi{300};         ///< device resolution (raster output: QR modules snap to its pixels)
  bool vector = false;  ///< drawing to a vector surface (PDF): no pixel snapping
};

/// Draws the items of `side` in [first, last) whose ink is `ink` into `cr`, in order. User space
/// must be millimetres with the trim box's top-left at the origin. Fails with the Cairo status
/// when Cairo could not draw (out of memory, invalid geometry): never a silently missing item.
Status draw_items(cairo_t* cr, const SideDisplay& side, Ink ink, const CanvasOptions& options, std::size_t first = 0,
                  std::size_t last = static_cast<std::size_t>(-1));

/// Draws one item, whatever its ink.
void draw_item(cairo_t* cr, const DisplayItem& item, const CanvasOptions& options);

/// Sets the cairo source to an sRGB colour.
void set_source(cairo_t* cr, const Rgba& c);

}  // namespace sdc::detail
