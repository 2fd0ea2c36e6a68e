#include <sdc/render.hpp>
#include <sdc/text.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "core/same_owner.hpp"
#include "render/canvas_cairo.hpp"
#include "render/render_planes.hpp"
#include "text/draw_cairo.hpp"

namespace sdc {

namespace {

constexpr Ink kInks[] = {Ink::process, Ink::k, Ink::uv, Ink::overlay};
constexpr std::int64_t kMaxPixels = 200'000'000;

/// One Cairo surface per ink; process is ARGB32 on the card's background, the others A8.
struct Surfaces {
  cairo_surface_t* s[4] = {};
  int w = 0, h = 0;
  Surfaces() = default;
  Surfaces(const Surfaces&) = delete;
  Surfaces& operator=(const Surfaces&) = delete;
  ~Surfaces() { reset(); }
  void reset() {
    for (auto*& x : s) {
      if (x) cairo_surface_destroy(x);
      x = nullptr;
    }
    w = h = 0;
  }
  /// Keeps the surfaces when they already have this size, else creates them.
  bool fit(int width, int height) { return (w == width && h == height && s[0]) || create(width, height); }
  bool create(int width, int height) {
    reset();
    w = width, h = height;
    s[0] = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    for (int i = 1; i < 4; ++i) s[i] = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
    for (auto* x : s)
      if (cairo_surface_status(x) != CAIRO_STATUS_SUCCESS) return false;
    return true;
  }
  /// Clears the planes `use` asks for to no ink; the process plane too (to transparent, for a
  /// layer) when `process`, else it is left to be painted over.
  void clear(const bool (&use)[4], bool process = false) {
    for (int i = process ? 0 : 1; i < 4; ++i) {
      if (!use[i]) continue;
      cairo_surface_flush(s[i]);
      std::memset(cairo_image_surface_get_data(s[i]), 0,
                  static_cast<std::size_t>(cairo_image_surface_get_stride(s[i])) * h);
      cairo_surface_mark_dirty(s[i]);
    }
  }
  /// Composites each layer `use` asks for over this surface of its ink (pixel for pixel, OVER).
  void composite_from(const Surfaces& layers, const bool (&use)[4]) {
    for (int i = 0; i < 4; ++i) {
      if (!use[i]) continue;
      cairo_t* cr = cairo_create(s[i]);
      cairo_set_source_surface(cr, layers.s[i], 0, 0);
      cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
      cairo_paint(cr);
      cairo_destroy(cr);
      cairo_surface_flush(s[i]);
    }
  }
  void copy_from(const Surfaces& o, const bool (&use)[4]) {
    for (int i = 0; i < 4; ++i) {
      if (!use[i]) continue;
      cairo_surface_flush(o.s[i]);
      cairo_surface_flush(s[i]);
      std::memcpy(cairo_image_surface_get_data(s[i]), cairo_image_surface_get_data(o.s[i]),
                  static_cast<std::size_t>(cairo_image_surface_get_stride(o.s[i])) * h);
      cairo_surface_mark_dirty(s[i]);
    }
  }
};

/// A Cairo context on a plane with user space in mm, origin at the trim box's top-left.
cairo_t* mm_context(cairo_surface_t* s, Dpi dpi, const SideGeometry& g) {
  cairo_t* cr = cairo_create(s);
  const double k = dpi.px_per_mm();
  cairo_scale(cr, k, k);
  cairo_translate(cr, g.bleed.v, g.bleed.v);
  cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY);
  return cr;
}

// Draws, on each ink's surface that `use` asks for, that ink's items with index in
// [first[i], last[i]).
using InkEnds = std::array<std::size_t, 4>;  // one item index per ink, in kInks order

Status draw_range(Surfaces& sf, const SideDisplay& side, const SideGeometry& g, Dpi dpi, const InkEnds& first,
                  const InkEnds& last, bool paint_background, const bool (&use)[4],
                  detail::GlyphPathCache* glyph_paths = nullptr) {
  const detail::CanvasOptions opt{dpi, false, glyph_paths};
  for (int i = 0; i < 4; ++i) {
    if (!use[i]) continue;
    cairo_t* cr = mm_context(sf.s[i], dpi, g);
    if (paint_background && i == 0) {
      const auto bg = side.background;
      cairo_save(cr);
      cairo_identity_matrix(cr);
      cairo_set_source_rgb(cr, bg.r, bg.g, bg.b);
      cairo_paint(cr);
      cairo_restore(cr);
    }
    Status st = detail::draw_items(cr, side, kInks[i], opt, first[static_cast<std::size_t>(i)],
                                   last[static_cast<std::size_t>(i)]);
    cairo_destroy(cr);
    cairo_surface_flush(sf.s[i]);
    SDC_TRY(std::move(st));
  }
  return {};
}

// Per ink, where its static layer ends: the index of the ink's first personal item (the item
// count when it has none). Each ink is drawn on its own surface, so an ink's items before its
// first personal one are the same on every card, even when a personal item of another ink comes
// earlier in the side (a UV figure or the varnish above the photo): those are drawn once too.
// The side's static_prefix (every ink's static part) is never after any of these.
InkEnds static_ends(const SideDisplay& d) {
  InkEnds end;
  end.fill(d.items.size());
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    auto& e = end[static_cast<std::size_t>(d.items[i]->ink)];
    if (d.items[i]->personal && e == d.items.size()) e = i;
  }
  return end;
}

// Per ink, where its trailing static run starts: the index after the ink's last personal item,
// when static items of that ink follow it; the item count otherwise (no run). That run (the
// border microtext and the SPECIMEN mark over the data, say) is the same on every card too, but
// it must cover the personal items under it: it is drawn once into a transparent layer of the
// ink's format and composited over them, on every render, cached or not (so both give the same
// bytes).
InkEnds static_tails(const SideDisplay& d) {
  const std::size_t n = d.items.size();
  InkEnds tail;
  tail.fill(n);
  std::array<bool, 4> personal{}, after{};  // per ink: a personal item seen; static items after the last
  for (std::size_t i = 0; i < n; ++i) {
    const auto ink = static_cast<std::size_t>(d.items[i]->ink);
    if (d.items[i]->personal) {
      personal[ink] = true;
      after[ink] = false;
      tail[ink] = i + 1;
    } else if (personal[ink]) {
      after[ink] = true;
    }
  }
  for (std::size_t k = 0; k < 4; ++k)
    if (!after[k]) tail[k] = n;
  return tail;
}

/// The process surface (premultiplied ARGB32 on an opaque background) as rgb8 rows.
void argb_to_rgb(cairo_surface_t* s, std::uint8_t* out, std::ptrdiff_t out_stride) {
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  for (int y = 0; y < h; ++y) {
    const auto* src = reinterpret_cast<const std::uint32_t*>(d + static_cast<std::ptrdiff_t>(y) * stride);
    std::uint8_t* dst = out + y * out_stride;
    for (int x = 0; x < w; ++x) {
      const std::uint32_t p = src[x];
      const std::uint32_t a = p >> 24;
      if (a == 255) {  // the usual case: (c * 255 + 127) / 255 == c, without three divisions
        dst[3 * x] = static_cast<std::uint8_t>(p >> 16);
        dst[3 * x + 1] = static_cast<std::uint8_t>(p >> 8);
        dst[3 * x + 2] = static_cast<std::uint8_t>(p);
        continue;
      }
      // The background is opaque, so a == 255 in practice; un-premultiply defensively.
      auto ch = [a](std::uint32_t c) {
        return static_cast<std::uint8_t>(a == 0 ? 255 : std::min(255u, (c * 255 + a / 2) / a));
      };
      dst[3 * x] = ch((p >> 16) & 255);
      dst[3 * x + 1] = ch((p >> 8) & 255);
      dst[3 * x + 2] = ch(p & 255);
    }
  }
}

void a8_to_gray(cairo_surface_t* s, std::uint8_t* out, std::ptrdiff_t out_stride) {
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  for (int y = 0; y < h; ++y)
    std::memcpy(out + y * out_stride, d + static_cast<std::ptrdiff_t>(y) * stride, static_cast<std::size_t>(w));
}

Error no_surfaces() {
  return Error(Errc::limit_exceeded, "cannot allocate the render surfaces.", "use a lower dpi.");
}

}  // namespace

struct Renderer::Impl {
  FontSet fonts;
  RendererConfig config;
  // Static-layer cache: key (the side's static_key: template content, issuer seed, side and
  // composition dpi; each ink's static end, see static_ends; the render dpi) -> surfaces with
  // each ink's static items drawn.
  struct Entry {
    std::string static_key;
    std::array<std::size_t, 4> ends;
    int dpi;
    std::shared_ptr<Surfaces> layers;
    std::shared_ptr<Surfaces> tails;  // the trailing static runs' layers (see static_tails); may be null
  };
  mutable std::mutex mu;
  mutable std::list<Entry> cache;  // most recently used first
};

Result<Renderer> Renderer::create(const FontSet& fonts, const RendererConfig& config) {
  auto impl = std::make_shared<Impl>();
  impl->fonts = fonts;
  impl->config = config;
  Renderer r;
  r.impl_ = std::move(impl);
  return r;
}

struct RenderScratch::Impl {
  Surfaces surfaces;
  // Static layers this scratch has used, so that a worker finds them again without taking the
  // renderer's lock (it holds a reference: an entry evicted from the renderer stays valid here).
  struct Seen {
    std::weak_ptr<const void> renderer;
    std::string static_key;
    std::array<std::size_t, 4> ends;
    int dpi;
    std::shared_ptr<Surfaces> layers;
    std::shared_ptr<Surfaces> tails;
  };
  static constexpr std::size_t kMaxSeen = 4;
  Surfaces tails;        // the trailing static runs' layers when nothing is cached
  std::list<Seen> seen;  // most recently used first
  detail::GlyphPathCache glyph_paths;
};
RenderScratch::RenderScratch() : impl_(std::make_unique<Impl>()) {}
RenderScratch::~RenderScratch() = default;
RenderScratch::RenderScratch(RenderScratch&&) noexcept = default;
RenderScratch& RenderScratch::operator=(RenderScratch&&) noexcept = default;

PxSize Renderer::plane_size(const Card& card, Dpi dpi) noexcept {
  const auto g = card.geometry();
  return {to_px(g.bleed_box().w, dpi).v, to_px(g.bleed_box().h, dpi).v};
}

Result<RenderInfo> Renderer::render_into(const Card& card, Side side, const RenderOptions& options,
                                         const PlanesView& out, RenderScratch& scratch) const {
  if (!impl_) return Error(Errc::invalid_argument, "the Renderer is empty.", "create it with Renderer::create().");
  if (card.empty()) return Error(Errc::invalid_argument, "the card is empty.", "compose it first.");
  if (options.dpi.v < 72 || options.dpi.v > 2400)
    return Error(Errc::invalid_argument, "dpi " + std::to_string(options.dpi.v) + " is outside 72 to 2400.",
                 "choose 150 for previews, 300 or 600 for printing.");
  if (!card.has_side(side))
    return Error(Errc::invalid_argument, std::string("the card's template has no ") + to_string(side) + " side.",
                 "render the side the template defines.");
  const SideDisplay& d = card.display(side);
  const auto g = card.geometry();
  const PxSize size = plane_size(card, options.dpi);
  const int w = size.w, h = size.h;
  if (static_cast<std::int64_t>(w) * h > kMaxPixels)
    return Error(Errc::limit_exceeded,
                 "the side would be " + std::to_string(w) + " x " + std::to_string(h) + " pixels.", "use a lower dpi.");
  if (out.width != w || out.height != h)
    return Error(Errc::invalid_argument,
                 "the planes are " + std::to_string(out.width) + " x " + std::to_string(out.height) +
                     " pixels; the side needs " + std::to_string(w) + " x " + std::to_string(h) + ".",
                 "size the buffers with Renderer::plane_size().");
  std::uint8_t* planes[4] = {out.process, out.k, out.uv, out.overlay};
  std::ptrdiff_t strides[4] = {out.process_stride, out.k_stride, out.uv_stride, out.overlay_stride};
  for (int i = 0; i < 4; ++i) {
    const std::ptrdiff_t row = static_cast<std::ptrdiff_t>(w) * (i == 0 ? 3 : 1);
    if (strides[i] == 0) strides[i] = row;
    if (planes[i] && strides[i] < row)
      return Error(Errc::invalid_argument,
                   std::string("the ") + to_string(kInks[i]) + " plane's stride is shorter than a row.",
                   "give a stride of at least width * bytes per pixel, or 0 for packed rows.");
  }

  RenderInfo info;
  info.side = side;
  info.dpi = options.dpi;
  info.trim = PxRect{to_px(g.bleed, options.dpi).v, to_px(g.bleed, options.dpi).v, to_px(g.trim().w, options.dpi).v,
                     to_px(g.trim().h, options.dpi).v};
  bool use[4] = {true, false, false, false};  // process always: the card stock is on it
  for (const auto& it : d.items) use[static_cast<int>(it->ink)] = true;
  for (int i = 0; i < 4; ++i) info.uses_ink[i] = use[i];
  bool draw[4];
  for (int i = 0; i < 4; ++i) draw[i] = use[i] && planes[i] != nullptr;

  Surfaces& sf = scratch.impl_->surfaces;
  if (!sf.fit(w, h)) return no_surfaces();

  const InkEnds ends = static_ends(d), tails = static_tails(d);
  constexpr std::size_t kAll = static_cast<std::size_t>(-1);
  constexpr InkEnds kNone{0, 0, 0, 0}, kToEnd{kAll, kAll, kAll, kAll};
  bool has_tail[4], draw_tail[4];  // the side's inks with a trailing static run; those drawn here
  for (int i = 0; i < 4; ++i) {
    has_tail[i] = use[i] && tails[static_cast<std::size_t>(i)] < d.items.size();
    draw_tail[i] = has_tail[i] && draw[i];
  }
  const bool any_tail = std::any_of(std::begin(has_tail), std::end(has_tail), [](bool b) { return b; });
  const bool any_static = std::any_of(ends.begin(), ends.end(), [](std::size_t e) { return e > 0; });
  const bool use_cache = impl_->config.cache_entries > 0 && any_static && !d.static_key.empty();
  std::shared_ptr<Surfaces> cached, cached_tails;
  auto& seen = scratch.impl_->seen;
  const auto same_renderer = [this](const std::weak_ptr<const void>& r) { return detail::same_owner(r, impl_); };
  if (use_cache) {
    for (auto it = seen.begin(); it != seen.end(); ++it) {
      if (it->static_key == d.static_key && it->ends == ends && it->dpi == options.dpi.v &&
          same_renderer(it->renderer)) {
        seen.splice(seen.begin(), seen, it);
        cached = it->layers;
        cached_tails = it->tails;
        break;
      }
    }
  }
  if (use_cache && !cached) {
    std::lock_guard lock(impl_->mu);
    for (auto it = impl_->cache.begin(); it != impl_->cache.end(); ++it) {
      if (it->static_key == d.static_key && it->ends == ends && it->dpi == options.dpi.v) {
        impl_->cache.splice(impl_->cache.begin(), impl_->cache, it);
        cached = it->layers;
        cached_tails = it->tails;
        break;
      }
    }
  }
  if (use_cache) {
    if (!cached) {
      // Drawn for every ink the side uses, whatever this caller wants: the layers are shared.
      auto layers = std::make_shared<Surfaces>();
      if (!layers->create(w, h)) return no_surfaces();
      SDC_TRY(draw_range(*layers, d, g, options.dpi, kNone, ends, true, use));
      std::shared_ptr<Surfaces> tail_layers;
      if (any_tail) {
        tail_layers = std::make_shared<Surfaces>();
        if (!tail_layers->create(w, h)) return no_surfaces();
        tail_layers->clear(has_tail, true);
        SDC_TRY(draw_range(*tail_layers, d, g, options.dpi, tails, kToEnd, false, has_tail));
      }
      std::lock_guard lock(impl_->mu);
      impl_->cache.push_front({d.static_key, ends, options.dpi.v, layers, tail_layers});
      while (impl_->cache.size() > impl_->config.cache_entries) impl_->cache.pop_back();
      cached = std::move(layers);
      cached_tails = std::move(tail_layers);
    }
    if (seen.empty() || seen.front().layers != cached) {
      seen.push_front({impl_, d.static_key, ends, options.dpi.v, cached, cached_tails});
      if (seen.size() > RenderScratch::Impl::kMaxSeen) seen.pop_back();
    }
    sf.copy_from(*cached, draw);
    SDC_TRY(draw_range(sf, d, g, options.dpi, ends, tails, false, draw, &scratch.impl_->glyph_paths));
    if (any_tail) sf.composite_from(*cached_tails, draw_tail);
  } else {
    sf.clear(draw);
    SDC_TRY(draw_range(sf, d, g, options.dpi, kNone, tails, true, draw, &scratch.impl_->glyph_paths));
    if (any_tail) {
      Surfaces& t = scratch.impl_->tails;
      if (!t.fit(w, h)) return no_surfaces();
      t.clear(draw_tail, true);
      SDC_TRY(draw_range(t, d, g, options.dpi, tails, kToEnd, false, draw_tail, &scratch.impl_->glyph_paths));
      sf.composite_from(t, draw_tail);
    }
  }

  for (int i = 0; i < 4; ++i) {
    if (!planes[i]) continue;
    if (draw[i]) {
      i == 0 ? argb_to_rgb(sf.s[0], planes[0], strides[0]) : a8_to_gray(sf.s[i], planes[i], strides[i]);
    } else {
      for (int y = 0; y < h; ++y) std::memset(planes[i] + y * strides[i], 0, static_cast<std::size_t>(w));
    }
  }
  return info;
}

namespace detail {

Status render_reusing(const Renderer& renderer, const Card& card, Side side, const RenderOptions& options,
                      RenderScratch& scratch, Planes& p) {
  if (card.empty()) return Error(Errc::invalid_argument, "the card is empty.", "compose it first.");
  const PxSize size = Renderer::plane_size(card, options.dpi);
  if (options.dpi.v < 72 || options.dpi.v > 2400 || static_cast<std::int64_t>(size.w) * size.h > kMaxPixels) {
    RenderScratch none;  // render_into reports the error
    return renderer.render_into(card, side, options, PlanesView{}, none).error();
  }
  // Only the inks the side prints get a plane; the others stay empty (zero coverage).
  bool use[4] = {true, false, false, false};
  if (card.has_side(side))
    for (const auto& it : card.display(side).items) use[static_cast<int>(it->ink)] = true;
  Image* planes[4] = {&p.process, &p.k, &p.uv, &p.overlay};
  for (int i = 0; i < 4; ++i) {
    const PixelFormat f = i == 0 ? PixelFormat::rgb8 : PixelFormat::gray8;
    if (!use[i])
      *planes[i] = Image();
    else if (planes[i]->width() != size.w || planes[i]->height() != size.h || planes[i]->format() != f)
      *planes[i] = Image(size.w, size.h, f);
  }
  const PlanesView view{.width = size.w,
                        .height = size.h,
                        .process = p.process.data(),
                        .k = use[1] ? p.k.data() : nullptr,
                        .uv = use[2] ? p.uv.data() : nullptr,
                        .overlay = use[3] ? p.overlay.data() : nullptr};
  SDC_TRY_ASSIGN(const RenderInfo info, renderer.render_into(card, side, options, view, scratch));
  p.side = side;
  p.dpi = options.dpi;
  p.geometry = card.geometry();
  p.trim = info.trim;
  for (Image* im : planes)
    if (!im->empty()) im->set_dpi(options.dpi);
  return {};
}

}  // namespace detail

Result<Planes> Renderer::render(const Card& card, Side side, const RenderOptions& options) const {
  Planes p;
  RenderScratch scratch;
  SDC_TRY(detail::render_reusing(*this, card, side, options, scratch, p));
  return p;
}

Image composite(const Planes& p, bool show_uv) {
  Image out = Image::copy_of(p.process.view());
  out.set_dpi(p.dpi);
  // Under a UV lamp in a dim room the card stock and process inks look dark violet and the UV ink
  // glows: dim the daylight colours, then add the glow by UV coverage.
  static constexpr unsigned glow[3] = {150, 110, 255};
  // An absent (empty) or mis-sized ink plane is no ink.
  const auto usable = [&](const Image& im) {
    return !im.empty() && im.width() == out.width() && im.height() == out.height() && im.format() == PixelFormat::gray8;
  };
  const bool has_k = usable(p.k), has_uv = usable(p.uv);
  for (int y = 0; y < out.height(); ++y) {
    std::uint8_t* d = out.row(y);
    const std::uint8_t* k = has_k ? p.k.row(y) : nullptr;
    const std::uint8_t* uv = has_uv ? p.uv.row(y) : nullptr;
    for (int x = 0; x < out.width(); ++x) {
      for (int c = 0; c < 3; ++c) {
        unsigned v = d[3 * x + c];
        if (show_uv) {
          v = v * 30 / 255 + (c == 2 ? 25u : 10u);
          if (uv) v = std::min(255u, v + glow[c] * uv[x] / 255);
        }
        if (k) v = v * (255u - k[x]) / 255u;  // K multiplies
        d[3 * x + c] = static_cast<std::uint8_t>(v);
      }
    }
  }
  return out;
}

Result<Image> Renderer::preview(const Card& card, const Planes& planes, const PreviewOptions& options) const {
  if (!impl_) return Error(Errc::invalid_argument, "the Renderer is empty.", "create it with Renderer::create().");
  Image base = composite(planes, options.show_uv);
  if (!options.overlays || card.empty()) return base;

  // Draw the overlays on an ARGB32 copy.
  const int w = base.width(), h = base.height();
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  const int stride = cairo_image_surface_get_stride(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    const std::uint8_t* src = base.row(y);
    for (int x = 0; x < w; ++x)
      row[x] =
          (0xFFu << 24) | (std::uint32_t{src[3 * x]} << 16) | (std::uint32_t{src[3 * x + 1]} << 8) | src[3 * x + 2];
  }
  cairo_surface_mark_dirty(s);
  cairo_t* cr = mm_context(s, planes.dpi, planes.geometry);
  const auto g = planes.geometry;
  const double px = 1.0 / planes.dpi.px_per_mm();  // one device pixel in mm
  auto box = [&](const MmRect& r, double red, double green, double blue, bool dashed) {
    cairo_rectangle(cr, r.x.v, r.y.v, r.w.v, r.h.v);
    cairo_set_source_rgba(cr, red, green, blue, 0.9);
    cairo_set_line_width(cr, std::max(px, 0.12));
    if (dashed) {
      const double d[] = {1.0, 0.6};
      cairo_set_dash(cr, d, 2, 0);
    } else {
      cairo_set_dash(cr, nullptr, 0, 0);
    }
    cairo_stroke(cr);
  };
  box(g.bleed_box(), 0.9, 0.1, 0.1, true);
  box(g.trim_box(), 0.1, 0.1, 0.9, false);
  box(g.safe_box(), 0.1, 0.7, 0.1, true);
  for (const auto& it : card.items(planes.side)) {
    const bool personal = it.personal;
    box(it.box, personal ? 0.85 : 0.6, personal ? 0.1 : 0.3, personal ? 0.6 : 0.9, false);
    auto label = shape_text(impl_->fonts, it.name, TextStyle{.family = "Noto Sans", .size = Pt{4.5}});
    if (label) {
      const double lw = label->box.w.v + 0.4, lh = label->box.h.v + 0.2;
      cairo_rectangle(cr, it.box.x.v, it.box.y.v, lw, lh);
      cairo_set_source_rgba(cr, 1, 1, 1, 0.75);
      cairo_fill(cr);
      cairo_set_source_rgba(cr, personal ? 0.6 : 0.3, 0.0, personal ? 0.4 : 0.7, 1);
      detail::draw_text(cr, impl_->fonts, *label, it.box.x.v + 0.2, it.box.y.v + 0.1);
    }
  }
  cairo_destroy(cr);
  cairo_surface_flush(s);
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    std::uint8_t* dst = base.row(y);
    for (int x = 0; x < w; ++x) {
      dst[3 * x] = static_cast<std::uint8_t>(row[x] >> 16);
      dst[3 * x + 1] = static_cast<std::uint8_t>(row[x] >> 8);
      dst[3 * x + 2] = static_cast<std::uint8_t>(row[x]);
    }
  }
  cairo_surface_destroy(s);
  return base;
}

}  // namespace sdc
