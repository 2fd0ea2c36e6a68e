// Photo-based security elements: the ghost image (a second, lightened or line-screened portrait,
// in process or UV ink) and the line-modulated main photo. Both use the portrait compose cropped,
// re-cropped about its centre to the element's aspect.
#include <sdc/photo.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <mutex>

#include "core/format.hpp"
#include "lint/lintable.hpp"
#include "template/el_security.hpp"
#include "template/elements.hpp"
#include "template/raster.hpp"

namespace sdc::detail {

namespace {

enum class Mode { lighten, lines };

struct GhostSpec {
  Mode mode = Mode::lighten;
  GhostOptions ghost;
  LineScreenOptions lines;
  Rgba color{0.12, 0.2, 0.35, 1};
};

/// The largest centred crop of `img` with the aspect of `box`.
Image crop_to_aspect(const Image& img, const MmRect& box) {
  const double want = box.w.v / box.h.v, have = static_cast<double>(img.width()) / img.height();
  PxRect r{0, 0, img.width(), img.height()};
  if (have > want) {
    r.w = std::max(1, static_cast<int>(std::lround(img.height() * want)));
    r.x = (img.width() - r.w) / 2;
  } else {
    r.h = std::max(1, static_cast<int>(std::lround(img.width() / want)));
    r.y = (img.height() - r.h) / 2;
  }
  return Image::copy_of(img.view().cropped(r));
}

using Strokes = std::vector<LineScreenStroke>;

class GhostRasterItem final : public Item {
 public:
  GhostRasterItem(ElementCommon c, std::shared_ptr<const CairoRaster> r) : Item(std::move(c)), r_(std::move(r)) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    const auto& b = common.box;
    cairo_save(cr);
    transform_to_box(cr, common);
    r_->paint(cr, b.x.v, b.y.v, b.w.v, b.h.v);
    cairo_restore(cr);
  }

 private:
  std::shared_ptr<const CairoRaster> r_;
};

class LineScreenItem final : public Item {
 public:
  LineScreenItem(ElementCommon c, Image portrait, LineScreenOptions opt, Rgba color,
                 std::shared_ptr<const Strokes> at_600)
      : Item(std::move(c)), portrait_(std::move(portrait)), opt_(opt), color_(color) {
    cache_[600] = std::move(at_600);
  }
  void draw(cairo_t* cr, const DrawEnv& env) const override {
    const auto strokes = for_dpi(env.dpi);
    const auto& b = common.box;
    cairo_save(cr);
    transform_to_box(cr, common);
    cairo_rectangle(cr, b.x.v, b.y.v, b.w.v, b.h.v);
    cairo_clip(cr);
    for (const auto& s : *strokes) {
      if (s.outline.size() < 3) continue;
      cairo_move_to(cr, b.x.v + s.outline[0].x.v, b.y.v + s.outline[0].y.v);
      for (std::size_t k = 1; k < s.outline.size(); ++k)
        cairo_line_to(cr, b.x.v + s.outline[k].x.v, b.y.v + s.outline[k].y.v);
      cairo_close_path(cr);
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    set_source(cr, color_);
    cairo_fill(cr);
    cairo_restore(cr);
  }

 private:
  std::shared_ptr<const Strokes> for_dpi(Dpi dpi) const {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(dpi.v); it != cache_.end()) return it->second;
    LineScreenOptions o = opt_;
    o.dpi = dpi;
    auto r = line_screen(portrait_, MmSize{common.box.w, common.box.h}, o);
    // The options were checked at 600 dpi when the card was composed; if a finer dpi exceeds the
    // point limit, the 600 dpi geometry (vector, so still sharp) is used.
    auto s = r ? std::make_shared<const Strokes>(std::move(*r)) : cache_.at(600);
    if (cache_.size() >= 4)  // keep the 600 dpi entry: it is the fallback
      cache_.erase(cache_.begin()->first == 600 ? std::next(cache_.begin()) : cache_.begin());
    cache_[dpi.v] = s;
    return s;
  }

  Image portrait_;
  LineScreenOptions opt_;
  Rgba color_;
  mutable std::mutex mu_;
  mutable std::map<int, std::shared_ptr<const Strokes>> cache_;
};

class GhostElement final : public Element, public Lintable {
 public:
  GhostElement(ElementCommon c, GhostSpec s) : Element(std::move(c)), s_(s) {}
  bool personal() const override { return true; }
  bool needs_portrait() const override { return true; }
  void fields(std::vector<std::string>& out) const override { out.push_back("photo"); }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    if (!env.portrait || env.portrait->empty())
      return error(Errc::internal, "no portrait was prepared for the ghost element.", "report this as a bug.");
    Image crop = crop_to_aspect(*env.portrait, common.box);
    std::shared_ptr<Item> item;
    if (s_.mode == Mode::lighten) {
      const Image g = ghost_image(crop, s_.ghost);
      if (g.empty())
        return error(Errc::bad_image, "the portrait cannot be made into a ghost image.", "use an RGB photo.");
      // Ink amount = 255 - grey, in the element's colour (for UV and overlay only the amount counts).
      Image rgba(g.width(), g.height(), PixelFormat::rgba8);
      const auto cr = static_cast<std::uint8_t>(std::lround(s_.color.r * 255)),
                 cg = static_cast<std::uint8_t>(std::lround(s_.color.g * 255)),
                 cb = static_cast<std::uint8_t>(std::lround(s_.color.b * 255));
      for (int y = 0; y < g.height(); ++y) {
        const std::uint8_t* src = g.row(y);
        std::uint8_t* dst = rgba.row(y);
        for (int x = 0; x < g.width(); ++x) {
          dst[4 * x] = cr, dst[4 * x + 1] = cg, dst[4 * x + 2] = cb;
          dst[4 * x + 3] = static_cast<std::uint8_t>(std::lround((255 - src[x]) * s_.color.a));
        }
      }
      item = std::make_shared<GhostRasterItem>(common, std::make_shared<const CairoRaster>(rgba.view()));
    } else {
      LineScreenOptions o = s_.lines;
      o.dpi = Dpi{600};
      auto strokes = line_screen(crop, MmSize{common.box.w, common.box.h}, o);
      if (!strokes) {
        Error e = std::move(strokes).error();
        return error(e.code(), "element '" + common.name + "': " + e.message(), e.hint());
      }
      item = std::make_shared<LineScreenItem>(common, std::move(crop), s_.lines, s_.color,
                                              std::make_shared<const Strokes>(std::move(*strokes)));
    }
    item->personal = true;
    return std::shared_ptr<const Item>(std::move(item));
  }
  void lint(Dpi dpi, std::vector<LintWarning>& out) const override {
    if (s_.mode != Mode::lines) return;
    const double px = 25.4 / dpi.v;
    if (s_.lines.pitch_mm < 2 * px)
      out.push_back(
          {common.name, common.side, "pitch",
           "line-screen pitch " + format_number(s_.lines.pitch_mm) + " mm is under two device pixels at " +
               std::to_string(dpi.v) + " dpi: lines and gaps cannot both be printed.",
           "raise 'pitch' to " + format_number(std::ceil(2 * px * 1000) / 1000) + " mm or print at a higher dpi."});
  }

 private:
  GhostSpec s_;
};

Result<std::shared_ptr<const Element>> parse_photo_common(JsonReader& r, ElementCommon c, bool main_photo) {
  GhostSpec s;
  auto mode = r.choice("mode", {"lighten", "lines"}, std::string(main_photo ? "lines" : "lighten"));
  if (!mode) return std::move(mode).error();
  if (main_photo && *mode != "lines")
    return r.error("mode", "a photo_lines element is always line-screened.", "remove 'mode', or use a ghost element.");
  s.mode = *mode == "lighten" ? Mode::lighten : Mode::lines;
  if (c.ink == Ink::k || c.ink == Ink::overlay)
    return r.error(
        "ink",
        std::string("a ") + (main_photo ? "line-modulated photo" : "ghost image") + " prints in process or UV ink.",
        "set \"ink\": \"process\" or \"uv\".");
  auto color = r.color("color", main_photo ? Rgba{0.08, 0.1, 0.14, 1} : Rgba{0.12, 0.2, 0.35, 1});
  if (!color) return std::move(color).error();
  s.color = *color;
  if (s.mode == Mode::lighten) {
    auto l = r.number("lightness", 0, 0.95, 0.6, "(0 to 0.95)");
    if (!l) return std::move(l).error();
    s.ghost.lightness = *l;
    auto v = r.number("vignette", 0, 0.5, 0.12, "(fraction of the shorter side)");
    if (!v) return std::move(v).error();
    s.ghost.vignette = *v;
    return std::shared_ptr<const Element>(std::make_shared<GhostElement>(std::move(c), s));
  }
  auto& o = s.lines;
  struct Num {
    const char* key;
    double lo, hi, def;
    double* out;
    const char* unit;
  };
  const Num nums[] = {
      {"pitch", 0.05, 5, main_photo ? 0.3 : 0.35, &o.pitch_mm, "mm"},
      {"max_width", 0.01, 5, main_photo ? 0.27 : 0.22, &o.max_width_mm, "mm"},
      {"min_width", 0, 5, main_photo ? 0.02 : 0.0, &o.min_width_mm, "mm"},
      {"angle", -360, 360, main_photo ? 0.0 : 30.0, &o.angle_deg, "degrees"},
      {"wave_amplitude", 0, 5, 0, &o.wave_amplitude_mm, "mm"},
      {"wave_length", 0.2, 100, 2, &o.wave_length_mm, "mm"},
      {"wave_phase_step", -10, 10, 0, &o.wave_phase_step, "turns"},
      {"gamma", 0.2, 5, main_photo ? 1.0 : 1.6, &o.gamma, "(exponent)"},
  };
  for (const auto& n : nums) {
    auto v = r.number(n.key, n.lo, n.hi, n.def, n.unit);
    if (!v) return std::move(v).error();
    *n.out = *v;
  }
  if (o.max_width_mm > o.pitch_mm)
    return r.error("max_width",
                   "'max_width' (" + format_number(o.max_width_mm) + " mm) exceeds 'pitch' (" +
                       format_number(o.pitch_mm) + " mm): neighbouring lines would merge.",
                   "make max_width at most pitch.");
  if (o.min_width_mm > o.max_width_mm)
    return r.error("min_width", "'min_width' exceeds 'max_width'.", "make min_width at most max_width.");
  return std::shared_ptr<const Element>(std::make_shared<GhostElement>(std::move(c), s));
}

}  // namespace

Result<std::shared_ptr<const Element>> parse_ghost(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  return parse_photo_common(r, std::move(c), false);
}

Result<std::shared_ptr<const Element>> parse_photo_lines(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  return parse_photo_common(r, std::move(c), true);
}

}  // namespace sdc::detail
