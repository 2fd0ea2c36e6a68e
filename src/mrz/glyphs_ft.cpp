// Reference glyphs for the MRZ reader, rendered with FreeType.
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <cmath>
#include <cstdlib>
#include <memory>

#include <sdc/resources.hpp>

#include "mrz/glyphs.hpp"

namespace sdc::mrz {
namespace {

struct Library {
  FT_Library lib = nullptr;
  ~Library() {
    if (lib) FT_Done_FreeType(lib);
  }
};
struct Face {
  FT_Face face = nullptr;
  ~Face() {
    if (face) FT_Done_Face(face);
  }
};

Error font_error(const std::filesystem::path& font, const std::string& what) {
  Where w;
  w.file = font.string();
  return Error(Errc::bad_font, "MRZ reference font: " + what,
               "give an OCR-B font file (sdc ships fonts/OCRB.otf; set MrzReadOptions::ocrb_font)", w);
}

}  // namespace

std::filesystem::path default_ocrb_font() {
  return Resources::installed().font("OCRB.otf");
}

Result<std::vector<GlyphBitmap>> render_glyphs(const std::filesystem::path& font, double cap_height_px,
                                               std::string_view chars, double embolden) {
  if (!(cap_height_px >= 4 && cap_height_px <= 1000))
    return Error(Errc::invalid_argument, "glyph height out of range (4-1000 px)");
  Library lib;
  if (FT_Init_FreeType(&lib.lib)) return font_error(font, "FreeType could not start");
  Face face;
  if (FT_New_Face(lib.lib, font.string().c_str(), 0, &face.face)) return font_error(font, "cannot load the font");
  // Measure the capital H at a reference size, then scale so that it is cap_height_px high.
  constexpr int ref = 200;
  if (FT_Set_Pixel_Sizes(face.face, 0, ref)) return font_error(font, "cannot size the font");
  const FT_UInt h_index = FT_Get_Char_Index(face.face, 'H');
  if (!h_index || FT_Load_Glyph(face.face, h_index, FT_LOAD_NO_HINTING))
    return font_error(font, "the font has no capital H");
  const double h_ref = static_cast<double>(face.face->glyph->metrics.height) / 64.0;
  if (h_ref <= 0) return font_error(font, "the capital H has no outline");
  const double em = ref * cap_height_px / h_ref;
  if (FT_Set_Char_Size(face.face, 0, static_cast<FT_F26Dot6>(std::lround(em * 64)), 72, 72))
    return font_error(font, "cannot size the font");
  std::vector<GlyphBitmap> out;
  for (char c : chars) {
    const FT_UInt gi = FT_Get_Char_Index(face.face, static_cast<unsigned char>(c));
    if (!gi || FT_Load_Glyph(face.face, gi, FT_LOAD_NO_HINTING))
      return font_error(font, std::string("the font has no glyph for '") + c + "'");
    const FT_GlyphSlot g = face.face->glyph;
    if (g->format != FT_GLYPH_FORMAT_OUTLINE) return font_error(font, std::string("no outline for '") + c + "'");
    // FT_Outline_EmboldenXY moves each edge by half the strength: the stroke widens by all of it.
    if (embolden != 0) {
      const auto s = static_cast<FT_Pos>(std::lround(embolden * cap_height_px * 64));
      if (FT_Outline_EmboldenXY(&g->outline, s, s)) return font_error(font, "cannot embolden the outline");
    }
    if (FT_Render_Glyph(g, FT_RENDER_MODE_NORMAL))
      return font_error(font, std::string("cannot render the glyph for '") + c + "'");
    GlyphBitmap b;
    b.ch = c;
    b.width = static_cast<int>(g->bitmap.width);
    b.height = static_cast<int>(g->bitmap.rows);
    b.left = g->bitmap_left;
    b.top = g->bitmap_top;
    b.advance = static_cast<double>(g->advance.x) / 64.0;
    b.coverage.resize(static_cast<std::size_t>(b.width) * b.height);
    for (int y = 0; y < b.height; ++y)
      for (int x = 0; x < b.width; ++x)
        b.coverage[static_cast<std::size_t>(y) * b.width + x] = g->bitmap.buffer[y * g->bitmap.pitch + x];
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace sdc::mrz
