// Reads what a font file holds (faces, family, style, weight) with FreeType. FreeType is strict
// where HarfBuzz is lenient (an empty HarfBuzz face for a file that is not a font), so a bad file
// is refused here, at load time, with its name.
#include "text/font_impl.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SFNT_NAMES_H
#include FT_TRUETYPE_IDS_H
#include FT_TRUETYPE_TABLES_H

#include <string>

namespace sdc::detail {
namespace {

struct Library {
  FT_Library lib = nullptr;
  Library() {
    if (FT_Init_FreeType(&lib) != 0) lib = nullptr;
  }
  ~Library() {
    if (lib) FT_Done_FreeType(lib);
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

struct Face {
  FT_Face face = nullptr;
  ~Face() {
    if (face) FT_Done_Face(face);
  }
};

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The typographic family/subfamily (name IDs 16/17) groups weights beyond Regular/Bold into one
// family ("Noto Sans SemiBold" is family "Noto Sans"); only Windows-platform Unicode names are read.
std::string sfnt_name(FT_Face face, FT_UShort name_id) {
  const FT_UInt count = FT_Get_Sfnt_Name_Count(face);
  for (FT_UInt i = 0; i < count; ++i) {
    FT_SfntName n;
    if (FT_Get_Sfnt_Name(face, i, &n) != 0) continue;
    if (n.name_id != name_id || n.platform_id != TT_PLATFORM_MICROSOFT || n.encoding_id != TT_MS_ID_UNICODE_CS ||
        n.language_id != TT_MS_LANGID_ENGLISH_UNITED_STATES)
      continue;
    std::string out;
    for (FT_UInt k = 0; k + 1 < n.string_len; k += 2) {
      char32_t c = static_cast<char32_t>((n.string[k] << 8) | n.string[k + 1]);
      if (c >= 0xD800 && c < 0xDC00 && k + 3 < n.string_len) {
        const char32_t lo = static_cast<char32_t>((n.string[k + 2] << 8) | n.string[k + 3]);
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        k += 2;
      }
      append_utf8(out, c);
    }
    return out;
  }
  return {};
}

}  // namespace

Result<std::vector<FaceDescription>> describe_font_file(const std::vector<unsigned char>& bytes,
                                                        const std::filesystem::path& file) {
  const auto bad = [&](const std::string& what) {
    return Error(Errc::bad_font, "cannot load font " + file.filename().string() + ": " + what,
                 "Replace the file with a valid TrueType/OpenType font, or remove it from the fonts directory",
                 Where{.file = file.string()});
  };
  Library lib;
  if (!lib.lib) return Error(Errc::internal, "FreeType could not be initialised", "Report this as a bug");
  Face first;
  if (bytes.empty()) return bad("the file is empty");
  if (FT_New_Memory_Face(lib.lib, bytes.data(), static_cast<FT_Long>(bytes.size()), 0, &first.face) != 0)
    return bad("not a font file FreeType can read");
  const FT_Long faces = first.face->num_faces;
  std::vector<FaceDescription> out;
  for (FT_Long i = 0; i < faces; ++i) {
    Face f;
    if (FT_New_Memory_Face(lib.lib, bytes.data(), static_cast<FT_Long>(bytes.size()), i, &f.face) != 0)
      return bad("face " + std::to_string(i) + " cannot be read");
    if (!FT_IS_SCALABLE(f.face) || !FT_IS_SFNT(f.face)) return bad("not a scalable TrueType/OpenType font");
    if (f.face->units_per_EM < 16) return bad("invalid units per em");
    FaceDescription d;
    d.family = sfnt_name(f.face, TT_NAME_ID_TYPOGRAPHIC_FAMILY);
    if (d.family.empty() && f.face->family_name) d.family = f.face->family_name;
    d.style = sfnt_name(f.face, TT_NAME_ID_TYPOGRAPHIC_SUBFAMILY);
    if (d.style.empty() && f.face->style_name) d.style = f.face->style_name;
    if (d.family.empty()) return bad("the font has no family name");
    const auto* os2 = static_cast<const TT_OS2*>(FT_Get_Sfnt_Table(f.face, FT_SFNT_OS2));
    const bool flag_bold = (f.face->style_flags & FT_STYLE_FLAG_BOLD) != 0;
    d.weight =
        os2 && os2->usWeightClass >= 1 && os2->usWeightClass <= 1000 ? os2->usWeightClass : (flag_bold ? 700 : 400);
    d.bold = d.weight >= 600 || flag_bold;
    d.units_per_em = f.face->units_per_EM;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace sdc::detail
