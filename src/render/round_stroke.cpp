#include "render/round_stroke.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sdc::detail {

namespace {

// Long segments are walked in pieces of at most this many pixels, so that each piece's bounding
// box holds few pixels the stroke misses (the union of the pieces' capsules is the segment's).
constexpr double kPiece = 4.0;

// Clips the segment p + t d, t in [0, 1], to the box [x0, x1] x [y0, y1] (Liang and Barsky).
// Returns false when nothing of it is inside; otherwise narrows [t0, t1].
bool clip_segment(double px, double py, double dx, double dy, double x0, double y0, double x1, double y1, double& t0,
                  double& t1) {
  t0 = 0, t1 = 1;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {px - x0, x1 - px, py - y0, y1 - py};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

struct Stroke {
  double r, reach, reach2;
  int width, height;
  std::uint8_t* mask;
  std::ptrdiff_t stride;

  // One piece from (ax, ay) to (bx, by), in the area's own pixels.
  void piece(double ax, double ay, double bx, double by) const {
    const int px0 = std::max(0, static_cast<int>(std::ceil(std::min(ax, bx) - reach - 0.5)));
    const int px1 = std::min(width - 1, static_cast<int>(std::floor(std::max(ax, bx) + reach - 0.5)));
    const int py0 = std::max(0, static_cast<int>(std::ceil(std::min(ay, by) - reach - 0.5)));
    const int py1 = std::min(height - 1, static_cast<int>(std::floor(std::max(ay, by) + reach - 0.5)));
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const double inv = len2 > 0 ? 1.0 / len2 : 0.0;
    for (int y = py0; y <= py1; ++y) {
      const double cy = y + 0.5 - ay;
      std::uint8_t* row = mask + y * stride;
      for (int x = px0; x <= px1; ++x) {
        const double cx = x + 0.5 - ax;
        const double t = std::clamp((cx * dx + cy * dy) * inv, 0.0, 1.0);
        const double ex = cx - t * dx, ey = cy - t * dy, d2 = ex * ex + ey * ey;
        if (d2 >= reach2) continue;
        const double d = std::sqrt(d2);
        // The stroke's cross-section [d - r, d + r] seen through the pixel's [-0.5, 0.5].
        const double cover = std::clamp(std::min(d + r, 0.5) - std::max(d - r, -0.5), 0.0, 1.0);
        const auto v = static_cast<std::uint8_t>(cover * 255.0 + 0.5);
        if (v > row[x]) row[x] = v;
      }
    }
  }
};

}  // namespace

void round_stroke_coverage(std::span<const StrokeSegment> segments, double half_width, PixelArea area,
                           std::uint8_t* mask, std::ptrdiff_t stride) {
  if (area.width <= 0 || area.height <= 0) return;
  for (int y = 0; y < area.height; ++y) std::memset(mask + y * stride, 0, static_cast<std::size_t>(area.width));
  if (!(half_width > 0)) return;
  const double reach = half_width + 0.5;
  const Stroke s{half_width, reach, reach * reach, area.width, area.height, mask, stride};
  // Only the part of a segment within `reach` of the area can touch it.
  const double x0 = -reach, y0 = -reach, x1 = area.width + reach, y1 = area.height + reach;
  for (const auto& g : segments) {
    const double px = g.x0 - area.x, py = g.y0 - area.y;
    const double dx = g.x1 - g.x0, dy = g.y1 - g.y0;
    double t0, t1;
    if (!clip_segment(px, py, dx, dy, x0, y0, x1, y1, t0, t1)) continue;
    const double ax = px + t0 * dx, ay = py + t0 * dy;
    const double cdx = (t1 - t0) * dx, cdy = (t1 - t0) * dy;
    const int n = std::max(1, static_cast<int>(std::ceil(std::hypot(cdx, cdy) / kPiece)));
    for (int k = 0; k < n; ++k) {
      const double u0 = static_cast<double>(k) / n, u1 = static_cast<double>(k + 1) / n;
      s.piece(ax + u0 * cdx, ay + u0 * cdy, ax + u1 * cdx, ay + u1 * cdy);
    }
  }
}

}  // namespace sdc::detail
