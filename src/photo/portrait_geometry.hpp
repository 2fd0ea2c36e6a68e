// Internal: head geometry estimated from a Haar frontal-face box (documented on PortraitOptions).
#pragma once

#include <sdc/units.hpp>

namespace sdc::detail {

// Factors in units of the box height, measured from the box top (on the forehead, above the
// eyebrows). Measured on assets/records/photos/astronaut.png (box 93 px: eyes 0.37, chin 1.16, skull top
// about -0.40, top of the hair -0.56). The crown is put between skull and hair top so that ordinary
// hair stays inside the photo with the default crown margin.
inline constexpr double kCrownAboveBox = 0.50;  // top of the head, with typical hair
inline constexpr double kChinBelowTop = 1.15;
inline constexpr double kEyesBelowTop = 0.37;

struct HeadGeometry {
  double crown_y, chin_y, eye_y, centre_x;
  double head_height() const { return chin_y - crown_y; }
};

inline HeadGeometry head_from_face(const PxRect& f) {
  const double s = f.h;
  return {f.y - kCrownAboveBox * s, f.y + kChinBelowTop * s, f.y + kEyesBelowTop * s, f.x + f.w / 2.0};
}

}  // namespace sdc::detail
