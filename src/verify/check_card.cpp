// Checker::check_card: from one or two images of a card (scan, phone photo, exported PNG) to a
// report. Stage 1 finds and rectifies each side, stage 2 reads and verifies the seal (on the
// rectified card, else on the raw image), stage 3 and later compare what is printed with what is
// signed (add_card_findings).
#include <sdc/verify.hpp>

#include "forensics/forensics.hpp"
#include "verify/checker_detail.hpp"
#include "verify/glare.hpp"
#include "verify/mrz_check.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

namespace sdc {
namespace {

// How far under the pattern threshold a coarse capture's score may fall and still be a retake
// rather than a mismatch. Calibrated on the simulator (bench/RESULTS.md, eighth session): genuine
// cards in 300-dpi harsh captures scored down to 0.476 located within a pixel (0.455 located 26 px
// off); another card's pattern (set D) scored at most 0.40 at 300 dpi and 0.41 at 400.
constexpr double kCoarsePatternMargin = 0.08;

// CheckerOptions::copy_floor applies to captures whose card edge is spread over at most this many
// millimetres and whose resolution is at least this: on the simulator an original's copy score
// stayed 0.59 and more under a hand's 3 px of motion (edge 0.18 to 0.22 mm, a 400 dpi photo), 0.40
// and more on the harsh channel's 250 to 310 dpi photos (edge 0.26 to 0.31 mm), and fell to 0.27
// only past 0.34 mm (6 px of motion; bench/RESULTS.md, thirty-seventh session).
constexpr double kCopyFloorMaxEdgeMm = 0.25;
constexpr Dpi kCopyFloorMinDpi{250};

// A side without a personal guilloché (the specimen's back) has its text judged when the
// template's fixed text places it: at least this many labels, all found, none further off than
// this, each searched within kRegistrationSearchMm. On the simulator's genuine backs they lie
// within 0.12 mm; the 1200 dpi flatbed back located 2.35 mm short shows none within 1 mm (searched
// within 2 mm, 5 of its 6 were found, up to 1.5 mm off), and the uneven crop 12 px off 0.46 mm with
// one label not found (bench/RESULTS.md, twenty-fifth session). The text's own search (±1 mm)
// takes the rest. Elsewhere only its pass is taken (a side located a millimetre off fails every
// element), and the side is placed by its labels (place_by_labels, as a side located wrongly) and
// checked again where they put it: a back printed off its place on the card is judged where it
// was printed.
constexpr int kMinRegisteredText = 3;
constexpr double kRegisteredShiftMm = 0.35;
constexpr double kRegistrationSearchMm = 1.0;

// A side whose labels are not in place (labels_doubt) is placed again by them, when they can. Each
// is searched within kPlacingSearchMm (a white card on a pale desk whose edge glare washed out was
// located 2.4 mm inside it): at least kMinPlacingLabels found, spread over a third of the side
// each way, give an affine map from where the expected card prints them to where the print shows
// them (the worst left out while one disagrees by more than kPlacingResidualMm); fewer, at least
// two, a scale and a shift along each direction (a scale only where they span 10 mm of it). A label
// stretched with the side correlates less, so the side is rectified where the map puts it and
// searched again, kPlacingRounds times at most, each move of a corner under kMaxPlacingMoveMm. It
// is placed when its labels are in place there (found and within kRegisteredShiftMm, as
// labels_doubt asks) and is then checked again; never otherwise. Labels are the same on every
// card: a forgery placed well keeps its failures.
constexpr double kPlacingSearchMm = 3.0;
constexpr int kMinPlacingLabels = 4;
constexpr double kPlacingResidualMm = 0.25;
constexpr double kMaxPlacingMoveMm = 5.0;
constexpr int kPlacingRounds = 3;
// Where too few labels are found to place a side, it is searched again as if its outline had been
// located this much wider and taller than the card (mm; negative: narrower): 2 or 3.5 mm outside
// it on every side (a sleeve, a shadow), 2 mm inside (a printed frame), or 4 mm off one edge.
constexpr std::pair<double, double> kPlacingOutlines[] = {{4, 4}, {7, 7}, {-4, -4}, {4, 0}, {-4, 0}, {0, 4}, {0, -4}};

// det of a 3 x 3 matrix.
double det3(const double (&a)[3][3]) {
  return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
         a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
}

// The map (a, b, c; d, e, f), found = (a x + b y + c, d x + e y + f), from each label's expected
// centre to where it was found, as described at kPlacingSearchMm; nullopt with fewer than two
// labels, or when they keep disagreeing.
std::optional<std::array<double, 6>> labels_map(std::vector<forensics::TextRegistration::Label> ls, MmSize card) {
  const auto residual = [](const std::array<double, 6>& m, const forensics::TextRegistration::Label& l) {
    return std::hypot(m[0] * l.expected.x.v + m[1] * l.expected.y.v + m[2] - l.found.x.v,
                      m[3] * l.expected.x.v + m[4] * l.expected.y.v + m[5] - l.found.y.v);
  };
  while (ls.size() >= 2) {
    double xmin = 1e9, xmax = -1e9, ymin = 1e9, ymax = -1e9;
    for (const auto& l : ls) {
      xmin = std::min(xmin, l.expected.x.v), xmax = std::max(xmax, l.expected.x.v);
      ymin = std::min(ymin, l.expected.y.v), ymax = std::max(ymax, l.expected.y.v);
    }
    const double cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
    std::array<double, 6> map{};
    if (static_cast<int>(ls.size()) >= kMinPlacingLabels && xmax - xmin >= card.w.v / 3 &&
        ymax - ymin >= card.h.v / 3) {
      // Normal equations of [x y 1] (centred) against the found x and y; Cramer's rule.
      double m[3][3] = {}, bx[3] = {}, by[3] = {};
      for (const auto& l : ls) {
        const double v[3] = {l.expected.x.v - cx, l.expected.y.v - cy, 1};
        for (int i = 0; i < 3; ++i) {
          for (int j = 0; j < 3; ++j) m[i][j] += v[i] * v[j];
          bx[i] += v[i] * (l.found.x.v - cx);
          by[i] += v[i] * (l.found.y.v - cy);
        }
      }
      const double d = det3(m);
      if (!(std::abs(d) > 1e-9)) return std::nullopt;
      const auto solve = [&](const double(&b)[3]) {
        std::array<double, 3> x{};
        for (int c = 0; c < 3; ++c) {
          double a[3][3];
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) a[i][j] = j == c ? b[i] : m[i][j];
          x[static_cast<std::size_t>(c)] = det3(a) / d;
        }
        return x;
      };
      const auto px = solve(bx), py = solve(by);
      // Uncentred: found = A (e - c) + t + c.
      map = {px[0], px[1], px[2] + cx - px[0] * cx - px[1] * cy, py[0], py[1], py[2] + cy - py[0] * cx - py[1] * cy};
    } else {
      // Along each direction alone: a scale where the labels span 10 mm of it, and a shift.
      const auto axis = [&](auto pick, double centre, double span) {
        double se = 0, sf = 0, see = 0, sef = 0;
        const double n = static_cast<double>(ls.size());
        for (const auto& l : ls) {
          const auto [e, f] = pick(l);
          se += e - centre, sf += f - centre, see += (e - centre) * (e - centre), sef += (e - centre) * (f - centre);
        }
        const double var = see - se * se / n;
        const double scale = span >= 10 && var > 1e-9 ? (sef - se * sf / n) / var : 1.0;
        const double shift = (sf - scale * se) / n;
        return std::array<double, 2>{scale, shift + centre - scale * centre};
      };
      const auto ax = axis([](const auto& l) { return std::pair{l.expected.x.v, l.found.x.v}; }, cx, xmax - xmin);
      const auto ay = axis([](const auto& l) { return std::pair{l.expected.y.v, l.found.y.v}; }, cy, ymax - ymin);
      map = {ax[0], 0, ax[1], 0, ay[0], ay[1]};
    }
    std::size_t worst = 0;
    double worst_mm = -1;
    for (std::size_t i = 0; i < ls.size(); ++i)
      if (const double off = residual(map, ls[i]); off > worst_mm) worst_mm = off, worst = i;
    if (worst_mm <= kPlacingResidualMm) return map;
    ls.erase(ls.begin() + static_cast<std::ptrdiff_t>(worst));
  }
  return std::nullopt;
}

// Where a printed portrait's face is: the composer crops every portrait with the default
// PortraitOptions (head 0.75 of the box's height, centred across it), so the Haar box of its face
// is 0.75 / (kCrownAboveBox + kChinBelowTop) = 0.45 of the box's height, centred across the box.
// A face found further off than this fraction of the box's width, or of a height outside these
// fractions of the box's (the specimen's printed portrait gives 0.475), is not a portrait printed
// there: the card was located wrongly. In the G-harsh runs of bench/RESULTS.md (ninth session), a
// card located 380 px off showed a face 0.31 of the box high; one stretched by a located side
// 116 px off, 0.50.
constexpr double kFaceOffCentre = 0.20;
constexpr double kFaceMinHeight = 0.34, kFaceMaxHeight = 0.60;
// And down the box: the crop puts the crown 0.07 of the box's height from its top (the default
// crown_margin), and the Haar box (0.45 of the box's height, above) starts kCrownAboveBox of its
// own height below the crown, so the face's centre is 0.07 + (0.50 + 0.5) x 0.45 = 0.52 down.
// Measured 0.512 to 0.536 on every located card of sets G-medium, G-harsh, B, C and F (nineteenth
// session); the genuine cards located wrongly in the tilted (35 degrees) and strong-perspective
// (0.12) runs showed 0.30 to 0.36, a card located with its top edge on the header band's inner
// edge among them. A face further than this up or down is not a portrait printed there either.
constexpr double kFaceCentreDown = 0.52, kFaceOffDown = 0.12;
// The Haar box of a printed portrait's face, in the box's heights (above), where no face
// detector says where the face is.
constexpr double kFaceHeight = 0.45;
// A portrait whose face is clipped white (kClip) at this share or more is under glare: a highlight
// over part of the portrait moved a genuine one 22 bits (eval_checker --glare 1 --retakes 1,
// G-mild 23's retake); without glare set B's 40 other faces keep their mismatch.
constexpr double kGlareOverFace = 0.10;
// A portrait that matches while this share of its face is clipped white matched mostly on the rest
// (hair, clothes, backdrop). Higher than kGlareOverFace: a small highlight leaves the face to the
// hash, and a photo's own blown-out highlight (a forehead under a flash, printed as bare paper)
// must not make a genuine card a retake on every capture.
constexpr double kGlareOverMatch = 0.25;

// The largest of `faces` (not empty): the portrait's, where a photo shows several.
const PxRect& largest(const std::vector<PxRect>& faces) {
  return *std::max_element(faces.begin(), faces.end(), [](const PxRect& a, const PxRect& b) {
    return static_cast<long>(a.w) * a.h < static_cast<long>(b.w) * b.h;
  });
}

// What an officer does about a capture too coarse to judge fine lines.
constexpr const char* kRetakeCloser = "retake it closer, or scan it at 600 dpi";
// ... and about a card tilted before the camera (one direction foreshortened by over kTilted).
constexpr const char* kRetakeFacing =
    "hold the camera parallel to the card, close enough, and retake it, or scan it at 600 dpi";
constexpr double kTilted = 1.1;
// ... and about a capture that the camera's movement or focus blurred.
constexpr const char* kRetakeSharp = "hold the camera still, let it focus and retake it, or scan it at 600 dpi";
// ... and about a print whose fine lines are borderline on this capture.
constexpr const char* kRetakeFlatbed = "scan it on a flatbed at 600 dpi to decide";
// A copy check that passes under a threshold this low rules out a copy made through a coarse scanner
// or printer only: one made from a lossless 1200 dpi scan on a printer as fine as the issuer's
// scores as an original does on a phone photo, and is told apart only where the capture is sharp
// enough to raise the threshold this far (bench/RESULTS.md, set C-fine, thirty-first session:
// accepted on every judged 400 dpi photo and on 18 of 20 phone photos at 600 dpi, threshold 0.60;
// on none of the 600 dpi flatbed scans, copies 0.65 to 0.68 against 0.68 to 0.72, 3 of 20
// borderline, nor of the 1200 dpi photos, copies 0.66 to 0.71 against 0.70 to 0.74, 4 of 20).
constexpr double kFineCopyThreshold = 0.69;
// Why a check that needs the card's template did not run.
constexpr const char* kNoTemplate =
    "no template is known for this card (give the card's template in CheckerOptions::templates; sdc verify "
    "--template T, or --templates DIR)";

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

Finding finding(std::string check, Outcome outcome, std::string code, std::string reason, int seal = -1) {
  Finding f;
  f.check = std::move(check);
  f.outcome = outcome;
  f.code = std::move(code);
  f.reason = std::move(reason);
  f.seal = seal;
  return f;
}

// One image of the card as it goes through the stages.
struct Shot {
  ImageView raw;
  SideCheck check;
  Image card;  // rectified (empty when the card was not found)
  std::vector<QrDecoded> codes;
  bool codes_on_card = false;  // the codes' corners are in `card` pixels (else raw image pixels)
  bool has_seal = false;
};

// How finely a located card was captured, in dots per inch at the card, along each of its two
// directions: its mean width in pixels over the format's width, its mean height over its height.
// A card tilted before the camera is foreshortened along one of them (by 0.82 at 35 degrees).
struct Sampling {
  double across = 0, down = 0;
  double dpi() const { return std::min(across, down); }  // CaptureQuality::dpi: the coarser
  double foreshortening() const { return std::max(across, down) / std::max(1e-9, dpi()); }
};
Sampling sampling_of(const CardLocation& l, CardFormat f) {
  const MmSize sz = card_size(f);
  return {(l.side_px[0] + l.side_px[2]) / 2 / sz.w.v * 25.4, (l.side_px[1] + l.side_px[3]) / 2 / sz.h.v * 25.4};
}

// A card found upright at `corners` (reading order) by `method`, with its sides' lengths and turn.
CardLocation upright_at(const std::array<ImagePoint, 4>& c, std::string method) {
  CardLocation l;
  l.found = true;
  l.method = std::move(method);
  l.corners = c;
  l.upright_known = true;
  for (std::size_t i = 0; i < 4; ++i) l.side_px[i] = std::hypot(c[(i + 1) % 4].x - c[i].x, c[(i + 1) % 4].y - c[i].y);
  l.rotation_deg = -std::atan2(c[1].y - c[0].y, c[1].x - c[0].x) * 180 / 3.14159265358979;
  return l;
}

std::array<ImagePoint, 4> trim_px(CardFormat f, Dpi dpi) {
  const MmSize s = card_size(f);
  const double w = to_px(s.w, dpi).v, h = to_px(s.h, dpi).v;
  return {ImagePoint{0, 0}, ImagePoint{w, 0}, ImagePoint{w, h}, ImagePoint{0, h}};
}

ImagePoint centre_of(const std::array<QrDecoded::Point, 4>& c) {
  ImagePoint p;
  for (const auto& q : c) {
    p.x += (q.x + 0.5) / 4;
    p.y += (q.y + 0.5) / 4;
  }
  return p;
}

// Points into `els`: a temporary list would leave it dangling, hence the deleted overload.
const ElementInfo* first_of(std::vector<ElementInfo>&& els, std::string_view type) = delete;
const ElementInfo* first_of(const std::vector<ElementInfo>& els, std::string_view type) {
  for (const auto& e : els)
    if (e.type == type) return &e;
  return nullptr;
}

// The share of a QR code's place clipped white that names glare where no code was read
// (qr_place_washed_out), as kGlareOverFace does for the portrait: print is never that light, so
// the place is under a highlight, whatever else kept the code from being read.
constexpr double kGlareOverCode = 0.10;

// Where the template puts its (first) QR code, and on which side.
struct QrPlace {
  Side side = Side::front;
  MmRect box;
};
std::optional<QrPlace> qr_place(const Template& t) {
  if (t.empty()) return std::nullopt;
  for (Side s : {Side::front, Side::back}) {
    if (!t.has_side(s)) continue;
    const std::vector<ElementInfo> els = t.elements(s);  // first_of points into it
    if (const ElementInfo* e = first_of(els, "qr")) return QrPlace{s, e->box};
  }
  return std::nullopt;
}

// Whether glare washes out the place where a template prints its QR code, on an image where no
// code could be read: that place on each rectified card, both ways up (which way is up is known
// only from a code read), for the template given or each of those given, either every one of its
// 5 x 5 blocks of modules washed out (`zone_glare`), or a tenth of it clipped white (every colour
// channel at 250 or lighter) and at least twice the card's share. Not a few washed-out blocks:
// those of a place that holds other print can look washed out where it is pale and flat (5 of 25
// on the specimen's front, without glare), but print is never clipped white. Not where the card's
// paper clips as a whole (a flatbed's white): the code's light modules are that paper. A place
// left blank on a capture whose paper clips looks the same; the reason says so.
bool qr_place_washed_out(const std::vector<Shot>& shots, const CheckerOptions& o, CardFormat f) {
  std::vector<MmRect> boxes;
  auto add = [&](const Template& t) {
    if (const auto p = qr_place(t)) boxes.push_back(p->box);
  };
  if (!o.card_template.empty()) add(o.card_template);
  for (const auto& t : o.templates) add(t);
  const MmSize card = card_size(f);
  for (const auto& s : shots) {
    if (s.card.empty()) continue;
    const double card_clipped =
        detail::clipped_white_share(s.card.view(), PxRect{0, 0, s.card.width(), s.card.height()});
    for (const MmRect& b : boxes)
      for (const bool turned : {false, true}) {
        // The symbol: the box's centred square less a tenth of it each side (most of the quiet zone).
        const double side = 0.8 * std::min(b.w.v, b.h.v);
        double x = b.x.v + (b.w.v - side) / 2, y = b.y.v + (b.h.v - side) / 2;
        if (turned) x = card.w.v - x - side, y = card.h.v - y - side;
        const ImageView zone = s.card.view().cropped(to_px(MmRect{Mm{x}, Mm{y}, Mm{side}, Mm{side}}, o.working_dpi));
        const detail::ZoneGlare g = detail::zone_glare(zone, 5, 5);
        if (g.cells > 0 && g.washed == g.cells) return true;
        const double clipped = detail::clipped_white_share(zone, PxRect{0, 0, zone.width(), zone.height()});
        if (clipped >= kGlareOverCode && clipped >= 2 * card_clipped) return true;
      }
  }
  return false;
}

// The portrait: the template's first photo element, on the front or else the back (the photo
// check's); none when it has no photo element.
std::optional<ElementInfo> portrait_of(const Template& t) {
  for (Side s : {Side::front, Side::back}) {
    if (!t.has_side(s)) continue;
    const std::vector<ElementInfo> els = t.elements(s);  // first_of points into it
    if (const ElementInfo* e = first_of(els, "photo")) return *e;
  }
  return std::nullopt;
}

// The template named by a seal's template id among the candidates.
const Template* pick_template(const CheckerOptions& o, const std::string& template_id) {
  if (!o.card_template.empty()) return &o.card_template;
  if (template_id.empty()) return o.templates.size() == 1 && !o.templates[0].empty() ? &o.templates[0] : nullptr;
  for (const auto& t : o.templates)
    if (!t.empty() && t.content_id().rfind(template_id, 0) == 0) return &t;
  return nullptr;
}

// The card's trim corners in the image from the QR code's corners and the template's QR box: the
// renderer centres the symbol (without its quiet zone) in the box.
std::optional<std::array<ImagePoint, 4>> corners_from_qr(const QrDecoded& code, const QrPlace& place, CardFormat f) {
  QrEcLevel ec = QrEcLevel::M;
  if (code.ec_level == "L") ec = QrEcLevel::L;
  if (code.ec_level == "Q") ec = QrEcLevel::Q;
  if (code.ec_level == "H") ec = QrEcLevel::H;
  auto m = encode_qr(code.text, ec);
  if (!m) return std::nullopt;
  const double side = std::min(place.box.w.v, place.box.h.v);
  const double module = side / (m->size + 8);
  const double sym = module * m->size;
  const double x0 = place.box.x.v + (place.box.w.v - sym) / 2, y0 = place.box.y.v + (place.box.h.v - sym) / 2;
  const std::array<ImagePoint, 4> mm{ImagePoint{x0, y0}, ImagePoint{x0 + sym, y0}, ImagePoint{x0 + sym, y0 + sym},
                                     ImagePoint{x0, y0 + sym}};
  std::array<ImagePoint, 4> img;
  for (std::size_t i = 0; i < 4; ++i) img[i] = ImagePoint{code.corners[i].x + 0.5, code.corners[i].y + 0.5};
  const MmSize s = card_size(f);
  const std::array<ImagePoint, 4> trim{ImagePoint{0, 0}, ImagePoint{s.w.v, 0}, ImagePoint{s.w.v, s.h.v},
                                       ImagePoint{0, s.h.v}};
  std::array<ImagePoint, 4> out;
  for (std::size_t i = 0; i < 4; ++i) {
    auto p = detail::map_point(mm, img, trim[i]);
    if (!p) return std::nullopt;
    out[i] = *p;
  }
  return out;
}

void turn_180(Shot& s, bool image_too = true) {
  if (image_too) s.card = detail::rotated_180(s.card.view());
  auto& c = s.check.location.corners;
  std::rotate(c.begin(), c.begin() + 2, c.end());
  auto& l = s.check.location.side_px;
  std::rotate(l.begin(), l.begin() + 2, l.end());
  s.check.location.rotation_deg += s.check.location.rotation_deg > 0 ? -180 : 180;
  if (s.codes_on_card)
    for (auto& code : s.codes)
      for (auto& p : code.corners) p = {s.card.width() - 1 - p.x, s.card.height() - 1 - p.y};
}

// The seal's QR code on this shot, in rectified-card pixels.
std::optional<ImagePoint> seal_centre_on_card(const Shot& s, const std::string& prefix, CardFormat f, Dpi dpi) {
  for (const auto& code : s.codes) {
    if (code.text.rfind(prefix, 0) != 0) continue;
    const ImagePoint c = centre_of(code.corners);
    if (s.codes_on_card) return c;
    return detail::map_point(s.check.location.corners, trim_px(f, dpi), c);
  }
  return std::nullopt;
}

// Turns the rectified card upright from the seal's QR code: where the template puts it, else
// (no template) the symbol's own orientation, as QR codes are printed upright.
void orient_by_qr(Shot& s, const std::optional<QrPlace>& place, const std::string& prefix, CardFormat f, Dpi dpi) {
  if (s.card.empty() || s.check.location.upright_known) return;
  const auto c = seal_centre_on_card(s, prefix, f, dpi);
  if (!c) return;
  bool flip = false;
  if (place) {
    const double k = dpi.px_per_mm();
    const double ex = (place->box.x.v + place->box.w.v / 2) * k, ey = (place->box.y.v + place->box.h.v / 2) * k;
    const double fx = s.card.width() - ex, fy = s.card.height() - ey;
    flip = std::hypot(c->x - fx, c->y - fy) < std::hypot(c->x - ex, c->y - ey);
  } else {
    for (const auto& code : s.codes) {
      if (code.text.rfind(prefix, 0) != 0) continue;
      std::array<ImagePoint, 4> p;
      for (std::size_t i = 0; i < 4; ++i) p[i] = ImagePoint{code.corners[i].x + 0.5, code.corners[i].y + 0.5};
      if (!s.codes_on_card)
        for (auto& q : p)
          if (auto m = detail::map_point(s.check.location.corners, trim_px(f, dpi), q)) q = *m;
      flip = p[1].x - p[0].x < 0;
      break;
    }
  }
  if (flip) turn_180(s);
  s.check.location.upright_known = true;
}

}  // namespace

namespace detail {

void add_first_check(Report& r, const Report& first) {
  double first_ms = 0;
  for (const StageTime& st : first.timings)
    if (st.stage == "total") first_ms = st.ms;
  bool counted = false;
  for (StageTime& st : r.timings) {
    if (st.stage == "total") st.ms += first_ms;
    if (st.stage == "first_check") st.ms += first_ms, counted = true;
  }
  if (!counted) r.timings.insert(r.timings.end() - (r.timings.empty() ? 0 : 1), {"first_check", first_ms});
}

std::string uncertain_location(const CardLocation& location, int width, int height, CardFormat format) {
  if (!location.found || location.method != "whole_image") return "";
  const MmSize size = card_size(format);
  const double px_per_mm = std::max(location.side_px[0], location.side_px[1]) / std::max(size.w.v, size.h.v);
  if (!(px_per_mm > 0)) return "";
  double margin = std::numeric_limits<double>::max();
  for (const auto& c : location.corners) margin = std::min({margin, c.x, c.y, width - c.x, height - c.y});
  const double margin_mm = margin / px_per_mm;
  if (margin_mm < detail::kPrintBleedMm) return "";
  char buf[240];
  std::snprintf(buf, sizeof buf,
                "the whole image was taken as the card (no card outline found in it), and its margin of %.1f mm is "
                "wider than a print bleed: the card may be located wrongly; retake the photo with the card's four "
                "edges in view on a plain background",
                margin_mm);
  return buf;
}

void add_card_findings(std::vector<CardSide>& sides, const Template& tmpl, const CheckerOptions& o,
                       const LazyFaceDetector& faces, Report& r) {
  if (o.payload_format != PayloadFormat::sdc_card) return;
  // Stage 3, the photo binding: the printed portrait cropped from the template's photo box.
  const std::optional<ElementInfo> photo = tmpl.empty() ? std::nullopt : portrait_of(tmpl);
  const Side photo_side = photo ? photo->side : Side::front;
  CardSide* side = nullptr;
  for (auto& s : sides)
    if (photo && s.side == photo_side && s.card && !s.card->empty()) side = &s;

  for (std::size_t i = 0; i < r.seals.size(); ++i) {
    SealResult& seal = r.seals[i];
    const int index = static_cast<int>(i);
    const auto& p = seal.verification.payload;
    std::string why;
    if (tmpl.empty())
      why = kNoTemplate;
    else if (!photo)
      why = "the template has no photo element";
    else if (!side)
      why = std::string("the ") + to_string(photo_side) + " side, where the portrait is, was not given or not located";
    if (!p || p->photo_hash.empty() || !why.empty()) {
      Finding f = photo_finding(seal, index, {}, o.photo_threshold);
      if (f.code == "no_portrait") {
        // The seal binds a photo we could not look at: not a reason to reject, but not genuine.
        f.outcome = Outcome::warn;
        f.code = "not_checked";
        f.reason = "the printed portrait was not compared with the seal: " + why;
      }
      r.findings.push_back(std::move(f));
      continue;
    }
    const double k = side->dpi.px_per_mm();
    const PxRect box{
        static_cast<int>(std::lround(photo->box.x.v * k)), static_cast<int>(std::lround(photo->box.y.v * k)),
        static_cast<int>(std::lround(photo->box.w.v * k)), static_cast<int>(std::lround(photo->box.h.v * k))};
    auto hash_of_portrait = [](const ImageView& portrait) -> std::vector<std::uint8_t> {
      auto h = photo_hash(portrait);
      return h ? std::move(*h) : std::vector<std::uint8_t>{};
    };
    auto hash_of = [&](const Image& card) { return hash_of_portrait(card.view().cropped(box)); };
    // Whether a face shows where the template puts the portrait; nullopt when that cannot be told
    // (no face detector, or detection failed).
    auto faces_in_portrait = [&](const ImageView& portrait) -> std::optional<std::vector<PxRect>> {
      const FaceDetector& detector = faces.get();
      if (detector.empty()) return std::nullopt;
      auto found = detector.detect(portrait);
      if (!found) return std::nullopt;
      return std::move(*found);
    };
    auto faces_in = [&](const Image& card) { return faces_in_portrait(card.view().cropped(box)); };
    const auto distance = [&](const std::vector<std::uint8_t>& hash) {
      const int d = hash.empty() ? -1 : photo_hash_distance(hash, p->photo_hash);
      return d < 0 ? std::numeric_limits<int>::max() : d;
    };
    std::vector<std::uint8_t> h = hash_of(*side->card);
    // The faces in the portrait area of the side as checked, once looked for (only when the
    // portrait does not match).
    std::optional<std::vector<PxRect>> found;
    bool looked = false;
    if (!side->upright_known) {
      // No QR code on this side to say which way is up: the portrait's better match decides; when
      // neither way matches, the way in which a face shows there (a portrait that is not the sealed
      // one is still a face, and must be judged the right way up).
      Image turned = rotated_180(side->card->view());
      std::vector<std::uint8_t> h2 = hash_of(turned);
      bool turn = !h2.empty() && (h.empty() || distance(h2) < distance(h));
      if (!h.empty() && !h2.empty() && std::min(distance(h), distance(h2)) > o.photo_threshold) {
        auto here = faces_in(*side->card), there = faces_in(turned);
        if (here && there && here->empty() != there->empty()) turn = !there->empty();
        found = turn ? std::move(there) : std::move(here);
        looked = true;
      }
      if (turn) {
        h = std::move(h2);
        *side->card = std::move(turned);
        side->turned = true;
      }
      side->upright_known = !h.empty();
    }
    if (h.empty()) {
      r.findings.push_back(finding("photo", Outcome::warn, "not_checked",
                                   "the printed portrait's area could not be hashed (outside the card image)", index));
      continue;
    }
    // A shadow's edge across the portrait moves its hash by a step, towards the sealed hash or
    // away from it: where the paper around the portrait shows such an edge, the portrait is
    // compared with its light evened out, and a face is looked for there (a face half in a deep
    // shadow goes unseen). Not the nearer of the two: that would favour another face as much.
    const Image evened = detail::even_out_shadow_edge(side->card->view(), side->dpi, box);
    std::vector<std::uint8_t> he = evened.empty() ? std::vector<std::uint8_t>{} : hash_of_portrait(evened.view());
    Finding f = photo_finding(seal, index, he.empty() ? h : he, o.photo_threshold);
    // Where the portrait's face is in the card image: the largest face found there, else where a
    // printed portrait's face is in its box.
    const auto face_area = [&] {
      if (found && !found->empty()) {
        const PxRect& big = largest(*found);
        return PxRect{box.x + big.x, box.y + big.y, big.w, big.h};
      }
      return PxRect{box.x + static_cast<int>(std::lround(box.w / 2.0 - kFaceHeight * box.h / 2)),
                    box.y + static_cast<int>(std::lround((kFaceCentreDown - kFaceHeight / 2) * box.h)),
                    static_cast<int>(std::lround(kFaceHeight * box.h)),
                    static_cast<int>(std::lround(kFaceHeight * box.h))};
    };
    // Makes `f` a `glare` retake where `share` or more of the face's place is clipped white; `place`
    // names it in the reason, `then` follows the comparison's own reason there.
    const auto glare_over_face = [&](double share, const char* place, const char* then) {
      const double washed = detail::clipped_white_share(side->card->view(), face_area());
      if (washed < share) return false;
      char buf[128];
      std::snprintf(buf, sizeof buf, "glare washes out %.0f %% of %s (", 100 * washed, place);
      f.outcome = Outcome::warn;
      f.code = "glare";
      f.reason = buf + f.reason + then;
      return true;
    };
    if (!he.empty()) f.reason += ", compared with the light of a shadow's edge across it evened out";
    if (f.outcome == Outcome::fail && f.code == "mismatch" && !side->location_doubt.empty()) {
      f.outcome = Outcome::warn;
      f.code = "uncertain_location";
      f.reason = f.reason + ", but " + side->location_doubt;
    } else if (f.outcome == Outcome::fail && f.code == "mismatch") {
      // A portrait that is not the sealed one fails. But where no face shows at all, the card was
      // most likely located or turned wrongly (a poor phone photo), or the portrait is covered or
      // defaced: a retake, not a verdict on the holder (and never genuine either way).
      if (!evened.empty())
        found = faces_in_portrait(evened.view());
      else if (!looked)
        found = faces_in(*side->card);
      if (found && found->empty()) {
        // A highlight over the face's middle hides the face from the detector: where a printed
        // face's place is clipped white as below, the light is what to change.
        if (!glare_over_face(kGlareOverFace, "where the portrait's face is printed",
                             "), and no face shows there: tilt the card away from the light and retake the photo")) {
          f.outcome = Outcome::warn;
          f.code = "no_face";
          f.reason =
              "no face where the template puts the portrait (" + f.reason +
              "): the card may be located wrongly, or the portrait covered or under a reflection; retake the photo";
        }
        // The print checks on this side are then in doubt too: a pattern or copy check that fails
        // on a card located wrongly measures the desk, not the print.
        if (side->location_doubt.empty())
          side->location_doubt = "no face shows where the template puts the portrait: the card may be located wrongly";
      } else if (found) {
        // A face that is not where a printed portrait's is: most likely the card located some
        // millimetres off (a phone photo's weak edge), the portrait cut by the box. Also a retake;
        // a portrait replaced in place still fails.
        const PxRect& big = largest(*found);
        const double off = (big.x + big.w / 2.0 - box.w / 2.0) / box.w, height = big.h / static_cast<double>(box.h);
        const double down = (big.y + big.h / 2.0) / box.h - kFaceCentreDown;
        if (std::abs(off) > kFaceOffCentre || std::abs(down) > kFaceOffDown || height < kFaceMinHeight ||
            height > kFaceMaxHeight) {
          char buf[260];
          std::snprintf(buf, sizeof buf,
                        "the face in the portrait area is %.1f mm off its centre across, %.1f mm %s than a "
                        "printed portrait's face, and %.0f %% of the area's height (",
                        off * photo->box.w.v, std::abs(down) * photo->box.h.v, down < 0 ? "higher" : "lower",
                        100 * height);
          f.outcome = Outcome::warn;
          f.code = "face_misplaced";
          f.reason = buf + f.reason + "): the card may be located wrongly; retake the photo";
          if (side->location_doubt.empty())
            side->location_doubt =
                "the face in the portrait is not where a printed one is: the card may be located wrongly";
        }
      }
      if (f.outcome == Outcome::fail) {
        // A highlight over the face (a lamp in the laminate) moves the hash as far as another face
        // does. A printed face is never clipped white, even on a flatbed whose paper is: where a
        // tenth of it is, the comparison says nothing, and the photo is a retake (never genuine; a
        // retake away from the light fails another face, and Checker::check_captures fails a
        // card that fails on any capture).
        glare_over_face(kGlareOverFace, "the portrait's face",
                        "): tilt the card away from the light and retake the photo");
      }
    }
    // A match where glare washes out the face is a match of the rest (hair, clothes, backdrop),
    // which another face framed alike may share: it says nothing of the face, so a retake.
    if (f.outcome == Outcome::pass)
      glare_over_face(
          kGlareOverMatch, "the portrait's face",
          "), so the match says nothing of the face: tilt the card away from the light and retake the photo");
    r.findings.push_back(std::move(f));
  }
  // Hook: the MRZ against the seal adds its findings here, from `sides` (rectified, upright when
  // known) and `tmpl`. The pattern binding and copy detection follow in add_forensic_findings.
}

const FaceDetector& LazyFaceDetector::get() const {
  std::call_once(once_, [this] {
    if (auto made = FaceDetector::create(options_)) faces_ = std::move(*made);
  });
  return faces_;
}

Record record_from_payload(const SealPayload& p) {
  Record r;
  r.source = "seal";
  auto set = [&](const char* field, const std::string& v) {
    if (!v.empty()) r.set(field, v);
  };
  set("surname", p.surname);
  set("given_names", p.given_names);
  set("surname_latin", p.surname_latin);
  set("given_names_latin", p.given_names_latin);
  set("date_of_birth", p.date_of_birth);
  set("sex", p.sex);
  set("nationality", p.nationality);
  set("registration_number", p.registration_number);
  set("docket_number", p.docket_number);
  set("document_number", p.document_number);
  // The payload carries the office's code (or its name when the record had no code).
  set("issuing_office", p.office);
  set("issuing_office_code", p.office);
  set("issue_date", p.issue_date);
  set("expiry_date", p.expiry_date);
  set("card_variant", p.card_variant);
  return r;
}

void add_mrz_findings(const std::vector<CardSide>& sides, const Template& tmpl, const Checker::State& st, Report& r) {
  if (st.options.payload_format != PayloadFormat::sdc_card) return;
  // The side the template prints its zone on.
  std::optional<Side> mrz_side;
  MmRect mrz_box;
  if (!tmpl.empty())
    for (Side s : {Side::front, Side::back})
      if (tmpl.has_side(s) && !mrz_side)
        for (const auto& e : tmpl.elements(s))
          if (e.type == "mrz" && !mrz_side) {
            mrz_side = s;
            mrz_box = e.box;
          }
  const CardSide* side = nullptr;
  for (const auto& s : sides)
    if (mrz_side && s.side == *mrz_side && s.card && !s.card->empty()) side = &s;
  // One reading for all seals (a card has one zone).
  std::optional<Result<MrzReading>> reading;
  for (std::size_t i = 0; i < r.seals.size(); ++i) {
    const int index = static_cast<int>(i);
    const auto& p = r.seals[i].verification.payload;
    auto add = [&](Outcome outcome, std::string code, std::string reason) {
      r.findings.push_back(finding("mrz", outcome, std::move(code), std::move(reason), index));
    };
    if (!p || !r.seals[i].verification.signer) {
      add(Outcome::not_checked, "not_checked", "the seal's signature did not verify: nothing to compare the MRZ with");
      continue;
    }
    if (tmpl.empty()) {
      add(Outcome::not_checked, "no_template", kNoTemplate);
      continue;
    }
    if (!mrz_side) {
      add(Outcome::not_checked, "no_mrz", "the card's template prints no MRZ");
      continue;
    }
    if (!side) {
      add(Outcome::warn, "side_missing",
          std::string("the ") + to_string(*mrz_side) + " side, which carries the MRZ, was not given or not found");
      continue;
    }
    if (!st.mrz_reader) {
      add(Outcome::warn, "no_reader", "the MRZ reader is not available: " + clip(st.mrz_reader_error, 200));
      continue;
    }
    // The zone the sealed data gives (the fields the seal carries; document code as in TD1 cards).
    auto data = mrz_data_from_record(record_from_payload(*p), p->issuer, "I");
    std::vector<std::string> expected;
    if (data)
      if (auto lines = make_td1(*data)) expected.assign(lines->begin(), lines->end());
    if (expected.empty()) {
      add(Outcome::warn, "not_comparable", "the sealed data does not give an MRZ to compare with");
      continue;
    }
    // Read where the template prints the zone (4 mm around its box: a rectification or a print a
    // little off), a fifth of the side; the whole side when no zone is found there (one printed
    // elsewhere is still read, and compared).
    if (!reading && side->upright_known) {
      const ImageView zone = side->card->view().cropped(to_px(mrz_box, side->dpi).inset(-to_px(Mm{4.0}, side->dpi).v));
      if (zone.width() > 16 && zone.height() > 16)
        if (auto there = st.mrz_reader->read(zone)) reading = std::move(there);
    }
    if (!reading) reading = st.mrz_reader->read(side->card->view());
    const MrzReading* read = *reading ? &**reading : nullptr;
    const std::string read_error = read ? "" : clip(reading->error().message(), 200);
    Finding f = mrz_finding(read, read_error, expected, index);
    // A zone unread or read otherwise than sealed: where it should be (known only on an upright
    // card), washed out by glare or not.
    if (f.outcome != Outcome::pass && side->upright_known)
      f = mrz_finding(read, read_error, expected, index,
                      mrz_glare(side->card->view().cropped(to_px(mrz_box, side->dpi)),
                                static_cast<int>(expected.size()), static_cast<int>(expected[0].size())));
    r.findings.push_back(std::move(f));
  }
}

void add_forensic_findings(const std::vector<ForensicSide>& sides, const Template& tmpl, const Checker::State& st,
                           Report& r, std::vector<std::optional<std::array<ImagePoint, 4>>>* placed) {
  if (placed) placed->assign(sides.size(), std::nullopt);
  using Corners = std::array<ImagePoint, 4>;
  // Where a side's labels place it, and their registration there.
  struct Placement {
    Corners corners;
    forensics::TextRegistration labels;
  };
  const auto index_of = [&](const ForensicSide& s) { return static_cast<std::size_t>(&s - sides.data()); };
  const CheckerOptions& o = st.options;
  if (o.payload_format != PayloadFormat::sdc_card) return;
  for (std::size_t i = 0; i < r.seals.size(); ++i) {
    const SealResult& seal = r.seals[i];
    const int index = static_cast<int>(i);
    const auto& p = seal.verification.payload;
    // The print checks that compare with the expected card: each gets the same finding.
    auto each = [&](Outcome outcome, const std::string& code, const std::string& reason) {
      for (const char* check : {"pattern", "copy", "text"})
        r.findings.push_back(finding(check, outcome, code, reason, index));
    };
    if (!p || !seal.verification.signer) {
      each(Outcome::not_checked, "not_checked",
           "the seal's signature did not verify: nothing to compare the print with");
      continue;
    }
    // A side on which a check failed may be one located some millimetres off rather than a
    // forgery: a white card on a pale desk whose edge a highlight washed out was located 2.4 mm
    // inside its left edge, and its portrait, pattern, copy and text all failed (bench/RESULTS.md,
    // thirty-second session). The template's fixed text tells (`expected`'s labels, the same on
    // every card): where fewer than half of them are within kRegistrationSearchMm of their place,
    // or those found lie further off than on any genuine capture located well
    // (kRegisteredShiftMm), the side's failures are retakes, never genuine. A forgery located well
    // keeps its labels in place and its failures. "" when the labels place the side.
    const auto labels_doubt = [&](const Result<forensics::TextRegistration>& reg, Side side) -> std::string {
      if (!reg || reg->elements < kMinRegisteredText) return {};
      char buf[200];
      if (2 * reg->found < reg->elements)
        std::snprintf(buf, sizeof buf,
                      "%d of the template's %d labels on the %s side are not within %.0f mm of their place",
                      reg->elements - reg->found, reg->elements, to_string(side), kRegistrationSearchMm);
      else if (reg->max_shift_mm > kRegisteredShiftMm)
        std::snprintf(buf, sizeof buf, "the template's labels on the %s side lie up to %.2f mm off their place ('%s')",
                      to_string(side), reg->max_shift_mm, reg->farthest.c_str());
      else
        return {};
      return std::string(buf) + ": the card may be located wrongly; retake the photo";
    };
    const auto registered = [&](const Card& expected, Side side, const forensics::Print& print) {
      return forensics::text_registration(print, o.forensic_dpi, expected, side, kRegistrationSearchMm);
    };
    // The corners at which the side's labels place it (kPlacingSearchMm), where they do, and
    // their registration there.
    const auto place_by_labels = [&](const Card& expected, const ForensicSide& fs,
                                     const Image& image) -> std::optional<Placement> {
      const CardFormat format = tmpl.geometry().format;
      const MmSize size = card_size(format);
      const std::array<ImagePoint, 4> trim = trim_px(format, o.forensic_dpi);
      const double kx = trim[2].x / size.w.v, ky = trim[2].y / size.h.v;
      // The trim corners where `map` (mm on the side as rectified at `corners`) puts them, in the
      // image, and the furthest a corner moves (mm); nullopt past kMaxPlacingMoveMm.
      const auto moved_by = [&](const std::array<double, 6>& map,
                                const Corners& corners) -> std::optional<std::pair<Corners, double>> {
        std::pair<Corners, double> out{{}, 0.0};
        for (std::size_t q = 0; q < 4; ++q) {
          const double x = trim[q].x / kx, y = trim[q].y / ky;
          const double fx = map[0] * x + map[1] * y + map[2], fy = map[3] * x + map[4] * y + map[5];
          const double move = std::hypot(fx - x, fy - y);
          if (!(move <= kMaxPlacingMoveMm)) return std::nullopt;
          out.second = std::max(out.second, move);
          const auto to = detail::map_point(trim, corners, ImagePoint{fx * kx, fy * ky});
          if (!to) return std::nullopt;
          out.first[q] = *to;
        }
        return out;
      };
      // Rounds from `corners`, at which the side rectifies to `start`.
      const auto rounds = [&](Corners corners, const Image& start) -> std::optional<Placement> {
        Image rect;
        const Image* at_corners = &start;
        for (int round = 0; round < kPlacingRounds; ++round) {
          auto wide =
              forensics::text_registration(at_corners->view(), o.forensic_dpi, expected, fs.side, kPlacingSearchMm);
          if (!wide) return std::nullopt;
          const auto map = labels_map(wide->labels, size);
          if (!map) return std::nullopt;
          const auto moved = moved_by(*map, corners);
          if (!moved) return std::nullopt;
          // The labels found agree with where the side is, yet the others are not found: no way on.
          if (round > 0 && moved->second < 0.05) return std::nullopt;
          corners = moved->first;
          auto again = rectify_card(fs.raw, corners, format, o.forensic_dpi);
          if (!again) return std::nullopt;
          rect = std::move(*again);
          at_corners = &rect;
          // In place: the labels registered, and no doubt from them.
          const auto reg = registered(expected, fs.side, rect.view());
          if (reg && reg->elements >= kMinRegisteredText && labels_doubt(reg, fs.side).empty())
            return Placement{corners, *reg};
        }
        return std::nullopt;
      };
      if (auto placed_here = rounds(fs.corners, image)) return placed_here;
      // Too few labels found to place it: the side may show at another size than located (its
      // outline taken around a sleeve or a shadow, or inside its edge), where its labels correlate
      // too little. The rounds start again from the outline of kPlacingOutlines at which the most are
      // found, when at least kMinPlacingLabels are.
      std::optional<std::pair<Corners, Image>> best;
      int most_found = kMinPlacingLabels - 1;
      for (const auto& [wider, taller] : kPlacingOutlines) {
        // The print at this size in the side as rectified, about its centre.
        const double sx = size.w.v / (size.w.v + wider), sy = size.h.v / (size.h.v + taller);
        const double cx = size.w.v / 2, cy = size.h.v / 2;
        const auto moved = moved_by({sx, 0, cx * (1 - sx), 0, sy, cy * (1 - sy)}, fs.corners);
        if (!moved) continue;
        auto rect = rectify_card(fs.raw, moved->first, format, o.forensic_dpi);
        if (!rect) continue;
        const auto wide =
            forensics::text_registration(rect->view(), o.forensic_dpi, expected, fs.side, kPlacingSearchMm);
        if (wide && wide->found > most_found) {
          most_found = wide->found;
          best.emplace(moved->first, std::move(*rect));
        }
      }
      if (!best) return std::nullopt;
      return rounds(best->first, best->second);
    };
    // The portrait's mismatch (add_card_findings), if it failed, and its side.
    // (An index: findings are added meanwhile.)
    std::optional<std::size_t> photo_failed;
    for (std::size_t j = 0; j < r.findings.size(); ++j) {
      const Finding& f = r.findings[j];
      if (f.check == "photo" && f.seal == index && f.outcome == Outcome::fail && f.code == "mismatch") photo_failed = j;
    }
    const std::optional<ElementInfo> portrait = portrait_of(tmpl);
    const Side portrait_side = portrait ? portrait->side : Side::front;
    const auto doubt_portrait = [&](const std::string& doubt) {
      if (!photo_failed || doubt.empty()) return;
      Finding& f = r.findings[*photo_failed];
      f.outcome = Outcome::warn;
      f.code = "uncertain_location";
      f.reason += ", but " + doubt;
    };
    const auto seed = o.pattern_seeds.find(p->issuer);
    if (seed == o.pattern_seeds.end() || !st.expected) {
      each(Outcome::not_checked, "no_seed", "no pattern seed for issuer " + detail::clip(p->issuer, 40));
      // Without the seed nothing is compared with the print but the portrait; its side's labels
      // still tell whether a mismatch is a side located wrongly (the card composed with the
      // template's own seed: the labels do not depend on it).
      // The composer is made here (about 40 ms): rarely needed, it is not made for every checker.
      if (photo_failed && !tmpl.empty())
        for (const auto& s : sides) {
          if (s.side != portrait_side || !s.upright_known || !s.location_doubt.empty()) continue;
          auto tools = expected_card_tools(o.resources);
          if (!tools) break;
          Issuer any;
          any.code = p->issuer;
          any.signer = tools->signer;
          auto expected = tools->composer->compose(tmpl, record_from_payload(*p), any,
                                                   {.photo = &tools->stand_in_photo, .dpi = o.forensic_dpi});
          auto rect = rectify_card(s.raw, s.corners, tmpl.geometry().format, o.forensic_dpi);
          if (!expected || !rect) continue;
          const std::string doubt = labels_doubt(registered(*expected, s.side, rect->view()), s.side);
          doubt_portrait(doubt);
          if (!doubt.empty() && placed)
            if (auto at = place_by_labels(*expected, s, *rect)) (*placed)[index_of(s)] = at->corners;
        }
      continue;
    }
    if (tmpl.empty()) {
      each(Outcome::not_checked, "no_template", kNoTemplate);
      continue;
    }
    // The card the seal describes, as the issuer composed it.
    Issuer issuer;
    issuer.code = p->issuer;
    issuer.pattern_seed = seed->second;
    issuer.signer = st.expected->signer;
    auto expected = st.expected->composer->compose(tmpl, record_from_payload(*p), issuer,
                                                   {.photo = &st.expected->stand_in_photo, .dpi = o.forensic_dpi});
    if (!expected) {
      // The seal is authentic but its data does not fit the template: a configuration problem,
      // and the print was not checked.
      each(Outcome::warn, "compose_failed",
           "the expected card could not be composed from the seal's data: " +
               detail::clip(expected.error().message(), 200));
      continue;
    }
    const bool seed_matches = expected->pattern_id() == p->pattern_id;

    struct Measured {
      forensics::ForensicScore score;
      std::string side;
      double capture_dpi = 0;  // the side's estimated capture resolution
      // Why a capture cannot judge fine lines ("low_resolution", "blurred"), or "" when it can.
      const char* unfit = "";
      const std::string* doubt = nullptr;  // the side's location_doubt
      bool floor = false;                  // a copy measured against copy_floor only: no borderline
    };
    std::vector<Measured> pattern, copy;
    std::string why_not;  // why no side could be measured
    // Each side's doubt about its place: as located, or found below from its labels.
    std::vector<std::string> doubts;
    for (const auto& s : sides) doubts.push_back(s.location_doubt);
    const auto doubt_of = [&](const ForensicSide& s) { return &doubts[index_of(s)]; };
    // Whether a capture is too coarse to judge fine lines: estimated under min_copy_capture_dpi,
    // rounded as the reasons print it (a card estimated at 379.6 dpi is a 380 dpi capture).
    const auto coarse = [&](double capture_dpi) {
      return o.min_copy_capture_dpi.v > 0 && std::lround(capture_dpi) < o.min_copy_capture_dpi.v;
    };
    // Whether a capture is too blurred to judge fine lines (compared as the reasons print it).
    const auto blurred = [&](double edge_mm) {
      return o.max_copy_edge_mm > 0 && std::round(edge_mm * 1000) > std::round(o.max_copy_edge_mm * 1000);
    };
    // The copy threshold for a side: raised on a capture sharper than copy_sharp_edge_px, whose
    // sharpening lifts an original's and a copy's fine lines alike. In the pixels of the copy
    // check's band-pass: the capture's, at most the forensic dpi's.
    const auto edge_px = [&](const ForensicSide& s) {
      return s.edge_mm * std::min(s.capture_dpi, static_cast<double>(o.forensic_dpi.v)) / 25.4;
    };
    const auto copy_threshold_for = [&](const ForensicSide& s) {
      if (s.edge_mm <= 0 || o.copy_threshold_per_px <= 0) return o.copy_threshold;
      const double sharper =
          std::clamp(o.copy_sharp_edge_px - edge_px(s), 0.0, std::max(0.0, o.copy_sharp_edge_px - 1));
      return std::min(1.0, o.copy_threshold + o.copy_threshold_per_px * sharper);
    };
    const auto unfit = [&](const ForensicSide& s) {
      return coarse(s.capture_dpi) ? "low_resolution" : blurred(s.edge_mm) ? "blurred" : "";
    };
    struct Rectified {
      const ForensicSide* side;
      Image image;
      // The image as the pattern, copy, text and label checks read it (its darkness and clipping),
      // made once for all of them.
      std::optional<forensics::Print> print;
      // Its labels' registration, once made (for the text check or labels_doubt).
      std::optional<Result<forensics::TextRegistration>> labels;
    };
    const auto labels_of = [&](Rectified& rs) -> const Result<forensics::TextRegistration>& {
      if (!rs.labels) rs.labels = registered(*expected, rs.side->side, *rs.print);
      return *rs.labels;
    };
    std::vector<Rectified> rectified;
    rectified.reserve(sides.size());  // each Print views its Rectified's pixels
    std::vector<const ForensicSide*> unoriented;
    for (const auto& s : sides) {
      if (!s.upright_known) {
        why_not = "the " + std::string(to_string(s.side)) + " side's orientation is not known";
        unoriented.push_back(&s);
        continue;
      }
      auto rect = rectify_card(s.raw, s.corners, tmpl.geometry().format, o.forensic_dpi);
      if (!rect) {
        why_not = "the " + std::string(to_string(s.side)) + " side could not be rectified: " + rect.error().message();
        continue;
      }
      Rectified& rs = rectified.emplace_back(Rectified{&s, std::move(*rect), std::nullopt, std::nullopt});
      rs.print.emplace(rs.image.view());
      forensics::PatternOptions po;
      po.threshold = o.pattern_threshold;
      auto ps = forensics::pattern_binding(*rs.print, o.forensic_dpi, *expected, s.side, po);
      if (!ps) {
        why_not = ps.error().message();
        rectified.pop_back();
        continue;
      }
      // A band washed out by glare is a retake: unmeasured, it must not leave the card genuine.
      if (ps->checked || ps->glare_tiles > 0) {
        const char* why_unfit = !ps->checked || ps->glare_tiles > 0 ? "glare" : unfit(s);
        pattern.push_back({std::move(*ps), to_string(s.side), s.capture_dpi, why_unfit, doubt_of(s)});
      }
    }
    // Where a side's labels place it (place_by_labels; made once per side, on the first check
    // only, `placed`), for the check to be made again there.
    std::vector<std::optional<std::optional<Placement>>> places(sides.size());
    const auto place = [&](const Rectified& rs) -> const std::optional<Placement>& {
      auto& at = places[index_of(*rs.side)];
      if (!at) at = place_by_labels(*expected, *rs.side, rs.image);
      return *at;
    };
    for (const auto& rs : rectified) {
      const ForensicSide& s = *rs.side;
      const Image& image = rs.image;
      // Copy detection is calibrated on the side with the personal guilloché: where the pattern was
      // measured, only those sides count, and the others are not measured.
      if (!pattern.empty() &&
          std::none_of(pattern.begin(), pattern.end(), [&](const Measured& q) { return q.side == to_string(s.side); }))
        continue;
      // Where no side's pattern was measured, a side whose fine lines are all static (the back
      // alone) is measured but not judged: its border guilloché and microtext are not what the
      // threshold is calibrated on (the specimen's back as rendered, a perfect print, scores 0.17
      // to 0.27, a copy's score). Not a retake either: no capture of that side could do better.
      const bool calibrated = !pattern.empty() || !forensics::static_fine_lines(*expected, s.side);
      const auto not_judged = [&](const std::string& measured) {
        copy.push_back({forensics::ForensicScore{.checked = false,
                                                 .reason = std::string("the copy check is calibrated on the side with "
                                                                       "the personal guilloché, not on the ") +
                                                           to_string(s.side) +
                                                           " side's fine lines; give that side too" + measured},
                        to_string(s.side), s.capture_dpi, ""});
      };
      if (!calibrated && (coarse(s.capture_dpi) || blurred(s.edge_mm))) {
        not_judged("");
        continue;
      }
      forensics::CopyOptions co;
      co.threshold = copy_threshold_for(s);
      co.capture_dpi = Dpi{std::max(1, static_cast<int>(std::lround(s.capture_dpi)))};
      co.min_capture_dpi = o.min_copy_capture_dpi;
      // A capture too coarse or too blurred to judge a copy is a retake (`unfit`, the reason says
      // why), unless its fine lines are gone further than such a capture takes an original's:
      // measured against `copy_floor`, and failed as a copy under it.
      const char* unfit_why = "";
      std::string retake;
      if (coarse(s.capture_dpi)) {
        const bool tilted = s.foreshortening > kTilted;
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "the %s side was captured at about %.0f dpi%s, under the %d dpi an original's finest lines "
                      "need: %s, to check for a copy",
                      to_string(s.side), s.capture_dpi,
                      tilted ? " along its foreshortened side (the card is tilted)" : "", o.min_copy_capture_dpi.v,
                      tilted ? kRetakeFacing : kRetakeCloser);
        unfit_why = "low_resolution";
        retake = buf;
      } else if (blurred(s.edge_mm)) {
        char buf[240];
        std::snprintf(buf, sizeof buf,
                      "the %s side's capture is blurred (the card's edge is spread over %.3f mm, more than the %.3f "
                      "mm an original's finest lines need): %s, to check for a copy",
                      to_string(s.side), s.edge_mm, o.max_copy_edge_mm, kRetakeSharp);
        unfit_why = "blurred";
        retake = buf;
      }
      const bool floor_only = *unfit_why != '\0';
      const auto push_retake = [&] {
        copy.push_back({forensics::ForensicScore{.checked = false, .reason = retake}, to_string(s.side), s.capture_dpi,
                        unfit_why});
      };
      if (floor_only) {
        // Only where the side's personal guilloché matched: the side is located, and it is this
        // card's print (a genuine card located 450 px off scored 0.04 there).
        const bool pattern_matched = std::any_of(pattern.begin(), pattern.end(), [&](const Measured& q) {
          return q.side == to_string(s.side) && q.score.checked && q.score.pass;
        });
        const bool measurable = o.copy_floor > 0 && pattern_matched && s.edge_mm > 0 &&
                                s.edge_mm <= kCopyFloorMaxEdgeMm && s.capture_dpi >= kCopyFloorMinDpi.v;
        if (!measurable) {
          push_retake();
          continue;
        }
        co.threshold = o.copy_floor;
        co.min_capture_dpi = Dpi{0};
      }
      // A side whose fine lines are all static has the same reference for every card of this
      // template and issuer: made once and kept, for captures at the working dpi or finer (a
      // flatbed scan), which share one band-pass. A phone photo's estimated dpi differs from photo
      // to photo, so its reference would seldom serve again and is not kept.
      // Every side's base (its static fine lines and marks) is kept whatever the capture.
      std::string key;
      forensics::CopyReference ref;
      const std::string side_key =
          tmpl.content_id() + "|" + p->issuer + "|" + to_hex(seed->second) + "|" + to_string(s.side) + "|";
      if (forensics::static_fine_lines(*expected, s.side) && co.capture_dpi.v >= o.forensic_dpi.v) {
        key = side_key + forensics::copy_reference_key(image.width(), image.height(), o.forensic_dpi, co);
        ref = st.copy_references->find(key);
      }
      if (ref.empty()) {
        const std::string base_key = side_key + forensics::copy_base_key(image.width(), image.height(), o.forensic_dpi);
        forensics::CopyBase base = st.copy_bases->find(base_key);
        if (base.empty()) {
          auto made = forensics::copy_base(image.width(), image.height(), o.forensic_dpi, *expected, s.side);
          if (!made) {
            why_not = made.error().message();
            continue;
          }
          base = std::move(*made);
          st.copy_bases->add(base_key, base);
        }
        auto made =
            forensics::copy_reference(image.width(), image.height(), o.forensic_dpi, *expected, s.side, co, &base);
        if (!made) {
          why_not = made.error().message();
          continue;
        }
        ref = std::move(*made);
        if (!key.empty()) st.copy_references->add(key, ref);
      }
      auto cs = forensics::copy_detection(*rs.print, o.forensic_dpi, ref, co);
      if (!cs) {
        why_not = cs.error().message();
        continue;
      }
      if (!calibrated) {
        char buf[120];
        std::snprintf(buf, sizeof buf, " (its fine lines measured: correlation %.2f, not judged)", cs->score);
        not_judged(cs->checked ? buf : "");
        continue;
      }
      if (floor_only) {
        if (cs->checked && cs->score < o.copy_floor) {
          const bool blur = std::string_view(unfit_why) == "blurred";
          char capture[80];
          if (blur)
            std::snprintf(capture, sizeof capture, "the card's edge spread over %.3f mm", s.edge_mm);
          else
            std::snprintf(capture, sizeof capture, "about %.0f dpi", s.capture_dpi);
          char buf[320];
          std::snprintf(buf, sizeof buf,
                        "the fine lines are gone as on a copy or a screen's replay (correlation %.2f), further than "
                        "a capture this %s (%s) takes an original's (%.2f or more)",
                        cs->score, blur ? "blurred" : "coarse", capture, o.copy_floor);
          cs->reason = buf;
          copy.push_back({std::move(*cs), to_string(s.side), s.capture_dpi, "", doubt_of(s), true});
        } else {
          push_retake();
        }
        continue;
      }
      // Named when it shows at two decimals ("0.52, not 0.52" told nothing).
      if (co.threshold >= o.copy_threshold + 0.005 && cs->checked) {
        char buf[160];
        std::snprintf(
            buf, sizeof buf,
            "; the threshold is %.2f, not %.2f, on a capture this sharp (the card's edge spread over %.1f px)",
            co.threshold, o.copy_threshold, edge_px(s));
        cs->reason += buf;
      }
      const char* washed = cs->checked ? "" : cs->glare_tiles > 0 ? "glare" : cs->shadow_tiles > 0 ? "shadow" : "";
      copy.push_back({std::move(*cs), to_string(s.side), s.capture_dpi, washed, doubt_of(s)});
    }

    // The text printed for people against the expected card's, on the sides whose place the
    // personal guilloché confirmed (as for the copy), or else the template's fixed text (labels,
    // titles): a side located a millimetre or more off (the pale back on a white scanner lid, cut
    // at its dark top band) would fail every element, while its labels show how far off it is. The
    // seal carries the office's code where the card prints its name: an element showing it is not
    // compared.
    std::vector<Measured> text;
    std::string unplaced;
    forensics::TextOptions to;
    to.threshold = o.text_threshold;
    to.glyph_threshold = o.text_glyph_threshold;
    to.skip_containing = {p->office};
    // The personal text of the sides whose labels would have placed them but did not (off, or
    // washed out): unread. The check then passes on no other side alone: an altered line on a side
    // printed a millimetre off must not leave the card genuine.
    std::vector<std::string> unplaced_unread;
    bool unplaced_off = false;
    for (auto& rs : rectified) {
      const ForensicSide* sp = rs.side;
      const bool placed_by_pattern = std::any_of(pattern.begin(), pattern.end(), [&](const Measured& q) {
        return q.side == to_string(sp->side) && q.score.checked;
      });
      if (!placed_by_pattern) {
        const auto& reg = labels_of(rs);
        if (!reg) {
          why_not = reg.error().message();
          continue;
        }
        if (reg->elements < kMinRegisteredText || reg->found < reg->elements ||
            reg->max_shift_mm > kRegisteredShiftMm) {
          char cause[200];
          // Enough labels to place the side, had glare not washed some out.
          const bool placeable = reg->elements + reg->washed >= kMinRegisteredText;
          if (reg->elements < kMinRegisteredText && placeable)
            std::snprintf(cause, sizeof cause, "glare washes out %d of the %d labels that place it", reg->washed,
                          reg->elements + reg->washed);
          else if (reg->elements < kMinRegisteredText)
            std::snprintf(cause, sizeof cause, "no personal guilloche or labels to place it");
          else if (reg->found == 0)
            std::snprintf(cause, sizeof cause, "none of its %d labels is within %.0f mm of its place", reg->elements,
                          kRegistrationSearchMm);
          else if (reg->found < reg->elements)
            std::snprintf(cause, sizeof cause, "%d of its %d labels are not within %.0f mm of their place",
                          reg->elements - reg->found, reg->elements, kRegistrationSearchMm);
          else
            std::snprintf(cause, sizeof cause, "its labels lie up to %.2f mm off ('%s')", reg->max_shift_mm,
                          reg->farthest.c_str());
          // Compared all the same: an element matches only where the print shows the sealed text,
          // within the search, so a pass reads the side. A failure there may be the side's place
          // rather than its print, and is not taken.
          if (auto ts = forensics::text_binding(*rs.print, o.forensic_dpi, *expected, sp->side, to);
              ts && ts->checked && ts->pass) {
            char found[80];
            std::snprintf(found, sizeof found, ", every element found within %.0f mm", to.search_mm);
            ts->reason += std::string("; its place not confirmed (") + cause + ")" + found;
            text.push_back({std::move(*ts), to_string(sp->side), sp->capture_dpi, "", doubt_of(*sp)});
            continue;
          }
          unplaced += std::string("; the ") + to_string(sp->side) + " side's text not compared: " + cause +
                      (reg->elements < kMinRegisteredText ? "" : ", so the side is not located well enough");
          if (placeable) {
            const auto names = forensics::text_binding_elements(*expected, sp->side, to);
            unplaced_unread.insert(unplaced_unread.end(), names.begin(), names.end());
            unplaced_off |= reg->elements >= kMinRegisteredText;
          }
          // A side printed off its place on the card (a printer's misregistration, or a reprint)
          // has its text compared where its labels put it, when they place it as this check asks
          // there (all found, none more than kRegisteredShiftMm off). Placed only so far (half of
          // them in place: a back located 1.5 mm off, placed 3 mm off), it is not checked again.
          if (placed && reg->elements >= kMinRegisteredText)
            if (const auto& at = place(rs);
                at && at->labels.found == at->labels.elements && at->labels.max_shift_mm <= kRegisteredShiftMm)
              (*placed)[index_of(*sp)] = at->corners;
          continue;
        }
      }
      auto ts = forensics::text_binding(*rs.print, o.forensic_dpi, *expected, sp->side, to);
      if (!ts) {
        why_not = ts.error().message();
        continue;
      }
      const char* washed = ts->checked ? "" : "glare";
      if (ts->checked || ts->glare_tiles > 0)
        text.push_back({std::move(*ts), to_string(sp->side), sp->capture_dpi, washed, doubt_of(*sp)});
    }

    // A side whose up is not known (no QR code read on it: a retake whose code glare hid, checked
    // against another capture's seal) leaves its personal text unread: the check passes on no other
    // side alone (before, such a back's altered docket number went unread and the card could pass).
    // Where the template's labels read one way up only, the card is checked again with the side
    // that way up (`placed`).
    const auto up_by_labels = [&](const ForensicSide& s) -> std::optional<Corners> {
      const std::array<Corners, 2> ways{s.corners, Corners{s.corners[2], s.corners[3], s.corners[0], s.corners[1]}};
      std::array<int, 2> found{0, 0};
      for (std::size_t w = 0; w < 2; ++w)
        if (auto rect = rectify_card(s.raw, ways[w], tmpl.geometry().format, o.forensic_dpi))
          if (auto reg = registered(*expected, s.side, rect->view()); reg && reg->elements >= kMinRegisteredText)
            found[w] = reg->found;
      const std::size_t up = found[1] > found[0] ? 1 : 0;
      if (found[up] < kMinRegisteredText || 2 * found[1 - up] >= found[up]) return std::nullopt;
      return ways[up];
    };
    bool unplaced_up = false;
    for (const ForensicSide* sp : unoriented) {
      const auto names = forensics::text_binding_elements(*expected, sp->side, to);
      if (names.empty()) continue;
      unplaced_unread.insert(unplaced_unread.end(), names.begin(), names.end());
      unplaced_off = unplaced_up = true;
      unplaced += std::string("; the ") + to_string(sp->side) +
                  " side's text not compared: which way up it is is not known (no QR code read on it)";
      if (placed) (*placed)[index_of(*sp)] = up_by_labels(*sp);
    }

    // A side on which a print check failed, or whose portrait does not match the seal, may be one
    // located some millimetres off rather than a forgery (labels_doubt).
    for (auto& rs : rectified) {
      const ForensicSide* sp = rs.side;
      std::string& doubt = *doubt_of(*sp);
      if (!doubt.empty()) continue;
      const auto failed = [&](const std::vector<Measured>& ms) {
        return std::any_of(ms.begin(), ms.end(), [&](const Measured& m) {
          return m.side == to_string(sp->side) && m.score.checked && m.score.score < m.score.threshold;
        });
      };
      const bool portrait_here = photo_failed.has_value() && sp->side == portrait_side;
      if (!failed(pattern) && !failed(copy) && !failed(text) && !portrait_here) continue;
      doubt = labels_doubt(labels_of(rs), sp->side);
      if (portrait_here) doubt_portrait(doubt);
      if (!doubt.empty() && placed)
        if (const auto& at = place(rs)) (*placed)[index_of(*sp)] = at->corners;
    }

    // One finding per check: the worst side decides.
    // Each side's score against its own threshold (the copy's follows the capture's sharpness).
    auto add = [&](const char* check, std::vector<Measured>& ms, const char* what) {
      const Measured* worst = nullptr;
      const Measured* skipped = nullptr;
      for (const auto& m : ms) {
        if (!m.score.checked) {
          // A side the capture could not judge outweighs one with nothing to measure.
          if (!skipped || (!*skipped->unfit && *m.unfit)) skipped = &m;
          continue;
        }
        if (!worst || m.score.score - m.score.threshold < worst->score.score - worst->score.threshold) worst = &m;
      }
      if (!worst) {
        const std::string reason = skipped ? skipped->score.reason
                                   : !why_not.empty()
                                       ? why_not
                                       : std::string("no side given carries the ") + what + " to measure";
        // A copy that could not be judged on this capture is a retake, not a pass. A design with no
        // fine lines to measure is not: no capture could do better, so it is not_checked.
        const bool retake = skipped && *skipped->unfit && (std::string_view(check) != "copy" || !o.allow_unjudged_copy);
        r.findings.push_back(finding(check, retake ? Outcome::warn : Outcome::not_checked,
                                     skipped && *skipped->unfit ? skipped->unfit : "not_checked", reason, index));
        return;
      }
      char buf[400];
      const double threshold = worst->score.threshold;
      const bool pass = worst->score.score >= threshold;
      std::snprintf(buf, sizeof buf, "%s side: %s", worst->side.c_str(), worst->score.reason.c_str());
      Finding f = finding(check, pass ? Outcome::pass : Outcome::fail, pass ? "ok" : "mismatch", buf, index);
      if (std::string_view(check) == "copy" && !pass) {
        f.code = "copy";
        // A little under the threshold: not declared a copy on this capture, but not passed either.
        if (!worst->floor && worst->score.score >= threshold - o.copy_borderline) {
          std::snprintf(buf, sizeof buf,
                        "%s side: the fine lines are a little weaker than an original's (correlation %.3f, threshold "
                        "%.2f%s; a copy under %.2f): %s",
                        worst->side.c_str(), worst->score.score, threshold,
                        threshold > o.copy_threshold ? ", raised on a capture this sharp" : "",
                        threshold - o.copy_borderline, kRetakeFlatbed);
          f.outcome = Outcome::warn;
          f.code = "borderline";
          f.reason = buf;
        }
      }
      // A pass under kFineCopyThreshold says what it rules out.
      if (std::string_view(check) == "copy" && pass && threshold < kFineCopyThreshold) {
        std::snprintf(buf, sizeof buf,
                      "; on this capture (about %.0f dpi, threshold %.2f) that rules out a coarse copy only: a copy "
                      "printed as finely as the original shows on a flatbed scan at 600 dpi or more, the card's "
                      "edges in it",
                      worst->capture_dpi, threshold);
        f.reason += buf;
      }
      // On a capture too coarse to judge fine lines, a pattern a little under its threshold is a
      // retake, not another card's pattern: a genuine card's band blurs towards the threshold
      // there, while another card's stays far under it (bench/RESULTS.md).
      if (std::string_view(check) == "pattern" && !pass && *worst->unfit &&
          worst->score.score >= threshold - kCoarsePatternMargin) {
        if (std::string_view(worst->unfit) == "glare")
          std::snprintf(buf, sizeof buf,
                        "%s side: the personal guilloche correlates %.2f, a little under %.2f, with glare over part of "
                        "it: tilt the card away from the light and retake it",
                        worst->side.c_str(), worst->score.score, threshold);
        else if (std::string_view(worst->unfit) == "low_resolution")
          std::snprintf(buf, sizeof buf,
                        "%s side: the personal guilloche correlates %.2f, a little under %.2f, on a capture of about "
                        "%.0f dpi: %s",
                        worst->side.c_str(), worst->score.score, threshold, worst->capture_dpi, kRetakeCloser);
        else
          std::snprintf(buf, sizeof buf,
                        "%s side: the personal guilloche correlates %.2f, a little under %.2f, on a blurred capture: "
                        "%s",
                        worst->side.c_str(), worst->score.score, threshold, kRetakeSharp);
        f.outcome = Outcome::warn;
        f.code = worst->unfit;
        f.reason = buf;
      }
      // A failure on a side whose place in the image is in doubt says nothing about the print.
      if (f.outcome == Outcome::fail && worst->doubt && !worst->doubt->empty()) {
        f.outcome = Outcome::warn;
        f.code = "uncertain_location";
        f.reason += ", but " + *worst->doubt;
      }
      f.score = worst->score.score;
      f.threshold = threshold;
      r.findings.push_back(std::move(f));
    };
    add("pattern", pattern, "personal guilloché");
    if (!seed_matches && !r.findings.empty() && r.findings.back().outcome == Outcome::fail)
      r.findings.back().reason += "; the seal's pattern id is not the one this checker's seed gives";
    add("copy", copy, "fine-line guilloché");
    // A side whose place was not confirmed says so: as the reason when no side was compared, after
    // the outcome's reason otherwise.
    if (text.empty() && !unplaced.empty()) why_not = unplaced.substr(2);
    add("text", text, "personal text");
    Finding& f = r.findings.back();  // add() always adds the text finding
    if (!text.empty() && f.outcome != Outcome::not_checked) f.reason += unplaced;
    // Elements left out for glare are unread, not matched: a highlight over an altered name must
    // not leave the card genuine. What passed elsewhere is a retake, as for `pattern` and `copy`.
    // The reason is the lowest side's: the sides glare washed out are named after it.
    std::string washed;
    for (const Measured& m : text)
      if (m.score.glare_tiles > 0) washed += (washed.empty() ? "" : " and the ") + m.side;
    if (f.outcome == Outcome::pass && !washed.empty()) {
      f.outcome = Outcome::warn;
      f.code = "glare";
      f.reason += "; the text washed out on the " + washed +
                  " side could not be read: tilt the card away from the light and retake it";
    }
    if (!unplaced_unread.empty() && (f.outcome == Outcome::pass || f.outcome == Outcome::not_checked)) {
      f.outcome = Outcome::warn;
      f.code = unplaced_off ? "uncertain_location" : "glare";
      f.reason += unplaced_up    ? ": retake the photo with the QR code clear of glare"
                  : unplaced_off ? ": retake the photo with the card's four edges in view"
                                 : ": tilt the card away from the light and retake it";
    }
    // Every personal text element the template prints that no side read and matched (a side that
    // passed, less what glare washed out on it): on a side not given, not located, not placed or
    // washed out. A pass reads them all; a warning leaves them unread, for another capture to read
    // (Checker::check_captures). Before, a capture of the front alone passed `text`, and with a
    // capture whose back glare washed out combined into a pass that no capture had read the back.
    std::vector<std::string> not_matched;
    std::string missing;
    for (const Side side : {Side::front, Side::back}) {
      if (!tmpl.has_side(side)) continue;
      const auto names = forensics::text_binding_elements(*expected, side, to);
      if (names.empty()) continue;
      if (std::none_of(sides.begin(), sides.end(), [&](const ForensicSide& s) { return s.side == side; }))
        missing += std::string(missing.empty() ? "" : " and the ") + to_string(side);
      for (const std::string& name : names)
        if (std::none_of(text.begin(), text.end(), [&](const Measured& m) {
              return m.side == to_string(side) && m.score.checked && m.score.pass &&
                     std::find(m.score.unread.begin(), m.score.unread.end(), name) == m.score.unread.end();
            }))
          not_matched.push_back(name);
    }
    if (!missing.empty() && (f.outcome == Outcome::pass || f.outcome == Outcome::warn))
      f.reason += "; the " + missing + " side's text not compared: not given or not located";
    if (f.outcome == Outcome::pass && !not_matched.empty()) {
      f.outcome = Outcome::warn;
      f.code = missing.empty() ? "not_compared" : "side_missing";
      f.reason += missing.empty() ? "; " + std::to_string(not_matched.size()) + " element(s) not compared"
                                  : ": capture that side as well";
    }
    if (f.outcome == Outcome::warn) f.unread = std::move(not_matched);
  }
}

}  // namespace detail

Result<Report> Checker::check_card(const ImageView& front, const ImageView& back, std::string_view name,
                                   std::string_view back_name) const {
  return check_card_under(front, back, name, back_name, nullptr);
}

Result<Report> Checker::check_card_under(const ImageView& front, const ImageView& back, std::string_view name,
                                         std::string_view back_name, const Report* sealed_by) const {
  // A side whose labels place it elsewhere than it was located (add_forensic_findings) is checked
  // again where they put it: `given` holds such locations per image (front, back), `placed`
  // receives them from the first check.
  // With the first check's measure of the capture's blur along the card's edge (its outline's:
  // edge_spread_mm measures nothing on a side located by its labels).
  struct PlacedSide {
    CardLocation location;
    double edge_mm = 0;
    std::string first_check;  // what the first check found, for the locate finding
  };
  using Placed = std::array<std::optional<PlacedSide>, 2>;
  const auto once = [&](const Placed& given, Placed* placed) -> Result<Report> {
    const CheckerOptions& o = options();
    const auto t_total = Clock::now();
    double t_locate = 0, t_rectify = 0, t_seal = 0, t_photo = 0, t_forensics = 0;
    Report r;
    r.checked_at = detail::check_time(o);
    r.image = std::string(name);
    r.codes_found = 0;
    // The format is the template's when one is given; else ID-1, the card this is built for.
    const CardFormat format = o.card_template.empty() ? CardFormat::id1 : o.card_template.geometry().format;

    std::vector<Shot> shots;
    for (int i = 0; i < 2; ++i) {
      const ImageView& v = i == 0 ? front : back;
      if (i == 1 && v.empty()) break;
      Shot s;
      s.raw = v;
      s.check.name = std::string(i == 0 ? name : back_name);
      if (s.check.name.empty()) s.check.name = i == 0 ? "front" : "back";
      s.check.width = v.width();
      s.check.height = v.height();
      shots.push_back(std::move(s));
    }

    // Stage 1: find and rectify each image.
    bool any_image = false;
    for (auto& s : shots) {
      const std::int64_t pixels = static_cast<std::int64_t>(s.raw.width()) * s.raw.height();
      if (s.raw.empty()) {
        r.findings.push_back(finding("image", Outcome::fail, "empty", "the image '" + s.check.name + "' is empty"));
        continue;
      }
      if (pixels > o.max_image_pixels) {
        r.findings.push_back(finding("image", Outcome::fail, "too_large",
                                     "the image '" + s.check.name + "' has " + std::to_string(s.raw.width()) + " x " +
                                         std::to_string(s.raw.height()) + " pixels, over the limit of " +
                                         std::to_string(o.max_image_pixels) +
                                         ": scan at 600 dpi or less, or take the photo at a lower resolution"));
        s.raw = {};
        continue;
      }
      any_image = true;
      auto t0 = Clock::now();
      if (const auto& at = given[static_cast<std::size_t>(&s - shots.data())]) {
        s.check.location = at->location;
      } else {
        LocateOptions lo;
        lo.format = format;
        auto loc = locate_card(s.raw, lo);
        t_locate += ms_since(t0);
        if (!loc) return std::move(loc).error();
        s.check.location = std::move(*loc);
      }
      if (s.check.location.found) {
        t0 = Clock::now();
        auto card = rectify_card(s.raw, s.check.location.corners, format, o.working_dpi);
        if (card) s.card = std::move(*card);
        t_rectify += ms_since(t0);
      }
    }
    if (any_image && r.findings.empty())
      r.findings.push_back(finding("image", Outcome::pass, "ok",
                                   std::to_string(shots.size()) + " image(s) within the limit of " +
                                       std::to_string(o.max_image_pixels) + " pixels"));

    const std::size_t locate_at = r.findings.size();

    // Stage 2: the QR codes, on the rectified card first (upright, at a known scale), then on the
    // raw image (the outline was wrong, or the code is readable only at full resolution).
    auto t0 = Clock::now();
    for (auto& s : shots) {
      if (s.raw.empty()) continue;
      if (!s.card.empty()) {
        s.codes = decode_qr_codes(s.card.view(), o.qr);
        s.codes_on_card = true;
      }
      auto sealed = [&](const std::vector<QrDecoded>& codes) {
        return std::any_of(codes.begin(), codes.end(),
                           [&](const QrDecoded& c) { return c.text.rfind(o.prefix, 0) == 0; });
      };
      auto has_prefix = [&] { return sealed(s.codes); };
      if (!has_prefix()) {
        auto raw = decode_qr_codes(s.raw, o.qr);
        if (!raw.empty()) {
          s.codes = std::move(raw);
          s.codes_on_card = false;
        }
      }
      // The card read again as long as no seal is: a highlight (or a soft shadow) over the code
      // leaves its modules a few levels apart, which the binarizer takes for a flat area, so its
      // contrast stretched locally; a shadow's sharp edge across the code (a phone or a hand
      // between the light and the card), which the stretch spreads over 3 mm, divided out.
      for (Image (*retry)(const ImageView&, Dpi) : {&detail::flatten_glare, &detail::even_out_light}) {
        if (has_prefix() || s.card.empty()) break;
        auto again = decode_qr_codes(retry(s.card.view(), o.working_dpi).view(), o.qr);
        if (sealed(again)) {
          s.codes = std::move(again);
          s.codes_on_card = true;
        }
      }
      s.has_seal = has_prefix();
      s.check.codes_found = static_cast<int>(s.codes.size());
      r.codes_found += s.check.codes_found;
    }
    std::size_t with_prefix = 0;
    std::vector<std::string> seen;
    for (const auto& s : shots)
      for (const auto& code : s.codes) {
        if (code.text.rfind(o.prefix, 0) != 0) continue;
        ++with_prefix;
        if (std::find(seen.begin(), seen.end(), code.text) != seen.end()) continue;  // the same seal twice
        seen.push_back(code.text);
      }
    if (r.codes_found == 0) {
      if (qr_place_washed_out(shots, o, format))
        r.findings.push_back(finding("qr", Outcome::fail, "glare",
                                     "no QR code could be read: where the template prints it, the card is washed out "
                                     "as by glare (or no code is printed there); tilt the card away from the light and "
                                     "retake the photo"));
      else
        r.findings.push_back(finding("qr", Outcome::fail, "no_code", "no QR code found in the image"));
    } else if (with_prefix == 0)
      r.findings.push_back(
          finding("qr", Outcome::fail, "no_seal",
                  std::to_string(r.codes_found) + " QR code(s) found, but none starts with " + o.prefix));
    else
      r.findings.push_back(finding("qr", Outcome::pass, "ok",
                                   std::to_string(r.codes_found) + " QR code(s) found, " + std::to_string(with_prefix) +
                                       " starting with " + o.prefix));
    for (const auto& text : seen) SDC_TRY(detail::check_one(*this, text, r));
    // A retake whose QR code no reading recovered (check_captures): its print is checked against
    // the seals another capture of the card read.
    const bool borrowed = seen.empty() && sealed_by && !sealed_by->seals.empty();
    if (borrowed)
      for (SealResult seal : sealed_by->seals) {
        seal.photo_distance.reset();  // this capture's own, if its portrait is compared
        detail::add_seal_findings(seal, static_cast<int>(r.seals.size()), o.payload_format, r.findings);
        r.seals.push_back(std::move(seal));
      }
    t_seal += ms_since(t0);

    // The template: given, or the one the seal names.
    std::string template_id;
    for (const auto& seal : r.seals)
      if (seal.verification.payload && !seal.verification.payload->template_id.empty()) {
        template_id = seal.verification.payload->template_id;
        break;
      }
    const Template* tmpl = pick_template(o, template_id);
    if (tmpl) {
      r.template_name = tmpl->name();
      r.template_id = tmpl->content_id();
      r.findings.push_back(
          finding("template", Outcome::pass, "ok",
                  std::string(o.card_template.empty() ? "the seal's template: " : "the template given: ") +
                      detail::clip(tmpl->name(), 80)));
    } else if (!o.templates.empty() && !template_id.empty()) {
      r.findings.push_back(finding("template", Outcome::warn, "unknown_template",
                                   "the seal names template " + template_id + ", which is not among the " +
                                       std::to_string(o.templates.size()) + " templates given"));
    } else if (!r.seals.empty()) {
      r.findings.push_back(finding("template", Outcome::not_checked, "no_template",
                                   template_id.empty() ? "the seal names no template, and none was given"
                                                       : "no template was given (the seal names " + template_id + ")"));
    }
    const Template none;
    const Template& t = tmpl ? *tmpl : none;
    const auto place = qr_place(t);

    // Stage 1, finished with what the seal told: the QR code as a fallback locator, the card
    // turned upright, each image matched to a template side.
    t0 = Clock::now();
    for (auto& s : shots) {
      if (s.raw.empty()) continue;
      if (!s.check.location.found && s.has_seal && place && !s.codes_on_card) {
        for (const auto& code : s.codes) {
          if (code.text.rfind(o.prefix, 0) != 0) continue;
          if (auto c = corners_from_qr(code, *place, format)) {
            auto card = rectify_card(s.raw, *c, format, o.working_dpi);
            if (card) {
              s.check.location = upright_at(*c, "qr");
              s.card = std::move(*card);
            }
          }
          break;
        }
      }
      if (s.has_seal) orient_by_qr(s, place, o.prefix, format, o.working_dpi);
    }
    // Sides: the image with the seal is the template's QR side; another image is the other side.
    const Shot* seal_shot = nullptr;
    for (const auto& s : shots)
      if (s.has_seal && !seal_shot) seal_shot = &s;
    for (auto& s : shots) {
      if (!place || s.raw.empty()) continue;
      const Side other = place->side == Side::front ? Side::back : Side::front;
      if (&s == seal_shot)
        s.check.side = to_string(place->side);
      else if (seal_shot && t.has_side(other))
        s.check.side = to_string(other);
      else if (borrowed) {
        // The side the capture that read the seal showed in this place (check_card takes its two
        // images in either order, and a retake keeps the order of the capture it retakes); where
        // that capture had no side there, the other one, or front then back.
        const auto side_at = [&](std::size_t i) {
          return i < sealed_by->sides.size() ? sealed_by->sides[i].side : std::string();
        };
        const std::size_t at = static_cast<std::size_t>(&s - shots.data());
        std::string as = side_at(at);
        if (as.empty()) {
          const std::string beside = side_at(1 - at);
          as = beside == "front" ? "back" : beside == "back" ? "front" : at == 0 ? "front" : "back";
        }
        if (t.has_side(as == "front" ? Side::front : Side::back)) s.check.side = as;
      }
    }
    t_locate += ms_since(t0);

    // Stage 3 and later.
    t0 = Clock::now();
    std::vector<detail::CardSide> sides;
    std::vector<Shot*> side_shots;
    for (auto& s : shots) {
      if (s.card.empty() || s.check.side.empty()) continue;
      sides.push_back({s.check.side == "front" ? Side::front : Side::back, &s.card, s.check.location.upright_known,
                       o.working_dpi, false,
                       detail::uncertain_location(s.check.location, s.raw.width(), s.raw.height(), format)});
      side_shots.push_back(&s);
    }
    detail::add_card_findings(sides, t, o, *state_->faces, r);
    for (std::size_t i = 0; i < sides.size(); ++i) {
      if (sides[i].turned) turn_180(*side_shots[i], false);
      side_shots[i]->check.location.upright_known |= sides[i].upright_known;
    }
    std::vector<Finding> locate_findings;
    for (auto& s : shots) {
      const auto& l = s.check.location;
      if (s.raw.empty()) continue;
      Finding f;
      if (!l.found) {
        f = finding("locate", Outcome::fail, "no_card",
                    "no card outline of the card's aspect found in '" + s.check.name + "'" +
                        (s.has_seal ? " (the seal was read from the raw image)" : ""));
      } else if (s.card.empty()) {
        f = finding("locate", Outcome::fail, "not_rectified", "the card was found but could not be rectified");
      } else {
        s.check.capture = capture_quality(s.card.view());
        // The coarser direction's: a tilted card's fine lines are sampled that coarsely.
        s.check.capture.dpi = sampling_of(l, format).dpi();
        const auto& at = given[static_cast<std::size_t>(&s - shots.data())];
        s.check.capture.edge_mm = at ? at->edge_mm : edge_spread_mm(s.raw, l, format);
        char buf[240];
        std::snprintf(buf, sizeof buf, "card found in '%s' by its %s at about %.0f dpi, turned %.1f°%s",
                      detail::clip(s.check.name, 60).c_str(),
                      l.method == "outline"  ? "outline"
                      : l.method == "qr"     ? "QR code"
                      : l.method == "labels" ? "template's printed labels"
                                             : "whole image",
                      s.check.capture.dpi, l.rotation_deg, l.upright_known ? "" : " (up or down not known)");
        f = finding("locate", Outcome::pass, "ok", buf);
        if (o.max_copy_edge_mm > 0 && s.check.capture.edge_mm > o.max_copy_edge_mm) {
          std::snprintf(buf, sizeof buf, "; the capture is blurred (the card's edge is spread over %.3f mm): %s",
                        s.check.capture.edge_mm, kRetakeSharp);
          f.reason += buf;
        }
        if (at) f.reason += at->first_check;
        if (l.outlines > 1) {
          f.outcome = Outcome::warn;
          f.code = "several_cards";
          f.reason = std::to_string(l.outlines) + " card outlines in '" + detail::clip(s.check.name, 60) +
                     "': the largest was checked; show one card at a time";
        }
      }
      locate_findings.push_back(std::move(f));
    }
    r.findings.insert(r.findings.begin() + static_cast<std::ptrdiff_t>(locate_at), locate_findings.begin(),
                      locate_findings.end());
    t_photo += ms_since(t0);

    // Stages 4 and 5: the pattern binding and copy detection, on the raw images warped afresh at
    // the forensic dpi (the working dpi is too coarse for fine lines).
    t0 = Clock::now();
    std::vector<detail::ForensicSide> fsides;
    for (std::size_t i = 0; i < side_shots.size(); ++i) {
      const Shot* s = side_shots[i];
      const auto& l = s->check.location;
      fsides.push_back({s->check.side == "front" ? Side::front : Side::back, s->raw, l.corners, l.upright_known,
                        s->check.capture.dpi, s->check.capture.edge_mm, sides[i].location_doubt,
                        sampling_of(l, format).foreshortening()});
    }
    std::vector<std::optional<std::array<ImagePoint, 4>>> by_labels;
    detail::add_forensic_findings(fsides, t, *state_, r, placed ? &by_labels : nullptr);
    t_forensics += ms_since(t0);
    for (std::size_t i = 0; i < by_labels.size(); ++i) {
      if (!by_labels[i]) continue;
      const Shot& s = *side_shots[i];
      CardLocation l = upright_at(*by_labels[i], "labels");
      l.outlines = s.check.location.outlines;
      (*placed)[static_cast<std::size_t>(&s - shots.data())] = PlacedSide{std::move(l), s.check.capture.edge_mm};
    }

    // Stage 6: the printed MRZ against the sealed data.
    t0 = Clock::now();
    detail::add_mrz_findings(sides, t, *state_, r);
    const double t_mrz = ms_since(t0);

    for (auto& s : shots) r.sides.push_back(std::move(s.check));
    r.timings = {{"locate", t_locate},        {"rectify", t_rectify},     {"seal", t_seal},
                 {"photo", t_photo},          {"forensics", t_forensics}, {"mrz", t_mrz},
                 {"total", ms_since(t_total)}};
    detail::conclude(r);
    return r;
  };
  try {
    Placed placed;
    SDC_TRY_ASSIGN(Report first, once({}, &placed));
    if (std::none_of(placed.begin(), placed.end(), [](const auto& p) { return p.has_value(); })) return first;
    // What the first check found stays in the report: each placed side's locate finding says how
    // far it was first located and which checks did not hold there.
    std::string first_failed;
    for (const Finding& f : first.findings) {
      if (f.outcome == Outcome::pass || f.outcome == Outcome::not_checked || f.check == "locate") continue;
      const std::string quoted = "'" + f.check + "'";
      if (first_failed.find(quoted) != std::string::npos) continue;
      first_failed += (first_failed.empty() ? "" : ", ") + quoted;
    }
    for (std::size_t i = 0; i < placed.size() && i < first.sides.size(); ++i) {
      if (!placed[i]) continue;
      const SideCheck& at_first = first.sides[i];
      // A side whose up was not known first is compared with its first corners either way up.
      double most = 0, turned = 0;
      for (std::size_t q = 0; q < 4; ++q) {
        const auto& c = placed[i]->location.corners[q];
        const auto &a = at_first.location.corners[q], &b = at_first.location.corners[(q + 2) % 4];
        most = std::max(most, std::hypot(c.x - a.x, c.y - a.y));
        turned = std::max(turned, std::hypot(c.x - b.x, c.y - b.y));
      }
      const bool up_found = !at_first.location.upright_known && turned < most;
      const double moved_mm = at_first.capture.dpi > 0 ? (up_found ? turned : most) / at_first.capture.dpi * 25.4 : 0.0;
      char buf[160] = "";
      if (at_first.location.upright_known || moved_mm >= 0.05)
        std::snprintf(buf, sizeof buf, "; its corners first located up to %.1f mm away", moved_mm);
      if (!at_first.location.upright_known) placed[i]->first_check = "; which way up it is found by its labels";
      placed[i]->first_check += buf + (first_failed.empty() ? "" : ", where " + first_failed + " did not hold");
    }
    SDC_TRY_ASSIGN(Report again, once(placed, nullptr));
    detail::add_first_check(again, first);  // the first check's time is part of this one's
    return again;
  } catch (...) {
    return detail::error_from_exception(std::current_exception(), "checking the card");
  }
}

}  // namespace sdc
