// Raster images from the template's folder, and the holder's photo.
#include <algorithm>

#include "template/elements.hpp"
#include "template/raster.hpp"

namespace sdc::detail {

CairoRaster::CairoRaster(const ImageView& img, bool gray) : w_(img.width()), h_(img.height()) {
  px_.resize(static_cast<std::size_t>(w_) * h_);
  const int ch = channels(img.format());
  for (int y = 0; y < h_; ++y) {
    const std::uint8_t* s = img.row(y);
    std::uint32_t* d = px_.data() + static_cast<std::size_t>(y) * w_;
    for (int x = 0; x < w_; ++x, s += ch) {
      std::uint32_t r, g, b, a = 255;
      if (ch == 1)
        r = g = b = s[0];
      else
        r = s[0], g = s[1], b = s[2];
      if (ch == 4) a = s[3];
      if (gray) r = g = b = (299 * r + 587 * g + 114 * b + 500) / 1000;
      // Premultiply with rounding.
      r = (r * a + 127) / 255, g = (g * a + 127) / 255, b = (b * a + 127) / 255;
      d[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
}

void CairoRaster::paint(cairo_t* cr, double x, double y, double w, double h, double opacity) const {
  if (empty()) return;
  cairo_surface_t* s = cairo_image_surface_create_for_data(
      reinterpret_cast<unsigned char*>(const_cast<std::uint32_t*>(px_.data())), CAIRO_FORMAT_ARGB32, w_, h_, w_ * 4);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, w / w_, h / h_);
  cairo_set_source_surface(cr, s, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  if (opacity < 1.0)
    cairo_paint_with_alpha(cr, opacity);
  else
    cairo_paint(cr);
  cairo_restore(cr);
  cairo_surface_destroy(s);
}

namespace {

enum class Fit { contain, cover, stretch };

class RasterItem final : public Item {
 public:
  RasterItem(ElementCommon c, std::shared_ptr<const CairoRaster> r, Fit fit, double radius)
      : Item(std::move(c)), r_(std::move(r)), fit_(fit), radius_(radius) {}
  void draw(cairo_t* cr, const DrawEnv&) const override {
    const auto& b = common.box;
    double w = b.w.v, h = b.h.v, x = b.x.v, y = b.y.v;
    if (fit_ != Fit::stretch) {
      const double sx = b.w.v / r_->width(), sy = b.h.v / r_->height();
      const double s = fit_ == Fit::contain ? std::min(sx, sy) : std::max(sx, sy);
      w = r_->width() * s, h = r_->height() * s;
      x = b.x.v + (b.w.v - w) / 2, y = b.y.v + (b.h.v - h) / 2;
    }
    cairo_save(cr);
    transform_to_box(cr, common);
    rounded_rect_path(cr, b.x.v, b.y.v, b.w.v, b.h.v, radius_);
    cairo_clip(cr);
    r_->paint(cr, x, y, w, h);
    cairo_restore(cr);
  }

 private:
  std::shared_ptr<const CairoRaster> r_;
  Fit fit_;
  double radius_;
};

class ImageElement final : public Element {
 public:
  ImageElement(ElementCommon c, std::shared_ptr<const CairoRaster> r, Fit fit, double radius)
      : Element(std::move(c)), r_(std::move(r)), fit_(fit), radius_(radius) {}
  bool personal() const override { return false; }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv&) const override {
    return std::shared_ptr<const Item>(std::make_shared<RasterItem>(common, r_, fit_, radius_));
  }

 private:
  std::shared_ptr<const CairoRaster> r_;
  Fit fit_;
  double radius_;
};

class PhotoElement final : public Element {
 public:
  PhotoElement(ElementCommon c, bool gray, double radius) : Element(std::move(c)), gray_(gray), radius_(radius) {}
  bool personal() const override { return true; }
  bool needs_portrait() const override { return true; }
  void fields(std::vector<std::string>& out) const override { out.push_back("photo"); }
  Result<std::shared_ptr<const Item>> resolve(const ComposeEnv& env) const override {
    if (!env.portrait || env.portrait->empty())
      return error(Errc::internal, "no portrait was prepared for the photo element.", "report this as a bug.");
    auto raster = std::make_shared<const CairoRaster>(env.portrait->view(), gray_);
    auto item = std::make_shared<RasterItem>(common, std::move(raster), Fit::cover, radius_);
    item->personal = true;
    return std::shared_ptr<const Item>(std::move(item));
  }

 private:
  bool gray_;
  double radius_;
};

Result<Fit> parse_fit(JsonReader& r) {
  auto f = r.choice("fit", {"contain", "cover", "stretch"}, std::string("contain"));
  if (!f) return std::move(f).error();
  return *f == "contain" ? Fit::contain : *f == "cover" ? Fit::cover : Fit::stretch;
}

}  // namespace

Result<std::shared_ptr<const Element>> parse_image(JsonReader& r, ElementCommon c, const std::filesystem::path& base) {
  auto src = r.string("src", std::nullopt);
  if (!src) return std::move(src).error();
  const auto path = base / *src;
  auto img = load_image(path);
  if (!img) {
    Error e = std::move(img).error();
    return r.error("src", "the image '" + *src + "' cannot be used: " + e.message(),
                   "put a PNG, JPEG or TIFF file at " + path.string() + " or correct 'src'.");
  }
  auto fit = parse_fit(r);
  if (!fit) return std::move(fit).error();
  auto radius = r.mm("radius", 0, 50, 0.0);
  if (!radius) return std::move(radius).error();
  auto gray = r.boolean("grayscale", false);
  if (!gray) return std::move(gray).error();
  auto raster = std::make_shared<const CairoRaster>(img->view(), *gray);
  return std::shared_ptr<const Element>(
      std::make_shared<ImageElement>(std::move(c), std::move(raster), *fit, radius->v));
}

Result<std::shared_ptr<const Element>> parse_photo(JsonReader& r, ElementCommon c, const std::filesystem::path&) {
  auto gray = r.boolean("grayscale", false);
  if (!gray) return std::move(gray).error();
  auto radius = r.mm("radius", 0, 50, 0.0);
  if (!radius) return std::move(radius).error();
  return std::shared_ptr<const Element>(std::make_shared<PhotoElement>(std::move(c), *gray, radius->v));
}

}  // namespace sdc::detail
