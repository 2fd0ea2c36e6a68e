// Raster images from the template's folder, and the holder's photo.
#include "core/pixels.hpp"
#include "template/elements.hpp"

namespace sdc::detail {

ParseResult parse_image(JsonReader& r, ElementCommon c, const Base& base) {
  SDC_TRY_ASSIGN(const std::string src, r.string("src", std::nullopt));
  const auto path = base / src;
  auto img = load_image(path);
  if (!img)
    return r.error("src", "the image '" + src + "' cannot be used: " + img.error().message(),
                   "put a PNG, JPEG or TIFF file at " + path.string() + " or correct 'src'.");
  ImageElement s;
  SDC_TRY_ASSIGN(const std::string fit, r.choice("fit", {"contain", "cover", "stretch"}, std::string("contain")));
  s.fit = fit == "contain" ? ImageElement::Fit::contain
          : fit == "cover" ? ImageElement::Fit::cover
                           : ImageElement::Fit::stretch;
  SDC_TRY_ASSIGN(const Mm radius, r.mm("radius", 0, 50, 0.0));
  s.radius = radius.v;
  SDC_TRY_ASSIGN(const bool gray, r.boolean("grayscale", false));
  s.image = std::make_shared<const Image>(gray ? to_gray_keeping_alpha(img->view()) : std::move(*img));
  return make_spec(std::move(c), std::move(s));
}

ParseResult parse_photo(JsonReader& r, ElementCommon c, const Base&) {
  PhotoElement s;
  SDC_TRY_ASSIGN(s.gray, r.boolean("grayscale", false));
  SDC_TRY_ASSIGN(const Mm radius, r.mm("radius", 0, 50, 0.0));
  s.radius = radius.v;
  c.deps.photo = true;
  c.deps.fields.push_back("photo");
  return make_spec(std::move(c), std::move(s));
}

}  // namespace sdc::detail
