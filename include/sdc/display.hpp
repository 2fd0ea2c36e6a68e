/// @file display.hpp
/// The display list: what a composed card draws, as plain data.
///
/// `Composer::compose()` decides everything a card shows and writes it down as one display list
/// per side: an ordered list of `DisplayItem`s drawn bottom to top. Every item is one of five
/// primitive kinds (filled and stroked paths, a text run, glyph outlines, an image, a QR module
/// matrix), carries its ink, its geometry in millimetres (trim coordinates: origin at the card's
/// top-left corner, x to the right, y downwards) and whether it is personal to the record.
///
/// Nothing is left to decide when drawing: guilloché curves are flattened, line screens traced, QR
/// codes encoded, MRZ and seal computed. sdc's `Renderer` and PDF proof draw the list through one
/// Cairo canvas; a vendor may drive its own rasteriser or preview from it instead, and a checker
/// can regenerate any item from a seal's data and the issuer seed and compare it with a print.
///
/// **Drawing model.** The model is PostScript's, as in Cairo: for each item, save the state; rotate
/// user space by `rotate_deg` about the centre of `box` when non-zero; draw the item's content;
/// restore. Items with `opacity` below 1 are drawn to a group, then painted with that alpha.
/// Colours are sRGB with straight alpha; on the non-process inks (K, UV, overlay) only coverage
/// counts. The exact drawing of each kind is given with its type.
///
/// All types are values: immutable once composed, safe to read from many threads.
#pragma once

#include <sdc/api.hpp>
#include <sdc/image.hpp>
#include <sdc/microtext.hpp>
#include <sdc/qr.hpp>
#include <sdc/text.hpp>
#include <sdc/units.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace sdc {

/// A path in millimetres, built verb by verb as in PostScript or Cairo. Arguments follow each verb
/// in `args`, in order:
///
/// | verb | args | meaning |
/// |---|---|---|
/// | move_to | x y | starts a sub-path |
/// | line_to | x y | straight segment |
/// | cubic_to | x1 y1 x2 y2 x y | cubic Bézier segment |
/// | close | — | closes the sub-path back to its start |
/// | new_sub_path | — | forgets the current point (a following arc starts without a joining line) |
/// | arc | cx cy r a1 a2 | circular arc, angles in radians, increasing clockwise (y is down), joined to the current
/// point by a line if there is one | | ellipse | x y w h | a closed ellipse inscribed in the rectangle, as a new
/// sub-path | | rect | x y w h | a closed rectangle: move to (x, y), then clockwise (y is down) |
///
/// While the path is built, coordinates pass through `origin` and `scale` (x' = origin.x + scale_x
/// * x), so that a path drawn in a view box keeps its numbers; stroke widths are unaffected.
struct Path {
  enum class Verb : std::uint8_t { move_to, line_to, cubic_to, close, new_sub_path, arc, ellipse, rect };
  std::vector<Verb> verbs;
  std::vector<double> args;
  MmPoint origin{};
  double scale_x = 1, scale_y = 1;

  bool empty() const noexcept { return verbs.empty(); }
  /// The number of arguments `verb` takes.
  static constexpr int arg_count(Verb v) noexcept {
    switch (v) {
      case Verb::move_to:
      case Verb::line_to: return 2;
      case Verb::cubic_to: return 6;
      case Verb::arc: return 5;
      case Verb::ellipse:
      case Verb::rect: return 4;
      default: return 0;
    }
  }
  void move_to(double x, double y) { add(Verb::move_to, {x, y}); }
  void line_to(double x, double y) { add(Verb::line_to, {x, y}); }
  void cubic_to(double x1, double y1, double x2, double y2, double x, double y) {
    add(Verb::cubic_to, {x1, y1, x2, y2, x, y});
  }
  void close() { verbs.push_back(Verb::close); }
  void new_sub_path() { verbs.push_back(Verb::new_sub_path); }
  void arc(double cx, double cy, double r, double a1, double a2) { add(Verb::arc, {cx, cy, r, a1, a2}); }
  void ellipse(double x, double y, double w, double h) { add(Verb::ellipse, {x, y, w, h}); }
  void rect(double x, double y, double w, double h) { add(Verb::rect, {x, y, w, h}); }
  /// A rectangle with corners rounded by `r` (clamped to half the shorter side; 0: a plain rect).
  void rounded_rect(double x, double y, double w, double h, double r);

 private:
  void add(Verb v, std::initializer_list<double> a) {
    verbs.push_back(v);
    args.insert(args.end(), a);
  }
};

enum class FillRule : std::uint8_t { nonzero, even_odd };
enum class LineJoin : std::uint8_t { miter, round, bevel };
enum class LineCap : std::uint8_t { butt, round, square };

/// A solid colour or a linear gradient between two points in millimetres; a gradient's stops are
/// evenly spaced from `p0` (first colour) to `p1` (last colour).
struct Paint {
  Rgba color;
  std::vector<Rgba> gradient;  ///< two or more stops: a linear gradient; otherwise `color`
  MmPoint p0{}, p1{};
};

/// One path, filled and/or stroked. With both, the fill is painted first.
struct PathDraw {
  Path path;
  FillRule fill_rule = FillRule::nonzero;
  std::optional<Paint> fill;
  std::optional<Paint> stroke;
  double stroke_width = 0.1;  ///< mm
  LineJoin join = LineJoin::miter;
  LineCap cap = LineCap::butt;
};

/// Paths, optionally clipped (nonzero rule) to `clip`: shapes, guilloché, line screens, varnish.
struct PathItem {
  std::optional<Path> clip;
  std::vector<PathDraw> draws;
};

/// Shaped text (text.hpp) with the top-left of its layout box at `origin`, in one colour. Drawn as
/// text, so vector output keeps it searchable. Glyph outlines: `FontSet::glyph_outline()`.
struct TextItem {
  FontSet fonts;
  TextLayout layout;
  MmPoint origin{};
  Rgba color;
};

/// Glyph outlines placed one by one (origin on the baseline, rotated by `angle_rad` about it) and
/// filled together in one colour: microtext along curves, the MRZ at its fixed pitch.
struct GlyphsItem {
  FontSet fonts;
  std::vector<PlacedGlyph> glyphs;  ///< font indices refer to `fonts`
  Pt size{10};
  Rgba color;
};

/// A raster image scaled into `dest` (bilinear or better, edges padded), clipped to `dest` and to
/// `clip` when set. Pixels are gray8, rgb8 or rgba8 (straight alpha) sRGB.
struct ImageItem {
  std::shared_ptr<const Image> image;
  MmRect dest;
  std::optional<Path> clip;
};

/// A QR code centred in the item's box: `quiet` light modules around it, dark modules in black.
/// On raster output the module is a whole number of device pixels and the code's origin is snapped
/// to the pixel grid (qr.hpp `layout_qr`); on vector output it fills the box's shorter side.
struct QrItem {
  QrMatrix matrix;
  int quiet = 4;
};

/// One thing a card draws.
struct DisplayItem {
  std::string name;  ///< the template element it comes from
  std::string type;  ///< that element's type ("guilloche", "text", ...)
  MmRect box;        ///< the element's box (trim coordinates)
  Ink ink = Ink::process;
  double opacity = 1.0;   ///< 0..1
  double rotate_deg = 0;  ///< about the centre of `box`, clockwise
  bool personal = false;  ///< depends on the record, the photo, the seal or the personal seed
  std::variant<PathItem, TextItem, GlyphsItem, ImageItem, QrItem> content;
};

/// One side of a composed card.
struct SideDisplay {
  /// The items in drawing order. Items are shared between cards where they are equal (static
  /// items of one template, issuer and resolution), hence the pointers; they never change.
  std::vector<std::shared_ptr<const DisplayItem>> items;
  Rgba background{1, 1, 1, 1};  ///< card stock under the process ink
  /// Items before this index are static: the same on every card of this template, issuer and
  /// resolution. A renderer may draw them once and reuse them.
  std::size_t static_prefix = 0;
  /// Identifies those static items (hex; from the template's content, the issuer's pattern seed
  /// fingerprint, the side and the composition dpi): equal keys, equal static layers.
  std::string static_key;
};

}  // namespace sdc
