// Vector PDF proofs through Cairo's PDF surface: the same item drawing code as the raster renderer,
// so the proof shows exactly what prints; text stays text (cairo-ft faces, embedded as subsets).
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <sdc/export.hpp>

#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "render/canvas_cairo.hpp"

namespace sdc {

namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kMargin = 12.0;               // mm around the bleed box: room for the marks
constexpr double kCaption = 7.0;               // mm below the bottom margin for the caption
constexpr double kMarkOffset = 3.0;            // mm between the bleed box and the start of a mark
constexpr double kMarkLength = 5.0;            // mm
constexpr double kHairline = 0.25 / kPtPerMm;  // 0.25 pt in mm

constexpr detail::CanvasOptions kVector{Dpi{600}, true};

bool side_uses(const SideDisplay& d, Ink ink) {
  for (const auto& it : d.items)
    if (it->ink == ink) return true;
  return false;
}

// Draws items of one ink as a solid colour through their coverage (K in pure black, UV violet...).
Status draw_ink_as(cairo_t* cr, const SideDisplay& d, Ink ink, double r, double g, double b, double a) {
  cairo_push_group(cr);
  Status st = detail::draw_items(cr, d, ink, kVector);
  cairo_pattern_t* coverage = cairo_pop_group(cr);
  cairo_set_source_rgba(cr, r, g, b, a);
  cairo_mask(cr, coverage);
  cairo_pattern_destroy(coverage);
  return st;
}

void line(cairo_t* cr, double x0, double y0, double x1, double y1) {
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
}

// Trim marks (solid) on the trim lines and bleed marks (dashed) on the bleed lines, outside the
// bleed box, at each corner.
void draw_marks(cairo_t* cr, const SideGeometry& g) {
  const double w = g.trim().w.v, h = g.trim().h.v, b = g.bleed.v;
  const double o = b + kMarkOffset, e = o + kMarkLength;
  cairo_save(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, kHairline);
  for (double x : {0.0, w}) {
    line(cr, x, -o, x, -e);
    line(cr, x, h + o, x, h + e);
  }
  for (double y : {0.0, h}) {
    line(cr, -o, y, -e, y);
    line(cr, w + o, y, w + e, y);
  }
  cairo_stroke(cr);
  const double dash[] = {0.6, 0.4};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, kHairline * 0.8);
  for (double x : {-b, w + b}) {
    line(cr, x, -o, x, -e);
    line(cr, x, h + o, x, h + e);
  }
  for (double y : {-b, h + b}) {
    line(cr, -o, y, -e, y);
    line(cr, w + o, y, w + e, y);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

// The caption's font comes straight from a font file through FreeType (not Cairo's toy API, which
// goes through fontconfig and its process-wide caches). No font file: no caption. One per proof, no
// global state: Cairo may keep the font face in its caches after the PDF is done, so the FreeType
// face and library are released by Cairo itself when it drops the face (the destroy callback of
// cairo_font_face_set_user_data, as Cairo's documentation prescribes for FT faces).
struct FtOwner {
  FT_Library lib = nullptr;
  FT_Face face = nullptr;
};
const cairo_user_data_key_t kFtOwnerKey{};

void release_ft(void* p) {
  auto* owner = static_cast<FtOwner*>(p);
  if (owner->face) FT_Done_Face(owner->face);
  if (owner->lib) FT_Done_FreeType(owner->lib);
  delete owner;
}

class CaptionFont {
 public:
  explicit CaptionFont(const std::filesystem::path& file) {
    auto owner = std::make_unique<FtOwner>();
    if (FT_Init_FreeType(&owner->lib) != 0) return;
    if (FT_New_Face(owner->lib, file.c_str(), 0, &owner->face) != 0) {
      owner->face = nullptr;
      release_ft(owner.release());
      return;
    }
    font_ = cairo_ft_font_face_create_for_ft_face(owner->face, 0);
    if (cairo_font_face_set_user_data(font_, &kFtOwnerKey, owner.get(), release_ft) != CAIRO_STATUS_SUCCESS) {
      cairo_font_face_destroy(font_);
      font_ = nullptr;
      release_ft(owner.release());
      return;
    }
    owner.release();  // now Cairo's
  }
  ~CaptionFont() {
    if (font_) cairo_font_face_destroy(font_);
  }
  CaptionFont(const CaptionFont&) = delete;
  CaptionFont& operator=(const CaptionFont&) = delete;
  cairo_font_face_t* get() const { return font_; }

 private:
  cairo_font_face_t* font_ = nullptr;
};

void caption(cairo_t* cr, const CaptionFont& font, const SideGeometry& g, const std::string& text) {
  if (!font.get()) return;
  cairo_save(cr);
  cairo_set_font_face(cr, font.get());
  cairo_set_font_size(cr, 1.8);  // mm (about 5 pt)
  cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
  cairo_move_to(cr, -g.bleed.v, g.trim().h.v + g.bleed.v + kMargin + 3.0);
  cairo_show_text(cr, text.c_str());
  cairo_restore(cr);
}

void clip_bleed(cairo_t* cr, const SideGeometry& g) {
  const MmRect bb = g.bleed_box();
  cairo_rectangle(cr, bb.x.v, bb.y.v, bb.w.v, bb.h.v);
  cairo_clip(cr);
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  try {
    out->insert(out->end(), data, data + length);
  } catch (const std::bad_alloc&) {
    return CAIRO_STATUS_NO_MEMORY;
  }
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_pdf_proof(const Card& card, const PdfProofOptions& options) {
  if (card.empty()) return Error(Errc::invalid_argument, "the card is empty.", "compose it first.");
  const SideGeometry g = card.geometry();
  const double page_w = g.bleed_box().w.v + 2 * kMargin;
  const double page_h = g.bleed_box().h.v + 2 * kMargin + (options.caption ? kCaption : 0.0);
  const std::string& name = card.template_name();

  std::vector<std::uint8_t> out;
  Status written = [&]() -> Status {
    // The stream gets the bytes Cairo writes to a file: same document, only the sink differs.
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(append_bytes, &out, page_w * kPtPerMm, page_h * kPtPerMm);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
      const std::string why = cairo_status_to_string(cairo_surface_status(surface));
      cairo_surface_destroy(surface);
      return Error(Errc::internal, "Cairo cannot create the PDF: " + why + ".", "check memory.");
    }
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   (options.title.empty() ? std::string("sdc proof") : options.title).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "sdc");
    // A fixed date keeps the file byte-identical from run to run.
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    const CaptionFont font(options.caption_font.empty() ? Resources::installed().font("NotoSans-Regular.ttf")
                                                        : options.caption_font);
    cairo_t* cr = cairo_create(surface);
    auto begin_page = [&] {
      cairo_identity_matrix(cr);
      cairo_scale(cr, kPtPerMm, kPtPerMm);
      cairo_translate(cr, kMargin + g.bleed.v, kMargin + g.bleed.v);  // origin: trim top-left
    };
    for (Side s : {Side::front, Side::back}) {
      if (!card.has_side(s)) continue;
      const std::string side = to_string(s);
      begin_page();
      cairo_save(cr);
      clip_bleed(cr, g);
      const SideDisplay& d = card.display(s);
      const auto bg = d.background;
      cairo_set_source_rgb(cr, bg.r, bg.g, bg.b);
      cairo_paint(cr);
      Status drawn = detail::draw_items(cr, d, Ink::process, kVector);
      if (drawn) drawn = draw_ink_as(cr, d, Ink::k, 0, 0, 0, 1);
      cairo_restore(cr);
      if (!drawn) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        return drawn;
      }
      if (options.marks) draw_marks(cr, g);
      if (options.caption) caption(cr, font, g, name + " - " + side + " - process sRGB + K 100 % - sdc proof");
      cairo_show_page(cr);

      const bool uv = side_uses(d, Ink::uv), ov = side_uses(d, Ink::overlay);
      if (options.ink_pages && (uv || ov)) {
        begin_page();
        cairo_save(cr);
        clip_bleed(cr, g);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        if (ov) drawn = draw_ink_as(cr, d, Ink::overlay, 0.55, 0.75, 0.95, 0.6);
        if (uv && drawn) drawn = draw_ink_as(cr, d, Ink::uv, 0.55, 0.2, 0.95, 1);
        cairo_restore(cr);
        if (!drawn) {
          cairo_destroy(cr);
          cairo_surface_destroy(surface);
          return drawn;
        }
        cairo_save(cr);  // the trim outline, to find one's way on an otherwise empty page
        cairo_rectangle(cr, 0, 0, g.trim().w.v, g.trim().h.v);
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr, kHairline);
        cairo_stroke(cr);
        cairo_restore(cr);
        if (options.marks) draw_marks(cr, g);
        if (options.caption)
          caption(cr, font, g,
                  name + " - " + side + " - " + (uv ? "UV ink (violet)" : "") + (uv && ov ? " + " : "") +
                      (ov ? "overlay varnish (blue)" : "") + " - sdc proof");
        cairo_show_page(cr);
      }
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t st = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (st != CAIRO_STATUS_SUCCESS)
      return Error(st == CAIRO_STATUS_NO_MEMORY ? Errc::limit_exceeded : Errc::internal,
                   std::string("Cairo cannot finish the PDF: ") + cairo_status_to_string(st) + ".", "check memory.");
    return {};
  }();
  if (!written) return std::move(written).error();
  return out;
}

Status write_pdf_proof(const Card& card, const std::filesystem::path& path, const PdfProofOptions& options) {
  auto bytes = encode_pdf_proof(card, options);
  if (!bytes) {
    Error e = std::move(bytes).error();
    return std::move(e.in_file(path.string()));
  }
  return write_file_atomic(path, *bytes);
}

}  // namespace sdc
