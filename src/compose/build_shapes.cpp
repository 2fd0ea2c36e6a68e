// Shapes, the overlay (varnish) mask and template images: static content, built once per template.
#include "compose/builders.hpp"

namespace sdc::detail {

BuildResult build_shape(const ElementSpec& e, const ComposeEnv&) {
  SDC_TRY_ASSIGN(const ShapeElement* s, expect_spec<ShapeElement>(e));
  const auto& b = e.common.box;
  PathDraw d;
  switch (s->kind) {
    case ShapeElement::Kind::rect: d.path.rounded_rect(b.x.v, b.y.v, b.w.v, b.h.v, s->radius); break;
    case ShapeElement::Kind::ellipse: d.path.ellipse(b.x.v, b.y.v, b.w.v, b.h.v); break;
    case ShapeElement::Kind::path: d.path = s->path; break;
  }
  d.fill_rule = s->fill_rule;
  if (s->fill) d.fill = Paint{.color = *s->fill};
  if (s->stroke) d.stroke = Paint{.color = *s->stroke};
  d.stroke_width = s->stroke_width;
  PathItem item;
  item.draws.push_back(std::move(d));
  return item;
}

BuildResult build_overlay(const ElementSpec& e, const ComposeEnv&) {
  SDC_TRY_ASSIGN(const OverlayElement* o, expect_spec<OverlayElement>(e));
  const auto& b = e.common.box;
  PathDraw d;
  d.path.rect(b.x.v, b.y.v, b.w.v, b.h.v);
  // Holes wind the other way (even-odd fill), so overlapping holes stay holes.
  for (const auto& h : o->holes) d.path.rounded_rect(h.x, h.y, h.w, h.h, h.r);
  d.fill_rule = FillRule::even_odd;
  d.fill = Paint{.color = Rgba{0, 0, 0, 1}};
  PathItem item;
  item.draws.push_back(std::move(d));
  return item;
}

BuildResult build_image(const ElementSpec& e, const ComposeEnv&) {
  SDC_TRY_ASSIGN(const ImageElement* s, expect_spec<ImageElement>(e));
  const auto& b = e.common.box;
  double w = b.w.v, h = b.h.v, x = b.x.v, y = b.y.v;
  if (s->fit != ImageElement::Fit::stretch) {
    const double sx = b.w.v / s->image->width(), sy = b.h.v / s->image->height();
    const double k = s->fit == ImageElement::Fit::contain ? std::min(sx, sy) : std::max(sx, sy);
    w = s->image->width() * k, h = s->image->height() * k;
    x = b.x.v + (b.w.v - w) / 2, y = b.y.v + (b.h.v - h) / 2;
  }
  ImageItem item{.image = s->image, .dest = MmRect{Mm{x}, Mm{y}, Mm{w}, Mm{h}}, .clip = Path{}};
  item.clip->rounded_rect(b.x.v, b.y.v, b.w.v, b.h.v, s->radius);
  return item;
}

}  // namespace sdc::detail
