/// @file planes.hpp
/// One side of a card as ink separations: what the renderer produces and what colour separation
/// and the exporters consume.
#pragma once

#include <sdc/image.hpp>
#include <sdc/units.hpp>

namespace sdc {

/// One side of a card as separations.
struct Planes {
  Side side = Side::front;
  Dpi dpi{300};
  SideGeometry geometry;
  /// The trim box (the card's edge) inside the planes, in pixels; the planes cover the bleed box.
  PxRect trim;
  Image process;  ///< rgb8, sRGB; white where nothing is printed
  /// The other inks, gray8 of the process plane's size. A side that prints no such ink has an
  /// empty plane (no memory, zero coverage); `composite`, `separate`, `make_panels` and the
  /// exporters take an empty plane as "no ink".
  Image k;        ///< 0 = no ink, 255 = 100 % K
  Image uv;       ///< 0 = none, 255 = full UV ink
  Image overlay;  ///< 255 = varnish, 0 = hole / none
};

}  // namespace sdc
