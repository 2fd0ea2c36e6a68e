// Raster images from the template's folder, and the holder's photo.
#include "core/pixels.hpp"
#include "template/elements.hpp"

namespace sdc::detail {

ParseResult parse_image(JsonReader& r, ElementCommon c, const Base& base) {
  SDC_TRY_ASSIGN(const std::string src, r.string("src", std::nullopt));
  // Whoever supplies a template may not reach files outside its folder (hostile input 22: any
  // readable file, and whether a file exists, could be probed through the error). Checked on the
  // text: a symbolic link placed in the folder by its owner is the owner's choice.
  const std::filesystem::path rel(src);
  const auto norm = rel.lexically_normal();
  if (rel.is_absolute() || rel.has_root_name() || (!norm.empty() && *norm.begin() == ".."))
    return r.error("src", "the image path leaves the template's folder.",
                   "put the image in the template's folder (or a folder below it) and give its path relative to "
                   "the template.");
  const auto path = base / norm;
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
