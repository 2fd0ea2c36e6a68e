/// @file text.hpp
/// Fonts, shaping, bidirectional text, font fallback, line breaking and fit-to-box.
///
/// The text module turns a UTF-8 string into positioned glyphs in millimetres:
///
/// - `FontSet` holds the fonts of a card (usually every file in `fonts/`). It is loaded once and
///   shared: it is immutable and every `const` member is safe to call from many threads at once.
/// - `shape_text()` lays out one line at the style's size.
/// - `fit_text()` lays out text in a box: it shrinks, then wraps, and refuses rather than truncates.
///
/// **Scripts.** Any script the fonts cover, including right-to-left (Arabic, Hebrew), complex
/// (Devanagari and other Indic scripts: reordered vowel signs, conjuncts) and stacked diacritics
/// (Vietnamese). Bidirectional text follows the Unicode Bidirectional Algorithm (UAX #9): an Arabic
/// name with Latin digits comes out in the order a reader expects.
///
/// **Font fallback.** The style names a primary font. Each character cluster (a base character and
/// its combining marks) that the primary font cannot draw is taken from the next font of the set
/// that can: first fonts whose family name extends the primary's ("Noto Sans" -> "Noto Sans
/// Arabic"), preferring the same weight, then the other fonts in file-name order. A cluster that no
/// font can draw is an error, never a blank box.
///
/// **Coordinates.** Millimetres, x to the right, y downwards, like the card. Glyph positions are
/// relative to the top-left corner of the layout's box; a glyph's `y_mm` is on its line's baseline
/// (plus any mark offset). Layouts are not hinted: they scale exactly with the size and are
/// identical at every dpi.
///
/// **Determinism.** Results depend only on the text, the style, the box and the font files: no
/// locale, no clock, no global state. Shaping the same input on many threads gives identical results.
#pragma once

#include <sdc/api.hpp>
#include <sdc/error.hpp>
#include <sdc/units.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sdc {

namespace detail {
struct FontSetAccess;  // lets src/text reach the implementation (drawing, shaping)
}

/// One font face of a `FontSet`, as read from its file.
struct FontInfo {
  std::string family;          ///< typographic family name from the font ("Noto Sans", "OCR B")
  std::string style;           ///< style name from the font ("Regular", "Bold")
  int weight = 400;            ///< OS/2 weight class, 100 (thin) to 900 (black); 400 regular, 700 bold
  bool bold = false;           ///< weight >= 600 or the font says it is bold
  std::filesystem::path file;  ///< the file it was loaded from
  int face_index = 0;          ///< face number inside the file (non-zero only in .ttc collections)
  int units_per_em = 1000;     ///< design units per em
};

/// An outline path in millimetres (y downwards), as `FontSet::glyph_outline()` returns it.
/// Quadratic curves of TrueType fonts are converted exactly to cubics, so there are three verbs.
struct GlyphOutline {
  enum class Verb : std::uint8_t {
    move_to,   ///< uses 1 point: starts a new contour
    line_to,   ///< uses 1 point
    cubic_to,  ///< uses 3 points: two control points, then the end point
    close,     ///< uses 0 points: closes the current contour
  };
  std::vector<Verb> verbs;
  std::vector<MmPoint> points;  ///< the points of all verbs, in order
  bool empty() const noexcept { return verbs.empty(); }
};

/// A set of fonts with fallback, loaded once and shared.
///
/// Immutable, thread-safe heavy object: copies are cheap (they share the loaded fonts) and every
/// `const` member, as well as `shape_text()`/`fit_text()` on it, may be called from many threads at
/// once. A default-constructed FontSet is empty (`empty()`): shaping with it returns `bad_font`.
///
/// Font indices (`PositionedGlyph::font`, `info()`) are positions in the set, stable for the life
/// of the set: fonts are ordered by file name (then face index), whatever the file system says.
class SDC_EXPORT FontSet {
 public:
  /// An empty set.
  FontSet() = default;

  /// Loads every `.ttf`, `.otf` and `.ttc` file in `fonts_dir` (not recursively; other files, such
  /// as licences and READMEs, are ignored).
  ///
  /// Errors: `io` if the directory does not exist or cannot be listed; `bad_font` if it holds no
  /// font file or a font file is unreadable or not a font (`Where::file` names it).
  /// Cost: reads the files (about 3 MB for sdc's fonts/), some milliseconds.
  static Result<FontSet> load(const std::filesystem::path& fonts_dir);

  /// Loads the given font files, in the given order (which is the index order and the fallback
  /// order among equals). Errors as for `load()`; an empty list is `invalid_argument`.
  static Result<FontSet> load_files(const std::vector<std::filesystem::path>& files);

  /// One font held in memory: its bytes (TrueType, OpenType or a collection) and a name that stands
  /// for its file (used in errors, `FontInfo::file` and for finding the font by file name).
  struct FontData {
    std::string name;
    std::vector<std::uint8_t> bytes;
  };
  /// Loads fonts held in memory (a vendor shipping fonts inside its own package), in the given
  /// order, as `load_files` does; the bytes are taken over. Errors as for `load_files`, naming
  /// the font; an empty list or a font without a name is `invalid_argument`.
  static Result<FontSet> from_memory(std::vector<FontData> fonts);

  /// True for a default-constructed set.
  bool empty() const noexcept { return impl_ == nullptr; }

  /// Number of font faces in the set (0 for an empty set).
  std::size_t size() const noexcept;

  /// Description of font `index` (0 <= index < size(); out of range throws `std::out_of_range`).
  const FontInfo& info(std::uint16_t index) const;

  /// The distinct family names in the set, sorted ("DejaVu Sans", "Noto Sans", ...).
  std::vector<std::string> families() const;

  /// Finds the font for a family and weight. `family` is matched without regard to case, spaces,
  /// hyphens and underscores, so "OCR-B", "ocr b" and "OCRB" all find the family "OCR B"; it may
  /// also be a file name with or without extension ("NotoSans-Bold.ttf", "OCRB"), which selects
  /// that file whatever `bold` says. Within a family the face whose boldness matches is chosen; if
  /// the family has no such face the nearest weight is used (no synthetic emboldening).
  ///
  /// Errors: `bad_font` naming the family and listing the available families; `bad_font` if the
  /// set is empty.
  Result<std::uint16_t> find(std::string_view family, bool bold = false) const;

  /// The outline of glyph `glyph` of font `font` at `size`, in millimetres relative to the glyph
  /// origin (on the baseline), y downwards. For microtext and other glyph-by-glyph placement.
  /// A glyph without outline (a space) gives an empty outline.
  /// Errors: `invalid_argument` if `font` is out of range or `size` is not positive.
  Result<GlyphOutline> glyph_outline(std::uint16_t font, std::uint32_t glyph, Pt size) const;

  struct Impl;

 private:
  friend struct detail::FontSetAccess;
  explicit FontSet(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// Paragraph direction.
enum class TextDirection {
  auto_detect,  ///< from the first strong character (UAX #9 rules P2, P3); left-to-right if none
  ltr,          ///< force left-to-right
  rtl,          ///< force right-to-left
};

/// How to set text: font, size and spacing. A plain aggregate: `{.family = "OCR-B", .size = Pt{9}}`.
struct TextStyle {
  std::string family = "Noto Sans";  ///< family or file name, see `FontSet::find()`
  bool bold = false;
  Pt size{8};                    ///< em size; 1 pt = 25.4/72 mm. Must be > 0 (up to 1000 pt)
  double letter_spacing_em = 0;  ///< extra space after each cluster, in em (0.05 = 5 %); may be
                                 ///< negative down to -0.5, at most 10. Not applied in joining scripts
                                 ///< (Arabic, Devanagari, ...), where it would break the letters.
  TextDirection direction = TextDirection::auto_detect;
  std::string language;  ///< optional BCP 47 tag ("vi", "ar", "hi") selecting language-specific
                         ///< glyph forms; empty: none (never taken from the process locale)
};

/// One glyph placed in a layout.
struct PositionedGlyph {
  std::uint32_t glyph = 0;    ///< glyph id in font `font`
  std::uint16_t font = 0;     ///< index of the font in the FontSet the layout was made with
  double x_mm = 0;            ///< origin of the glyph (left of its advance box), from the box's left
  double y_mm = 0;            ///< origin of the glyph: the line's baseline plus any mark offset
  double advance_mm = 0;      ///< horizontal advance, including letter spacing
  std::uint32_t cluster = 0;  ///< byte offset into the UTF-8 input of the first character of the
                              ///< cluster this glyph draws. Several glyphs may share a cluster
                              ///< (base + marks), one glyph may draw several characters (ligatures).
};

/// One line of a layout. Glyphs are in visual order, left to right, whatever the direction:
/// in a right-to-left run the clusters therefore decrease from left to right.
struct TextLine {
  std::vector<PositionedGlyph> glyphs;
  Mm x;                   ///< left edge of the line's advance box, from the box's left (alignment)
  Mm baseline;            ///< y of the baseline, from the box's top
  Mm width;               ///< advance width of the line
  bool rtl = false;       ///< paragraph direction (the same for every line of a layout)
  std::size_t begin = 0;  ///< the line's text: bytes [begin, end) of the input (break spaces
  std::size_t end = 0;    ///< between lines belong to no line)
};

/// A shaped and positioned block of text, ready to draw. Value type.
///
/// A layout refers to fonts by index: draw it with the FontSet (or a copy of it) that made it.
struct TextLayout {
  std::vector<TextLine> lines;  ///< top to bottom; one (possibly empty) line at least
  Pt size;                      ///< the size chosen (the style's size unless fit_text() shrank it)
  Mm line_height;               ///< distance between baselines
  Mm ascent;                    ///< from the top of a line to its baseline (primary font's metrics)
  Mm descent;                   ///< from the baseline to the bottom of a line (positive)
  MmSize box;                   ///< the box the layout was made for (fit_text()), or the natural
                                ///< size: widest line by ascent + descent + (lines-1) line_height
  MmRect ink;                   ///< union of the glyphs' outline bounds; all zero if nothing is drawn
  bool rtl = false;             ///< paragraph direction
  std::string text;             ///< the input text (clusters are byte offsets into it)

  /// Number of glyphs over all lines.
  std::size_t glyph_count() const noexcept {
    std::size_t n = 0;
    for (const auto& l : lines) n += l.glyphs.size();
    return n;
  }
};

/// Lays out `utf8` on one line at `style.size`: no shrinking, no wrapping. The line starts at
/// x = 0 and its baseline is at y = ascent, so the natural box is (width, ascent + descent).
///
/// Errors: `invalid_argument` for invalid UTF-8 (the message gives the byte offset), for control
/// characters (U+0000-U+001F, U+007F-U+009F: a line break is not text to shape) or for a size
/// outside (0, 1000] pt; `bad_font` if the family is not in the set (listing those that are) or
/// if no font of the set can draw a character (the message names it, U+XXXX, and its offset).
/// Thread-safe; cost: roughly 10-50 µs for a name.
SDC_EXPORT Result<TextLayout> shape_text(const FontSet& fonts, std::string_view utf8, const TextStyle& style);

/// Options for `fit_text()`. A plain aggregate.
struct FitOptions {
  /// Horizontal alignment of each line in the box. `start` and `end` follow the paragraph
  /// direction (for right-to-left text `start` is the right edge); `left` and `right` do not.
  enum class Align { start, center, end, left, right };
  /// Vertical alignment of the block of lines in the box.
  enum class VAlign { top, middle, bottom };

  Pt min_size{5};     ///< never shrink below this (and never above the style's size)
  int max_lines = 2;  ///< 1 = never wrap; at most 16
  Align align = Align::start;
  VAlign valign = VAlign::top;
  double line_spacing = 1.0;   ///< multiple of the primary font's natural line height, 0.5 to 3
  double size_step_pt = 0.25;  ///< sizes tried are style.size - k * size_step_pt; 0.01 to 4
};

/// Lays `utf8` out in a box of size `box` (mm), never truncating:
///
/// 1. On one line at the style's size if it fits; otherwise at the largest size, in steps of
///    `size_step_pt` down from the style's size, at which it fits, if that is >= `min_size`.
/// 2. Otherwise wrapped at word boundaries (spaces; after hyphens) onto 2, then 3, ... up to
///    `max_lines` lines, choosing the breaks that balance the line widths best, again starting
///    from the style's size and shrinking down to `min_size`.
/// 3. Otherwise `does_not_fit`: the message gives the text's length and the box, the hint says
///    what to change (a larger box, a smaller `min_size`, more lines, a shorter form of the name).
///
/// "Fits" means every line's advance width is <= box.w and ascent + descent + (lines - 1) *
/// line_height <= box.h. Glyph positions are relative to the box's top-left corner.
/// Errors: those of `shape_text()`; `invalid_argument` for a non-positive box, `min_size` > style
/// size or options out of range; `does_not_fit` as above. Thread-safe.
SDC_EXPORT Result<TextLayout> fit_text(const FontSet& fonts, std::string_view utf8, const TextStyle& style, MmSize box,
                                       const FitOptions& options = {});

}  // namespace sdc
