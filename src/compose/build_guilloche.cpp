// Guilloché: the spec is perturbed by the issuer or personal seed and flattened to polylines at a
// quarter device pixel of the composition dpi.
#include <sdc/guilloche.hpp>

#include <algorithm>

#include "compose/builders.hpp"

namespace sdc::detail {

namespace {

Rgba ramp(const std::vector<Rgba>& stops, double t) {
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(t), stops.size() - 2);
  const double u = t - static_cast<double>(i);
  const Rgba &a = stops[i], &b = stops[i + 1];
  return {a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u, a.a + (b.a - a.a) * u};
}

void add_polyline(Path& p, const GuillochePolyline& pl, std::size_t first, std::size_t last, bool close) {
  p.move_to(pl.points[first].x.v, pl.points[first].y.v);
  for (std::size_t k = first + 1; k <= last; ++k) p.line_to(pl.points[k].x.v, pl.points[k].y.v);
  if (close) p.close();
}

}  // namespace

BuildResult build_guilloche(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const GuillocheElement* g, expect_spec<GuillocheElement>(e));
  const auto& b = e.common.box;
  GuillocheSpec spec = g->spec;
  using S = GuillocheElement::Seed;
  if (g->seed == S::issuer) spec = perturb(g->spec, env.issuer_seed, e.common.name, g->variation);
  if (g->seed == S::personal) spec = perturb(g->spec, env.personal_seed, e.common.name, g->variation);

  // The spec was checked at 1200 dpi when the template was read; past that, coarsen the tolerance
  // rather than exceed the point limit.
  double tol = flattening_tolerance(env.dpi);
  Result<std::vector<GuillochePolyline>> lines = guilloche_polylines(spec, tol, {.max_points = 8'000'000});
  while (!lines && lines.error().code() == Errc::limit_exceeded && tol < 0.5) {
    tol *= 2;
    lines = guilloche_polylines(spec, tol, {.max_points = 8'000'000});
  }
  if (!lines) return e.common.locate(std::move(lines).error(), "guilloche '" + e.common.name + "': ");

  PathItem item;
  using C = GuillocheElement::Clip;
  if (g->clip != C::none) {
    item.clip.emplace();
    switch (g->clip) {
      case C::rect: item.clip->rect(b.x.v, b.y.v, b.w.v, b.h.v); break;
      case C::rounded_rect: item.clip->rounded_rect(b.x.v, b.y.v, b.w.v, b.h.v, g->clip_radius); break;
      default: item.clip->ellipse(b.x.v, b.y.v, b.w.v, b.h.v); break;
    }
  }
  PathDraw style;
  style.stroke_width = g->line_width;
  style.join = LineJoin::round;
  style.cap = LineCap::round;
  if (g->rainbow.size() >= 2 && g->along == GuillocheElement::Along::curve) {
    // Colour follows the curve parameter: short runs, each in its own colour.
    constexpr std::size_t run = 48;
    for (const auto& pl : *lines) {
      for (std::size_t i = 0; i + 1 < pl.points.size(); i += run) {
        const std::size_t end = std::min(i + run, pl.points.size() - 1);
        PathDraw d = style;
        add_polyline(d.path, pl, i, end, false);
        d.stroke = Paint{.color = ramp(g->rainbow, (pl.t[i] + pl.t[end]) / 2.0)};
        item.draws.push_back(std::move(d));
      }
    }
    return item;
  }
  PathDraw d = style;
  for (const auto& pl : *lines) add_polyline(d.path, pl, 0, pl.points.size() - 1, pl.closed);
  Paint paint{.color = g->color};
  if (g->rainbow.size() >= 2) {
    paint.gradient = g->rainbow;
    if (g->along == GuillocheElement::Along::x)
      paint.p0 = {b.x, Mm{0}}, paint.p1 = {b.x + b.w, Mm{0}};
    else
      paint.p0 = {Mm{0}, b.y}, paint.p1 = {Mm{0}, b.y + b.h};
  }
  d.stroke = std::move(paint);
  item.draws.push_back(std::move(d));
  return item;
}

}  // namespace sdc::detail
