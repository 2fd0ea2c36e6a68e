#include <sdc/display.hpp>

#include <algorithm>
#include <numbers>

namespace sdc {

void Path::rounded_rect(double x, double y, double w, double h, double r) {
  r = std::min({r, w / 2, h / 2});
  if (r <= 0) {
    rect(x, y, w, h);
    return;
  }
  constexpr double pi = std::numbers::pi;
  new_sub_path();
  arc(x + w - r, y + r, r, -pi / 2, 0);
  arc(x + w - r, y + h - r, r, 0, pi / 2);
  arc(x + r, y + h - r, r, pi / 2, pi);
  arc(x + r, y + r, r, pi, 3 * pi / 2);
  close();
}

}  // namespace sdc
