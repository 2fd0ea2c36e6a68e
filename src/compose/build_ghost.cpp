// Photo-based security elements: the ghost image (lightened or line-screened) and the
// line-modulated main photo, from the portrait re-cropped about its centre to the element's aspect.
#include <sdc/photo.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "compose/builders.hpp"

namespace sdc::detail {

namespace {

/// The largest centred part of `img` with the aspect of `box` (a view into it).
ImageView crop_to_aspect(const Image& img, const MmRect& box) {
  const double want = box.w.v / box.h.v, have = static_cast<double>(img.width()) / img.height();
  PxRect r{0, 0, img.width(), img.height()};
  if (have > want) {
    r.w = std::max(1, static_cast<int>(std::lround(img.height() * want)));
    r.x = (img.width() - r.w) / 2;
  } else {
    r.h = std::max(1, static_cast<int>(std::lround(img.width() / want)));
    r.y = (img.height() - r.h) / 2;
  }
  return img.view().cropped(r);
}

}  // namespace

BuildResult build_ghost(const ElementSpec& e, const ComposeEnv& env) {
  SDC_TRY_ASSIGN(const GhostElement* s, expect_spec<GhostElement>(e));
  const auto& c = e.common;
  const auto& b = c.box;
  if (!env.portrait || env.portrait->empty())
    return c.error(Errc::internal, "no portrait was prepared for the " + c.type + " element.", "report this as a bug.");
  const ImageView crop = crop_to_aspect(*env.portrait, b);
  if (s->mode == GhostElement::Mode::lighten) {
    // Made at the size it is printed at the composition dpi (never larger than the portrait's
    // part), so neither this nor the renderer handles more pixels than are printed.
    GhostOptions go = s->ghost;
    go.width = std::clamp(to_px(b.w, env.dpi).v, 1, crop.width());
    go.height = std::clamp(to_px(b.h, env.dpi).v, 1, crop.height());
    const Image g = ghost_image(crop, go);
    if (g.empty())
      return c.error(Errc::bad_image, "the portrait cannot be made into a ghost image.", "use an RGB photo.");
    // Ink amount = 255 - grey, in the element's colour (for UV and overlay only the amount counts).
    auto rgba = std::make_shared<Image>(g.width(), g.height(), PixelFormat::rgba8);
    const auto cr = static_cast<std::uint8_t>(std::lround(s->color.r * 255)),
               cg = static_cast<std::uint8_t>(std::lround(s->color.g * 255)),
               cb = static_cast<std::uint8_t>(std::lround(s->color.b * 255));
    std::array<std::uint8_t, 256> alpha{};  // by grey value
    for (int v = 0; v < 256; ++v)
      alpha[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(std::lround((255 - v) * s->color.a));
    for (int y = 0; y < g.height(); ++y) {
      const std::uint8_t* src = g.row(y);
      std::uint8_t* dst = rgba->row(y);
      for (int x = 0; x < g.width(); ++x) {
        dst[4 * x] = cr, dst[4 * x + 1] = cg, dst[4 * x + 2] = cb;
        dst[4 * x + 3] = alpha[src[x]];
      }
    }
    return ImageItem{.image = std::move(rgba), .dest = b, .clip = std::nullopt};
  }
  // Traced at the composition dpi; where a finer dpi exceeds the point limit, the 600 dpi geometry
  // (vector, so still sharp) is used.
  LineScreenOptions o = s->lines;
  o.dpi = env.dpi;
  auto strokes = line_screen(crop, MmSize{b.w, b.h}, o);
  if (!strokes && env.dpi.v > 600) {
    o.dpi = Dpi{600};
    strokes = line_screen(crop, MmSize{b.w, b.h}, o);
  }
  if (!strokes) return c.locate(std::move(strokes).error(), "element '" + c.name + "': ");
  PathItem item;
  item.clip.emplace();
  item.clip->rect(b.x.v, b.y.v, b.w.v, b.h.v);
  PathDraw d;
  for (const auto& st : *strokes) {
    if (st.outline.size() < 3) continue;
    d.path.move_to(b.x.v + st.outline[0].x.v, b.y.v + st.outline[0].y.v);
    for (std::size_t k = 1; k < st.outline.size(); ++k)
      d.path.line_to(b.x.v + st.outline[k].x.v, b.y.v + st.outline[k].y.v);
    d.path.close();
  }
  d.fill = Paint{.color = s->color};
  item.draws.push_back(std::move(d));
  return item;
}

}  // namespace sdc::detail
