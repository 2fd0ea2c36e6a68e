#include <lcms2.h>
#include <sdc/color.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include "core/read_file.hpp"

namespace sdc {

namespace {

// lcms2 reports problems through a per-context callback; each ColorTransform has its own context,
// whose user data is the string the message lands in (no global or thread-local state). Messages
// only come while the transform is created; the handler is removed before it is shared.
void log_error(cmsContext ctx, cmsUInt32Number, const char* text) {
  if (auto* message = static_cast<std::string*>(cmsGetContextUserData(ctx))) *message = text ? text : "";
}

std::string take_message(std::string& message) {
  std::string m = std::move(message);
  message.clear();
  return m.empty() ? std::string() : " (lcms2: " + m + ")";
}

std::string description(cmsHPROFILE h) {
  char buf[256] = {};
  const cmsUInt32Number n = cmsGetProfileInfoASCII(h, cmsInfoDescription, "en", "US", buf, sizeof buf);
  return n > 0 ? std::string(buf) : std::string();
}

constexpr const char* kDepsHint =
    "install the default profile with scripts/deps (Debian package libgs-common), or "
    "name a CMYK ICC profile (ColorTransformOptions::output_profile; --profile FILE).";

}  // namespace

const char* to_string(Intent intent) noexcept {
  switch (intent) {
    case Intent::perceptual: return "perceptual";
    case Intent::relative_colorimetric: return "relative-colorimetric";
  }
  return "?";
}

std::filesystem::path default_cmyk_profile_path() {
  return "/usr/share/color/icc/ghostscript/default_cmyk.icc";
}

struct ColorTransform::Impl {
  std::string lcms_message;  // the context's user data: what lcms2 last reported while creating
  cmsContext ctx = nullptr;
  cmsHPROFILE src = nullptr, dst = nullptr, lab = nullptr;
  cmsHTRANSFORM to_cmyk = nullptr, cmyk_lab = nullptr, rgb_lab = nullptr;
  std::vector<std::uint8_t> icc;
  std::filesystem::path path;
  std::string out_desc, src_desc;
  Intent intent = Intent::relative_colorimetric;
  bool bpc = true;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    for (cmsHTRANSFORM t : {to_cmyk, cmyk_lab, rgb_lab})
      if (t) cmsDeleteTransform(t);
    for (cmsHPROFILE p : {src, dst, lab})
      if (p) cmsCloseProfile(p);
    if (ctx) cmsDeleteContext(ctx);
  }
};

Result<ColorTransform> ColorTransform::create(const ColorTransformOptions& o) {
  const bool in_memory = !o.output_profile_bytes.empty();
  const bool is_default = o.output_profile.empty() && !in_memory;
  const std::filesystem::path path =
      in_memory    ? (o.output_profile.empty() ? std::filesystem::path("(ICC profile in memory)") : o.output_profile)
      : is_default ? default_cmyk_profile_path()
                   : o.output_profile;
  auto bad = [&](const std::string& what, const std::string& hint) {
    return Error(Errc::bad_profile, what, hint, Where{.file = path.string()});
  };

  auto impl = std::make_shared<Impl>();
  if (in_memory) {
    impl->icc = o.output_profile_bytes;
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      return bad(std::string(is_default ? "the default CMYK output profile " : "the CMYK output profile ") +
                     path.string() + " does not exist.",
                 is_default ? kDepsHint : "check the path, or leave it out to use the default profile.");
    auto icc = detail::read_input_bytes(path, 64u << 20, "ICC profile");
    if (!icc)
      return bad(path.string() + ": " + icc.error().message(), "give an ICC profile file from your print provider.");
    impl->icc = std::move(*icc);
  }
  impl->path = path;
  impl->intent = o.intent;
  impl->bpc = o.black_point_compensation;
  impl->ctx = cmsCreateContext(nullptr, &impl->lcms_message);
  if (!impl->ctx) return Error(Errc::internal, "lcms2 could not create a context.", "check memory.");
  cmsSetLogErrorHandlerTHR(impl->ctx, log_error);
  auto last_message = [&] { return take_message(impl->lcms_message); };

  impl->dst = cmsOpenProfileFromMemTHR(impl->ctx, impl->icc.data(), static_cast<cmsUInt32Number>(impl->icc.size()));
  if (!impl->dst)
    return bad(
        path.string() + " is not a readable ICC profile" + last_message() + ".",
        "use an ICC profile from your print provider, or the default (" + default_cmyk_profile_path().string() + ").");
  if (cmsGetColorSpace(impl->dst) != cmsSigCmykData)
    return bad(path.string() + " is not a CMYK profile (its colour space is not CMYK).",
               "name a CMYK output profile, such as the printer's or FOGRA39/SWOP.");
  const cmsProfileClassSignature cls = cmsGetDeviceClass(impl->dst);
  if (cls != cmsSigOutputClass && cls != cmsSigDisplayClass && cls != cmsSigInputClass && cls != cmsSigColorSpaceClass)
    return bad(path.string() + " is a device link or abstract profile, not an output profile.",
               "name a CMYK output (printer) profile.");
  impl->out_desc = description(impl->dst);
  if (impl->out_desc.empty()) impl->out_desc = path.filename().string();

  if (o.source_profile.empty()) {
    impl->src = cmsCreate_sRGBProfileTHR(impl->ctx);
    impl->src_desc = "sRGB built-in";
  } else {
    impl->src = cmsOpenProfileFromMemTHR(impl->ctx, o.source_profile.data(),
                                         static_cast<cmsUInt32Number>(o.source_profile.size()));
    if (!impl->src)
      return Error(Errc::bad_profile, "the source ICC profile is not readable" + last_message() + ".",
                   "drop the embedded profile (the image is then taken as sRGB) or fix it.");
    if (cmsGetColorSpace(impl->src) != cmsSigRgbData)
      return Error(Errc::bad_profile, "the source ICC profile is not an RGB profile.",
                   "convert the image to RGB, or drop its profile.");
    impl->src_desc = description(impl->src);
  }
  impl->lab = cmsCreateLab4ProfileTHR(impl->ctx, nullptr);
  if (!impl->src || !impl->lab) return Error(Errc::internal, "lcms2 could not build a profile.", "check memory.");

  const cmsUInt32Number intent = o.intent == Intent::perceptual ? INTENT_PERCEPTUAL : INTENT_RELATIVE_COLORIMETRIC;
  // NOCACHE: without it lcms2 keeps the last pixel inside the transform and updates it on every
  // call, which would make concurrent cmsDoTransform calls race.
  const cmsUInt32Number flags = cmsFLAGS_NOCACHE | (o.black_point_compensation ? cmsFLAGS_BLACKPOINTCOMPENSATION : 0);
  impl->to_cmyk = cmsCreateTransformTHR(impl->ctx, impl->src, TYPE_RGB_8, impl->dst, TYPE_CMYK_8, intent, flags);
  if (!impl->to_cmyk)
    return bad("no transform from " + impl->src_desc + " to " + path.string() + " with the " + to_string(o.intent) +
                   " intent" + last_message() + ".",
               "try the other intent, or another CMYK profile.");
  impl->cmyk_lab = cmsCreateTransformTHR(impl->ctx, impl->dst, TYPE_CMYK_8, impl->lab, TYPE_Lab_DBL,
                                         INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_NOCACHE);
  impl->rgb_lab = cmsCreateTransformTHR(impl->ctx, impl->src, TYPE_RGB_8, impl->lab, TYPE_Lab_DBL,
                                        INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_NOCACHE);
  if (!impl->cmyk_lab || !impl->rgb_lab)
    return bad(path.string() + " has no CMYK -> Lab table (it cannot be used for proofing)" + last_message() + ".",
               "name a complete CMYK output profile.");
  // From here on the transform may be shared between threads: lcms2 must not write the message.
  cmsSetLogErrorHandlerTHR(impl->ctx, nullptr);
  ColorTransform t;
  t.impl_ = std::move(impl);
  return t;
}

void ColorTransform::rgb_to_cmyk(const std::uint8_t* rgb, std::uint8_t* cmyk, std::size_t count) const {
  cmsDoTransform(impl_->to_cmyk, rgb, cmyk, static_cast<cmsUInt32Number>(count));
}
void ColorTransform::cmyk_to_lab(const std::uint8_t* cmyk, double* lab, std::size_t count) const {
  cmsDoTransform(impl_->cmyk_lab, cmyk, lab, static_cast<cmsUInt32Number>(count));
}
void ColorTransform::rgb_to_lab(const std::uint8_t* rgb, double* lab, std::size_t count) const {
  cmsDoTransform(impl_->rgb_lab, rgb, lab, static_cast<cmsUInt32Number>(count));
}

const std::vector<std::uint8_t>& ColorTransform::output_profile() const noexcept {
  static const std::vector<std::uint8_t> none;
  return impl_ ? impl_->icc : none;
}
const std::filesystem::path& ColorTransform::output_profile_path() const noexcept {
  static const std::filesystem::path none;
  return impl_ ? impl_->path : none;
}
const std::string& ColorTransform::output_profile_description() const noexcept {
  static const std::string none;
  return impl_ ? impl_->out_desc : none;
}
const std::string& ColorTransform::source_profile_description() const noexcept {
  static const std::string none;
  return impl_ ? impl_->src_desc : none;
}
Intent ColorTransform::intent() const noexcept {
  return impl_ ? impl_->intent : Intent::relative_colorimetric;
}
bool ColorTransform::black_point_compensation() const noexcept {
  return impl_ && impl_->bpc;
}

}  // namespace sdc
