#include <sdc/photo.hpp>

#include "photo/photo_cv.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <sstream>

namespace sdc {

namespace {
constexpr const char* kDefaultCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
// Idle classifiers kept for reuse; more concurrent callers build (and then drop) extra ones.
constexpr std::size_t kMaxPooled = 16;

Result<std::unique_ptr<cv::CascadeClassifier>> classifier_from_xml(const std::string& xml, const std::string& path) {
  try {
    cv::FileStorage fs(xml, cv::FileStorage::READ | cv::FileStorage::MEMORY);
    auto cc = std::make_unique<cv::CascadeClassifier>();
    if (fs.isOpened() && cc->read(fs.getFirstTopLevelNode()) && !cc->empty()) return cc;
  } catch (const std::exception&) {
  }
  return Error(Errc::io, "The file is not a face cascade OpenCV can read.",
               "point FaceDetectorOptions::cascade_path at an OpenCV Haar cascade XML, such as "
               "haarcascade_frontalface_default.xml from Debian's opencv-data package.",
               Where{.file = path});
}
// The coarse-to-fine search: candidates on a small copy, each searched again on `gray` (already
// reduced and equalised, as the whole-photo search uses it) in a window twice its size, at window
// sizes from 0.6 to 1.7 times its own, so a confirmed face gets the box the whole-photo search would
// give. Returns nothing when no candidate is confirmed (the caller then searches the whole photo).
std::vector<cv::Rect> coarse_to_fine(cv::CascadeClassifier& cc, const cv::Mat& gray, int coarse_side,
                                     double min_face_fraction, int min_side, int min_neighbors) {
  // The copy is `coarse_side` long, or larger when it must be to show the smallest face asked
  // for at the cascade's 20 px floor (so no face the whole search would report is too small to be
  // a candidate, e.g. the second face of a wide photo).
  const double k = std::max(static_cast<double>(coarse_side) / std::max(gray.cols, gray.rows),
                            20.0 / (min_face_fraction * std::min(gray.cols, gray.rows)));
  if (k > 0.8) return {};  // hardly smaller: the whole search costs no more
  cv::Mat small;
  cv::resize(gray, small,
             cv::Size(std::max(1, static_cast<int>(std::lround(gray.cols * k))),
                      std::max(1, static_cast<int>(std::lround(gray.rows * k)))),
             0, 0, cv::INTER_AREA);
  const int small_min =
      std::max(20, static_cast<int>(std::lround(min_face_fraction * std::min(small.cols, small.rows))));
  std::vector<cv::Rect> candidates;
  cc.detectMultiScale(small, candidates, 1.1, min_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(small_min, small_min));
  std::sort(candidates.begin(), candidates.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
  if (candidates.size() > 4) candidates.resize(4);
  std::vector<cv::Rect> out;
  const cv::Rect whole(0, 0, gray.cols, gray.rows);
  for (const auto& c : candidates) {
    const double size = std::max(c.width, c.height) / k;
    const double cx = (c.x + c.width / 2.0) / k, cy = (c.y + c.height / 2.0) / k;
    const int half = static_cast<int>(std::lround(size));  // a window of twice the face
    const cv::Rect roi = cv::Rect(static_cast<int>(std::lround(cx)) - half, static_cast<int>(std::lround(cy)) - half,
                                  2 * half, 2 * half) &
                         whole;
    const int lo = std::max(min_side, static_cast<int>(std::floor(0.6 * size)));
    const int hi = static_cast<int>(std::ceil(1.7 * size));
    if (roi.width < lo || roi.height < lo) continue;
    std::vector<cv::Rect> found;
    cc.detectMultiScale(gray(roi), found, 1.1, min_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(lo, lo),
                        cv::Size(hi, hi));
    for (auto f : found) {
      f.x += roi.x, f.y += roi.y;
      // Two candidates' windows may hold one face: keep it once.
      const bool seen = std::any_of(out.begin(), out.end(), [&](const cv::Rect& g) {
        const double inter = (f & g).area();
        return inter > 0.5 * std::min(f.area(), g.area());
      });
      if (!seen) out.push_back(f);
    }
  }
  return out;
}

}  // namespace

struct FaceDetector::Impl {
  FaceDetectorOptions options;
  std::string xml;
  std::mutex mutex;
  std::vector<std::unique_ptr<cv::CascadeClassifier>> idle;
};

Result<FaceDetector> FaceDetector::create(const FaceDetectorOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  if (impl->options.cascade_path.empty()) impl->options.cascade_path = kDefaultCascade;
  const auto& o = impl->options;
  if (o.max_detection_side < 200 || o.max_detection_side > 4000) {
    return Error(Errc::invalid_argument, "max_detection_side is " + std::to_string(o.max_detection_side) + ".",
                 "use 200 to 4000 pixels.", Where{.field = "max_detection_side"});
  }
  if (!(o.min_face_fraction >= 0.02 && o.min_face_fraction <= 1.0)) {
    return Error(Errc::invalid_argument, "min_face_fraction is out of range.", "use 0.02 to 1.",
                 Where{.field = "min_face_fraction"});
  }
  if (o.coarse_side != 0 && (o.coarse_side < 100 || o.coarse_side > 4000)) {
    return Error(Errc::invalid_argument, "coarse_side is " + std::to_string(o.coarse_side) + ".",
                 "use 0 (no coarse search) or 100 to 4000 pixels.", Where{.field = "coarse_side"});
  }
  if (o.min_neighbors < 1 || o.min_neighbors > 20) {
    return Error(Errc::invalid_argument, "min_neighbors is " + std::to_string(o.min_neighbors) + ".", "use 1 to 20.",
                 Where{.field = "min_neighbors"});
  }
  std::ifstream in(o.cascade_path, std::ios::binary);
  if (!in) {
    return Error(Errc::io, "The face cascade file cannot be opened.",
                 "install Debian's opencv-data package (apt-get install opencv-data) or set "
                 "FaceDetectorOptions::cascade_path.",
                 Where{.file = o.cascade_path});
  }
  std::ostringstream text;
  text << in.rdbuf();
  impl->xml = std::move(text).str();
  SDC_TRY_ASSIGN(auto first, classifier_from_xml(impl->xml, o.cascade_path));
  impl->idle.push_back(std::move(first));
  return FaceDetector(std::move(impl));
}

const FaceDetectorOptions& FaceDetector::options() const noexcept {
  static const FaceDetectorOptions kDefaults{};
  return impl_ ? impl_->options : kDefaults;
}

Result<std::vector<PxRect>> FaceDetector::detect(const ImageView& photo) const {
  if (!impl_) {
    return Error(Errc::invalid_argument, "The face detector is empty.", "create it with FaceDetector::create().");
  }
  if (photo.empty() || photo.format() == PixelFormat::cmyk8) {
    return Error(Errc::invalid_argument, "Face detection needs a non-empty gray8, rgb8 or rgba8 image.",
                 "load the photo with sdc::load_image.");
  }
  const auto& o = impl_->options;
  std::unique_ptr<cv::CascadeClassifier> cc;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (!impl_->idle.empty()) {
      cc = std::move(impl_->idle.back());
      impl_->idle.pop_back();
    }
  }
  if (!cc) {
    SDC_TRY_ASSIGN(auto made, classifier_from_xml(impl_->xml, o.cascade_path));
    cc = std::move(made);
  }

  std::vector<PxRect> out;
  try {
    // Reduce first, then convert: a 40 MP photo is never converted at full size.
    const int longer = std::max(photo.width(), photo.height());
    const double scale = longer > o.max_detection_side ? static_cast<double>(o.max_detection_side) / longer : 1.0;
    cv::Mat gray;
    if (scale < 1.0) {
      cv::Mat small;
      cv::resize(detail::mat_view(photo), small,
                 cv::Size(std::max(1, static_cast<int>(std::lround(photo.width() * scale))),
                          std::max(1, static_cast<int>(std::lround(photo.height() * scale)))),
                 0, 0, cv::INTER_AREA);
      const PixelFormat f = photo.format();
      gray = detail::to_gray(ImageView(small.data, small.cols, small.rows, f, static_cast<std::ptrdiff_t>(small.step)));
    } else {
      gray = detail::to_gray(photo);
    }
    cv::equalizeHist(gray, gray);
    const int min_side =
        std::max(20, static_cast<int>(std::lround(o.min_face_fraction * std::min(gray.cols, gray.rows))));
    std::vector<cv::Rect> faces;
    const int longer_gray = std::max(gray.cols, gray.rows);
    if (o.coarse_side > 0 && longer_gray > o.coarse_side)
      faces = coarse_to_fine(*cc, gray, o.coarse_side, o.min_face_fraction, min_side, o.min_neighbors);
    if (faces.empty())
      cc->detectMultiScale(gray, faces, 1.1, o.min_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(min_side, min_side));
    const double inv = 1.0 / scale;
    for (const auto& f : faces) {
      out.push_back(PxRect{static_cast<int>(std::lround(f.x * inv)), static_cast<int>(std::lround(f.y * inv)),
                           static_cast<int>(std::lround(f.width * inv)),
                           static_cast<int>(std::lround(f.height * inv))});
    }
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string("Face detection failed: ") + e.what(),
                 "please report this as a bug in sdc.");
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->idle.size() < kMaxPooled) impl_->idle.push_back(std::move(cc));
  }
  std::sort(out.begin(), out.end(), [](const PxRect& a, const PxRect& b) {
    const long long aa = static_cast<long long>(a.w) * a.h, ba = static_cast<long long>(b.w) * b.h;
    if (aa != ba) return aa > ba;
    if (a.y != b.y) return a.y < b.y;
    return a.x < b.x;
  });
  return out;
}

}  // namespace sdc
