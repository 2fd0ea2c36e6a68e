// Internal: drawing text layouts and glyphs with cairo, for the renderer (src/render) and the
// microtext module. Include only from *_cairo.cpp files.
//
// Coordinates: the cairo user space is in millimetres (the caller scales cairo to mm). Drawing
// uses the context's current source (colour, pattern) and operator; the context's state (font,
// matrix, path) is saved and restored, except that append_glyph_paths() appends to the current path.
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

/// Appends the outlines of `n` glyphs of font `font` at `size` to the current path: glyph `i` has
/// its origin (on the baseline) at user-space point (glyphs[i].x, glyphs[i].y) and, when `angles`
/// is not null, is turned by angles[i] radians about it. The font is set once for all of them (set
/// per glyph, it costs more than the outline), and unturned neighbours go to cairo in one call.
/// The context's font and matrix are kept.
void append_glyph_paths(cairo_t* cr, const FontSet& fonts, std::uint16_t font, Pt size, const cairo_glyph_t* glyphs,
                        const double* angles, int n);

/// The cairo font face of font `font` (borrowed: valid while the FontSet, or any copy, lives;
/// reference it with cairo_font_face_reference() to keep it longer). nullptr if out of range.
cairo_font_face_t* cairo_face(const FontSet& fonts, std::uint16_t font);

}  // namespace sdc::detail
