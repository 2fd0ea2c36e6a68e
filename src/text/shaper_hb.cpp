// Shaping with HarfBuzz: script itemisation, per-cluster font fallback, run shaping, glyph
// metrics and outlines.
//
// Thread safety: every hb_font_t is created from a blob with the hb_ot functions and made
// immutable at load; HarfBuzz allows such fonts to be shared by any number of threads. Each call
// makes its own hb_buffer_t. (hb_ft fonts would share a mutable FT_Face and are not used here.)
#include "text/shaping.hpp"

#include <hb-ot.h>
#include <hb.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace sdc {
namespace detail {

hb_font_t* hb_make_font(const FontBytes& bytes, int face_index) {
  // The blob keeps the file's bytes alive for as long as HarfBuzz needs them.
  auto* holder = new FontBytes(bytes);
  hb_blob_t* blob = hb_blob_create(reinterpret_cast<const char*>(bytes->data()), static_cast<unsigned>(bytes->size()),
                                   HB_MEMORY_MODE_READONLY, holder, [](void* p) { delete static_cast<FontBytes*>(p); });
  hb_face_t* face = hb_face_create(blob, static_cast<unsigned>(face_index));
  hb_blob_destroy(blob);
  if (hb_face_get_glyph_count(face) == 0) {
    hb_face_destroy(face);
    return nullptr;
  }
  hb_font_t* font = hb_font_create(face);
  hb_face_destroy(face);
  hb_ot_font_set_funcs(font);
  hb_font_make_immutable(font);
  return font;
}

void hb_release_font(hb_font_t* font) noexcept {
  if (font) hb_font_destroy(font);
}

void hb_line_metrics(hb_font_t* font, int units_per_em, double& ascender, double& descender, double& line_gap) {
  hb_font_extents_t e{};
  hb_font_get_h_extents(font, &e);
  const double upem = units_per_em;
  ascender = e.ascender / upem;
  descender = -e.descender / upem;
  line_gap = e.line_gap / upem;
  if (ascender <= 0 && descender <= 0) {  // a font without vertical metrics: assume the usual 0.8/0.2
    ascender = 0.8;
    descender = 0.2;
  }
}

bool glyph_bounds(const FontSet::Impl& impl, std::uint16_t font, std::uint32_t glyph, double& x0, double& y0,
                  double& x1, double& y1) {
  const auto& f = impl.faces[font];
  hb_glyph_extents_t e{};
  if (!hb_font_get_glyph_extents(f.hb, glyph, &e)) return false;
  if (e.width == 0 || e.height == 0) return false;
  const double upem = f.info.units_per_em;
  x0 = std::min(e.x_bearing, e.x_bearing + e.width) / upem;
  x1 = std::max(e.x_bearing, e.x_bearing + e.width) / upem;
  y0 = std::min(e.y_bearing, e.y_bearing + e.height) / upem;
  y1 = std::max(e.y_bearing, e.y_bearing + e.height) / upem;
  return true;
}

namespace {

bool is_mark(hb_unicode_funcs_t* uf, char32_t c) {
  const auto gc = hb_unicode_general_category(uf, c);
  return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK || gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
         gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

// Default-ignorable code points: HarfBuzz hides them, so no font needs a glyph for them.
bool default_ignorable(char32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 || c == 0x17B5 ||
         (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x3164 || (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
         (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) ||
         (c >= 0xE0000 && c <= 0xE0FFF);
}

bool cluster_continues(hb_unicode_funcs_t* uf, char32_t prev, char32_t c) {
  return is_mark(uf, c) || c == 0x200C || c == 0x200D || prev == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) ||
         (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0x1F3FB && c <= 0x1F3FF);
}

bool has_glyph(hb_font_t* f, hb_codepoint_t c) {
  hb_codepoint_t g = 0;
  return hb_font_get_nominal_glyph(f, c, &g) != 0;
}

// Whether HarfBuzz can draw c with font f: directly, through its canonical decomposition (the
// normaliser decomposes when the precomposed glyph is missing), or by the space/hyphen fallbacks.
bool covers_cp(hb_font_t* f, hb_unicode_funcs_t* uf, char32_t c, int depth = 0) {
  if (default_ignorable(c) || has_glyph(f, c)) return true;
  hb_codepoint_t a = 0, b = 0;
  if (depth < 6 && hb_unicode_decompose(uf, c, &a, &b))
    return covers_cp(f, uf, a, depth + 1) && (b == 0 || covers_cp(f, uf, b, depth + 1));
  if (hb_unicode_general_category(uf, c) == HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR) return has_glyph(f, 0x20);
  if (c == 0x2011) return has_glyph(f, 0x2010) || has_glyph(f, 0x2D);
  return false;
}

bool covers_cluster(hb_font_t* f, hb_unicode_funcs_t* uf, const char32_t* cps, std::size_t n) {
  bool all = true;
  for (std::size_t i = 0; i < n && all; ++i) all = covers_cp(f, uf, cps[i]);
  if (all) return true;
  // Base + marks the font has only precomposed (the normaliser composes them).
  hb_codepoint_t c = cps[0];
  for (std::size_t i = 1; i < n; ++i) {
    hb_codepoint_t ab = 0;
    if (!hb_unicode_compose(uf, c, cps[i], &ab)) return false;
    c = ab;
  }
  return n > 1 && has_glyph(f, c);
}

bool is_common(hb_script_t s) {
  return s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN;
}

// Scripts whose letters connect: letter spacing would break them apart.
bool joining_script(hb_script_t s) {
  return s == HB_SCRIPT_ARABIC || s == HB_SCRIPT_SYRIAC || s == HB_SCRIPT_NKO || s == HB_SCRIPT_MONGOLIAN ||
         s == HB_SCRIPT_MANDAIC || s == HB_SCRIPT_PHAGS_PA || s == HB_SCRIPT_ADLAM || s == HB_SCRIPT_HANIFI_ROHINGYA ||
         s == HB_SCRIPT_SOGDIAN || s == HB_SCRIPT_DEVANAGARI || s == HB_SCRIPT_BENGALI || s == HB_SCRIPT_GURMUKHI;
}

std::string describe_cp(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

struct Buffer {
  hb_buffer_t* b = hb_buffer_create();
  ~Buffer() { hb_buffer_destroy(b); }
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
};

}  // namespace

UnitLine shape_range(const FontSet::Impl& impl, const Paragraph& para, std::size_t begin, std::size_t end) {
  UnitLine line;
  if (begin >= end) return line;
  const std::size_t n = para.cps.size();
  // Rule L1: whitespace at the end of a line goes back to the paragraph level.
  std::vector<std::uint8_t> levels(para.bidi.levels.begin() + static_cast<std::ptrdiff_t>(begin),
                                   para.bidi.levels.begin() + static_cast<std::ptrdiff_t>(end));
  const auto base_level = static_cast<std::uint8_t>(para.bidi.rtl ? 1 : 0);
  for (std::size_t i = end; i > begin && para.bidi.trailing_ws[i - 1]; --i) levels[i - 1 - begin] = base_level;

  struct Run {
    std::size_t b, e;
    std::uint8_t level;
    hb_script_t script;
    std::uint16_t font;
    std::vector<UnitGlyph> glyphs;
    std::vector<bool> cluster_end;
  };
  std::vector<Run> runs;
  for (std::size_t i = begin; i < end;) {
    std::size_t j = i + 1;
    while (j < end && levels[j - begin] == levels[i - begin] && para.scripts[j] == para.scripts[i] &&
           para.fonts[j] == para.fonts[i])
      ++j;
    runs.push_back(Run{i, j, levels[i - begin], static_cast<hb_script_t>(para.scripts[i]), para.fonts[i], {}, {}});
    i = j;
  }

  const hb_language_t lang =
      para.language.empty() ? HB_LANGUAGE_INVALID : hb_language_from_string(para.language.c_str(), -1);
  Buffer buf;
  for (auto& r : runs) {
    hb_buffer_clear_contents(buf.b);
    hb_buffer_set_direction(buf.b, (r.level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buf.b, r.script);
    if (lang != HB_LANGUAGE_INVALID) hb_buffer_set_language(buf.b, lang);
    unsigned flags = HB_BUFFER_FLAG_DEFAULT;
    if (r.b == 0) flags |= HB_BUFFER_FLAG_BOT;
    if (r.e == n) flags |= HB_BUFFER_FLAG_EOT;
    hb_buffer_set_flags(buf.b, static_cast<hb_buffer_flags_t>(flags));
    // The whole text goes in as context (joining across font runs); only [b, e) is shaped.
    hb_buffer_add_utf8(buf.b, para.text.data(), static_cast<int>(para.text.size()), para.offs[r.b],
                       static_cast<int>(para.offs[r.e] - para.offs[r.b]));
    const auto& face = impl.faces[r.font];
    hb_shape(face.hb, buf.b, nullptr, 0);
    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf.b, &count);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf.b, &count);
    const double upem = face.info.units_per_em;
    r.glyphs.resize(count);
    r.cluster_end.resize(count);
    for (unsigned g = 0; g < count; ++g) {
      r.glyphs[g] = UnitGlyph{info[g].codepoint,       r.font,         pos[g].x_offset / upem, pos[g].y_offset / upem,
                              pos[g].x_advance / upem, info[g].cluster};
      r.cluster_end[g] = g + 1 == count || info[g + 1].cluster != info[g].cluster;
    }
  }

  std::vector<std::uint8_t> run_levels;
  for (const auto& r : runs) run_levels.push_back(r.level);
  const auto order = visual_order(run_levels);
  std::size_t total = 0;
  for (const auto& r : runs) total += r.glyphs.size();
  line.glyphs.reserve(total);
  double pen = 0;
  std::size_t emitted = 0;
  for (const std::size_t k : order) {
    const auto& r = runs[k];
    const bool track = para.tracking_em != 0 && !joining_script(r.script);
    for (std::size_t g = 0; g < r.glyphs.size(); ++g) {
      UnitGlyph u = r.glyphs[g];
      ++emitted;
      // Letter spacing after each cluster, but not after the line's last one.
      if (track && r.cluster_end[g] && emitted < total) u.adv += para.tracking_em;
      u.x += pen;
      pen += u.adv;
      line.glyphs.push_back(u);
    }
  }
  line.width = pen;
  return line;
}

Status resolve_fonts(const FontSet::Impl& impl, Paragraph& para, UnitLine& whole) {
  hb_unicode_funcs_t* uf = hb_unicode_funcs_get_default();
  const std::size_t n = para.cps.size();
  std::vector<hb_script_t> raw(n);
  para.scripts.assign(n, HB_SCRIPT_COMMON);
  hb_script_t first_real = HB_SCRIPT_COMMON;
  for (std::size_t i = 0; i < n; ++i) {
    raw[i] = hb_unicode_script(uf, para.cps[i]);
    if (first_real == HB_SCRIPT_COMMON && !is_common(raw[i])) first_real = raw[i];
  }
  // Common and inherited characters (spaces, digits, punctuation, marks) join the script before
  // them, or the first real script at the start: they then shape within that script's run.
  hb_script_t current = first_real;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_common(raw[i])) current = raw[i];
    para.scripts[i] = static_cast<std::uint32_t>(current);
  }

  std::vector<bool> starts(n, true);
  for (std::size_t i = 1; i < n; ++i) starts[i] = !cluster_continues(uf, para.cps[i - 1], para.cps[i]);
  auto cluster_end = [&](std::size_t i) {
    std::size_t j = i + 1;
    while (j < n && !starts[j]) ++j;
    return j;
  };

  const auto& chain = impl.chains[para.primary];
  std::vector<std::vector<std::uint16_t>> excluded(n);
  para.fonts.assign(n, para.primary);

  auto choose = [&]() -> Status {
    for (std::size_t i = 0; i < n;) {
      const std::size_t j = cluster_end(i);
      const char32_t* cl = para.cps.data() + i;
      const auto ok = [&](std::uint16_t f) {
        return std::find(excluded[i].begin(), excluded[i].end(), f) == excluded[i].end() &&
               covers_cluster(impl.faces[f].hb, uf, cl, j - i);
      };
      bool common = true;
      for (std::size_t k = i; k < j; ++k) common = common && is_common(raw[k]);
      int chosen = -1;
      // Spaces, digits and punctuation stay in the font of the text around them if it has them.
      if (common && i > 0 && ok(para.fonts[i - 1])) chosen = para.fonts[i - 1];
      for (std::size_t k = 0; chosen < 0 && k < chain.size(); ++k)
        if (ok(chain[k])) chosen = chain[k];
      if (chosen < 0) {
        std::size_t bad = i;
        for (std::size_t k = i; k < j; ++k) {
          bool any = false;
          for (const auto f : chain) any = any || covers_cp(impl.faces[f].hb, uf, para.cps[k]);
          if (!any) {
            bad = k;
            break;
          }
        }
        return Error(Errc::bad_font,
                     "no font in the font set can draw " + describe_cp(para.cps[bad]) + " \"" +
                         std::string(para.text.substr(para.offs[bad], para.offs[bad + 1] - para.offs[bad])) +
                         "\" at byte " + std::to_string(para.offs[bad]) + " of the text",
                     "Add a font that covers this script to the fonts directory, or correct the character in the "
                     "record if it is a typing error");
      }
      std::fill(para.fonts.begin() + static_cast<std::ptrdiff_t>(i),
                para.fonts.begin() + static_cast<std::ptrdiff_t>(j), static_cast<std::uint16_t>(chosen));
      i = j;
    }
    return {};
  };

  // Coverage by cmap picks the fonts; shaping then shows whether a font still produced .notdef for
  // a cluster (glyphs a font maps but cannot shape). Each round excludes at least one font for one
  // cluster, so this ends after at most n * fonts rounds; in practice one.
  const std::size_t max_rounds = n * chain.size() + 1;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    if (auto s = choose(); !s) return s;
    whole = shape_range(impl, para, 0, n);
    std::vector<std::uint32_t> cluster_values;
    bool notdef = false;
    for (const auto& g : whole.glyphs) {
      cluster_values.push_back(g.cluster);
      notdef = notdef || g.glyph == 0;
    }
    if (!notdef) return {};
    std::sort(cluster_values.begin(), cluster_values.end());
    cluster_values.erase(std::unique(cluster_values.begin(), cluster_values.end()), cluster_values.end());
    for (const auto& g : whole.glyphs) {
      if (g.glyph != 0) continue;
      // The HarfBuzz cluster [g.cluster, next cluster value) may span several of our clusters.
      const auto next = std::upper_bound(cluster_values.begin(), cluster_values.end(), g.cluster);
      const std::uint32_t hb_end = next == cluster_values.end() ? static_cast<std::uint32_t>(para.text.size()) : *next;
      const auto first = static_cast<std::size_t>(std::upper_bound(para.offs.begin(), para.offs.end() - 1, g.cluster) -
                                                  para.offs.begin() - 1);
      for (std::size_t k = first; k < n && para.offs[k] < hb_end; ++k) {
        std::size_t s = k;
        while (s > 0 && !starts[s]) --s;
        if (para.fonts[s] == g.font && std::find(excluded[s].begin(), excluded[s].end(), g.font) == excluded[s].end())
          excluded[s].push_back(g.font);
      }
    }
  }
  return Error(Errc::internal, "font fallback did not settle", "Report this as a bug with the text that caused it");
}

}  // namespace detail

namespace {

struct OutlineSink {
  GlyphOutline out;
  double scale = 0;  // mm per font unit
  MmPoint pt(float x, float y) const { return MmPoint{Mm{x * scale}, Mm{-y * scale}}; }
};

hb_draw_funcs_t* outline_funcs() {
  static hb_draw_funcs_t* funcs = [] {
    hb_draw_funcs_t* f = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(
        f,
        [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float x, float y, void*) {
          auto* s = static_cast<OutlineSink*>(d);
          s->out.verbs.push_back(GlyphOutline::Verb::move_to);
          s->out.points.push_back(s->pt(x, y));
        },
        nullptr, nullptr);
    hb_draw_funcs_set_line_to_func(
        f,
        [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float x, float y, void*) {
          auto* s = static_cast<OutlineSink*>(d);
          s->out.verbs.push_back(GlyphOutline::Verb::line_to);
          s->out.points.push_back(s->pt(x, y));
        },
        nullptr, nullptr);
    hb_draw_funcs_set_quadratic_to_func(
        f,
        [](hb_draw_funcs_t*, void* d, hb_draw_state_t* st, float cx, float cy, float x, float y, void*) {
          // A quadratic is exactly the cubic with controls 2/3 of the way to its control point.
          auto* s = static_cast<OutlineSink*>(d);
          const float x0 = st->current_x, y0 = st->current_y;
          s->out.verbs.push_back(GlyphOutline::Verb::cubic_to);
          s->out.points.push_back(s->pt(x0 + 2.0f / 3.0f * (cx - x0), y0 + 2.0f / 3.0f * (cy - y0)));
          s->out.points.push_back(s->pt(x + 2.0f / 3.0f * (cx - x), y + 2.0f / 3.0f * (cy - y)));
          s->out.points.push_back(s->pt(x, y));
        },
        nullptr, nullptr);
    hb_draw_funcs_set_cubic_to_func(
        f,
        [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, float c1x, float c1y, float c2x, float c2y, float x, float y,
           void*) {
          auto* s = static_cast<OutlineSink*>(d);
          s->out.verbs.push_back(GlyphOutline::Verb::cubic_to);
          s->out.points.push_back(s->pt(c1x, c1y));
          s->out.points.push_back(s->pt(c2x, c2y));
          s->out.points.push_back(s->pt(x, y));
        },
        nullptr, nullptr);
    hb_draw_funcs_set_close_path_func(
        f,
        [](hb_draw_funcs_t*, void* d, hb_draw_state_t*, void*) {
          static_cast<OutlineSink*>(d)->out.verbs.push_back(GlyphOutline::Verb::close);
        },
        nullptr, nullptr);
    hb_draw_funcs_make_immutable(f);
    return f;
  }();
  return funcs;
}

}  // namespace

Result<GlyphOutline> FontSet::glyph_outline(std::uint16_t font, std::uint32_t glyph, Pt size) const {
  if (!impl_ || font >= impl_->faces.size()) {
    return Error(Errc::invalid_argument,
                 "font index " + std::to_string(font) + " is out of range (the set has " +
                     std::to_string(this->size()) + " fonts)",
                 "Use font indices from a layout made with this FontSet");
  }
  if (!(size.v > 0)) {
    return Error(Errc::invalid_argument, "glyph outline size must be positive", "Pass a size in points, e.g. Pt{1.2}");
  }
  const auto& f = impl_->faces[font];
  OutlineSink sink;
  sink.scale = size.to_mm().v / f.info.units_per_em;
  hb_font_get_glyph_shape(f.hb, glyph, outline_funcs(), &sink);
  return std::move(sink.out);
}

}  // namespace sdc
