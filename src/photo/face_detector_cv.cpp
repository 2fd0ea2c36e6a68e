#include <sdc/photo.hpp>

#include "core/same_owner.hpp"
#include "photo/photo_cv.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>

namespace sdc {

namespace detail {
// One caller's classifiers (OpenCV's cascades keep per-call state, so a caller needs its own).
// Named, not in the anonymous namespace: FaceDetector::Impl holds them.
struct FaceClassifiers {
  std::unique_ptr<cv::CascadeClassifier> haar, lbp;
};
}  // namespace detail
using Classifiers = detail::FaceClassifiers;

namespace {
constexpr const char* kDefaultCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
constexpr const char* kDefaultLbpCascade = "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml";
// Idle classifiers kept for reuse; more concurrent callers build (and then drop) extra ones.
constexpr std::size_t kMaxPooled = 16;

Result<std::unique_ptr<cv::CascadeClassifier>> classifier_from_xml(const std::string& xml, const std::string& path,
                                                                   const char* field) {
  try {
    cv::FileStorage fs(xml, cv::FileStorage::READ | cv::FileStorage::MEMORY);
    auto cc = std::make_unique<cv::CascadeClassifier>();
    if (fs.isOpened() && cc->read(fs.getFirstTopLevelNode()) && !cc->empty()) return cc;
  } catch (const std::exception&) {
  }
  return Error(Errc::io, "The file is not a face cascade OpenCV can read.",
               std::string("point FaceDetectorOptions::") + field +
                   " at an OpenCV cascade XML from Debian's opencv-data package (haarcascade_frontalface_default.xml "
                   "for cascade_path, lbpcascade_frontalface.xml for lbp_cascade_path).",
               Where{.file = path, .field = field});
}
// Each candidate is confirmed and measured by a cascade (Haar, or LBP with `lbp_confirmation`) in
// a window twice its size around it, at face sizes from 0.7 to 1.45 times its own (an LBP box is
// up to a tenth larger than the Haar box of the same face). The window is searched reduced so that
// the face is about this many pixels: OpenCV slides the cascade's window by one of its own pixels
// at every scale of two or more, so the box is as fine as at full size, while a large face costs
// no more than a small one.
constexpr double kFineFace = 72.0;
constexpr int kMaxCandidates = 4;
// The LBP cascade's neighbours when it confirms: 3, one more than its candidates' 2, so that a false
// candidate does not pass the same test twice (2 was no faster on the specimen photo's variants).
constexpr int kLbpConfirmNeighbors = 3;

// The faces of `gray` (already reduced and equalised) that the cascade `judge` confirms near
// `candidates` (boxes on a copy reduced by `k`), in `gray`'s pixels, each once.
std::vector<cv::Rect> confirm(cv::CascadeClassifier& judge, const cv::Mat& gray, std::vector<cv::Rect> candidates,
                              double k, int min_side, int min_neighbors) {
  std::sort(candidates.begin(), candidates.end(),
            [](const cv::Rect& a, const cv::Rect& b) { return a.area() > b.area(); });
  if (candidates.size() > kMaxCandidates) candidates.resize(kMaxCandidates);
  std::vector<cv::Rect> out;
  const cv::Rect whole(0, 0, gray.cols, gray.rows);
  for (const auto& c : candidates) {
    const double size = std::max(c.width, c.height) / k;
    const double cx = (c.x + c.width / 2.0) / k, cy = (c.y + c.height / 2.0) / k;
    const int half = static_cast<int>(std::lround(size));  // a window of twice the face
    const cv::Rect roi = cv::Rect(static_cast<int>(std::lround(cx)) - half, static_cast<int>(std::lround(cy)) - half,
                                  2 * half, 2 * half) &
                         whole;
    const double f = std::min(1.0, kFineFace / size);
    const int lo =
        std::max({20, static_cast<int>(std::floor(0.7 * size * f)), static_cast<int>(std::ceil(min_side * f))});
    const int hi = static_cast<int>(std::ceil(1.45 * size * f));
    if (lo > hi || roi.width * f < lo || roi.height * f < lo) continue;
    cv::Mat window = gray(roi);
    if (f < 1.0) {
      cv::Mat reduced;
      cv::resize(window, reduced,
                 cv::Size(std::max(1, static_cast<int>(std::lround(roi.width * f))),
                          std::max(1, static_cast<int>(std::lround(roi.height * f)))),
                 0, 0, cv::INTER_AREA);
      window = reduced;
    }
    const double sx = static_cast<double>(roi.width) / window.cols, sy = static_cast<double>(roi.height) / window.rows;
    std::vector<cv::Rect> found;
    judge.detectMultiScale(window, found, 1.1, min_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(lo, lo),
                           cv::Size(hi, hi));
    for (const auto& r : found) {
      const cv::Rect g(roi.x + static_cast<int>(std::lround(r.x * sx)), roi.y + static_cast<int>(std::lround(r.y * sy)),
                       static_cast<int>(std::lround(r.width * sx)), static_cast<int>(std::lround(r.height * sy)));
      // Two candidates' windows may hold one face: keep it once.
      const bool seen = std::any_of(out.begin(), out.end(), [&](const cv::Rect& o) {
        const double inter = (g & o).area();
        return inter > 0.5 * std::min(g.area(), o.area());
      });
      if (!seen) out.push_back(g);
    }
  }
  return out;
}

// The coarse-to-fine search: candidates on a small copy of `gray`, from the LBP cascade when there
// is one (confirmed by it when `lbp_confirms`, else by Haar) and then, if none is confirmed, from
// the Haar cascade, confirmed by Haar. Returns nothing when no candidate is confirmed (the caller
// then searches the whole photo).
std::vector<cv::Rect> coarse_to_fine(cv::CascadeClassifier& haar, cv::CascadeClassifier* lbp, bool lbp_confirms,
                                     const cv::Mat& gray, int coarse_side, double min_face_fraction, int min_side,
                                     int min_neighbors) {
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
  if (lbp != nullptr) {
    // LBP proposes, with 2 neighbours: a false candidate costs one confirmation, a missed one may
    // be a second face (with 3, a copy of the face at 80 % beside it was missed).
    lbp->detectMultiScale(small, candidates, 1.1, 2, cv::CASCADE_SCALE_IMAGE, cv::Size(small_min, small_min));
    auto out = lbp_confirms ? confirm(*lbp, gray, candidates, k, min_side, kLbpConfirmNeighbors)
                            : confirm(haar, gray, candidates, k, min_side, min_neighbors);
    if (!out.empty()) return out;
  }
  haar.detectMultiScale(small, candidates, 1.1, min_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(small_min, small_min));
  return confirm(haar, gray, candidates, k, min_side, min_neighbors);
}

Result<std::string> read_cascade(const std::string& path, const char* field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(Errc::io, "The face cascade file cannot be opened.",
                 std::string("install Debian's opencv-data package (apt-get install opencv-data) or set "
                             "FaceDetectorOptions::") +
                     field + ".",
                 Where{.file = path, .field = field});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// What both `detect` overloads check first.
Result<void> check_call(bool has_detector, const ImageView& photo) {
  if (!has_detector) {
    return Error(Errc::invalid_argument, "The face detector is empty.", "create it with FaceDetector::create().");
  }
  if (photo.empty() || photo.format() == PixelFormat::cmyk8) {
    return Error(Errc::invalid_argument, "Face detection needs a non-empty gray8, rgb8 or rgba8 image.",
                 "load the photo with sdc::load_image.");
  }
  return {};
}

// The detection itself, with one caller's classifiers.
Result<std::vector<PxRect>> run_detection(const FaceDetectorOptions& o, Classifiers& c, const ImageView& photo) {
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
      faces = coarse_to_fine(*c.haar, c.lbp.get(), o.lbp_confirmation, gray, o.coarse_side, o.min_face_fraction,
                             min_side, o.min_neighbors);
    if (faces.empty())
      c.haar->detectMultiScale(gray, faces, 1.1, o.min_neighbors, cv::CASCADE_SCALE_IMAGE,
                               cv::Size(min_side, min_side));
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
  std::sort(out.begin(), out.end(), [](const PxRect& a, const PxRect& b) {
    const long long aa = static_cast<long long>(a.w) * a.h, ba = static_cast<long long>(b.w) * b.h;
    if (aa != ba) return aa > ba;
    if (a.y != b.y) return a.y < b.y;
    return a.x < b.x;
  });
  return out;
}

}  // namespace

struct FaceDetector::Impl {
  FaceDetectorOptions options;
  std::string xml, lbp_xml;  // lbp_xml empty without lbp_candidates
  std::mutex mutex;
  std::vector<Classifiers> idle;

  Result<Classifiers> make() const {
    Classifiers c;
    SDC_TRY_ASSIGN(c.haar, classifier_from_xml(xml, options.cascade_path, "cascade_path"));
    if (!lbp_xml.empty()) {
      SDC_TRY_ASSIGN(c.lbp, classifier_from_xml(lbp_xml, options.lbp_cascade_path, "lbp_cascade_path"));
    }
    return c;
  }
};

Result<FaceDetector> FaceDetector::create(const FaceDetectorOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  if (impl->options.cascade_path.empty()) impl->options.cascade_path = kDefaultCascade;
  if (impl->options.lbp_candidates && impl->options.lbp_cascade_path.empty())
    impl->options.lbp_cascade_path = kDefaultLbpCascade;
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
  if (o.lbp_confirmation && !o.lbp_candidates) {
    return Error(Errc::invalid_argument, "lbp_confirmation is set without lbp_candidates.",
                 "set lbp_candidates too (LBP confirms only its own candidates), or clear lbp_confirmation.",
                 Where{.field = "lbp_confirmation"});
  }
  if (o.min_neighbors < 1 || o.min_neighbors > 20) {
    return Error(Errc::invalid_argument, "min_neighbors is " + std::to_string(o.min_neighbors) + ".", "use 1 to 20.",
                 Where{.field = "min_neighbors"});
  }
  SDC_TRY_ASSIGN(impl->xml, read_cascade(o.cascade_path, "cascade_path"));
  if (o.lbp_candidates) {
    SDC_TRY_ASSIGN(impl->lbp_xml, read_cascade(o.lbp_cascade_path, "lbp_cascade_path"));
  }
  SDC_TRY_ASSIGN(auto first, impl->make());
  impl->idle.push_back(std::move(first));
  return FaceDetector(std::move(impl));
}

const FaceDetectorOptions& FaceDetector::options() const noexcept {
  static const FaceDetectorOptions kDefaults{};
  return impl_ ? impl_->options : kDefaults;
}

Result<std::vector<PxRect>> FaceDetector::detect(const ImageView& photo) const {
  SDC_TRY(check_call(impl_ != nullptr, photo));
  std::optional<Classifiers> cc;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (!impl_->idle.empty()) {
      cc = std::move(impl_->idle.back());
      impl_->idle.pop_back();
    }
  }
  if (!cc) {
    SDC_TRY_ASSIGN(cc, impl_->make());
  }
  auto out = run_detection(impl_->options, *cc, photo);
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->idle.size() < kMaxPooled) impl_->idle.push_back(std::move(*cc));
  }
  return out;
}

struct FaceScratch::Impl {
  std::weak_ptr<const void> detector;  // whose classifiers `cc` are
  std::optional<Classifiers> cc;
};
FaceScratch::FaceScratch() : impl_(std::make_unique<Impl>()) {}
FaceScratch::~FaceScratch() = default;
FaceScratch::FaceScratch(FaceScratch&&) noexcept = default;
FaceScratch& FaceScratch::operator=(FaceScratch&&) noexcept = default;

Result<std::vector<PxRect>> FaceDetector::detect(const ImageView& photo, FaceScratch& scratch) const {
  SDC_TRY(check_call(impl_ != nullptr, photo));
  FaceScratch::Impl& s = *scratch.impl_;
  const std::shared_ptr<const void> self = impl_;
  if (!s.cc || !detail::same_owner(s.detector, self)) {
    s.cc.reset();
    SDC_TRY_ASSIGN(s.cc, impl_->make());
    s.detector = self;
  }
  return run_detection(impl_->options, *s.cc, photo);
}

}  // namespace sdc
