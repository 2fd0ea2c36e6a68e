// Drawing with cairo's FreeType backend.
#include "text/draw_cairo.hpp"

#include "text/font_impl.hpp"

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <vector>

namespace sdc::detail {
namespace {

// Each cairo face owns its FreeType library and face: cairo may keep a face alive (in its font
// caches, in a PDF surface being written) after the FontSet is gone, and may release it from any
// thread, so nothing here is shared with another face.
struct FtHolder {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  FontBytes bytes;
  ~FtHolder() {
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
};

const cairo_user_data_key_t holder_key{};

void set_font(cairo_t* cr, cairo_font_face_t* face, double size_mm) {
  cairo_set_font_face(cr, face);
  cairo_set_font_size(cr, size_mm);
  cairo_font_options_t* opt = cairo_font_options_create();
  // Unhinted outlines and metrics: the same shapes at every dpi, matching HarfBuzz's positions.
  cairo_font_options_set_hint_style(opt, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(opt, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, opt);
  cairo_font_options_destroy(opt);
}

}  // namespace

_cairo_font_face* cairo_make_face(const FontBytes& bytes, int face_index) {
  auto* h = new FtHolder;
  h->bytes = bytes;
  if (FT_Init_FreeType(&h->library) != 0 ||
      FT_New_Memory_Face(h->library, bytes->data(), static_cast<FT_Long>(bytes->size()), face_index, &h->face) != 0) {
    delete h;
    return nullptr;
  }
  cairo_font_face_t* face = cairo_ft_font_face_create_for_ft_face(h->face, FT_LOAD_NO_HINTING);
  if (cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS ||
      cairo_font_face_set_user_data(face, &holder_key, h, [](void* p) { delete static_cast<FtHolder*>(p); }) !=
          CAIRO_STATUS_SUCCESS) {
    cairo_font_face_destroy(face);
    delete h;
    return nullptr;
  }
  return face;
}

void cairo_release_face(_cairo_font_face* face) noexcept {
  if (face) cairo_font_face_destroy(face);
}

cairo_font_face_t* cairo_face(const FontSet& fonts, std::uint16_t font) {
  const auto* impl = FontSetAccess::impl(fonts);
  if (!impl || font >= impl->faces.size()) return nullptr;
  return impl->faces[font].cairo;
}

namespace {

// The text a stretch of glyphs [b, e) of a line draws, as cairo text clusters, so that vector
// output (PDF) carries the real text (searchable, copyable; Arabic and Devanagari included) rather
// than what cairo can guess from glyph ids. Possible when the stretch's clusters run monotonically
// over a contiguous piece of the text; otherwise false and the glyphs are shown without text.
bool text_clusters(const TextLayout& layout, const TextLine& line, const std::vector<std::uint32_t>& starts,
                   std::size_t b, std::size_t e, std::vector<cairo_text_cluster_t>& out, std::size_t& byte_begin,
                   std::size_t& byte_end, bool& backward) {
  out.clear();
  // Groups of consecutive glyphs with the same cluster, in glyph order.
  struct Group {
    std::uint32_t cluster;
    int glyphs;
  };
  std::vector<Group> groups;
  for (std::size_t i = b; i < e; ++i) {
    if (!groups.empty() && groups.back().cluster == line.glyphs[i].cluster) {
      ++groups.back().glyphs;
    } else {
      groups.push_back({line.glyphs[i].cluster, 1});
    }
  }
  backward = groups.size() > 1 && groups[1].cluster < groups[0].cluster;
  if (backward) std::reverse(groups.begin(), groups.end());  // logical order
  for (std::size_t k = 1; k < groups.size(); ++k)
    if (groups[k].cluster <= groups[k - 1].cluster) return false;
  const auto end_of = [&](std::uint32_t c) -> std::size_t {
    const auto it = std::upper_bound(starts.begin(), starts.end(), c);
    return it == starts.end() ? std::max<std::size_t>(line.end, c) : *it;
  };
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const std::size_t end = end_of(groups[k].cluster);
    if (k + 1 < groups.size() && end != groups[k + 1].cluster) return false;  // text not contiguous
    if (end > layout.text.size() || end <= groups[k].cluster) return false;
    out.push_back(cairo_text_cluster_t{static_cast<int>(end - groups[k].cluster), groups[k].glyphs});
  }
  byte_begin = groups.front().cluster;
  byte_end = end_of(groups.back().cluster);
  return true;
}

}  // namespace

void draw_text(cairo_t* cr, const FontSet& fonts, const TextLayout& layout, double x_mm, double y_mm) {
  const auto* impl = FontSetAccess::impl(fonts);
  if (!impl) return;
  const double size_mm = layout.size.to_mm().v;
  cairo_save(cr);
  std::vector<cairo_glyph_t> run;
  std::vector<cairo_text_cluster_t> clusters;
  std::vector<std::uint32_t> starts;
  for (const auto& line : layout.lines) {
    starts.clear();
    for (const auto& g : line.glyphs) starts.push_back(g.cluster);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    // One call per stretch of glyphs from the same font.
    for (std::size_t i = 0; i < line.glyphs.size();) {
      const std::uint16_t font = line.glyphs[i].font;
      run.clear();
      std::size_t j = i;
      for (; j < line.glyphs.size() && line.glyphs[j].font == font; ++j) {
        const auto& g = line.glyphs[j];
        run.push_back(cairo_glyph_t{g.glyph, x_mm + g.x_mm, y_mm + g.y_mm});
      }
      if (font < impl->faces.size()) {
        set_font(cr, impl->faces[font].cairo, size_mm);
        // Split where the direction changes (digits inside Arabic): each piece maps to its text.
        for (std::size_t k = i; k < j;) {
          std::size_t m = k + 1;
          int dir = 0;
          for (; m < j; ++m) {
            const auto prev = line.glyphs[m - 1].cluster, cur = line.glyphs[m].cluster;
            if (cur == prev) continue;
            const int d = cur > prev ? 1 : -1;
            if (dir != 0 && d != dir) break;
            dir = d;
          }
          const cairo_glyph_t* glyphs = run.data() + (k - i);
          const int count = static_cast<int>(m - k);
          std::size_t tb = 0, te = 0;
          bool backward = false;
          if (text_clusters(layout, line, starts, k, m, clusters, tb, te, backward)) {
            cairo_show_text_glyphs(cr, layout.text.data() + tb, static_cast<int>(te - tb), glyphs, count,
                                   clusters.data(), static_cast<int>(clusters.size()),
                                   backward ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD : cairo_text_cluster_flags_t{});
          } else {
            cairo_show_glyphs(cr, glyphs, count);
          }
          k = m;
        }
      }
      i = j;
    }
  }
  cairo_restore(cr);
}

void append_glyph_paths(cairo_t* cr, const FontSet& fonts, std::uint16_t font, Pt size, const cairo_glyph_t* glyphs,
                        const double* angles, int n) {
  const auto* impl = FontSetAccess::impl(fonts);
  if (!impl || font >= impl->faces.size() || n <= 0) return;
  cairo_save(cr);  // the font and the matrix; the path is not part of cairo's saved state
  set_font(cr, impl->faces[font].cairo, size.to_mm().v);
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  for (int i = 0; i < n;) {
    if (!angles || angles[i] == 0) {
      int j = i + 1;
      while (j < n && (!angles || angles[j] == 0)) ++j;
      cairo_glyph_path(cr, glyphs + i, j - i);
      i = j;
      continue;
    }
    cairo_translate(cr, glyphs[i].x, glyphs[i].y);
    cairo_rotate(cr, angles[i]);
    const cairo_glyph_t g{glyphs[i].index, 0, 0};
    cairo_glyph_path(cr, &g, 1);
    cairo_set_matrix(cr, &m);
    ++i;
  }
  cairo_restore(cr);
}

}  // namespace sdc::detail
