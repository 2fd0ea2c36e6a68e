// Internal: the one Cairo canvas that draws display lists (display.hpp), for the raster renderer
// and the PDF proof alike. Include only from *_cairo.cpp files.
#pragma once

#include <cairo.h>
#include <sdc/display.hpp>
#include <sdc/error.hpp>

#include "render/round_stroke.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace sdc::detail {

/// The outlines of static glyph items (microtext) in device space, kept by one worker from card to
/// card: a static item that comes after a personal one on its ink is drawn on every card, and its
/// path is then appended as it was built instead of being looked up glyph by glyph. Device
/// coordinates are Cairo's 24.8 fixed point, exact in a double, so the path and the pixels are the
/// same. Not thread-safe: one per worker.
class GlyphPathCache {
 public:
  GlyphPathCache() = default;
  GlyphPathCache(const GlyphPathCache&) = delete;
  GlyphPathCache& operator=(const GlyphPathCache&) = delete;
  ~GlyphPathCache();

  /// The item draw_items is drawing (held, so that its address stays its own while cached).
  std::shared_ptr<const DisplayItem> current;

  struct Entry {
    std::shared_ptr<const DisplayItem> item;
    cairo_matrix_t ctm;
    cairo_path_t* path = nullptr;
  };
  std::vector<Entry> entries;  ///< most recently added last
  static constexpr std::size_t kMax = 8;

  // The worker's drawing buffers, reused from item to item and card to card: a run of glyphs in
  // one font and their angles, the premultiplied ARGB32 copy of a raster (the portrait, the
  // ghost), which a raster surface reads only while the item is drawn, and a stroke drawn through
  // its coverage (round_stroke.hpp): its segments in device pixels and the A8 mask they fill.
  std::vector<cairo_glyph_t> run;
  std::vector<double> angles;
  std::vector<std::uint32_t> argb;
  std::vector<StrokeSegment> segments;
  std::vector<std::uint8_t> mask;
};

struct CanvasOptions {
  Dpi dpi{300};                           ///< device resolution (raster output: QR modules snap to its pixels)
  bool vector = false;                    ///< drawing to a vector surface (PDF): no pixel snapping
  GlyphPathCache* glyph_paths = nullptr;  ///< raster, per worker: reuse static glyph outlines
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
