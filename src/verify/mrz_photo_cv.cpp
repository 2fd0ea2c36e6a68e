// read_document_mrz: the zone of a document in a photo, read as it is and, where a phone's
// perspective spoils that, on the document located and rectified. OpenCV maps the reading's
// location back into the photo.
#include <sdc/mrz.hpp>
#include <sdc/verify.hpp>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace sdc {
namespace {

// More check digits holding, then fewer corrections: a zone read askew through a phone's
// perspective can be talked into holding every check digit by dozens of corrections.
bool better(const MrzReading& a, const MrzReading& b) {
  const int ha = a.checks_holding(), hb = b.checks_holding();
  return ha != hb ? ha > hb : a.corrections.size() < b.corrections.size();
}

// Read cleanly: every check digit holds as printed.
bool clean(const MrzReading& r) {
  return r.all_checks_ok() && r.corrections.empty();
}

// Moves a reading made on the rectified document (`w` x `h` px) into the photo, where the document's
// corners are `at`.
void into_photo(MrzReading& r, const std::array<ImagePoint, 4>& at, int w, int h) {
  const std::vector<cv::Point2f> from{
      {0, 0}, {static_cast<float>(w), 0}, {static_cast<float>(w), static_cast<float>(h)}, {0, static_cast<float>(h)}};
  std::vector<cv::Point2f> to;
  for (const auto& p : at) to.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  const cv::Mat hm = cv::getPerspectiveTransform(from, to);
  std::vector<cv::Point2f> in, out;
  for (const auto& c : r.location.corners) in.emplace_back(static_cast<float>(c[0]), static_cast<float>(c[1]));
  cv::perspectiveTransform(in, out, hm);
  const double before = std::hypot(in[3].x - in[0].x, in[3].y - in[0].y);
  for (std::size_t i = 0; i < 4; ++i) r.location.corners[i] = {out[i].x, out[i].y};
  const double after = std::hypot(out[3].x - out[0].x, out[3].y - out[0].y);
  if (before > 0) r.location.char_height_px *= after / before;
  r.location.angle_deg = -std::atan2(out[1].y - out[0].y, out[1].x - out[0].x) * 180.0 / CV_PI;
}

}  // namespace

Result<MrzReading> read_document_mrz(const ImageView& image, const MrzReader& reader) {
  auto direct = reader.read(image);
  if (direct && clean(*direct)) return direct;
  if (!direct && direct.error().code() != Errc::bad_image) return direct;  // empty reader, memory
  std::optional<MrzReading> best;
  if (direct) best = std::move(*direct);
  try {
    for (const CardFormat format : {CardFormat::id1, CardFormat::id3, CardFormat::id2}) {
      auto where = locate_card(image, {.format = format});
      if (!where || !where->found || where->method != "outline") continue;
      const MmSize size = card_size(format);
      const double side_px = (where->side_px[0] + where->side_px[2]) / 2;
      const int dpi = std::clamp(static_cast<int>(std::lround(side_px / size.w.v * 25.4)), 150, 600);
      auto card = rectify_card(image, where->corners, format, Dpi{dpi});
      if (!card) continue;
      auto r = reader.read(card->view());
      if (!r) continue;
      if (!best || better(*r, *best)) {
        into_photo(*r, where->corners, card->width(), card->height());
        best = std::move(*r);
      }
      if (clean(*best)) break;
    }
  } catch (const std::bad_alloc&) {
    return Error(Errc::limit_exceeded, "out of memory reading the machine-readable zone",
                 "give a smaller image (MrzReadOptions::max_pixels bounds the work)");
  } catch (const cv::Exception& e) {
    return Error(Errc::internal, std::string("MRZ reader: ") + e.what());
  }
  if (best) return std::move(*best);
  return direct;
}

}  // namespace sdc
