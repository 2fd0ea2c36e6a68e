/// @file units.hpp
/// Lengths in millimetres and points, device pixels, resolutions, rectangles and card formats.
///
/// Units are types: `Mm + Px` does not compile, and converting a length to pixels needs a `Dpi`.
///
/// **Rounding rule** (used everywhere a length becomes a pixel count or position):
/// `px = floor(mm * dpi / 25.4 + 0.5)`, i.e. round half up, computed in double precision.
/// An ID-1 card (85.60 mm) is therefore 1011 px wide at 300 dpi, 2022 px at 600 dpi; a side with
/// 1 mm bleed on each edge (87.60 mm) is 1035 px wide at 300 dpi.
#pragma once

#include <sdc/api.hpp>

#include <cmath>
#include <compare>
#include <string_view>

namespace sdc {

/// Millimetres.
struct Mm {
  double v = 0;
  constexpr Mm() = default;
  constexpr explicit Mm(double value) : v(value) {}
  constexpr Mm operator+(Mm o) const { return Mm{v + o.v}; }
  constexpr Mm operator-(Mm o) const { return Mm{v - o.v}; }
  constexpr Mm operator-() const { return Mm{-v}; }
  constexpr Mm operator*(double k) const { return Mm{v * k}; }
  constexpr Mm operator/(double k) const { return Mm{v / k}; }
  constexpr double operator/(Mm o) const { return v / o.v; }
  constexpr Mm& operator+=(Mm o) {
    v += o.v;
    return *this;
  }
  constexpr Mm& operator-=(Mm o) {
    v -= o.v;
    return *this;
  }
  constexpr auto operator<=>(const Mm&) const = default;
};
constexpr Mm operator*(double k, Mm m) {
  return Mm{k * m.v};
}

/// Typographic points (1 pt = 25.4 / 72 mm).
struct Pt {
  double v = 0;
  constexpr Pt() = default;
  constexpr explicit Pt(double value) : v(value) {}
  constexpr Mm to_mm() const { return Mm{v * 25.4 / 72.0}; }
  constexpr auto operator<=>(const Pt&) const = default;
};
constexpr Pt to_pt(Mm m) {
  return Pt{m.v * 72.0 / 25.4};
}

/// Device pixels (whole numbers).
struct Px {
  int v = 0;
  constexpr Px() = default;
  constexpr explicit Px(int value) : v(value) {}
  constexpr Px operator+(Px o) const { return Px{v + o.v}; }
  constexpr Px operator-(Px o) const { return Px{v - o.v}; }
  constexpr auto operator<=>(const Px&) const = default;
};

/// Resolution in dots per inch. Valid range for rendering: 72 to 2400.
struct Dpi {
  int v = 300;
  constexpr Dpi() = default;
  constexpr explicit Dpi(int value) : v(value) {}
  /// Device pixels per millimetre (not rounded).
  constexpr double px_per_mm() const { return v / 25.4; }
  constexpr auto operator<=>(const Dpi&) const = default;
};

/// Length to a fractional pixel count, not rounded (for geometry).
constexpr double to_px_f(Mm m, Dpi d) {
  return m.v * d.v / 25.4;
}
/// Length to whole pixels by the rounding rule above.
inline Px to_px(Mm m, Dpi d) {
  return Px{static_cast<int>(std::floor(to_px_f(m, d) + 0.5))};
}
/// Pixels back to millimetres (exact, not rounded).
constexpr Mm to_mm(Px p, Dpi d) {
  return Mm{p.v * 25.4 / d.v};
}

struct MmPoint {
  Mm x, y;
  constexpr bool operator==(const MmPoint&) const = default;
};

struct MmSize {
  Mm w, h;
  constexpr bool operator==(const MmSize&) const = default;
};

/// An axis-aligned rectangle: top-left corner and size, y grows downwards (as on the card).
struct MmRect {
  Mm x, y, w, h;
  constexpr Mm right() const { return x + w; }
  constexpr Mm bottom() const { return y + h; }
  constexpr bool empty() const { return w.v <= 0 || h.v <= 0; }
  constexpr bool contains(const MmRect& o) const {
    return o.x >= x && o.y >= y && o.right() <= right() && o.bottom() <= bottom();
  }
  constexpr MmRect inset(Mm d) const { return MmRect{x + d, y + d, w - d * 2, h - d * 2}; }
  constexpr bool operator==(const MmRect&) const = default;
};

/// An axis-aligned rectangle in whole device pixels.
struct PxRect {
  int x = 0, y = 0, w = 0, h = 0;
  constexpr int right() const { return x + w; }
  constexpr int bottom() const { return y + h; }
  /// Moved in by `d` pixels on every side (out for a negative `d`).
  constexpr PxRect inset(int d) const { return PxRect{x + d, y + d, w - 2 * d, h - 2 * d}; }
  constexpr bool operator==(const PxRect&) const = default;
};

/// A rectangle to the device pixels it covers: each edge rounded by to_px, so that rectangles
/// sharing an edge in mm share it in pixels.
inline PxRect to_px(const MmRect& r, Dpi d) {
  const int x0 = to_px(r.x, d).v, y0 = to_px(r.y, d).v;
  return PxRect{x0, y0, to_px(r.right(), d).v - x0, to_px(r.bottom(), d).v - y0};
}

/// A size in whole device pixels.
struct PxSize {
  int w = 0, h = 0;
  constexpr bool operator==(const PxSize&) const = default;
};

/// Card formats of ISO/IEC 7810.
enum class CardFormat {
  id1,  ///< 85.60 x 53.98 mm, corner radius 3.18 mm (bank cards, ID cards)
  id2,  ///< 105 x 74 mm
  id3,  ///< 125 x 88 mm (passport data page)
};

/// Trim size of a card format.
constexpr MmSize card_size(CardFormat f) {
  switch (f) {
    case CardFormat::id1: return {Mm{85.60}, Mm{53.98}};
    case CardFormat::id2: return {Mm{105.0}, Mm{74.0}};
    case CardFormat::id3: return {Mm{125.0}, Mm{88.0}};
  }
  return {};
}
/// Corner radius of a card format (ISO/IEC 7810 gives 3.18 mm for ID-1; ID-2 and ID-3 use the same
/// nominal radius in practice).
constexpr Mm card_corner_radius(CardFormat) {
  return Mm{3.18};
}

/// Parses "ID-1", "id1", "ID-2", ... Returns false for anything else.
SDC_EXPORT bool parse_card_format(std::string_view text, CardFormat& out) noexcept;
/// "ID-1", "ID-2", "ID-3".
SDC_EXPORT const char* to_string(CardFormat f) noexcept;

/// Geometry of one card side as printed: the trim box (the card), the bleed around it (artwork
/// that reaches the edge extends this far past the trim) and the safe zone inside it (content that
/// must not be cut stays inside). Coordinates are relative to the trim box's top-left corner, so
/// the bleed box has negative x and y.
struct SideGeometry {
  CardFormat format = CardFormat::id1;
  Mm bleed{1.0};        ///< 0 to 5 mm
  Mm safe_margin{2.0};  ///< 0 to 10 mm
  constexpr MmSize trim() const { return card_size(format); }
  constexpr MmRect trim_box() const { return {Mm{0}, Mm{0}, trim().w, trim().h}; }
  constexpr MmRect bleed_box() const { return {-bleed, -bleed, trim().w + bleed * 2, trim().h + bleed * 2}; }
  constexpr MmRect safe_box() const { return trim_box().inset(safe_margin); }
};

/// A side of a card.
enum class Side { front, back };
SDC_EXPORT const char* to_string(Side side) noexcept;

/// The ink (separation) an element prints with. See ARCHITECTURE: exports keep inks apart.
enum class Ink {
  process,  ///< colour artwork, photo, guilloché: through the ICC transform to CMYK / YMC panels
  k,        ///< text, microtext, MRZ, QR: 100 % K, resin K panel on card printers
  uv,       ///< fluorescent ink (F panel), invisible in daylight
  overlay,  ///< protective varnish (O panel); coverage, with holes for chip and stripe
};
SDC_EXPORT const char* to_string(Ink ink) noexcept;

/// An sRGB colour with straight (not premultiplied) alpha, each channel 0..1.
struct Rgba {
  double r = 0, g = 0, b = 0, a = 1;
  bool operator==(const Rgba&) const = default;
};

}  // namespace sdc
