// The spec of each built-in element type: what the template says, as plain values. The parsers
// (el_*.cpp) fill them; compose/build_*.cpp turn them into display items; lint/ reads them.
#pragma once

#include <sdc/guilloche.hpp>
#include <sdc/microtext.hpp>
#include <sdc/mrz.hpp>
#include <sdc/photo.hpp>
#include <sdc/qr.hpp>
#include <sdc/text.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "template/model.hpp"

namespace sdc::detail {

/// A {field} or {field:DATEPATTERN} reference inside a text.
struct FieldRef {
  std::string field, format;
};

/// rect, ellipse, path.
struct ShapeElement {
  enum class Kind { rect, ellipse, path } kind = Kind::rect;
  std::optional<Rgba> fill, stroke;
  double stroke_width = 0.1;  ///< mm
  double radius = 0;          ///< rect corner radius, mm
  Path path;                  ///< kind == path: in the view box, origin and scale set
  FillRule fill_rule = FillRule::nonzero;
};

/// text, field.
struct TextElement {
  std::string text;  ///< with {field} references
  std::vector<FieldRef> refs;
  TextStyle style;
  FitOptions fit;
  Rgba color{0, 0, 0, 1};
  bool uppercase = false;
};

/// image: a raster from the template's folder (already grey when the template asks for it).
struct ImageElement {
  enum class Fit { contain, cover, stretch } fit = Fit::contain;
  std::shared_ptr<const Image> image;
  double radius = 0;
};

/// photo: the holder's portrait.
struct PhotoElement {
  bool gray = false;
  double radius = 0;
};

/// qr: the seal (content "{seal}") or a text with {field} references.
struct QrElement {
  std::string content;
  std::vector<FieldRef> refs;
  QrEcLevel ec = QrEcLevel::M;
  int quiet = 4;
  bool seal() const { return content == "{seal}"; }
};

/// guilloche.
struct GuillocheElement {
  GuillocheSpec spec;
  double line_width = 0.08;
  Rgba color{0.2, 0.3, 0.5, 1};
  std::vector<Rgba> rainbow;  ///< >= 2 stops: a split-fountain ramp
  enum class Along { x, y, curve } along = Along::x;
  enum class Clip { rect, ellipse, rounded_rect, none } clip = Clip::rect;
  double clip_radius = 3.18;
  enum class Seed { none, issuer, personal } seed = Seed::issuer;
  double variation = 0;
};

/// microtext.
struct MicrotextElement {
  std::string text;
  std::vector<FieldRef> refs;
  MicrotextStyle style;
  MicrotextPath path;
  Rgba color{0, 0, 0, 1};
  bool uppercase = false;
};

/// ghost, photo_lines.
struct GhostElement {
  enum class Mode { lighten, lines } mode = Mode::lighten;
  GhostOptions ghost;
  LineScreenOptions lines;
  Rgba color{0.12, 0.2, 0.35, 1};
};

/// mrz: ICAO 9303 TD1.
struct MrzElement {
  std::string font = "OCR B";
  double char_pitch = 2.54;  ///< mm per character: 10 characters per inch (Doc 9303 Part 3)
  double line_pitch = 4.23;  ///< mm between baselines: 6 lines per inch
  std::string document_code = "I";
  MrzTransliteration transliteration = MrzTransliteration::expand;
  std::string optional_1, optional_2;  ///< with {field} references
};

/// overlay_mask: varnish over the box with rounded-rectangle holes (mm).
struct OverlayElement {
  struct Hole {
    double x, y, w, h, r;
  };
  std::vector<Hole> holes;
};

}  // namespace sdc::detail
