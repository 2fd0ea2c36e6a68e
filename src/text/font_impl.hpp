// Internal: the implementation of sdc::FontSet, shared by the files of src/text.
//
// This header names no third-party header: the HarfBuzz font and the cairo font face are
// forward-declared and only created/destroyed by shaper_hb.cpp and draw_cairo.cpp.
#pragma once

#include <sdc/text.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct hb_font_t;         // HarfBuzz (shaper_hb.cpp)
struct _cairo_font_face;  // cairo_font_face_t (draw_cairo.cpp)

namespace sdc {

using FontBytes = std::shared_ptr<const std::vector<unsigned char>>;

struct FontSet::Impl {
  struct Face {
    FontInfo info;
    ::sdc::FontBytes data;              // the shared file bytes (not the public FontSet::FontData)
    std::string family_key;             // normalised family name (see detail::font_key)
    std::string file_key;               // normalised file name without extension
    hb_font_t* hb = nullptr;            // immutable hb_ot font at scale = units per em
    _cairo_font_face* cairo = nullptr;  // owns its own FT_Library and FT_Face
    double ascender = 0;                // em, positive up
    double descender = 0;               // em, positive down
    double line_gap = 0;                // em
  };
  std::vector<Face> faces;
  // chains[p]: the fallback order when font p is primary: p first, then the others.
  std::vector<std::vector<std::uint16_t>> chains;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();
};

namespace detail {

struct FontSetAccess {
  static const FontSet::Impl* impl(const FontSet& f) noexcept { return f.impl_.get(); }
  static FontSet make(std::shared_ptr<const FontSet::Impl> impl) { return FontSet(std::move(impl)); }
};

// Lower-case ASCII letters and digits only: "OCR-B", "ocr b" and "OCRB" give "ocrb".
std::string font_key(std::string_view name);

// fonts_ft.cpp: what a font file holds, read with FreeType. Errors name the file.
struct FaceDescription {
  std::string family, style;
  int weight = 400;
  bool bold = false;
  int units_per_em = 1000;
};
Result<std::vector<FaceDescription>> describe_font_file(const std::vector<unsigned char>& bytes,
                                                        const std::filesystem::path& file);

// shaper_hb.cpp
hb_font_t* hb_make_font(const FontBytes& bytes, int face_index);
void hb_release_font(hb_font_t* font) noexcept;
void hb_line_metrics(hb_font_t* font, int units_per_em, double& ascender, double& descender, double& line_gap);

// draw_cairo.cpp: nullptr on failure.
_cairo_font_face* cairo_make_face(const FontBytes& bytes, int face_index);
void cairo_release_face(_cairo_font_face* face) noexcept;

}  // namespace detail
}  // namespace sdc
