// Internal: drawing text layouts and glyphs with cairo, for the renderer (src/render) and the
// microtext module. Include only from *_cairo.cpp files.
//
// Coordinates: the cairo user space is in millimetres (the caller scales cairo to mm). Drawing
// uses the context's current source (colour, pattern) and operator; the context's state (font,
// matrix, path) is saved and restored, except that draw_glyph_path() appends to the current path.
//
// Fonts: each font of the FontSet has one cairo FreeType font face, created once at load and
// shared; cairo locks the FreeType face itself, so several threads may draw with the same FontSet
// into different cairo contexts at once. Vector surfaces (PDF, SVG) embed the real fonts.
#pragma once

#include <sdc/text.hpp>

#include <cairo.h>

#include <cstdint>

namespace sdc::detail {

/// Draws `layout` (made with `fonts`) with its box's top-left corner at (x_mm, y_mm).
/// Glyphs are drawn unhinted, so the text is identical in shape and position at every dpi. On
/// vector surfaces the glyphs carry their text (cairo text clusters): a PDF proof's names can be
/// searched and copied in every script.
void draw_text(cairo_t* cr, const FontSet& fonts, const TextLayout& layout, double x_mm, double y_mm);

/// Draws one glyph of font `font` at `size`, its origin (on the baseline) at the user-space origin:
/// set a transformation first (translate, rotate) to place it, e.g. along a curve for microtext.
void draw_glyph(cairo_t* cr, const FontSet& fonts, std::uint16_t font, std::uint32_t glyph, Pt size);

/// Like draw_glyph(), but appends the glyph's outline to the current path instead of filling it
/// (for clipping, stroking or combining glyphs into one fill).
void draw_glyph_path(cairo_t* cr, const FontSet& fonts, std::uint16_t font, std::uint32_t glyph, Pt size);

/// The cairo font face of font `font` (borrowed: valid while the FontSet, or any copy, lives;
/// reference it with cairo_font_face_reference() to keep it longer). nullptr if out of range.
cairo_font_face_t* cairo_face(const FontSet& fonts, std::uint16_t font);

}  // namespace sdc::detail
