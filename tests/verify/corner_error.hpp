// Test helper: how far a located card's corners are from the truth. Header-only, shared by the
// verify tests.
#pragma once

#include <sdc/verify.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace sdc::test {

/// The largest distance between the found corners and `truth` (top-left, top-right, bottom-right,
/// bottom-left; any point type with x and y, in ImagePoint's convention: pixel centres at +0.5).
template <class Pt>
double corner_error(const CardLocation& l, const std::array<Pt, 4>& truth) {
  double e = 0;
  for (std::size_t i = 0; i < 4; ++i)
    e = std::max(e, std::hypot(l.corners[i].x - truth[i].x, l.corners[i].y - truth[i].y));
  return e;
}

/// The same, up to the 180° turn locate_card leaves open.
template <class Pt>
double corner_error_either(const CardLocation& l, std::array<Pt, 4> truth) {
  const double a = corner_error(l, truth);
  std::rotate(truth.begin(), truth.begin() + 2, truth.end());
  return std::min(a, corner_error(l, truth));
}

}  // namespace sdc::test
