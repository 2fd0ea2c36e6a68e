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
  auto first = classifier_from_xml(impl->xml, o.cascade_path);
  if (!first) return std::move(first).error();
  impl->idle.push_back(std::move(*first));
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
    auto made = classifier_from_xml(impl_->xml, o.cascade_path);
    if (!made) return std::move(made).error();
    cc = std::move(*made);
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
