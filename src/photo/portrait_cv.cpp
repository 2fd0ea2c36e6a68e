// Portrait crop by ICAO Doc 9303 Part 3 / ISO/IEC 19794-5 proportions around the detected face.
#include <sdc/photo.hpp>

#include "photo/photo_cv.hpp"
#include "photo/portrait_geometry.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace sdc {
namespace {

std::string fmt(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);  // only digits and '.': locale "C" is in force for %f
  return buf;
}

Error bad_option(const char* name, const std::string& hint) {
  return Error(Errc::invalid_argument, std::string("PortraitOptions::") + name + " is out of range.", hint,
               Where{.field = name});
}

Status check_options(const PortraitOptions& o) {
  if (!(o.head_fraction >= 0.5 && o.head_fraction <= 0.9))
    return bad_option("head_fraction", "use 0.5 to 0.9 (ICAO: 0.70 to 0.80).");
  if (!(o.crown_margin >= 0 && o.crown_margin <= 0.3)) return bad_option("crown_margin", "use 0 to 0.3.");
  if (!(o.eye_line_min >= 0 && o.eye_line_min <= o.eye_line_max && o.eye_line_max <= 1)) {
    return bad_option("eye_line_min", "use 0 <= eye_line_min <= eye_line_max <= 1 (ICAO: 0.30 and 0.50).");
  }
  if (!(o.max_upscale >= 1.0)) return bad_option("max_upscale", "use 1 or more.");
  if (!(o.other_face_area_fraction >= 0 && o.other_face_area_fraction <= 1)) {
    return bad_option("other_face_area_fraction", "use 0 to 1.");
  }
  if (o.dpi.v < 0) return bad_option("dpi", "use 0 (unknown) or the output resolution.");
  return {};
}

// Per-channel median of the top band and the upper halves of the side bands: the studio
// background behind the head, which is where padding is needed most often.
cv::Vec3b background_colour(const cv::Mat& rgb) {
  const int band_y = std::max(1, rgb.rows / 20), band_x = std::max(1, rgb.cols / 20);
  std::array<std::array<long long, 256>, 3> hist{};
  long long n = 0;
  auto add = [&](int x, int y) {
    const auto& p = rgb.at<cv::Vec3b>(y, x);
    for (int c = 0; c < 3; ++c) ++hist[c][p[c]];
    ++n;
  };
  for (int y = 0; y < band_y; ++y)
    for (int x = 0; x < rgb.cols; ++x) add(x, y);
  for (int y = band_y; y < std::max(band_y, rgb.rows / 2); ++y) {
    for (int x = 0; x < band_x; ++x) add(x, y);
    for (int x = std::max(band_x, rgb.cols - band_x); x < rgb.cols; ++x) add(x, y);
  }
  cv::Vec3b out;
  for (int c = 0; c < 3; ++c) {
    long long acc = 0;
    int v = 0;
    while (v < 255 && (acc += hist[c][v]) * 2 < n) ++v;
    out[c] = static_cast<std::uint8_t>(v);
  }
  return out;
}

std::string upscale_message(int crop_h, int out_h, double factor, Dpi dpi) {
  std::string m = "photo resolution too low for the box";
  if (dpi.v > 0) m += " at " + std::to_string(dpi.v) + " dpi";
  m += ": " + std::to_string(crop_h) + " px upscaled to " + std::to_string(out_h) + " px (x" + fmt(factor, 2) +
       "); a sharp portrait needs a photo about " + fmt(factor, 1) + " times larger";
  return m;
}

// A corrupt, 1 x 1 or all-black photo made a sealed card with warnings only (hostile input 18):
// the seal would then bind a portrait that shows nobody. Refused: photos too small to hold a
// face, and photos of one flat tone (blank, all black, a NaN TIFF read as black).
constexpr int kMinPhotoSide = 48;

Status check_photo_content(const ImageView& photo) {
  const int w = photo.width(), h = photo.height();
  if (std::min(w, h) < kMinPhotoSide)
    return Error(Errc::invalid_argument,
                 "the photo is " + std::to_string(w) + " x " + std::to_string(h) +
                     " pixels, too small to show a face (at least " + std::to_string(kMinPhotoSide) +
                     " pixels a side).",
                 "use the original photo, not a thumbnail; a portrait printed at 300 dpi wants about 300 x 400 "
                 "pixels.");
  // Spread of the first channel over a grid of about 64 x 64 samples.
  const int ch = channels(photo.format());
  const int step_x = std::max(1, w / 64), step_y = std::max(1, h / 64);
  double sum = 0, sum2 = 0;
  long n = 0;
  for (int y = 0; y < h; y += step_y) {
    const std::uint8_t* row = photo.row(y);
    for (int x = 0; x < w; x += step_x) {
      const double v = row[static_cast<std::size_t>(x) * static_cast<std::size_t>(ch)];
      sum += v, sum2 += v * v, ++n;
    }
  }
  const double mean = sum / static_cast<double>(n);
  const double spread = std::sqrt(std::max(0.0, sum2 / static_cast<double>(n) - mean * mean));
  if (spread < 2.0)
    return Error(Errc::invalid_argument,
                 "the photo is one flat tone (level " + std::to_string(static_cast<int>(mean + 0.5)) +
                     " of 255 throughout): it shows nobody; the file may be damaged.",
                 "take or export the photo again.");
  return {};
}

Result<PortraitCrop> crop_with(const ImageView& photo, int out_w, int out_h, const FaceDetector& detector,
                               const PortraitOptions& o, FaceScratch* scratch) {
  if (photo.empty() || photo.format() == PixelFormat::cmyk8) {
    return Error(Errc::invalid_argument, "The portrait crop needs a non-empty gray8, rgb8 or rgba8 photo.",
                 "load the photo with sdc::load_image.");
  }
  if (out_w < 1 || out_h < 1 || out_w > 20000 || out_h > 20000) {
    return Error(Errc::invalid_argument,
                 "The portrait size " + std::to_string(out_w) + " x " + std::to_string(out_h) + " px is out of range.",
                 "use 1 to 20000 pixels per side.");
  }
  if (auto st = check_options(o); !st) return st.error();
  SDC_TRY(check_photo_content(photo));

  SDC_TRY_ASSIGN(auto faces, scratch ? detector.detect(photo, *scratch) : detector.detect(photo));

  PortraitCrop result;
  const int src_w = photo.width(), src_h = photo.height();
  const double aspect = static_cast<double>(out_w) / out_h;
  double crop_x = 0, crop_y = 0, crop_w = 0, crop_h = 0;

  if (faces.empty()) {
    if (static_cast<double>(src_w) / src_h > aspect) {
      crop_h = src_h;
      crop_w = src_h * aspect;
    } else {
      crop_w = src_w;
      crop_h = src_w / aspect;
    }
    crop_x = (src_w - crop_w) / 2;
    crop_y = (src_h - crop_h) / 2;
    result.warnings.push_back({PortraitWarningKind::no_face, "no face found: centred crop"});
  } else {
    const PxRect face = faces.front();
    result.face = face;
    int others = 0;
    const double area = static_cast<double>(face.w) * face.h;
    for (std::size_t i = 1; i < faces.size(); ++i) {
      if (static_cast<double>((faces)[i].w) * (faces)[i].h >= o.other_face_area_fraction * area) ++others;
    }
    if (others > 0) {
      result.warnings.push_back({PortraitWarningKind::several_faces,
                                 "several faces (" + std::to_string(others + 1) + "): the largest was used"});
    }
    const auto g = detail::head_from_face(face);
    crop_h = g.head_height() / o.head_fraction;
    crop_w = crop_h * aspect;
    crop_y = g.crown_y - o.crown_margin * crop_h;
    const double eye = (g.eye_y - crop_y) / crop_h;
    const double eye_target = std::clamp(eye, o.eye_line_min, o.eye_line_max);
    if (eye_target != eye) {
      crop_y = g.eye_y - eye_target * crop_h;
      result.warnings.push_back({PortraitWarningKind::eye_line_moved, "eye line moved from " + fmt(eye, 2) + " to " +
                                                                          fmt(eye_target, 2) +
                                                                          " of the height to stay in the ICAO band"});
    }
    crop_x = g.centre_x - crop_w / 2;
  }

  // Whole source pixels; the aspect error this adds is below one source pixel.
  const PxRect r{static_cast<int>(std::lround(crop_x)), static_cast<int>(std::lround(crop_y)),
                 std::max(1, static_cast<int>(std::lround(crop_w))),
                 std::max(1, static_cast<int>(std::lround(crop_h)))};
  result.source_rect = r;
  if (result.face) {
    const auto g = detail::head_from_face(*result.face);
    result.head_fraction = g.head_height() / r.h;
    result.eye_line = (g.eye_y - r.y) / r.h;
  }

  try {
    // rgb8 is used in place (no copy of a large photo); other formats are converted once.
    const cv::Mat rgb = photo.format() == PixelFormat::rgb8 ? detail::mat_view(photo) : detail::to_rgb(photo);
    const int ix0 = std::max(0, r.x), iy0 = std::max(0, r.y);
    const int ix1 = std::min(src_w, r.x + r.w), iy1 = std::min(src_h, r.y + r.h);
    cv::Mat region;
    if (ix0 == r.x && iy0 == r.y && ix1 == r.x + r.w && iy1 == r.y + r.h) {
      region = rgb(cv::Rect(r.x, r.y, r.w, r.h));
    } else {
      const cv::Vec3b bg = background_colour(rgb);
      region = cv::Mat(r.h, r.w, CV_8UC3, cv::Scalar(bg[0], bg[1], bg[2]));
      if (ix1 > ix0 && iy1 > iy0) {
        rgb(cv::Rect(ix0, iy0, ix1 - ix0, iy1 - iy0))
            .copyTo(region(cv::Rect(ix0 - r.x, iy0 - r.y, ix1 - ix0, iy1 - iy0)));
      }
      // One pixel of overhang is rounding, not a placement problem.
      const int pad = std::max({ix0 - r.x, iy0 - r.y, r.x + r.w - ix1, r.y + r.h - iy1});
      if (pad > 1) {
        result.warnings.push_back(
            {PortraitWarningKind::padded, "the ICAO placement reaches " + std::to_string(pad) +
                                              " px past the photo's edge: padded with the background colour (" +
                                              std::to_string(bg[0]) + ", " + std::to_string(bg[1]) + ", " +
                                              std::to_string(bg[2]) + ")"});
      }
    }
    const double factor = static_cast<double>(out_h) / r.h;
    if (factor > o.max_upscale) {
      result.warnings.push_back({PortraitWarningKind::upscaled, upscale_message(r.h, out_h, factor, o.dpi)});
    }
    result.image = Image(out_w, out_h, PixelFormat::rgb8);
    cv::Mat dst(out_h, out_w, CV_8UC3, result.image.data());
    if (r.w == out_w && r.h == out_h) {
      region.copyTo(dst);
    } else {
      cv::resize(region, dst, dst.size(), 0, 0, factor < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC);
    }
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("The portrait crop failed: ") + e.what(),
                 "please report this as a bug in sdc.");
  }
  result.image.set_dpi(o.dpi);
  return result;
}

}  // namespace

Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_w, int out_h, const FaceDetector& detector,
                                   const PortraitOptions& o) {
  return crop_with(photo, out_w, out_h, detector, o, nullptr);
}

Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_w, int out_h, const FaceDetector& detector,
                                   const PortraitOptions& o, FaceScratch& scratch) {
  return crop_with(photo, out_w, out_h, detector, o, &scratch);
}

Result<PortraitCrop> crop_portrait(const ImageView& photo, int out_w, int out_h, const PortraitOptions& o) {
  SDC_TRY_ASSIGN(auto detector, FaceDetector::create(o.detector));
  return crop_portrait(photo, out_w, out_h, detector, o);
}

}  // namespace sdc
